"""Consensus example x factor matrix from codings and the meeting's decisions (rule consensus)."""

from medvirk.consensus import consensus_factors, consensus_matrix, read_decisions
from medvirk.io import read_csv, write_csv
from medvirk.runlog import logged

snakemake = snakemake  # noqa: F821 (injected by Snakemake)

with logged(snakemake.log[0], "consensus") as log:
    codings = read_csv(snakemake.input.codings).astype({"present": int})
    decisions = None
    for path in snakemake.input.decisions:  # the meeting's decisions, if there are any
        decisions = read_decisions(path, codings["example_id"], codings["factor_id"])
    matrix = consensus_matrix(codings, decisions, snakemake.params.policy)
    matrix["data_source"] = codings["data_source"].iloc[0]
    write_csv(matrix, snakemake.output.matrix)
    write_csv(consensus_factors(matrix), snakemake.output.factors)
    log.info("consensus: %d example x factor cells present", int(matrix["present"].sum()))
