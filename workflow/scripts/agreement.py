"""Alpha by factor, pooled and by category, and kappas (rule agreement)."""

from medvirk.agreement import agreement_by_factor, agreement_pooled, kappas
from medvirk.io import read_csv, write_csv
from medvirk.runlog import logged

snakemake = snakemake  # noqa: F821 (injected by Snakemake)
params, out = snakemake.params, snakemake.output

with logged(snakemake.log[0], "agreement") as log:
    codings = read_csv(snakemake.input.codings).astype({"present": int})
    factors = read_csv(snakemake.input.factors)
    tables = {
        out.by_factor: agreement_by_factor(codings, params.replicates, params.seed),
        out.pooled: agreement_pooled(codings, factors, params.replicates, params.seed),
        out.kappas: kappas(codings),
    }
    for path, table in tables.items():
        table.insert(0, "data_source", "SIMULATED" if params.simulated else "coders")
        write_csv(table, path)
    log.info("agreement of %d coders written to %s", codings["coder"].nunique(), out.by_factor)
