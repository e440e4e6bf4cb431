"""Assign every raw factor to its merged codebook factor (or to none) by the curated merge map."""

from medvirk.io import read_csv, write_csv
from medvirk.mergemap import apply_merge_map
from medvirk.runlog import logged

snakemake = snakemake  # noqa: F821 (injected by Snakemake)

with logged(snakemake.log[0], "apply_merge_map") as log:
    out = apply_merge_map(
        read_csv(snakemake.input.raw_factors),
        read_csv(snakemake.input.merge_map),
        read_csv(snakemake.input.factors),
    )
    write_csv(out, snakemake.output.assignments)
    log.info("%d raw factors, %d mapped to a factor", len(out), int((out["factor_id"] != "").sum()))
