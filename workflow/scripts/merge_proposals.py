"""Merge proposals and codebook suggestions (rule merge_proposals): the steps that compare
texts, one after the other in one process, each with its own log. A curated study's proposals
are measured against the readers' merge; a new round gets the codebook suggestions only."""

from functools import cache
from pathlib import Path

from medvirk.io import read_csv, read_optional_csv, write_csv, write_text
from medvirk.notices import write_notices
from medvirk.runlog import logged
from medvirk.similarity import make_backend

snakemake = snakemake  # noqa: F821 (injected by Snakemake)
inp, out, params, logs = snakemake.input, snakemake.output, snakemake.params, snakemake.log
study = snakemake.wildcards.study


@cache
def backend(name: str):
    """One backend of each kind for all steps (an embedding model is loaded once)."""
    return make_backend(
        name, lemma_weight=params.lemma_weight, cache_dir=params.cache, threads=snakemake.threads
    )


@cache
def input_table(path: str):
    """An input table, read once for all steps that use it (none of them changes it)."""
    return read_csv(path)


def similarity_backend():
    """Which similarity backend the run uses; a fallback to TF-IDF is announced."""
    from medvirk.similarity import Resolved, backend_notices

    with logged(logs.similarity_backend, "similarity_backend") as log:
        resolved = Resolved(params.backend, params.note_nb, params.note_en)
        write_notices(backend_notices(resolved), out.similarity)
        log.info("similarity backend: %s", resolved.backend)


def propose_merges():
    """Groups of similar raw factors (agglomerative clustering over the backend's vectors)."""
    from medvirk.merging import neighbour_notices, propose_groups

    with logged(logs.propose_merges, "propose_merges") as log:
        items = input_table(inp.assignments[0])
        groups = propose_groups(
            items,
            params.distance_threshold,
            neighbours=params.neighbours,
            backend=backend(params.backend),
        )
        write_csv(groups, out.groups)
        write_notices(neighbour_notices(len(items), params.neighbours), out.notices)
        log.info("similarity: %s", backend(params.backend).model)
        log.info("%d factors in %d proposed groups", len(groups), groups["group_id"].nunique())


def evaluate_merges():
    """The proposals against the readers' merge: each backend cross-validated side by side,
    and the configured proposal in-sample."""
    import pandas as pd

    from medvirk.merge_validation import backend_evaluation, evaluation_table
    from medvirk.merging import evaluate, evaluation_latex, misplaced_factors

    with logged(logs.evaluate_merges, "evaluate_merges") as log:
        groups = read_csv(out.groups)
        human = input_table(inp.assignments[0])
        factors = input_table(inp.factors)
        measured, splits = {}, []
        for name in params.measured:
            measured[name], table = backend_evaluation(
                human, factors, backend(name), repeats=params.repeats, seed=params.seed
            )
            table.insert(0, "backend", name)
            splits.append(table)
            log.info("%s: %s", name, backend(name).model)
        configured = evaluate(groups, human, distance_threshold=params.distance_threshold)
        evaluation = evaluation_table(measured, configured, params.backend)
        write_csv(evaluation, out.evaluation)
        write_csv(pd.concat(splits, ignore_index=True), out.splits)
        write_text(out.tex, evaluation_latex(evaluation, study, params.backend))
        write_csv(misplaced_factors(groups, human[human["factor_id"] != ""]), out.misplaced)
        log.info("\n%s", evaluation.to_string(index=False))


def merge_evaluation_html():
    """The merge evaluation as an HTML table the report shows in place."""
    from medvirk.htmltables import merge_evaluation_page
    from medvirk.merging import METRIC_LABELS

    with logged(logs.merge_evaluation_html, "merge_evaluation_html") as log:
        page = merge_evaluation_page(read_csv(out.evaluation), study, METRIC_LABELS)
        Path(out.html).write_text(page, encoding="utf-8")
        log.info("merge evaluation as HTML in %s", out.html)


def merge_threshold_sweep():
    """Agreement with the readers' merge over a range of distance thresholds, table and plot."""
    from medvirk.figures import save_figure
    from medvirk.merge_validation import sweep_grid
    from medvirk.merging import choose_threshold, sweep_figure, threshold_sweep

    with logged(logs.merge_threshold_sweep, "merge_threshold_sweep") as log:
        items = input_table(inp.assignments[0])
        sweep = threshold_sweep(
            items,
            items,
            sweep_grid(params.backend, params.sweep_step),
            neighbours=params.neighbours,
            backend=backend(params.backend),
        )
        write_csv(sweep, out.sweep)
        configured = params.distance_threshold
        title = (
            "Foreslåtte grupper mot manuell sammenslåing / "
            f"proposed groups against the manual merge ({study}, {params.backend})"
        )
        save_figure(sweep_figure(sweep, configured, title), out.sweep_png, out.sweep_svg)
        log.info("configured threshold %s; best ARI at %s", configured, choose_threshold(sweep))


def suggest_codebook_factors():
    """Nearest codebook factors for raw factors the merge map leaves unmapped and, with real
    coders, for the factors coders wrote outside the codebook («Andre faktorer»)."""
    from medvirk.codings import free_text_factors
    from medvirk.merging import codebook_texts, suggestion_table, unmapped_raw_factors

    with logged(logs.suggest_codebook_factors, "suggest_codebook_factors") as log:
        assignments = read_optional_csv(inp.assignments)  # none in a new round
        codebook = codebook_texts(input_table(inp.factors), assignments)
        unmapped = unmapped_raw_factors(assignments)
        free_text = None
        for path in inp.free_text:  # empty unless the study has real coders
            free_text = free_text_factors(read_csv(path), path)
        suggestions = suggestion_table(
            unmapped, codebook, free_text, top_k=params.top_k, backend=backend(params.backend)
        )
        write_csv(suggestions, out.suggestions)
        log.info(
            "%d unmapped raw factors, %d free-text factors from coders, %d suggestion rows",
            len(unmapped),
            0 if free_text is None else len(free_text),
            len(suggestions),
        )


similarity_backend()
if out.get("groups"):  # a curated study: proposals measured against the readers' merge
    propose_merges()
    evaluate_merges()
    merge_evaluation_html()
    merge_threshold_sweep()
suggest_codebook_factors()
