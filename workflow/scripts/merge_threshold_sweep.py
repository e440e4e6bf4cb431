"""Agreement with the human merge over a range of distance thresholds, as a table and a plot."""

import numpy as np

from medvirk.figures import save_figure
from medvirk.io import read_csv, write_csv
from medvirk.merging import choose_threshold, sweep_figure, threshold_sweep
from medvirk.runlog import logged

snakemake = snakemake  # noqa: F821 (injected by Snakemake)

with logged(snakemake.log[0], "merge_threshold_sweep") as log:
    step = snakemake.params.sweep_step
    thresholds = np.round(np.arange(step, 1.0 + step / 2, step), 4)
    items = read_csv(snakemake.input.assignments)
    sweep = threshold_sweep(
        items,
        items,
        thresholds,
        lemma_weight=snakemake.params.lemma_weight,
        neighbours=snakemake.params.neighbours,
    )
    write_csv(sweep, snakemake.output.sweep)
    configured = snakemake.params.distance_threshold
    title = (
        "Foreslåtte grupper mot manuell sammenslåing / "
        f"proposed groups against the manual merge ({snakemake.wildcards.study})"
    )
    save_figure(sweep_figure(sweep, configured, title), snakemake.output.png, snakemake.output.svg)
    log.info("configured threshold %s; best ARI at %s", configured, choose_threshold(sweep))
