"""Apply the curated merge map: each raw factor of a study to one merged codebook factor (or none)."""

from __future__ import annotations

import pandas as pd

ASSIGNMENT_COLUMNS = [
    "raw_factor_id",
    "position",
    "text",
    "example_id",
    "attribution",
    "factor_id",
    "category_id",
    "rule",
    "reason",
]


def apply_merge_map(
    raw_factors: pd.DataFrame, merge_map: pd.DataFrame, factors: pd.DataFrame
) -> pd.DataFrame:
    """One row per raw factor with the merged factor and category it was assigned to.

    Raw factors mapped to no factor keep an empty factor_id and category_id, with the reason.
    Rows keep the published order of the raw factors.
    """
    out = raw_factors.merge(merge_map, on="raw_factor_id", how="left", validate="one_to_one")
    out = out.merge(
        factors[["factor_id", "category_id"]], on="factor_id", how="left", validate="many_to_one"
    )
    out["category_id"] = out["category_id"].fillna("")
    return out.sort_values("position", kind="stable")[ASSIGNMENT_COLUMNS].reset_index(drop=True)
