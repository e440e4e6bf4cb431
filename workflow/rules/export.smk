rule export_qdpx:
    input:
        examples="data/processed/{study}/examples.csv",
        factors="data/processed/{study}/factors.csv",
        categories="data/processed/{study}/categories.csv",
        example_factors="data/processed/{study}/example_factors.csv",
    output:
        qdpx="results/{study}/export/{study}.qdpx",
        qdc="results/{study}/export/codebook.qdc",
    log:
        "results/{study}/logs/export_qdpx.log",
    conda:
        "../envs/medvirk.yaml"
    script:
        "../scripts/export_qdpx.py"
