"""Consensus example x factor matrix and ladder placements from the codings and the meeting's
decisions; what the policy rather than the meeting decided is announced (rule consensus)."""

from medvirk.consensus import build_consensus, consensus_factors
from medvirk.io import read_csv, read_optional_csv, write_csv
from medvirk.machine_coder import human_codings
from medvirk.notices import write_notices
from medvirk.runlog import logged

snakemake = snakemake  # noqa: F821 (injected by Snakemake)

with logged(snakemake.log[0], "consensus") as log:
    # The consensus of the coders: the machine coder's rows (if any) never take part.
    codings = human_codings(read_csv(snakemake.input.codings).astype({"present": int}))
    matrix, ladder, notices = build_consensus(
        codings,
        snakemake.input.decisions,
        read_optional_csv(snakemake.input.ladder),
        snakemake.params.policy,
        snakemake.input.lookalikes,
    )
    matrix["data_source"] = codings["data_source"].iloc[0]
    write_csv(matrix, snakemake.output.matrix)
    write_csv(consensus_factors(matrix), snakemake.output.factors)
    write_csv(ladder, snakemake.output.ladder)
    write_notices(notices, snakemake.output.notices)
    log.info("consensus: %d example x factor cells present", int(matrix["present"].sum()))
    log.info("%d example(s) placed on the ladder; %d notice(s)", len(ladder), len(notices))
