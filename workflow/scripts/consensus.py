"""The consensus and what rests on it (rule consensus), each step with its own log:

- consensus: the example x factor matrix and ladder placements from the codings and the
  meeting's decisions; what the policy rather than the meeting decided is announced;
- disagreements: the workbook for the consensus meeting, factors and ladder, with the machine
  coder's mark (if it coded) in a column of its own;
- count_consensus: in how many examples each factor was identified, from the consensus.
"""

from pathlib import Path

from medvirk.consensus import (
    build_consensus,
    consensus_factors,
    disagreements,
    file_digest,
    write_disagreements_xlsx,
)
from medvirk.counting import count_factors
from medvirk.io import read_csv, read_optional_csv, write_csv
from medvirk.machine_coder import human_codings, machine_rows, with_machine_column
from medvirk.notices import write_notices
from medvirk.runlog import logged

snakemake = snakemake  # noqa: F821 (injected by Snakemake)
inp, out, params, logs = snakemake.input, snakemake.output, snakemake.params, snakemake.log

with logged(logs.consensus, "consensus") as log:
    # The consensus of the coders: the machine coder's rows (if any) never take part.
    codings = human_codings(read_csv(inp.codings).astype({"present": int}))
    matrix, ladder, notices = build_consensus(
        codings,
        inp.decisions,
        read_optional_csv(inp.ladder),
        params.policy,
        inp.lookalikes,
    )
    matrix["data_source"] = codings["data_source"].iloc[0]
    write_csv(matrix, out.matrix)
    write_csv(consensus_factors(matrix), out.consensus_factors)
    write_csv(ladder, out.ladder)
    write_notices(notices, out.notices)
    log.info("consensus: %d example x factor cells present", int(matrix["present"].sum()))
    log.info("%d example(s) placed on the ladder; %d notice(s)", len(ladder), len(notices))

with logged(logs.disagreements, "disagreements") as log:
    codings = read_csv(inp.codings).astype({"present": int})
    table = disagreements(human_codings(codings), read_optional_csv(inp.ladder))
    machine = machine_rows(codings)
    table = with_machine_column(table, machine if len(machine) else None)
    write_disagreements_xlsx(
        table,
        out.xlsx,
        read_csv(inp.factors),
        params.simulated,
        snakemake.wildcards.study,
        params.policy,
    )
    # What was written, so that a check before the next run can tell an untouched file from
    # one the meeting typed its decisions into.
    Path(out.digest).write_text(file_digest(out.xlsx) + "\n")
    log.info("%d disagreements listed", len(table))

with logged(logs.count_consensus, "count_consensus") as log:
    consensus = read_csv(out.consensus_factors)
    # A new round from forms has no raw factors: no assignments, n counts the consensus only.
    assignments = read_optional_csv(inp.assignments)
    counts = count_factors(
        consensus,
        assignments,
        read_csv(inp.factors),
        # Simulated coders stand in for the 2016 readers, whose unattributed finds still count;
        # real coders' consensus is counted as it stands.
        include_unattributed=params.simulated,
    )
    write_csv(counts, out.counts)
    log.info("Table 1 counts from the consensus of %d example x factor cells", len(consensus))
