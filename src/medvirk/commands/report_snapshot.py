"""`medvirk report-snapshot REPORT.html OUT.png`: a picture of one result in the HTML report."""

from __future__ import annotations

import argparse
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("report", help="the report written by snakemake --report")
    parser.add_argument("png", help="where to write the screenshot")
    parser.add_argument("--category", required=True, help="report category, e.g. Figures")
    parser.add_argument(
        "--result",
        required=True,
        help="the image result to open, e.g. results/fhi2016/figures/factor_counts.png",
    )
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=900)


def run(args: argparse.Namespace) -> int:
    from medvirk.report_snapshot import snapshot

    try:
        path = snapshot(
            args.report, args.png, args.category, args.result, size=(args.width, args.height)
        )
    except (ValueError, RuntimeError, OSError) as exc:
        print(f"No snapshot: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {path}")
    return 0
