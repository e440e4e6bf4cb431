"""Write the reproduction audit as an HTML table the report shows in place."""

from pathlib import Path

from medvirk.htmltables import audit_page
from medvirk.io import read_csv
from medvirk.runlog import logged

snakemake = snakemake  # noqa: F821 (injected by Snakemake)

with logged(snakemake.log[0], "audit_html") as log:
    page = audit_page(read_csv(snakemake.input.audit), snakemake.wildcards.study)
    Path(snakemake.output.html).write_text(page, encoding="utf-8")
    log.info("audit as HTML in %s", snakemake.output.html)
