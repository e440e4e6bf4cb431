"""Write one coder's coding workbook (rule coding_sheet)."""

from medvirk.codings import write_coding_sheet
from medvirk.io import read_csv
from medvirk.runlog import logged

snakemake = snakemake  # noqa: F821 (injected by Snakemake)

with logged(snakemake.log[0], "coding_sheet") as log:
    write_coding_sheet(
        snakemake.output.sheet,
        snakemake.wildcards.coder,
        read_csv(snakemake.input.examples),
        read_csv(snakemake.input.factors),
        read_csv(snakemake.input.categories),
    )
    log.info("coding sheet for %s: %s", snakemake.wildcards.coder, snakemake.output.sheet)
