"""Draw the example × factor matrix as a heat map."""

from medvirk.figures import example_factor_heatmap, save_figure
from medvirk.io import read_csv
from medvirk.runlog import logged

snakemake = snakemake  # noqa: F821 (injected by Snakemake)

with logged(snakemake.log[0], "figure_example_factor_heatmap"):
    fig = example_factor_heatmap(
        read_csv(snakemake.input.example_factors),
        read_csv(snakemake.input.examples),
        read_csv(snakemake.input.table1),
        f"Eksempel × faktor / example × factor ({snakemake.wildcards.study})",
    )
    save_figure(fig, snakemake.output.png, snakemake.output.svg)
