"""Write each configured coder's coding workbook (rule coding_sheets), each with its own log."""

from medvirk.codings import write_coding_sheet
from medvirk.io import read_csv
from medvirk.runlog import logged

snakemake = snakemake  # noqa: F821 (injected by Snakemake)
inp = snakemake.input

examples, factors = read_csv(inp.examples), read_csv(inp.factors)
categories = read_csv(inp.categories)
for coder, sheet, log_file in zip(
    snakemake.params.coders, snakemake.output.sheets, snakemake.log, strict=True
):
    with logged(log_file, "coding_sheet") as log:
        write_coding_sheet(sheet, coder, examples, factors, categories)
        log.info("coding sheet for %s: %s", coder, sheet)
