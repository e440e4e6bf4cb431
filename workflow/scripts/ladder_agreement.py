"""Ordinal alpha on the ladder step and nominal alpha on its level (rule ladder_agreement)."""

import pandas as pd

from medvirk.agreement import agreement_ladder
from medvirk.io import read_csv, write_csv
from medvirk.runlog import logged

snakemake = snakemake  # noqa: F821 (injected by Snakemake)

with logged(snakemake.log[0], "ladder_agreement") as log:
    ladder = read_csv(snakemake.input.ladder).replace("", None)
    ladder["ladder_step"] = pd.to_numeric(ladder["ladder_step"])
    table = agreement_ladder(ladder, snakemake.params.replicates, snakemake.params.seed)
    write_csv(table, snakemake.output.alpha)
    log.info("ladder agreement written to %s", snakemake.output.alpha)
