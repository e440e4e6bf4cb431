"""Workbook of disagreements for the consensus meeting, factors and ladder (rule disagreements)."""

from medvirk.consensus import disagreements, write_disagreements_xlsx
from medvirk.io import read_csv, read_optional_csv
from medvirk.runlog import logged

snakemake = snakemake  # noqa: F821 (injected by Snakemake)

with logged(snakemake.log[0], "disagreements") as log:
    table = disagreements(
        read_csv(snakemake.input.codings).astype({"present": int}),
        read_optional_csv(snakemake.input.ladder),
    )
    write_disagreements_xlsx(
        table,
        snakemake.output.xlsx,
        read_csv(snakemake.input.factors),
        snakemake.params.simulated,
        snakemake.wildcards.study,
        snakemake.params.policy,
    )
    log.info("%d disagreements listed", len(table))
