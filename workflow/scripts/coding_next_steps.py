"""Tell the researcher what comes next for a study whose forms are in (rule coding_next_steps)."""

from medvirk.forms import next_steps
from medvirk.io import read_csv, write_text
from medvirk.runlog import logged

snakemake = snakemake  # noqa: F821 (injected by Snakemake)

with logged(snakemake.log[0], "coding_next_steps") as log:
    text = next_steps(
        snakemake.wildcards.study,
        read_csv(snakemake.input.examples),
        read_csv(snakemake.input.rejected),
        snakemake.params.coders,
    )
    write_text(snakemake.output.next_steps, text)
    log.info("next steps written to %s", snakemake.output.next_steps)
