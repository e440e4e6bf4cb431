"""Write Table 1 as an HTML table the report shows in place: printed beside regenerated counts."""

from pathlib import Path

from medvirk.counting import presence_source_label
from medvirk.htmltables import table1_page
from medvirk.io import read_csv
from medvirk.runlog import logged

snakemake = snakemake  # noqa: F821 (injected by Snakemake)

with logged(snakemake.log[0], "table1_html") as log:
    source = presence_source_label(snakemake.params.source, snakemake.params.simulated)
    page = table1_page(read_csv(snakemake.input.table1), snakemake.wildcards.study, source)
    Path(snakemake.output.html).write_text(page, encoding="utf-8")
    log.info("Table 1 as HTML (n from the %s) in %s", source[1], snakemake.output.html)
