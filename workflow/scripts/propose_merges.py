"""Propose groups of similar raw factors (agglomerative clustering over the backend's vectors)."""

from medvirk.io import read_csv, write_csv
from medvirk.merging import propose_groups
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
    groups = propose_groups(
        read_csv(snakemake.input.assignments), params.distance_threshold, backend=backend
    )
    write_csv(groups, snakemake.output.groups)
    log.info("similarity: %s", backend.model)
    log.info("%d factors in %d proposed groups", len(groups), groups["group_id"].nunique())
