"""Count in how many examples each factor was identified, from the consensus (rule count_consensus)."""

from medvirk.counting import count_factors
from medvirk.io import read_csv, read_optional_csv, write_csv
from medvirk.runlog import logged

snakemake = snakemake  # noqa: F821 (injected by Snakemake)

with logged(snakemake.log[0], "count_consensus") as log:
    consensus = read_csv(snakemake.input.consensus)
    # A new round from forms has no raw factors: no assignments, n counts the consensus only.
    assignments = read_optional_csv(snakemake.input.assignments)
    counts = count_factors(
        consensus,
        assignments,
        read_csv(snakemake.input.factors),
        # Simulated coders stand in for the 2016 readers, whose unattributed finds still count;
        # real coders' consensus is counted as it stands.
        include_unattributed=snakemake.params.simulated,
    )
    write_csv(counts, snakemake.output.counts)
    log.info("Table 1 counts from the consensus of %d example x factor cells", len(consensus))
