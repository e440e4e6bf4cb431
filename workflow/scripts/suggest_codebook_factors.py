"""Nearest codebook factors for raw factors the merge map leaves unmapped and, with real
coders, for the factors coders wrote outside the codebook («Andre faktorer»)."""

from medvirk.codings import free_text_factors
from medvirk.io import read_csv, read_optional_csv, write_csv
from medvirk.merging import codebook_texts, suggestion_table, unmapped_raw_factors
from medvirk.runlog import logged
from medvirk.similarity import make_backend

snakemake = snakemake  # noqa: F821 (injected by Snakemake)

with logged(snakemake.log[0], "suggest_codebook_factors") as log:
    assignments = read_optional_csv(snakemake.input.assignments)  # none in a new round
    codebook = codebook_texts(read_csv(snakemake.input.factors), assignments)
    unmapped = unmapped_raw_factors(assignments)
    free_text = None
    for path in snakemake.input.free_text:  # empty unless the study has real coders
        free_text = free_text_factors(read_csv(path), path)
    suggestions = suggestion_table(
        unmapped,
        codebook,
        free_text,
        top_k=snakemake.params.top_k,
        backend=make_backend(
            snakemake.params.backend,
            lemma_weight=snakemake.params.lemma_weight,
            cache_dir=snakemake.params.cache,
            threads=snakemake.threads,
        ),
    )
    write_csv(suggestions, snakemake.output.suggestions)
    log.info(
        "%d unmapped raw factors, %d free-text factors from coders, %d suggestion rows",
        len(unmapped),
        0 if free_text is None else len(free_text),
        len(suggestions),
    )
