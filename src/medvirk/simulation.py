"""Simulated coders for a study that published only its readers' consensus (the 2016 study).

The 2016 report prints which factors were found, not in which example; the curators' attribution
(data/raw/fhi2016/raw_factors.csv: each raw factor's example, where the report supports one) is
our reading of it. Each simulated coder starts from the example x factor matrix of the curators'
attribution and flips each
cell (present <-> absent) with probability ``disagreement_rate``. The draws are seeded and
nested: a cell flipped at rate r is also flipped at any higher rate, so more noise only ever
adds disagreement. Everything built on these codings must say SIMULATED.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

SIMULATED_CODERS = ("sim1", "sim2", "sim3")


def simulate_codings(
    example_factors: pd.DataFrame,
    example_ids: list[str],
    factor_ids: list[str],
    coders: list[str] | tuple[str, ...] = SIMULATED_CODERS,
    disagreement_rate: float = 0.05,
    seed: int = 2016,
) -> pd.DataFrame:
    """Tidy grid example_id, coder, factor_id, present for simulated coders."""
    if len(coders) < 2:
        raise ValueError(f"simulation needs at least two coders (coding.coders), got {coders}")
    if not 0 <= disagreement_rate <= 1:
        raise ValueError(f"disagreement_rate must be between 0 and 1, got {disagreement_rate}")
    examples, factors = sorted(example_ids), sorted(factor_ids)
    truth = np.zeros((len(examples), len(factors)), dtype=int)
    ei = pd.Index(examples).get_indexer(example_factors["example_id"])
    fi = pd.Index(factors).get_indexer(example_factors["factor_id"])
    if (ei < 0).any() or (fi < 0).any():
        raise ValueError("example_factors names an example or factor outside the study")
    truth[ei, fi] = 1
    rng = np.random.default_rng(seed)
    draws = rng.random((len(coders), len(examples), len(factors)))
    marks = np.where(draws < disagreement_rate, 1 - truth, truth)
    index = pd.MultiIndex.from_product(
        [examples, list(coders), factors], names=["example_id", "coder", "factor_id"]
    )
    grid = index.to_frame(index=False)
    grid["present"] = marks.transpose(1, 0, 2).reshape(-1)
    return grid.sort_values(["example_id", "coder", "factor_id"], ignore_index=True)


def curated_decisions(codings: pd.DataFrame, example_factors: pd.DataFrame) -> pd.DataFrame:
    """The curators' attribution as the consensus meeting's decisions on simulated disagreements.

    In 2016 the three readers discussed until they agreed; the report prints what they agreed on
    per factor, not per example, so the curators' attribution stands in for it. Every example x
    factor where the simulated coders differ, or agree against that attribution (all flipped the
    same cell), is decided as the curators' attribution has it, so the consensus matrix
    reproduces the curators' attribution.
    """
    g = codings.groupby(["example_id", "factor_id"])["present"]
    cells = pd.DataFrame({"n": g.sum(), "m": g.count()}).reset_index()
    curated = pd.MultiIndex.from_frame(example_factors[["example_id", "factor_id"]])
    cells["curated"] = pd.MultiIndex.from_frame(cells[["example_id", "factor_id"]]).isin(curated)
    differ = (cells["n"] > 0) & (cells["n"] < cells["m"])
    against = ((cells["n"] == cells["m"]) & ~cells["curated"]) | (
        (cells["n"] == 0) & cells["curated"]
    )
    out = cells.loc[differ | against, ["example_id", "factor_id"]].reset_index(drop=True)
    out["decision"] = cells.loc[differ | against, "curated"].astype(int).to_numpy()
    return out
