"""Ordinal alpha and AC2 on the ladder step, alpha and AC1 on its level, and each coder pair's
weighted kappa (rule ladder_agreement)."""

import pandas as pd

from medvirk.agreement import as_minimums, ladder_tables
from medvirk.io import read_csv, write_csv
from medvirk.notices import write_notices
from medvirk.runlog import logged

snakemake = snakemake  # noqa: F821 (injected by Snakemake)
params, out = snakemake.params, snakemake.output

with logged(snakemake.log[0], "ladder_agreement") as log:
    ladder = read_csv(snakemake.input.ladder).replace("", None)
    ladder["ladder_step"] = pd.to_numeric(ladder["ladder_step"])
    files = {"alpha": out.alpha, "pairs": out.pairs}
    tables, notices = ladder_tables(
        ladder, params.replicates, params.seed, as_minimums(params.alpha_minimum), files
    )
    for name, path in files.items():
        write_csv(tables[name], path)
    write_notices(notices, out.notices)
    log.info("ladder agreement written to %s and %s", out.alpha, out.pairs)
