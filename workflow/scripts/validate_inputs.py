"""Check the study's curated files and write validated copies to data/processed/<study>/."""

from pathlib import Path

from medvirk import studydata
from medvirk.io import write_csv
from medvirk.runlog import logged

snakemake = snakemake  # noqa: F821 (injected by Snakemake)

with logged(snakemake.log[0], "validate_inputs") as log:
    tables = studydata.load_study(Path(snakemake.input.examples).parent)
    for name, key in [
        (studydata.EXAMPLES, "examples"),
        (studydata.RAW_FACTORS, "raw_factors"),
        (studydata.CATEGORIES, "categories"),
        (studydata.FACTORS, "factors"),
        (studydata.MERGE_MAP, "merge_map"),
        (studydata.PUBLISHED, "published"),
        (studydata.LADDER, "ladder"),
    ]:
        write_csv(tables[name], snakemake.output[key])
        log.info("%s: %d rows valid", name, len(tables[name]))
