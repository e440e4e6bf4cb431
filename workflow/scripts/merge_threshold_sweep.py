"""Agreement with the human merge over a range of distance thresholds, as a table and a plot."""

from medvirk.figures import save_figure
from medvirk.io import read_csv, write_csv
from medvirk.merge_validation import sweep_grid
from medvirk.merging import choose_threshold, sweep_figure, threshold_sweep
from medvirk.runlog import logged
from medvirk.similarity import make_backend

snakemake = snakemake  # noqa: F821 (injected by Snakemake)
params = snakemake.params

with logged(snakemake.log[0], "merge_threshold_sweep") as log:
    backend = make_backend(
        params.backend,
        lemma_weight=params.lemma_weight,
        cache_dir=params.cache,
        threads=snakemake.threads,
    )
    items = read_csv(snakemake.input.assignments)
    sweep = threshold_sweep(
        items,
        items,
        sweep_grid(params.backend, params.sweep_step),
        neighbours=params.neighbours,
        backend=backend,
    )
    write_csv(sweep, snakemake.output.sweep)
    configured = params.distance_threshold
    title = (
        "Foreslåtte grupper mot manuell sammenslåing / "
        f"proposed groups against the manual merge ({snakemake.wildcards.study}, {params.backend})"
    )
    save_figure(sweep_figure(sweep, configured, title), snakemake.output.png, snakemake.output.svg)
    log.info("configured threshold %s; best ARI at %s", configured, choose_threshold(sweep))
