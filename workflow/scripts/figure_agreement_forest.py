"""Draw agreement per factor, per category and pooled as a forest plot."""

from medvirk.figures import agreement_forest, save_figure
from medvirk.io import read_csv
from medvirk.runlog import logged

snakemake = snakemake  # noqa: F821 (injected by Snakemake)

with logged(snakemake.log[0], "figure_agreement_forest"):
    fig = agreement_forest(
        read_csv(snakemake.input.by_factor),
        read_csv(snakemake.input.pooled),
        read_csv(snakemake.input.factors),
        f"Samsvar mellom kodere / inter-coder agreement ({snakemake.wildcards.study})",
        categories=read_csv(snakemake.input.categories),
    )
    save_figure(fig, snakemake.output.png, snakemake.output.svg)
