"""Simulate independent coders from the published attribution (rule simulate_codings)."""

from medvirk.io import read_csv, write_csv
from medvirk.runlog import logged
from medvirk.simulation import published_decisions, simulate_codings

snakemake = snakemake  # noqa: F821 (injected by Snakemake)
params = snakemake.params

with logged(snakemake.log[0], "simulate_codings") as log:
    published = read_csv(snakemake.input.example_factors)
    grid = simulate_codings(
        published,
        read_csv(snakemake.input.examples)["example_id"].tolist(),
        read_csv(snakemake.input.factors)["factor_id"].tolist(),
        params.coders,
        params.rate,
        params.seed,
    )
    grid["data_source"] = "SIMULATED"
    write_csv(grid, snakemake.output.codings)
    # The 2016 meeting's outcome is the published attribution: it decides the disagreements.
    write_csv(published_decisions(grid, published), snakemake.output.decisions)
    log.info("SIMULATED codings: %d coders, rate %s", len(params.coders), params.rate)
