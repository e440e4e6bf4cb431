"""Build the example × factor table and count the examples per merged factor."""

from medvirk.counting import count_factors, example_factor_matrix
from medvirk.io import read_csv, write_csv
from medvirk.runlog import logged

snakemake = snakemake  # noqa: F821 (injected by Snakemake)

with logged(snakemake.log[0], "count_factors") as log:
    assignments = read_csv(snakemake.input.assignments)
    matrix = example_factor_matrix(assignments)
    counts = count_factors(matrix, assignments, read_csv(snakemake.input.factors))
    write_csv(matrix, snakemake.output.example_factors)
    write_csv(counts, snakemake.output.counts)
    log.info("%d example × factor cells; counts for %d factors", len(matrix), len(counts))
