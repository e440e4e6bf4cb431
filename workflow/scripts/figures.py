"""The study's figures (rule figures), each drawn as PNG and SVG with its own log:

- figure_factor_counts: Table 1 as horizontal bars grouped by category;
- figure_example_factor_heatmap: the example x factor matrix (coders' consensus or curators'
  attribution) as a heat map;
- figure_examples_by_municipality (curated study): examples per municipality or hospital trust;
- figure_ladder (curated study): the participation ladder of Figure 4 with its instruments and,
  where coders placed examples on it, how many examples the consensus puts in each cell.

The agreement's forest plot is drawn by rule agreement.
"""

from medvirk.counting import ladder_placements, presence_source_label
from medvirk.figures import (
    example_factor_heatmap,
    examples_by_municipality_figure,
    factor_counts_figure,
    ladder_figure,
    municipality_counts,
    save_figure,
)
from medvirk.io import read_csv
from medvirk.runlog import logged
from medvirk.tables import read_table1

snakemake = snakemake  # noqa: F821 (injected by Snakemake)
inp, out, params, logs = snakemake.input, snakemake.output, snakemake.params, snakemake.log
study = snakemake.wildcards.study

with logged(logs.figure_factor_counts, "figure_factor_counts"):
    table = read_table1(inp.table1)
    title = f"Suksessfaktorer etter kategori / success factors by category ({study})"
    save_figure(factor_counts_figure(table, title), out.factor_counts_png, out.factor_counts_svg)

with logged(logs.figure_example_factor_heatmap, "figure_example_factor_heatmap") as log:
    presence = read_csv(inp.presence)
    nb, en = presence_source_label(params.source, params.simulated)
    title = f"Eksempel × faktor, {nb} ({study})\nexample × factor, {en}"
    fig = example_factor_heatmap(presence, read_csv(inp.examples), read_csv(inp.table1), title)
    save_figure(fig, out.heatmap_png, out.heatmap_svg)
    log.info(
        "heat map of %d example x factor cells from the %s (%s)",
        len(presence),
        params.source,
        inp.presence,
    )
    log.info("title: %s", title.replace("\n", " / "))

if out.get("municipality_png"):  # a curated study
    with logged(logs.figure_examples_by_municipality, "figure_examples_by_municipality"):
        counts = municipality_counts(read_csv(inp.examples), read_csv(inp.published))
        title = f"Eksempler etter kommune/sykehus / examples by municipality ({study})"
        save_figure(
            examples_by_municipality_figure(counts, title),
            out.municipality_png,
            out.municipality_svg,
        )

    with logged(logs.figure_ladder, "figure_ladder") as log:
        title = f"Medvirkningsstigen med virkemidler / the participation ladder with instruments ({study})"
        placements = None
        for path in inp.placements:  # empty unless the study has real coders
            placements = ladder_placements(read_csv(path))
            n = int(placements["n"].sum())
            log.info("%d example(s) placed on the ladder by the coders' consensus", n)
        save_figure(
            ladder_figure(read_csv(inp.ladder), title, placements), out.ladder_png, out.ladder_svg
        )
