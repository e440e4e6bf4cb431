"""Propose groups of similar raw factors (agglomerative clustering over TF-IDF features)."""

from medvirk.io import read_csv, write_csv
from medvirk.merging import neighbour_notices, propose_groups
from medvirk.notices import write_notices
from medvirk.runlog import logged

snakemake = snakemake  # noqa: F821 (injected by Snakemake)

with logged(snakemake.log[0], "propose_merges") as log:
    items = read_csv(snakemake.input.assignments)
    groups = propose_groups(
        items,
        snakemake.params.distance_threshold,
        lemma_weight=snakemake.params.lemma_weight,
        neighbours=snakemake.params.neighbours,
    )
    write_csv(groups, snakemake.output.groups)
    write_notices(
        neighbour_notices(len(items), snakemake.params.neighbours), snakemake.output.notices
    )
    log.info("%d factors in %d proposed groups", len(groups), groups["group_id"].nunique())
