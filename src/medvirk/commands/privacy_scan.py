"""`medvirk privacy-scan STUDY`: check every output of a study for personal data, report included.

The workflow's own scan (rule privacy_scan) runs before `snakemake --report` writes
results/<study>/report.html; `make run` calls this command after the report, so the report's
embedded data is checked too. A find names the input that carried it and deletes the outputs
that hold it; the exit status is then 1.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("study", help="the study, a folder under data/raw/ (e.g. round2)")
    parser.add_argument(
        "--root", default=".", help="project folder holding data/ and results/ (default: .)"
    )


def run(args: argparse.Namespace) -> int:
    from medvirk.io import read_csv
    from medvirk.privacy import check_study

    root = Path(args.root)
    if not (root / "data" / "raw" / args.study).is_dir():
        print(
            f"medvirk privacy-scan: fant ikke studien / no study data/raw/{args.study}/ "
            f"under {root.resolve()}",
            file=sys.stderr,
        )
        return 2
    contacts_file = root / "data" / "private" / args.study / "contacts.csv"
    contacts = read_csv(contacts_file) if contacts_file.is_file() else None
    check = check_study(args.study, contacts, root=root)
    if check.ok:
        print(check.message(), end="")
        return 0
    print(check.message(), file=sys.stderr, end="")
    return 1
