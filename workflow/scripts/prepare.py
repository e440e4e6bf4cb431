"""A curated study made ready (rule prepare): its files checked and copied to
data/processed/<study>/, each raw factor assigned to its merged factor by the curated merge map,
and the examples counted per merged factor. Each step writes its own log."""

from pathlib import Path

from medvirk import studydata
from medvirk.counting import count_factors, example_factor_matrix
from medvirk.io import read_csv, write_csv
from medvirk.mergemap import apply_merge_map
from medvirk.runlog import logged

snakemake = snakemake  # noqa: F821 (injected by Snakemake)
inp, out = snakemake.input, snakemake.output

with logged(snakemake.log.validate_inputs, "validate_inputs") as log:
    tables = studydata.load_study(Path(inp.examples).parent)
    for name, key in [
        (studydata.EXAMPLES, "examples"),
        (studydata.RAW_FACTORS, "raw_factors"),
        (studydata.CATEGORIES, "categories"),
        (studydata.FACTORS, "factors"),
        (studydata.MERGE_MAP, "merge_map"),
        (studydata.PUBLISHED, "published"),
        (studydata.LADDER, "ladder"),
    ]:
        write_csv(tables[name], out[key])
        log.info("%s: %d rows valid", name, len(tables[name]))

# The validated copies are read back, as every later step reads them.
with logged(snakemake.log.apply_merge_map, "apply_merge_map") as log:
    assignments = apply_merge_map(
        read_csv(out.raw_factors), read_csv(out.merge_map), read_csv(out.factors)
    )
    write_csv(assignments, out.assignments)
    log.info(
        "%d raw factors, %d mapped to a factor",
        len(assignments),
        int((assignments["factor_id"] != "").sum()),
    )

with logged(snakemake.log.count_factors, "count_factors") as log:
    assignments = read_csv(out.assignments)
    matrix = example_factor_matrix(assignments)
    counts = count_factors(matrix, assignments, read_csv(out.factors))
    write_csv(matrix, out.example_factors)
    write_csv(counts, out.counts)
    log.info("%d example × factor cells; counts for %d factors", len(matrix), len(counts))
