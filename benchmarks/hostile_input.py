"""Time and peak memory of the guards against hostile input, at their limits.

Not run by `make test`. Run from the repository root:

    .venv/bin/python benchmarks/hostile_input.py          # every case
    .venv/bin/python benchmarks/hostile_input.py csv_grid # one case

Each case runs in a fresh Python process, so its peak resident memory (ru_maxrss) is its own.

- csv_grid: a 5,000,000-row coding grid (10,000 examples x 5 coders x 100 factors) written and
  read back with medvirk.io (formula neutralising and restoring) and with plain pandas.
- text_form: ingesting a .txt form of 50 MB (MAX_FILE_BYTES), cut to MAX_SECTION_CHARS.
- zip_bomb: a .docx that expands 1,000-fold to 100 MB: refused without unpacking.
- coding_sheet: writing a coding sheet of 10,000 examples (every text cell checked for formulas)
  and reading it back.
"""

from __future__ import annotations

import json
import platform
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

CASES = ("csv_grid", "text_form", "zip_bomb", "coding_sheet")


def _timed(fn):
    start = time.perf_counter()
    out = fn()
    return out, round(time.perf_counter() - start, 2)


def csv_grid(folder: Path) -> dict:
    from medvirk.io import read_csv, write_csv

    examples = [f"ex-{i:010x}" for i in range(10_000)]
    index = pd.MultiIndex.from_product(
        [examples, [f"koder{i}" for i in range(5)], [f"F{i:02d}" for i in range(100)]],
        names=["example_id", "coder", "factor_id"],
    )
    grid = index.to_frame(index=False)
    grid["present"] = (np.random.default_rng(1).random(len(grid)) < 0.15).astype(int)
    path = folder / "codings.csv"
    _, plain_write = _timed(lambda: grid.to_csv(path, index=False, lineterminator="\n"))
    _, plain_read = _timed(lambda: pd.read_csv(path, dtype=str, keep_default_na=False))
    _, write = _timed(lambda: write_csv(grid, path))
    back, read = _timed(lambda: read_csv(path))
    assert len(back) == len(grid)
    return {
        "rows": len(grid),
        "pandas_write_s": plain_write,
        "pandas_read_s": plain_read,
        "write_csv_s": write,
        "read_csv_s": read,
    }


def text_form(folder: Path) -> dict:
    from medvirk import forms, limits

    line = "Bakgrunn: " + " ".join(["brukermedvirkning i tjenesten"] * 2_000) + "\n"
    text = "Overskrift: Lang rapport\nMål: Dele erfaring.\n" + line * (
        limits.MAX_FILE_BYTES // len(line.encode()) - 1
    )
    path = folder / "rapport.txt"
    path.write_text(text, encoding="utf-8")
    result, seconds = _timed(lambda: forms.ingest([path]))
    (record,) = result.records.to_dict("records")
    return {
        "file_mb": round(path.stat().st_size / limits.MB, 1),
        "ingest_s": seconds,
        "background_chars": len(record["background"]),
        "notices": len(result.notices),
    }


def zip_bomb(folder: Path) -> dict:
    from medvirk import forms, limits

    path = folder / "bombe.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z, z.open("word/x.xml", "w") as fh:
        for _ in range(100):
            fh.write(b"\0" * limits.MB)
    result, seconds = _timed(lambda: forms.ingest([path]))
    return {
        "file_kb": round(path.stat().st_size / 1024),
        "ingest_s": seconds,
        "rejected": len(result.rejected),
    }


def coding_sheet(folder: Path) -> dict:
    from medvirk import codings

    n = 10_000
    examples = pd.DataFrame(
        {
            "example_id": [f"ex-{i:010x}" for i in range(n)],
            "title": [("=HYPERLINK(1)" if i % 100 == 0 else f"Eksempel {i}") for i in range(n)],
            "aim": ["Bedre samarbeid med brukerne"] * n,
            "text": [" ".join(["brukermedvirkning"] * 200)] * n,
        }
    )
    factors = pd.DataFrame(
        {
            "factor_id": [f"F{i:02d}" for i in range(1, 29)],
            "category_id": [f"C{i % 4 + 1}" for i in range(28)],
            "label_nb": [f"Faktor {i}" for i in range(28)],
        }
    )
    categories = pd.DataFrame({"category_id": ["C1", "C2", "C3", "C4"], "label_nb": list("ABCD")})
    path = folder / "anne.xlsx"
    _, write = _timed(
        lambda: codings.write_coding_sheet(path, "anne", examples, factors, categories)
    )
    (presence, _), read = _timed(
        lambda: codings.read_coding_sheet(
            path, "anne", list(examples["example_id"]), list(factors["factor_id"])
        )
    )
    return {"examples": n, "write_s": write, "read_s": read, "marks": len(presence)}


def run_case(name: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = globals()[name](Path(tmp))
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return {"case": name, **out}


def main(argv: list[str]) -> None:
    if argv[:1] == ["--one"]:
        print(json.dumps(run_case(argv[1])))
        return
    print(f"# {platform.processor() or platform.machine()}, Python {platform.python_version()}")
    for name in argv or CASES:
        done = subprocess.run(
            [sys.executable, __file__, "--one", name], capture_output=True, text=True, check=True
        )
        print(done.stdout.strip())


if __name__ == "__main__":
    main(sys.argv[1:])
