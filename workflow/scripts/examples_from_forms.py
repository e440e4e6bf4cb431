"""The examples to code in a new round, from its ingested forms (rule examples_from_forms)."""

from medvirk.forms import examples_from_forms
from medvirk.io import read_csv, write_csv
from medvirk.runlog import logged

snakemake = snakemake  # noqa: F821 (injected by Snakemake)

with logged(snakemake.log[0], "examples_from_forms") as log:
    examples = examples_from_forms(read_csv(snakemake.input.ingested))
    write_csv(examples, snakemake.output.examples)
    log.info("%d examples to code from %s", len(examples), snakemake.input.ingested)
