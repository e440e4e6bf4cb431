"""Write agreement (pooled, per category, per factor) as a LaTeX table for papers."""

from medvirk.agreement import agreement_latex
from medvirk.io import read_csv, write_text
from medvirk.runlog import logged

snakemake = snakemake  # noqa: F821 (injected by Snakemake)

with logged(snakemake.log[0], "agreement_latex") as log:
    tex = agreement_latex(
        read_csv(snakemake.input.by_factor),
        read_csv(snakemake.input.pooled),
        read_csv(snakemake.input.factors),
        read_csv(snakemake.input.categories),
        snakemake.wildcards.study,
    )
    write_text(snakemake.output.tex, tex)
    log.info("agreement table written to %s", snakemake.output.tex)
