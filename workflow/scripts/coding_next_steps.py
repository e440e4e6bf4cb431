"""Tell the coders what comes next for a study whose forms are in (rule coding_next_steps)."""

import sys

import pandas as pd

from medvirk.forms import next_steps

smk = snakemake  # noqa: F821
sys.stderr = open(smk.log[0], "w", encoding="utf-8")  # noqa: SIM115

text = next_steps(
    smk.wildcards.study, pd.read_csv(smk.input.examples), pd.read_csv(smk.input.rejected)
)
with open(smk.output.next_steps, "w", encoding="utf-8") as fh:
    fh.write(text)
