"""Workbook of disagreements for the consensus meeting, factors and ladder (rule disagreements);
the machine coder's mark, if it coded, in a column of its own."""

from pathlib import Path

from medvirk.consensus import disagreements, file_digest, write_disagreements_xlsx
from medvirk.io import read_csv, read_optional_csv
from medvirk.machine_coder import human_codings, machine_rows, with_machine_column
from medvirk.runlog import logged

snakemake = snakemake  # noqa: F821 (injected by Snakemake)

with logged(snakemake.log[0], "disagreements") as log:
    codings = read_csv(snakemake.input.codings).astype({"present": int})
    table = disagreements(human_codings(codings), read_optional_csv(snakemake.input.ladder))
    machine = machine_rows(codings)
    table = with_machine_column(table, machine if len(machine) else None)
    write_disagreements_xlsx(
        table,
        snakemake.output.xlsx,
        read_csv(snakemake.input.factors),
        snakemake.params.simulated,
        snakemake.wildcards.study,
        snakemake.params.policy,
    )
    # What was written, so that a check before the next run can tell an untouched file from
    # one the meeting typed its decisions into.
    Path(snakemake.output.digest).write_text(file_digest(snakemake.output.xlsx) + "\n")
    log.info("%d disagreements listed", len(table))
