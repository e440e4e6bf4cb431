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
