"""Forms changed or withdrawn since the last run, and near-duplicate forms (rule check_forms).

The record of which form file gave which example id is kept across runs in
data/processed/<study>/form_ids_history.csv (not a rule output, so Snakemake never deletes it);
form_ids.csv is this run's copy for the rules that read it.
"""

from pathlib import Path

from medvirk.form_changes import check_forms
from medvirk.io import read_csv, write_csv
from medvirk.notices import write_notices
from medvirk.runlog import logged

snakemake = snakemake  # noqa: F821 (injected by Snakemake)

with logged(snakemake.log[0], "check_forms") as log:
    study = snakemake.wildcards.study
    history = Path(snakemake.params.history)
    previous = read_csv(history) if history.is_file() else None
    record, notices = check_forms(
        read_csv(snakemake.input.examples), previous, f"data/raw/{study}/forms"
    )
    write_csv(record, history)
    write_csv(record, snakemake.output.form_ids)
    write_notices(notices, snakemake.output.notices)
    log.info("%d form id(s) on record; %d notice(s)", len(record), len(notices))
