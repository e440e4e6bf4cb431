"""Measure the proposed groups against the curated merge map (the human merge)."""

from medvirk.io import read_csv, write_csv, write_text
from medvirk.merging import evaluate, evaluation_latex, misplaced_factors
from medvirk.runlog import logged

snakemake = snakemake  # noqa: F821 (injected by Snakemake)

with logged(snakemake.log[0], "evaluate_merges") as log:
    groups = read_csv(snakemake.input.groups)
    human = read_csv(snakemake.input.assignments)
    evaluation = evaluate(
        groups,
        human,
        distance_threshold=snakemake.params.distance_threshold,
        factors=read_csv(snakemake.input.factors),
    )
    write_csv(evaluation, snakemake.output.evaluation)
    write_text(snakemake.output.tex, evaluation_latex(evaluation, snakemake.wildcards.study))
    write_csv(
        misplaced_factors(groups, human[human["factor_id"] != ""]), snakemake.output.misplaced
    )
    log.info("\n%s", evaluation.to_string(index=False))
