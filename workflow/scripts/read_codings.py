"""Read and check the coders' workbooks / CSV files (rule read_codings)."""

import sys
from pathlib import Path

import pandas as pd

from medvirk.codings import find_coding_files, read_codings

sys.stderr = open(snakemake.log[0], "w")  # noqa: F821, SIM115
sm = snakemake  # noqa: F821

folder = Path("data/raw") / sm.wildcards.study / "codings"
files = find_coding_files(folder, sm.params.coders)
grid, ladder = read_codings(
    files,
    pd.read_csv(sm.input.examples)["example_id"].tolist(),
    pd.read_csv(sm.input.factors)["factor_id"].tolist(),
)
grid["data_source"] = "coders"
grid.to_csv(sm.output.codings, index=False)
ladder.to_csv(sm.output.ladder, index=False)
