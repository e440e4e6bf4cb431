rule export_qdpx:
    input:
        unpack(export_codings),
        examples="data/processed/{study}/examples.csv",
        factors="data/processed/{study}/factors.csv",
        categories="data/processed/{study}/categories.csv",
    output:
        qdpx="results/{study}/export/{study}.qdpx",
        qdc="results/{study}/export/codebook.qdc",
    log:
        "results/{study}/logs/export_qdpx.log",
    conda:
        "../envs/medvirk.yaml"
    script:
        "../scripts/export_qdpx.py"
