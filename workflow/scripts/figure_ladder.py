"""Draw the participation ladder of Figure 4 with its instruments."""

from medvirk.figures import ladder_figure, save_figure
from medvirk.io import read_csv
from medvirk.runlog import logged

snakemake = snakemake  # noqa: F821 (injected by Snakemake)

with logged(snakemake.log[0], "figure_ladder"):
    title = f"Medvirkningsstigen med virkemidler / the participation ladder with instruments ({snakemake.wildcards.study})"
    save_figure(
        ladder_figure(read_csv(snakemake.input.ladder), title),
        snakemake.output.png,
        snakemake.output.svg,
    )
