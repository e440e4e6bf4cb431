"""Every coder, the machine coder among them, against the consensus (rule coders_vs_consensus)."""

from medvirk.io import read_csv, write_csv
from medvirk.machine_coder import coder_vs_consensus, coder_vs_consensus_notices
from medvirk.notices import write_notices
from medvirk.runlog import logged

snakemake = snakemake  # noqa: F821 (injected by Snakemake)
params = snakemake.params

with logged(snakemake.log[0], "coders_vs_consensus") as log:
    table = coder_vs_consensus(
        read_csv(snakemake.input.codings).astype({"present": int}),
        read_csv(snakemake.input.consensus),
        read_csv(snakemake.input.factors),
        params.replicates,
        params.seed,
    )
    write_csv(table, snakemake.output.table)
    write_notices(
        coder_vs_consensus_notices(table, snakemake.output.table), snakemake.output.notices
    )
    pooled = table[table["scope"] == "pooled"]
    log.info("\n%s", pooled[["coder", "kind", "alpha", "ac1", "precision", "recall"]].to_string())
