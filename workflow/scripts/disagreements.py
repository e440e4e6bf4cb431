"""Workbook of disagreements for the consensus meeting (rule disagreements)."""

import sys

import pandas as pd

from medvirk.consensus import disagreements, write_disagreements_xlsx

sys.stderr = open(snakemake.log[0], "w")  # noqa: F821, SIM115
sm = snakemake  # noqa: F821

table = disagreements(pd.read_csv(sm.input.codings))
write_disagreements_xlsx(table, sm.output.xlsx, pd.read_csv(sm.input.factors), sm.params.simulated)
