"""How long scrubbing and the privacy scan take on hostile text and on a real study's outputs.

    .venv/bin/python benchmarks/bench_privacy.py [results-study]

1. ``scrub_text`` on 1 MB inputs built to make a backtracking pattern retry from every position
   (a long unbroken token, repeated "a@", "22 ", " at ", tags), and the e-mail pattern medvirk
   used before (``[\\w.+\\-']+@[\\w\\-]+(?:\\.[\\w\\-]+)+``) on growing tokens, which shows why it
   hung: its time grows with the square of the token's length.
2. ``check_study`` over the outputs of a study already run (default fhi2016), report included.
"""

from __future__ import annotations

import platform
import re
import sys
import time

from medvirk import privacy

MB = 1_000_000
HOSTILE = {
    "one token of letters": "a" * MB,
    "one token of digits": "9" * MB,
    '"a@" repeated': "a@" * (MB // 2),
    '"22 " repeated': "22 " * (MB // 3),
    '"lise at " repeated': "lise at " * (MB // 8),
    '"<a " repeated (XML)': "<a " * (MB // 3),
}
OLD_EMAIL = re.compile(r"[\w.+\-']+@[\w\-]+(?:\.[\w\-]+)+", re.UNICODE)


def seconds(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main(study: str = "fhi2016") -> None:
    print(
        f"machine: {platform.processor() or platform.machine()}, Python {platform.python_version()}"
    )
    print("\n| 1 MB input | scrub_text (s) | xml_text (s) |\n| --- | ---: | ---: |")
    for name, text in HOSTILE.items():
        s = seconds(lambda text=text: privacy.scrub_text(text, ["Lise Berg"]))
        x = seconds(lambda text=text: privacy.xml_text(text))
        print(f"| {name} | {s:.2f} | {x:.2f} |")
    print(
        "\n| token length | old e-mail pattern (s) | scrub_text now (s) |\n| ---: | ---: | ---: |"
    )
    for n in (5_000, 10_000, 20_000, 40_000):
        token = "a" * n
        old = seconds(lambda token=token: OLD_EMAIL.sub("", token))
        new = seconds(lambda token=token: privacy.scrub_text(token))
        print(f"| {n:,} | {old:.2f} | {new:.4f} |")
    t0 = time.perf_counter()
    check = privacy.check_study(study, remove=False)
    print(
        f"\nprivacy scan of {study}: {len(check.files)} files, {time.perf_counter() - t0:.1f} s, "
        f"ok={check.ok}"
    )


if __name__ == "__main__":
    main(*sys.argv[1:])
