"""Tell the researcher what comes next for a study whose forms are in (rule coding_next_steps)."""

from pathlib import Path

from medvirk.forms import next_steps
from medvirk.io import read_csv
from medvirk.runlog import logged

snakemake = snakemake  # noqa: F821 (injected by Snakemake)

with logged(snakemake.log[0], "coding_next_steps") as log:
    text = next_steps(
        snakemake.wildcards.study,
        read_csv(snakemake.input.examples),
        read_csv(snakemake.input.rejected),
        snakemake.params.coders,
    )
    Path(snakemake.output.next_steps).write_text(text, encoding="utf-8")
    log.info("next steps written to %s", snakemake.output.next_steps)
