"""`medvirk agreement FILE.csv`: Krippendorff's alpha with a bootstrap CI for any long table."""

from __future__ import annotations

import argparse
import json
import sys

LEVELS = ("nominal", "ordinal", "interval", "ratio")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file", help="CSV with one row per unit x coder: columns unit, coder, value"
    )
    parser.add_argument("--level", choices=LEVELS, default="nominal", help="level of measurement")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    parser.add_argument(
        "--replicates", type=int, default=1000, help="bootstrap replicates (default 1000)"
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the bootstrap (default 0)")
    parser.add_argument("--unit", default="unit", help="name of the unit column")
    parser.add_argument("--coder", default="coder", help="name of the coder column")
    parser.add_argument("--value", default="value", help="name of the value column")


def run(args: argparse.Namespace) -> int:
    import pandas as pd

    from medvirk.agreement import alpha_with_ci
    from medvirk.errors import InputError
    from medvirk.io import read_user_csv

    try:  # any encoding and separator a spreadsheet program writes
        table = read_user_csv(args.file).reset_index(drop=True)
    except InputError as exc:
        print(f"medvirk agreement: {exc}", file=sys.stderr)
        return 2
    for column in table.columns:  # as pandas reads a CSV: empty cells missing, numbers numbers
        values = table[column].replace("", None)
        numbers = pd.to_numeric(values, errors="coerce")
        table[column] = numbers if numbers.notna().sum() == values.notna().sum() else values
    missing = [c for c in (args.unit, args.coder, args.value) if c not in table.columns]
    if missing:
        print(
            f"medvirk agreement: {args.file} has no column {', '.join(missing)}. "
            f"It has: {', '.join(map(str, table.columns))}. "
            "Name the columns unit, coder, value or pass --unit/--coder/--value.",
            file=sys.stderr,
        )
        return 2
    try:
        res = alpha_with_ci(
            table, args.level, args.replicates, args.seed, args.unit, args.coder, args.value
        )
    except ValueError as exc:
        print(
            f"medvirk agreement: {args.file}: {exc}. Values must be numbers for --level "
            f"{args.level}; use --level nominal for labels.",
            file=sys.stderr,
        )
        return 2
    if args.format == "json":
        print(json.dumps(res.as_dict(), ensure_ascii=False))
        return 0
    if res.alpha is None:
        print(f"alpha ({res.level}): undefined — {res.reason}")
    else:
        ci = "n/a" if res.ci_low is None else f"[{res.ci_low:.3f}, {res.ci_high:.3f}]"
        print(f"alpha ({res.level}) = {res.alpha:.3f}  95% CI {ci}  ({res.status})")
    print(
        f"{res.n_units} units, {res.n_coders} coders, {res.n_pairable} pairable values; "
        f"bootstrap {res.replicates} replicates resampling units"
    )
    return 0
