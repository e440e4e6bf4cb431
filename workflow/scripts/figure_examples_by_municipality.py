"""Draw the number of examples per municipality or hospital trust."""

from medvirk.figures import examples_by_municipality_figure, municipality_counts, save_figure
from medvirk.io import read_csv
from medvirk.runlog import logged

snakemake = snakemake  # noqa: F821 (injected by Snakemake)

with logged(snakemake.log[0], "figure_examples_by_municipality"):
    counts = municipality_counts(
        read_csv(snakemake.input.examples), read_csv(snakemake.input.published)
    )
    title = (
        f"Eksempler etter kommune/sykehus / examples by municipality ({snakemake.wildcards.study})"
    )
    save_figure(
        examples_by_municipality_figure(counts, title), snakemake.output.png, snakemake.output.svg
    )
