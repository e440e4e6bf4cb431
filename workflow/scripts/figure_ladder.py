"""Draw the participation ladder of Figure 4 with its instruments and, where coders placed
examples on it, how many examples the consensus puts in each cell."""

from medvirk.counting import ladder_placements
from medvirk.figures import ladder_figure, save_figure
from medvirk.io import read_csv
from medvirk.runlog import logged

snakemake = snakemake  # noqa: F821 (injected by Snakemake)

with logged(snakemake.log[0], "figure_ladder") as log:
    title = f"Medvirkningsstigen med virkemidler / the participation ladder with instruments ({snakemake.wildcards.study})"
    placements = None
    for path in snakemake.input.placements:  # empty unless the study has real coders
        placements = ladder_placements(read_csv(path))
        n = int(placements["n"].sum())
        log.info("%d example(s) placed on the ladder by the coders' consensus", n)
    save_figure(
        ladder_figure(read_csv(snakemake.input.ladder), title, placements),
        snakemake.output.png,
        snakemake.output.svg,
    )
