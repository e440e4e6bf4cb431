"""The `medvirk` command line: one subcommand per task a researcher runs by hand.

Each subcommand is registered in COMMANDS as (name, module, help). The module provides
`add_arguments(parser)` and `run(args) -> int`. Keep heavy imports inside `run` so that
`medvirk --help` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from medvirk import __version__

COMMANDS: list[tuple[str, str, str]] = [
    # (name, module, one-line help); modules live in medvirk/commands/.
    (
        "agreement",
        "medvirk.commands.agreement",
        "Agreement of coders (alpha, AC1, Brennan-Prediger, Fleiss, percent) with a bootstrap CI for a long table unit, coder, value.",
    ),
    (
        "form-template",
        "medvirk.commands.form_template",
        "Write the blank collection form (appendix 1) as a Word file to send out.",
    ),
    (
        "new-study",
        "medvirk.commands.new_study",
        "Start a new study under data/raw/ with forms/, codings/ and a copied codebook.",
    ),
    (
        "validate",
        "medvirk.commands.validate",
        "Check a study's curated files and say what is wrong, by file and row.",
    ),
    (
        "privacy-scan",
        "medvirk.commands.privacy_scan",
        "Check every output of a study, report included, for personal data; name its input.",
    ),
    (
        "qdpx-info",
        "medvirk.commands.qdpx_info",
        "Show what a REFI-QDA project (.qdpx) holds and what would not map onto a study.",
    ),
    (
        "unlock",
        "medvirk.commands.unlock",
        "Remove the lock an interrupted run left behind, if no run is going on (make run does).",
    ),
    (
        "report-snapshot",
        "medvirk.commands.report_snapshot",
        "Screenshot one image result of the HTML report with its caption (needs Chromium).",
    ),
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="medvirk",
        description="Analyse collected examples of user participation (brukermedvirkning).",
    )
    parser.add_argument("--version", action="version", version=f"medvirk {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module_name, help_text in COMMANDS:
        p = sub.add_parser(name, help=help_text, description=help_text)
        module = importlib.import_module(module_name)
        module.add_arguments(p)
        p.set_defaults(_module=module)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    return int(args._module.run(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
