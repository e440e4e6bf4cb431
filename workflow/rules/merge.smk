# Merge proposals and codebook suggestions: the steps that compare texts (TF-IDF or sentence
# embeddings), in one job so that the language tools are loaded once. A curated study measures the
# proposals against the readers' merge (its raw factors and merge map); a new round from forms
# has neither and gets the codebook suggestions for what its coders wrote outside the codebook.
MERGE_STEPS = ["similarity_backend", "suggest_codebook_factors"]
MERGE_OUTPUTS = {
    # which backend the run uses; a fallback from embeddings to TF-IDF is a notice
    "similarity": "data/processed/{study}/notices/similarity.csv",
    "suggestions": report(
        "results/{study}/merge/suggestions.csv",
        caption="../report/merge_suggestions.rst",
        category="Merging",
    ),
}
if not FROM_FORMS:
    MERGE_STEPS += [
        "propose_merges",
        "evaluate_merges",
        "merge_evaluation_html",
        "merge_threshold_sweep",
    ]
    MERGE_OUTPUTS |= {
        "groups": report(
            "results/{study}/merge/proposed_groups.csv",
            caption="../report/merge_groups.rst",
            category="Merging",
        ),
        "notices": "data/processed/{study}/notices/propose_merges.csv",
        "evaluation": report(
            "results/{study}/merge/evaluation.csv",
            caption="../report/merge_evaluation.rst",
            category="Merging",
        ),
        "tex": report(
            "results/{study}/merge/evaluation.tex",
            caption="../report/merge_evaluation.rst",
            category="Merging",
        ),
        "misplaced": report(
            "results/{study}/merge/misplaced_factors.csv",
            caption="../report/merge_misplaced.rst",
            category="Merging",
        ),
        "splits": "results/{study}/merge/cv_splits.csv",
        "html": report(
            "results/{study}/merge/evaluation.html",
            caption="../report/merge_evaluation_html.rst",
            category="Merging",
        ),
        "sweep": "results/{study}/merge/threshold_sweep.csv",
        "sweep_png": report(
            "results/{study}/merge/threshold_sweep.png",
            caption="../report/merge_sweep.rst",
            category="Merging",
        ),
        "sweep_svg": "results/{study}/merge/threshold_sweep.svg",
    }


rule merge_proposals:
    input:
        assignments=factor_assignments,
        factors="data/processed/{study}/factors.csv",
        free_text=coders_sheet_extras,
    output:
        **MERGE_OUTPUTS,
    log:
        **step_logs(*MERGE_STEPS),
    conda:
        "../envs/medvirk.yaml"
    # One core, so that the machine coder and the consensus run beside it on two (embeddings do
    # not depend on the number of threads).
    threads: 1
    params:
        backend=BACKEND,
        note_nb=SIMILARITY.nb,
        note_en=SIMILARITY.en,
        distance_threshold=MERGE_THRESHOLD,
        lemma_weight=config["merge"]["lemma_weight"],
        neighbours=config["merge"]["neighbours"],
        measured=MEASURED_BACKENDS,
        repeats=config["merge"]["cv_repeats"],
        seed=CODING["seed"],
        sweep_step=config["merge"]["sweep_step"],
        top_k=config["merge"]["top_k"],
        cache="data/processed/{study}/embeddings",
    script:
        "../scripts/merge_proposals.py"
