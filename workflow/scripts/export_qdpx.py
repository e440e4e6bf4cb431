"""Export the study as a REFI-QDA project (.qdpx) and codebook (.qdc) for QDA programs."""

import pandas as pd

from medvirk.io import read_csv
from medvirk.refiqda import CODING_COLUMNS, write_qdc, write_qdpx
from medvirk.runlog import logged

snakemake = snakemake  # noqa: F821 (injected by Snakemake)

with logged(snakemake.log[0], "export_qdpx") as log:
    factors = read_csv(snakemake.input.factors)
    categories = read_csv(snakemake.input.categories)
    write_qdpx(
        snakemake.output.qdpx,
        read_csv(snakemake.input.examples),
        factors,
        categories,
        codings=pd.DataFrame(columns=CODING_COLUMNS),
        consensus=read_csv(snakemake.input.example_factors),
    )
    write_qdc(snakemake.output.qdc, factors, categories)
    log.info("wrote %s and %s", snakemake.output.qdpx, snakemake.output.qdc)
