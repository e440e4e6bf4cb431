"""Draw Table 1 as horizontal bars grouped by category."""

from medvirk.figures import factor_counts_figure, save_figure
from medvirk.io import read_csv
from medvirk.runlog import logged

snakemake = snakemake  # noqa: F821 (injected by Snakemake)

with logged(snakemake.log[0], "figure_factor_counts"):
    table = read_csv(snakemake.input.table1)
    table["n"] = table["n"].astype(int)
    table["n_published"] = table["n_published"].replace("", None).astype("Int64")
    title = f"Suksessfaktorer etter kategori / success factors by category ({snakemake.wildcards.study})"
    save_figure(factor_counts_figure(table, title), snakemake.output.png, snakemake.output.svg)
