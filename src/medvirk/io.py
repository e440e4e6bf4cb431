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
