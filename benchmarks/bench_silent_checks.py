"""Cost of two checks that keep results from changing silently.

1. near-duplicate forms (medvirk.form_changes.near_duplicates) on N synthetic forms of about
   300 words, 1 % of them resubmitted with a word changed;
2. the check, when the workflow is read, for decisions typed into the generated
   disagreements.xlsx (medvirk.consensus.stop_if_meeting_decisions_unsaved), on workbooks of R
   disagreement rows: untouched with the digest the disagreements step (rule consensus) writes (what every run
   pays), without it (read), and with one decision typed in (read, then the run stops).

Usage: .venv/bin/python benchmarks/bench_silent_checks.py [forms ...] [--rows R ...]
Each measurement runs in its own process; peak_rss_mb is that process's peak resident memory.
"""

from __future__ import annotations

import json
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = [
    "bruker",
    "brukerne",
    "tjenesten",
    "kommunen",
    "samarbeid",
    "erfaring",
    "møter",
    "råd",
    "pårørende",
    "ansatte",
    "planlegging",
    "likeperson",
    "ventetid",
    "tiltak",
    "hjelp",
    "helse",
    "omsorg",
    "sykehus",
    "rus",
    "psykisk",
    "bolig",
    "jobb",
    "skole",
    "ungdom",
    "eldre",
    "dialog",
    "trygghet",
    "tillit",
    "medvirkning",
    "ressurs",
    "opplæring",
    "evaluering",
]


def forms_case(n: int) -> dict:
    import numpy as np
    import pandas as pd

    from medvirk.form_changes import near_duplicates

    rng = np.random.default_rng(n)
    texts = [" ".join(rng.choice(WORDS, 300)) for _ in range(n)]
    planted = max(1, n // 100)
    for i in range(planted):
        words = texts[i].split()
        words[150] = "endret"
        texts.append(" ".join(words))
    records = pd.DataFrame(
        {
            "example_id": [f"ex-{i:06d}" for i in range(len(texts))],
            "source_file": [f"f{i:06d}.txt" for i in range(len(texts))],
            "free_text": texts,
        }
    )
    start = time.perf_counter()
    found = near_duplicates(records)
    return {
        "case": "near_duplicates",
        "forms": len(records),
        "planted": planted,
        "found": len(found),
        "seconds": round(time.perf_counter() - start, 2),
    }


def workbook_case(rows: int) -> dict:
    import pandas as pd
    from openpyxl import load_workbook

    from medvirk import consensus

    coders = ["anne", "bo", "cy"]
    table = pd.DataFrame(
        {
            "example_id": [f"ex-{i // 10:06d}" for i in range(rows)],
            "factor_id": [f"F{i % 10 + 1:02d}" for i in range(rows)],
            "marked_by": "anne",
            "anne": "x",
            "bo": "",
            "cy": "",
            "n_present": 1,
            "n_coders": 3,
            "decision": "",
            "note": "",
        }
    )[
        [
            "example_id",
            "factor_id",
            "marked_by",
            *coders,
            "n_present",
            "n_coders",
            "decision",
            "note",
        ]
    ]
    out = {"case": "unsaved_decisions_check", "rows": rows}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        path = root / "results/b/agreement/disagreements.xlsx"
        start = time.perf_counter()
        consensus.write_disagreements_xlsx(table, path, study="b")
        out["write_seconds"] = round(time.perf_counter() - start, 2)
        start = time.perf_counter()
        consensus.stop_if_meeting_decisions_unsaved("b", root)
        out["check_no_digest_seconds"] = round(time.perf_counter() - start, 2)
        digest = root / "data/processed/b/disagreements.sha256"
        digest.parent.mkdir(parents=True)
        digest.write_text(consensus.file_digest(path) + "\n")  # as the disagreements step does
        start = time.perf_counter()
        consensus.stop_if_meeting_decisions_unsaved("b", root)
        out["check_untouched_seconds"] = round(time.perf_counter() - start, 3)
        wb = load_workbook(path)
        ws = wb[consensus.DISAGREEMENTS_SHEET]
        ws.cell(row=5, column=[c.value for c in ws[4]].index("decision") + 1, value="x")
        wb.save(path)
        start = time.perf_counter()
        try:
            consensus.stop_if_meeting_decisions_unsaved("b", root)
            out["stopped"] = False
        except consensus.UnsavedDecisionsError:
            out["stopped"] = True
        out["check_typed_seconds"] = round(time.perf_counter() - start, 2)
    return out


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--one":
        kind, size = sys.argv[2], int(sys.argv[3])
        result = forms_case(size) if kind == "forms" else workbook_case(size)
        result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        print(json.dumps(result))
        return
    args = sys.argv[1:] or ["1000", "10000", "--rows", "10000", "100000"]
    kind, jobs = "forms", []
    for arg in args:
        if arg == "--rows":
            kind = "rows"
            continue
        jobs.append((kind, int(arg)))
    print(f"# {platform.processor() or platform.machine()}, Python {platform.python_version()}")
    for kind, size in jobs:
        done = subprocess.run(
            [sys.executable, __file__, "--one", kind, str(size)],
            capture_output=True,
            text=True,
            check=True,
        )
        print(done.stdout.strip())


if __name__ == "__main__":
    main()
