"""Write the agreement tables (pooled, by category, by factor, kappas) as HTML for the report."""

from pathlib import Path

from medvirk.htmltables import agreement_page
from medvirk.io import read_csv
from medvirk.runlog import logged

snakemake = snakemake  # noqa: F821 (injected by Snakemake)

with logged(snakemake.log[0], "agreement_html") as log:
    page = agreement_page(
        read_csv(snakemake.input.pooled),
        read_csv(snakemake.input.by_factor),
        read_csv(snakemake.input.kappas),
        read_csv(snakemake.input.factors),
    )
    Path(snakemake.output.html).write_text(page, encoding="utf-8")
    log.info("agreement as HTML in %s", snakemake.output.html)
