"""Alpha, AC1 and kappas by factor, pooled, per category and per coder pair (rule agreement)."""

from medvirk.agreement import agreement_tables, as_minimums
from medvirk.io import read_csv, write_csv
from medvirk.machine_coder import human_codings
from medvirk.notices import write_notices
from medvirk.runlog import logged

snakemake = snakemake  # noqa: F821 (injected by Snakemake)
params, out = snakemake.params, snakemake.output

with logged(snakemake.log[0], "agreement") as log:
    # The coders' agreement: the machine coder's rows (if any) are measured on their own.
    codings = human_codings(read_csv(snakemake.input.codings).astype({"present": int}))
    files = {name: out[name] for name in ("by_factor", "pooled", "kappas", "without_coder")}
    tables, notices = agreement_tables(
        codings,
        read_csv(snakemake.input.factors),
        params.replicates,
        params.seed,
        as_minimums(params.alpha_minimum),
        "SIMULATED" if params.simulated else "coders",
        files,
    )
    for name, path in files.items():
        write_csv(tables[name], path)
    write_notices(notices, out.notices)
    log.info(
        "agreement of %d coders written to %s (%d notices)",
        codings["coder"].nunique(),
        out.by_factor,
        len(notices),
    )
