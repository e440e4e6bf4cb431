"""Measure the merge proposals against the curated merge map (the human merge): each similarity
backend cross-validated side by side, and the configured proposal in-sample."""

import pandas as pd

from medvirk.io import read_csv, write_csv, write_text
from medvirk.merge_validation import backend_evaluation, evaluation_table
from medvirk.merging import evaluate, evaluation_latex, misplaced_factors
from medvirk.runlog import logged
from medvirk.similarity import make_backend

snakemake = snakemake  # noqa: F821 (injected by Snakemake)
params = snakemake.params

with logged(snakemake.log[0], "evaluate_merges") as log:
    groups = read_csv(snakemake.input.groups)
    human = read_csv(snakemake.input.assignments)
    factors = read_csv(snakemake.input.factors)
    measured, splits = {}, []
    for name in params.measured:
        backend = make_backend(
            name,
            lemma_weight=params.lemma_weight,
            cache_dir=params.cache,
            threads=snakemake.threads,
        )
        measured[name], table = backend_evaluation(
            human, factors, backend, repeats=params.repeats, seed=params.seed
        )
        table.insert(0, "backend", name)
        splits.append(table)
        log.info("%s: %s", name, backend.model)
    configured = evaluate(groups, human, distance_threshold=params.distance_threshold)
    evaluation = evaluation_table(measured, configured, params.backend)
    write_csv(evaluation, snakemake.output.evaluation)
    write_csv(pd.concat(splits, ignore_index=True), snakemake.output.splits)
    write_text(
        snakemake.output.tex,
        evaluation_latex(evaluation, snakemake.wildcards.study, params.backend),
    )
    write_csv(
        misplaced_factors(groups, human[human["factor_id"] != ""]), snakemake.output.misplaced
    )
    log.info("\n%s", evaluation.to_string(index=False))
