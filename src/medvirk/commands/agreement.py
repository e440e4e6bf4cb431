"""`medvirk agreement FILE.csv`: alpha, AC1, Brennan–Prediger, Fleiss' kappa or percent
agreement with a bootstrap CI for any long table, and the table of coder pairs."""

from __future__ import annotations

import argparse
import json
import sys

LEVELS = ("nominal", "ordinal", "interval", "ratio")
COEFFICIENTS = ("alpha", "ac1", "bp", "fleiss", "percent")
NAMES = {
    "alpha": "Krippendorff's alpha",
    "ac1": "Gwet's",
    "bp": "Brennan-Prediger",
    "fleiss": "Fleiss' kappa",
    "percent": "percent agreement",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file", help="CSV with one row per unit x coder: columns unit, coder, value"
    )
    parser.add_argument(
        "--coefficient",
        choices=COEFFICIENTS,
        default="alpha",
        help="alpha (Krippendorff, default), ac1 (Gwet's AC1; AC2 with weights for --level "
        "ordinal/interval/ratio), bp (Brennan-Prediger), fleiss (Fleiss' kappa, missing "
        "ratings allowed as in Gwet 2014), percent (share of agreeing coder pairs per unit)",
    )
    parser.add_argument("--level", choices=LEVELS, default="nominal", help="level of measurement")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    parser.add_argument(
        "--pairs",
        action="store_true",
        help="also give each pair of coders: units both rated, percent agreement, Cohen's kappa "
        "(weighted for --level other than nominal) with 95%% CI and Landis & Koch band, AC1",
    )
    parser.add_argument(
        "--duplicates",
        choices=("error", "first", "last"),
        default="error",
        help="a unit rated twice by the same coder is an error naming the rows (default), or "
        "keep the first or the last of such rows",
    )
    parser.add_argument(
        "--minimum",
        type=float,
        action="append",
        help="smallest acceptable alpha for Krippendorff's q, the share of bootstrap replicates "
        "below it (repeatable; default .667 and .800)",
    )
    parser.add_argument(
        "--replicates", type=int, default=1000, help="bootstrap replicates (default 1000)"
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the bootstrap (default 0)")
    parser.add_argument("--unit", default="unit", help="name of the unit column")
    parser.add_argument("--coder", default="coder", help="name of the coder column")
    parser.add_argument("--value", default="value", help="name of the value column")


def _error(message: str) -> int:
    print(f"medvirk agreement: {message}", file=sys.stderr)
    return 2


def _rows(numbers) -> str:
    numbers = [str(n) for n in numbers]
    more = f" and {len(numbers) - 10} more" if len(numbers) > 10 else ""
    return ", ".join(numbers[:10]) + more


def _drop_duplicates(table, args) -> tuple[object, str]:
    """The table with one row per (unit, coder), or an error message naming the rows."""
    from medvirk.agreement import duplicate_rows, plain_value

    dups = duplicate_rows(table, args.unit, args.coder)
    if dups.empty:
        return table, ""
    if args.duplicates == "error":
        first = dups.iloc[0]
        return None, (
            f"{args.file}, row {first['row']}: unit {plain_value(first[args.unit])!r} and coder "
            f"{plain_value(first[args.coder])!r} are already in row {first['first_row']} "
            f"({len(dups)} such rows: {_rows(dups['row'])}). Each coder gives one value per "
            "unit: delete the extra rows, or pass --duplicates first (keep the first of each) "
            "or --duplicates last (keep the last)."
        )
    extra = table.duplicated(subset=[args.unit, args.coder], keep=args.duplicates).to_numpy()
    dropped = [i + 2 for i in range(len(table)) if extra[i]]
    print(
        f"medvirk agreement: {args.file}: {len(dups)} repeated (unit, coder) rows; kept the "
        f"{args.duplicates} of each and left out rows {_rows(dropped)}.",
        file=sys.stderr,
    )
    return table[~extra], ""


def _fmt(value, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def _ci(low, high) -> str:
    return "n/a" if low is None or high is None else f"[{low:.3f}, {high:.3f}]"


def _bootstrap_line(res: dict, name: str) -> str:
    if not res.get("replicates"):
        return "no bootstrap"
    line = (
        f"bootstrap: {res['replicates']} replicates resampling units, {res['replicates_used']} used"
    )
    if res.get("replicates_dropped"):
        line += f", {res['replicates_dropped']} dropped ({name} undefined in them)"
    return line


def _text(res: dict, args) -> list[str]:
    coefficient = res["coefficient"]
    if coefficient == "alpha":
        if res["alpha"] is None:
            lines = [f"alpha ({res['level']}): undefined — {res['reason']}"]
        else:
            ci = _ci(res["ci_low"], res["ci_high"])
            lines = [f"alpha ({res['level']}) = {res['alpha']:.3f}  95% CI {ci}  ({res['status']})"]
        lines.append(
            f"{res['n_units']} units, {res['n_coders']} coders, {res['n_pairable']} pairable values"
        )
        qs = [(k, v) for k, v in res.items() if k.startswith("q_below_") and v is not None]
        if qs:
            lines.append(
                "Krippendorff's q: " + ", ".join(f"P(alpha < .{k[-3:]}) = {v:.3f}" for k, v in qs)
            )
        lines.append(_bootstrap_line(res, "alpha"))
        return lines
    name = f"{NAMES[coefficient]} {res['name']}" if coefficient == "ac1" else NAMES[coefficient]
    weights = "" if res["weights"] == "identity" else f", {res['weights']} weights"
    head = f"{name} ({res['level']}{weights})"
    if res["value"] is None:
        lines = [f"{head}: undefined — {res['reason']}"]
    else:
        band = f"  ({res['band']}, Landis & Koch)" if res["band"] else ""
        ci = _ci(res["ci_low"], res["ci_high"])
        lines = [f"{head} = {res['value']:.3f}  95% CI {ci}{band}"]
    lines.append(
        f"observed agreement {_fmt(res['observed_agreement'])}, chance agreement "
        f"{_fmt(res['chance_agreement'])}; {res['n_units']} units ({res['n_pairable_units']} "
        f"rated by two or more), {res['n_coders']} coders"
    )
    lines.append(_bootstrap_line(res, coefficient))
    return lines


def _pairs_text(pairs) -> list[str]:
    lines = ["", "coder pairs (units both rated):"]
    head = f"{'coder_a':<12} {'coder_b':<12} {'units':>6} {'agree':>6} {'kappa':>7}  "
    lines.append(head + f"{'95% CI':<17} {'band':<15} {'ac1':>6}")
    for p in pairs.to_dict("records"):
        lines.append(
            f"{str(p['coder_a']):<12} {str(p['coder_b']):<12} {p['n_cells']:>6} "
            f"{_fmt(p['observed_agreement']):>6} {_fmt(p['kappa']):>7}  "
            f"{_ci(p['ci_low'], p['ci_high']):<17} {p['band']:<15} {_fmt(p['ac1']):>6}"
        )
    return lines


def run(args: argparse.Namespace) -> int:
    import pandas as pd

    from medvirk.agreement import DEFAULT_MINIMUMS, as_minimums, coefficient_with_ci, pairs_for_long
    from medvirk.errors import InputError
    from medvirk.io import read_user_csv

    try:  # any encoding and separator a spreadsheet program writes; rows counted from 0
        table = read_user_csv(args.file, drop_blank_rows=False).reset_index(drop=True)
    except InputError as exc:
        return _error(str(exc))
    for column in table.columns:  # as pandas reads a CSV: empty cells missing, numbers numbers
        values = table[column].replace("", None)
        numbers = pd.to_numeric(values, errors="coerce")
        table[column] = numbers if numbers.notna().sum() == values.notna().sum() else values
    missing = [c for c in (args.unit, args.coder, args.value) if c not in table.columns]
    if missing:
        return _error(
            f"{args.file} has no column {', '.join(missing)}. "
            f"It has: {', '.join(map(str, table.columns))}. "
            "Name the columns unit, coder, value or pass --unit/--coder/--value."
        )
    blank = table[table[[args.unit, args.coder]].isna().any(axis=1)]
    if len(blank):
        return _error(
            f"{args.file}, row {blank.index[0] + 2}: the {args.unit} or {args.coder} cell is "
            f"empty ({len(blank)} such rows: {_rows(blank.index + 2)}). Fill it in or delete "
            "the row."
        )
    table, problem = _drop_duplicates(table, args)
    if problem:
        return _error(problem)
    try:
        minimums = as_minimums(args.minimum) if args.minimum else DEFAULT_MINIMUMS
        res = coefficient_with_ci(
            table, args.coefficient, args.level, args.replicates, args.seed,
            args.unit, args.coder, args.value, minimums,
        )  # fmt: skip
        pairs = (
            pairs_for_long(
                table, args.level, args.replicates, args.seed, args.unit, args.coder, args.value
            )
            if args.pairs
            else None
        )
    except ValueError as exc:
        return _error(
            f"{args.file}: {exc}. Values must be numbers for --level {args.level}; use --level "
            "nominal for labels."
        )
    if args.format == "json":
        out = dict(res)
        if pairs is not None:
            out["pairs"] = json.loads(pairs.to_json(orient="records"))
        print(json.dumps(out, ensure_ascii=False))
        return 0
    lines = _text(res, args)
    if pairs is not None:
        lines += _pairs_text(pairs)
    print("\n".join(lines))
    return 0
