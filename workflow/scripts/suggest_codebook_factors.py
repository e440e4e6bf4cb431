"""For each raw factor the merge map leaves unmapped, the nearest codebook factors."""

from medvirk.io import read_csv, write_csv
from medvirk.merging import codebook_texts, suggest_codebook_factors
from medvirk.runlog import logged

snakemake = snakemake  # noqa: F821 (injected by Snakemake)

with logged(snakemake.log[0], "suggest_codebook_factors") as log:
    assignments = read_csv(snakemake.input.assignments)
    codebook = codebook_texts(read_csv(snakemake.input.factors), assignments)
    unmapped = assignments[assignments["factor_id"] == ""]
    suggestions = suggest_codebook_factors(
        unmapped, codebook, top_k=snakemake.params.top_k, lemma_weight=snakemake.params.lemma_weight
    )
    write_csv(suggestions, snakemake.output.suggestions)
    log.info("%d unmapped factors, %d suggestions", len(unmapped), len(suggestions))
