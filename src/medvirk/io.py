"""Reading and writing the tidy CSV tables the workflow passes between rules."""

from __future__ import annotations

from pathlib import Path

import pandas as pd


def read_csv(path: str | Path) -> pd.DataFrame:
    """Read a workflow table with every column as text (ids like E01 stay as they are)."""
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def write_csv(df: pd.DataFrame, path: str | Path) -> None:
    """Write UTF-8 CSV with Unix line ends, the same bytes for the same table."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")


def read_optional_csv(paths) -> pd.DataFrame | None:
    """The table of an optional rule input: the one path given, or None when the rule got none."""
    paths = [paths] if isinstance(paths, str | Path) else list(paths)
    if len(paths) > 1:
        raise ValueError(f"one optional table expected, got {len(paths)}: {paths}")
    return read_csv(paths[0]) if paths else None
