"""Check a new round's codebook and write validated copies (rule validate_codebook)."""

from pathlib import Path

from medvirk import studydata
from medvirk.io import write_csv
from medvirk.runlog import logged

snakemake = snakemake  # noqa: F821 (injected by Snakemake)

with logged(snakemake.log[0], "validate_codebook") as log:
    tables = studydata.load_codebook(Path(snakemake.input.factors).parents[1])
    for name, key in [(studydata.CATEGORIES, "categories"), (studydata.FACTORS, "factors")]:
        write_csv(tables[name], snakemake.output[key])
        log.info("%s: %d rows valid", name, len(tables[name]))
