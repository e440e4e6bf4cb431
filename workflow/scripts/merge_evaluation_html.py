"""Write the merge evaluation as an HTML table the report shows in place."""

from pathlib import Path

from medvirk.htmltables import merge_evaluation_page
from medvirk.io import read_csv
from medvirk.merging import METRIC_LABELS
from medvirk.runlog import logged

snakemake = snakemake  # noqa: F821 (injected by Snakemake)

with logged(snakemake.log[0], "merge_evaluation_html") as log:
    evaluation = read_csv(snakemake.input.evaluation)
    page = merge_evaluation_page(evaluation, snakemake.wildcards.study, METRIC_LABELS)
    Path(snakemake.output.html).write_text(page, encoding="utf-8")
    log.info("merge evaluation as HTML in %s", snakemake.output.html)
