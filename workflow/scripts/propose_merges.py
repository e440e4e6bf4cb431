"""Propose groups of similar raw factors (agglomerative clustering over the backend's vectors)."""

from medvirk.io import read_csv, write_csv
from medvirk.merging import neighbour_notices, propose_groups
from medvirk.notices import write_notices
from medvirk.runlog import logged
from medvirk.similarity import make_backend

snakemake = snakemake  # noqa: F821 (injected by Snakemake)
params = snakemake.params

with logged(snakemake.log[0], "propose_merges") as log:
    backend = make_backend(
        params.backend,
        lemma_weight=params.lemma_weight,
        cache_dir=params.cache,
        threads=snakemake.threads,
    )
    items = read_csv(snakemake.input.assignments)
    groups = propose_groups(
        items, params.distance_threshold, neighbours=params.neighbours, backend=backend
    )
    write_csv(groups, snakemake.output.groups)
    write_notices(neighbour_notices(len(items), params.neighbours), snakemake.output.notices)
    log.info("similarity: %s", backend.model)
    log.info("%d factors in %d proposed groups", len(groups), groups["group_id"].nunique())
