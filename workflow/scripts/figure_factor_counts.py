"""Draw Table 1 as horizontal bars grouped by category."""

from medvirk.figures import factor_counts_figure, save_figure
from medvirk.runlog import logged
from medvirk.tables import read_table1

snakemake = snakemake  # noqa: F821 (injected by Snakemake)

with logged(snakemake.log[0], "figure_factor_counts"):
    table = read_table1(snakemake.input.table1)
    title = f"Suksessfaktorer etter kategori / success factors by category ({snakemake.wildcards.study})"
    save_figure(factor_counts_figure(table, title), snakemake.output.png, snakemake.output.svg)
