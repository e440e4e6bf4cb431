"""`medvirk form-template OUT.docx`: write the blank appendix-1 form to send to contributors."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("out", help="where to write the form, e.g. skjema.docx")


def run(args: argparse.Namespace) -> int:
    from medvirk.forms import write_form_template

    path = write_form_template(args.out)
    print(f"Wrote the blank collection form (appendix 1) to {path}.")
    print("Filled copies go in data/raw/<study>/forms/.")
    return 0
