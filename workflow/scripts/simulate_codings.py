"""Simulate independent coders from the curators' attribution (rule simulate_codings)."""

from medvirk.io import read_csv, read_optional_csv, write_csv
from medvirk.machine_coder import with_machine
from medvirk.runlog import logged
from medvirk.simulation import curated_decisions, simulate_codings

snakemake = snakemake  # noqa: F821 (injected by Snakemake)
params = snakemake.params

with logged(snakemake.log[0], "simulate_codings") as log:
    curated = read_csv(snakemake.input.example_factors)
    grid = simulate_codings(
        curated,
        read_csv(snakemake.input.examples)["example_id"].tolist(),
        read_csv(snakemake.input.factors)["factor_id"].tolist(),
        params.coders,
        params.rate,
        params.seed,
    )
    grid["data_source"] = "SIMULATED"
    # The curators' attribution stands in for the 2016 meeting's outcome: it decides.
    write_csv(curated_decisions(grid, curated), snakemake.output.decisions)
    # The machine coder's rows (data_source MACHINE), if it codes: never part of the above.
    write_csv(
        with_machine(grid, read_optional_csv(snakemake.input.machine)), snakemake.output.codings
    )
    log.info("SIMULATED codings: %d coders, rate %s", len(params.coders), params.rate)
