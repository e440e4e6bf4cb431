rule apply_merge_map:
    input:
        raw_factors="data/processed/{study}/raw_factors.csv",
        merge_map="data/processed/{study}/merge_map.csv",
        factors="data/processed/{study}/factors.csv",
    output:
        assignments="data/processed/{study}/factor_assignments.csv",
    log:
        "results/{study}/logs/apply_merge_map.log",
    conda:
        "../envs/medvirk.yaml"
    script:
        "../scripts/apply_merge_map.py"


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
    params:
        distance_threshold=config["merge"]["distance_threshold"],
        lemma_weight=config["merge"]["lemma_weight"],
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
    log:
        "results/{study}/logs/evaluate_merges.log",
    conda:
        "../envs/medvirk.yaml"
    params:
        distance_threshold=config["merge"]["distance_threshold"],
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
    params:
        top_k=config["merge"]["top_k"],
        lemma_weight=config["merge"]["lemma_weight"],
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
    params:
        distance_threshold=config["merge"]["distance_threshold"],
        lemma_weight=config["merge"]["lemma_weight"],
        sweep_step=config["merge"]["sweep_step"],
        neighbours=config["merge"]["neighbours"],
    script:
        "../scripts/merge_threshold_sweep.py"
