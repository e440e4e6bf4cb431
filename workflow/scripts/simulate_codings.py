"""Simulate independent coders from the published attribution (rule simulate_codings)."""

import sys

import pandas as pd

from medvirk.simulation import published_decisions, simulate_codings

sys.stderr = open(snakemake.log[0], "w")  # noqa: F821, SIM115
sm = snakemake  # noqa: F821

published = pd.read_csv(sm.input.example_factors)
grid = simulate_codings(
    published,
    pd.read_csv(sm.input.examples)["example_id"].tolist(),
    pd.read_csv(sm.input.factors)["factor_id"].tolist(),
    sm.params.coders,
    sm.params.rate,
    sm.params.seed,
)
grid["data_source"] = "SIMULATED"
grid.to_csv(sm.output.codings, index=False)
# The 2016 meeting's outcome is the published attribution: it decides the simulated disagreements.
published_decisions(grid, published).to_csv(sm.output.decisions, index=False)
print(
    f"SIMULATED codings: {grid['coder'].nunique()} coders, rate {sm.params.rate}", file=sys.stderr
)
