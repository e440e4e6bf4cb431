"""Reading and writing the tidy CSV tables the workflow passes between rules.

Every CSV the workflow writes goes through :func:`write_csv`, which keeps text from becoming a
spreadsheet formula (``medvirk.formulas``); :func:`read_csv` gives the text back as it was.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from medvirk.formulas import neutralise, restore


def _map_text(df: pd.DataFrame, convert) -> pd.DataFrame:
    """`df` with `convert` applied to every text cell and column name (numbers untouched)."""
    out = None
    for column in df.columns:
        values = df[column]
        if values.dtype != object and not pd.api.types.is_string_dtype(values):
            continue
        # Tables such as the coding grid repeat a few ids millions of times: convert each
        # distinct text once.
        changed = {}
        for value in pd.unique(values):
            if isinstance(value, str):
                new = convert(value)
                if new != value:
                    changed[value] = new
        if changed:
            out = df.copy() if out is None else out
            out[column] = values.map(lambda v, c=changed: c.get(v, v) if isinstance(v, str) else v)
    names = [convert(c) if isinstance(c, str) else c for c in df.columns]
    if names != list(df.columns):
        out = (df.copy() if out is None else out).set_axis(names, axis=1)
    return df if out is None else out


def read_csv(path: str | Path) -> pd.DataFrame:
    """Read a workflow table with every column as text (ids like E01 stay as they are)."""
    table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    return _map_text(table, restore)


def _csv_text(text: str) -> str:
    """Text as a CSV cell holds it: Unix line breaks, and no cell start that runs a formula.

    A lone carriage return would be written unquoted and split the row when read back, so line
    breaks inside a text are written as ``\\n``.
    """
    return neutralise(text.replace("\r\n", "\n").replace("\r", "\n"))


def write_csv(df: pd.DataFrame, path: str | Path) -> None:
    """Write UTF-8 CSV with Unix line ends, the same bytes for the same table.

    Text that a spreadsheet would read as a formula gets a ``'`` in front (see
    ``medvirk.formulas``); numbers stay numbers.
    """
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    _map_text(df, _csv_text).to_csv(path, index=False, encoding="utf-8", lineterminator="\n")


def read_optional_csv(paths) -> pd.DataFrame | None:
    """The table of an optional rule input: the one path given, or None when the rule got none."""
    paths = [paths] if isinstance(paths, str | Path) else list(paths)
    if len(paths) > 1:
        raise ValueError(f"one optional table expected, got {len(paths)}: {paths}")
    return read_csv(paths[0]) if paths else None
