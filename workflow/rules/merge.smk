rule similarity_backend:
    output:
        notices="data/processed/{study}/notices/similarity.csv",
    log:
        "results/{study}/logs/similarity_backend.log",
    conda:
        "../envs/medvirk.yaml"
    params:
        backend=BACKEND,
        note_nb=SIMILARITY.nb,
        note_en=SIMILARITY.en,
    script:
        "../scripts/similarity_backend.py"


rule propose_merges:
    input:
        assignments="data/processed/{study}/factor_assignments.csv",
    output:
        groups=report(
            "results/{study}/merge/proposed_groups.csv",
            caption="../report/merge_groups.rst",
            category="Merging",
        ),
        notices="data/processed/{study}/notices/propose_merges.csv",
    log:
        "results/{study}/logs/propose_merges.log",
    conda:
        "../envs/medvirk.yaml"
    threads: 2
    params:
        distance_threshold=MERGE_THRESHOLD,
        lemma_weight=config["merge"]["lemma_weight"],
        backend=BACKEND,
        cache="data/processed/{study}/embeddings",
        neighbours=config["merge"]["neighbours"],
    script:
        "../scripts/propose_merges.py"


rule evaluate_merges:
    input:
        groups="results/{study}/merge/proposed_groups.csv",
        assignments="data/processed/{study}/factor_assignments.csv",
        factors="data/processed/{study}/factors.csv",
    output:
        evaluation=report(
            "results/{study}/merge/evaluation.csv",
            caption="../report/merge_evaluation.rst",
            category="Merging",
        ),
        tex=report(
            "results/{study}/merge/evaluation.tex",
            caption="../report/merge_evaluation.rst",
            category="Merging",
        ),
        misplaced=report(
            "results/{study}/merge/misplaced_factors.csv",
            caption="../report/merge_misplaced.rst",
            category="Merging",
        ),
        splits="results/{study}/merge/cv_splits.csv",
    log:
        "results/{study}/logs/evaluate_merges.log",
    conda:
        "../envs/medvirk.yaml"
    threads: 2
    params:
        distance_threshold=MERGE_THRESHOLD,
        lemma_weight=config["merge"]["lemma_weight"],
        backend=BACKEND,
        measured=MEASURED_BACKENDS,
        repeats=config["merge"]["cv_repeats"],
        seed=CODING["seed"],
        cache="data/processed/{study}/embeddings",
    script:
        "../scripts/evaluate_merges.py"


rule suggest_codebook_factors:
    input:
        assignments=factor_assignments,
        factors="data/processed/{study}/factors.csv",
        free_text=coders_sheet_extras,
    output:
        suggestions=report(
            "results/{study}/merge/suggestions.csv",
            caption="../report/merge_suggestions.rst",
            category="Merging",
        ),
    log:
        "results/{study}/logs/suggest_codebook_factors.log",
    conda:
        "../envs/medvirk.yaml"
    threads: 2
    params:
        top_k=config["merge"]["top_k"],
        lemma_weight=config["merge"]["lemma_weight"],
        backend=BACKEND,
        cache="data/processed/{study}/embeddings",
    script:
        "../scripts/suggest_codebook_factors.py"


rule merge_threshold_sweep:
    input:
        assignments="data/processed/{study}/factor_assignments.csv",
    output:
        sweep="results/{study}/merge/threshold_sweep.csv",
        png=report(
            "results/{study}/merge/threshold_sweep.png",
            caption="../report/merge_sweep.rst",
            category="Merging",
        ),
        svg="results/{study}/merge/threshold_sweep.svg",
    log:
        "results/{study}/logs/merge_threshold_sweep.log",
    conda:
        "../envs/medvirk.yaml"
    threads: 2
    params:
        distance_threshold=MERGE_THRESHOLD,
        lemma_weight=config["merge"]["lemma_weight"],
        sweep_step=config["merge"]["sweep_step"],
        backend=BACKEND,
        cache="data/processed/{study}/embeddings",
        neighbours=config["merge"]["neighbours"],
    script:
        "../scripts/merge_threshold_sweep.py"
