"""Write one coder's coding workbook (rule coding_sheet)."""

import sys

import pandas as pd

from medvirk.codings import write_coding_sheet

sys.stderr = open(snakemake.log[0], "w")  # noqa: F821, SIM115

write_coding_sheet(
    snakemake.output.sheet,  # noqa: F821
    snakemake.wildcards.coder,  # noqa: F821
    pd.read_csv(snakemake.input.examples),  # noqa: F821
    pd.read_csv(snakemake.input.factors),  # noqa: F821
    pd.read_csv(snakemake.input.categories),  # noqa: F821
)
