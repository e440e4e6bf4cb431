"""`medvirk new-study NAME [--from fhi2016]`: start a new round from an existing codebook."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", help="name of the new study (folder under data/raw/)")
    parser.add_argument(
        "--from",
        dest="source",
        default="fhi2016",
        help="study whose codebook to copy (default: fhi2016)",
    )
    parser.add_argument(
        "--root", default=".", help="project folder holding data/raw/ (default: current folder)"
    )


def run(args: argparse.Namespace) -> int:
    import sys

    from medvirk.studies import StudyError, new_study

    try:
        folder = new_study(args.root, args.name, args.source)
    except StudyError as exc:
        print(f"medvirk new-study: {exc}", file=sys.stderr)
        return 2
    print(f"Created {folder}/ with forms/, codings/ and the codebook of {args.source}.")
    print(
        "forms/ and codings/ are git-ignored (a .gitignore in each): the forms and the returned "
        "coding sheets carry personal data and are never committed."
    )
    print(f"Put the submitted forms in {folder}/forms/, list the coders in {folder}/study.yaml")
    print(f"and run:  make run STUDY={args.name}")
    return 0
