"""Propose groups of similar raw factors (agglomerative clustering over TF-IDF features)."""

from medvirk.io import read_csv, write_csv
from medvirk.merging import propose_groups
from medvirk.runlog import logged

snakemake = snakemake  # noqa: F821 (injected by Snakemake)

with logged(snakemake.log[0], "propose_merges") as log:
    groups = propose_groups(
        read_csv(snakemake.input.assignments),
        snakemake.params.distance_threshold,
        lemma_weight=snakemake.params.lemma_weight,
    )
    write_csv(groups, snakemake.output.groups)
    log.info("%d factors in %d proposed groups", len(groups), groups["group_id"].nunique())
