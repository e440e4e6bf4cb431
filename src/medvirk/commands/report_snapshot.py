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
        help="the result to open (an image or an HTML table), e.g. "
        "results/fhi2016/tables/table1.html",
    )
    parser.add_argument(
        "--caption",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="open the result's caption panel beside it (default: yes)",
    )
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=900)


def run(args: argparse.Namespace) -> int:
    from medvirk.report_snapshot import open_result

    try:
        view = open_result(
            args.report,
            args.category,
            args.result,
            args.png,
            size=(args.width, args.height),
            info=args.caption,
        )
        path = view.png
    except (ValueError, RuntimeError, OSError, TimeoutError) as exc:
        print(f"No snapshot: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {path}")
    return 0
