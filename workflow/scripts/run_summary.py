"""Gather every step's notices into results/<study>/run_summary.md (rule run_summary)."""

from medvirk.io import write_text
from medvirk.notices import read_notices, summary_markdown
from medvirk.runlog import logged

smk = snakemake  # noqa: F821 (injected by Snakemake)

with logged(smk.log[0], "run_summary") as log:
    notices = read_notices(smk.input.notices)
    text = summary_markdown(notices, smk.wildcards.study)
    write_text(smk.output.md, text)
    log.info("%d notices", len(notices))
