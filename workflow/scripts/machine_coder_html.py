"""The machine coder beside the coders, against the consensus, as HTML for the report."""

from pathlib import Path

from medvirk.htmltables import machine_coder_page
from medvirk.io import read_csv
from medvirk.runlog import logged

snakemake = snakemake  # noqa: F821 (injected by Snakemake)

with logged(snakemake.log[0], "machine_coder_html") as log:
    page = machine_coder_page(
        read_csv(snakemake.input.table), read_csv(snakemake.input.factors), snakemake.params.backend
    )
    Path(snakemake.output.html).write_text(page, encoding="utf-8")
    log.info("machine coder against the consensus as HTML in %s", snakemake.output.html)
