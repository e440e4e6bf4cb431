"""The machine coder: the factors each example's text supports (rule machine_coding)."""

from medvirk.io import read_csv, read_optional_csv, write_csv
from medvirk.machine_coder import machine_codings
from medvirk.runlog import logged
from medvirk.similarity import make_backend

snakemake = snakemake  # noqa: F821 (injected by Snakemake)
params = snakemake.params

with logged(snakemake.log[0], "machine_coding") as log:
    backend = make_backend(
        params.backend,
        lemma_weight=params.lemma_weight,
        cache_dir=params.cache,
        threads=snakemake.threads,
    )
    grid = machine_codings(
        read_csv(snakemake.input.examples),
        read_csv(snakemake.input.factors),
        read_optional_csv(snakemake.input.assignments),  # none in a new round
        backend,
        read_optional_csv(snakemake.input.reference),  # the curators' attribution, if any
    )
    write_csv(grid, snakemake.output.codings)
    log.info("similarity: %s", backend.model)
    log.info(
        "machine coder: %d marks over %d examples (cut-off: %s)",
        int(grid["present"].sum()),
        grid["example_id"].nunique(),
        grid["cutoff_source"].iloc[0] if len(grid) else "none",
    )
