"""Ingest the submitted forms of one study, then check them against earlier runs (rule
ingest_forms), each step with its own log.

The record of which form file gave which example id is kept across runs in
data/processed/<study>/form_ids_history.csv (not a rule output, so Snakemake never deletes it);
form_ids.csv is this run's copy for the rules that read it.
"""

import sys
from pathlib import Path

from medvirk.form_changes import check_forms
from medvirk.forms import ingest
from medvirk.io import read_csv, write_csv
from medvirk.notices import write_notices
from medvirk.runlog import logged, stops_on_full_disk

smk = snakemake  # noqa: F821
out, params = smk.output, smk.params

# ingest_forms: what the readers of the forms say goes to its log (sys.stderr), the summary to
# the terminal too.
sys.stderr = open(smk.log.ingest_forms, "w", encoding="utf-8")  # noqa: SIM115
result = ingest(smk.input.forms, scrub=params.scrub, refused=params.refused)
with stops_on_full_disk("ingest_forms"):
    for name in ("examples", "rejected", "report", "contacts"):
        table = result.records if name == "examples" else getattr(result, name)
        write_csv(table, out[name])
    write_notices(result.notices, out.notices)
summary = (
    f"{len(result.records)} form(s) ingested, {len(result.rejected)} rejected (see {out.rejected})."
)
print(summary, file=sys.stderr)
print(summary, file=sys.__stderr__)
if params.strict and len(result.rejected):
    message = "strict=true: stopping because these files could not be read:\n" + "\n".join(
        f"  {row.file}: {row.reason}" for row in result.rejected.itertuples()
    )
    print(message, file=sys.stderr)
    print(message, file=sys.__stderr__)
    sys.exit(1)
sys.stderr.close()
sys.stderr = sys.__stderr__

with logged(smk.log.check_forms, "check_forms") as log:
    history = Path(params.history)
    previous = read_csv(history) if history.is_file() else None
    record, notices = check_forms(
        read_csv(out.examples), previous, f"data/raw/{smk.wildcards.study}/forms"
    )
    write_csv(record, history)
    write_csv(record, out.form_ids)
    write_notices(notices, out.check_notices)
    log.info("%d form id(s) on record; %d notice(s)", len(record), len(notices))
