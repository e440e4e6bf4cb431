"""`medvirk unlock`: remove the lock an interrupted run left behind, if no run is going on."""

from __future__ import annotations

import argparse
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--dir", default=".", help="the project folder (default: the current folder)"
    )


def run(args: argparse.Namespace) -> int:
    from medvirk.interrupted import release_stale_lock

    go_on, message = release_stale_lock(args.dir)
    if message:
        print(message, file=sys.stderr if not go_on else sys.stdout)
    return 0 if go_on else 1
