"""Ingest the submitted forms of one study (rule ingest_forms)."""

import sys

from medvirk.forms import ingest
from medvirk.io import write_csv
from medvirk.notices import write_notices
from medvirk.runlog import stops_on_full_disk

smk = snakemake  # noqa: F821
sys.stderr = open(smk.log[0], "w", encoding="utf-8")  # noqa: SIM115

result = ingest(smk.input.forms, scrub=smk.params.scrub, refused=smk.params.refused)
with stops_on_full_disk("ingest_forms"):
    for name in ("examples", "rejected", "report", "contacts"):
        table = result.records if name == "examples" else getattr(result, name)
        write_csv(table, smk.output[name])
    write_notices(result.notices, smk.output.notices)
summary = (
    f"{len(result.records)} form(s) ingested, {len(result.rejected)} rejected "
    f"(see {smk.output.rejected})."
)
print(summary, file=sys.stderr)
print(summary, file=sys.__stderr__)
if smk.params.strict and len(result.rejected):
    message = "strict=true: stopping because these files could not be read:\n" + "\n".join(
        f"  {row.file}: {row.reason}" for row in result.rejected.itertuples()
    )
    print(message, file=sys.stderr)
    print(message, file=sys.__stderr__)
    sys.exit(1)
