"""Summarise `mutmut run` per module, and check the result against tests/README.md.

Run by `make mutation` after mutmut (from the repository's root). Prints, per module, the
mutants made, killed and surviving, and the share killed; fails (exit 1) when a module has
fewer than 90 % of its mutants killed, or when a surviving mutant is not listed in
tests/README.md with its reason. A mutant counts as killed when a test failed on it or it ran
into the time limit (an endless loop is caught too); "no tests" (no fast test calls its
function) and "survived" count against the module.

README.md lists survivors by function: ``- `medvirk.privacy.x_leak_report` 12, 13: a reason.
14: another reason.`` (an entry may continue on indented lines).
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

MODULES = {
    "agreement": "agreement",
    "consensus": "consensus",
    "counting": "counting",
    "privacy": "privacy",
    "tables": "tables",
    "codings": "coding-sheet reader (codings.py)",
    "studyfiles": "study files (studyfiles.py)",
}
KILLED = {"killed", "timeout"}
THRESHOLD = 0.90
LISTED = re.compile(r"^\s*[-*] `(?P<function>medvirk\.[\w.ǁ]+)`")
NUMBERS = re.compile(r"((?:\d+, )*\d+):")


def statuses(root: Path) -> dict[str, dict[str, str]]:
    """module -> mutant name -> status, from mutmut's files under mutants/."""
    from mutmut.stats import status_by_exit_code

    out = {}
    for module in MODULES:
        meta = root / "mutants" / "src" / "medvirk" / f"{module}.py.meta"
        if not meta.is_file():
            raise SystemExit(f"{meta} missing: run `mutmut run` first (make mutation does).")
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        out[module] = {name: status_by_exit_code[code] for name, code in codes.items()}
    return out


def listed_survivors(readme: Path) -> set[str]:
    """The mutant names tests/README.md gives a reason for: an entry starts with
    ``- `function` `` and runs to the next entry or blank line; each ``N, N: reason`` in it
    lists mutants of that function."""
    names: set[str] = set()
    entries: list[str] = []
    for line in readme.read_text(encoding="utf-8").splitlines():
        if LISTED.match(line):
            entries.append(line)
        elif entries and line.startswith("  ") and line.strip():
            entries[-1] += " " + line.strip()
        else:
            entries.append("")
    for entry in entries:
        m = LISTED.match(entry)
        if not m:
            continue
        for group in NUMBERS.findall(entry[m.end("function") :]):
            names |= {f"{m['function']}__mutmut_{n}" for n in group.split(", ")}
    return names


def main(root: Path = Path(".")) -> int:
    results = statuses(root)
    listed = listed_survivors(root / "tests" / "README.md")
    failed = False
    print("| module | mutants | killed | survived | no tests | killed % |")
    print("|---|---:|---:|---:|---:|---:|")
    unlisted = defaultdict(list)
    for module, by_name in results.items():
        count = Counter(by_name.values())
        killed = sum(count[s] for s in KILLED)
        share = killed / len(by_name) if by_name else 1.0
        print(
            f"| {MODULES[module]} | {len(by_name)} | {killed} | {count['survived']} | "
            f"{count['no tests']} | {100 * share:.1f} |"
        )
        failed |= share < THRESHOLD
        for name, status in sorted(by_name.items()):
            if status not in KILLED and name not in listed:
                function, _, number = name.rpartition("__mutmut_")
                unlisted[function].append(f"{number} ({status})")
    if unlisted:
        failed = True
        print("\nSurviving mutants without a reason in tests/README.md (`mutmut show NAME`):")
        for function, numbers in unlisted.items():
            print(f"- `{function}` {', '.join(numbers)}")
    low = [
        m
        for m, by in results.items()
        if sum(s in KILLED for s in by.values()) < THRESHOLD * len(by)
    ]
    if low:
        print(f"\nBelow {THRESHOLD:.0%} killed: {', '.join(low)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
