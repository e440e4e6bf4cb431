"""A new round made ready (rule prepare): the examples to code from its ingested forms, and its
codebook checked and copied to data/processed/<study>/. Each step writes its own log."""

from pathlib import Path

from medvirk import studydata
from medvirk.forms import examples_from_forms
from medvirk.io import read_csv, write_csv
from medvirk.runlog import logged

snakemake = snakemake  # noqa: F821 (injected by Snakemake)
inp, out = snakemake.input, snakemake.output

with logged(snakemake.log.examples_from_forms, "examples_from_forms") as log:
    examples = examples_from_forms(read_csv(inp.ingested))
    write_csv(examples, out.examples)
    log.info("%d examples to code from %s", len(examples), inp.ingested)

with logged(snakemake.log.validate_codebook, "validate_codebook") as log:
    tables = studydata.load_codebook(Path(inp.factors).parents[1])
    for name, key in [(studydata.CATEGORIES, "categories"), (studydata.FACTORS, "factors")]:
        write_csv(tables[name], out[key])
        log.info("%s: %d rows valid", name, len(tables[name]))
