"""`medvirk validate STUDY_DIR`: check a study's curated files before running the workflow."""

from __future__ import annotations

import argparse
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("study_dir", help="the study folder, e.g. data/raw/fhi2016")


def run(args: argparse.Namespace) -> int:
    from medvirk import studydata
    from medvirk.errors import InputError

    try:
        tables = studydata.load_study(args.study_dir)
    except InputError as exc:
        print(f"Not valid: {exc}", file=sys.stderr)
        return 1
    for name, table in tables.items():
        print(f"{name}: {len(table)} rows, valid")
    return 0
