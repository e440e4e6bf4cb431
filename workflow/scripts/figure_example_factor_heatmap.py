"""Draw the example × factor matrix (coders' consensus or curators' attribution) as a heat map."""

from medvirk.counting import presence_source_label
from medvirk.figures import example_factor_heatmap, save_figure
from medvirk.io import read_csv
from medvirk.runlog import logged

snakemake = snakemake  # noqa: F821 (injected by Snakemake)

with logged(snakemake.log[0], "figure_example_factor_heatmap") as log:
    presence = read_csv(snakemake.input.presence)
    nb, en = presence_source_label(snakemake.params.source, snakemake.params.simulated)
    study = snakemake.wildcards.study
    title = f"Eksempel × faktor, {nb} ({study})\nexample × factor, {en}"
    fig = example_factor_heatmap(
        presence,
        read_csv(snakemake.input.examples),
        read_csv(snakemake.input.table1),
        title,
    )
    save_figure(fig, snakemake.output.png, snakemake.output.svg)
    log.info(
        "heat map of %d example x factor cells from the %s (%s)",
        len(presence),
        snakemake.params.source,
        snakemake.input.presence,
    )
    log.info("title: %s", title.replace("\n", " / "))
