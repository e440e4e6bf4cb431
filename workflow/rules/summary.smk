# The run summary: everything that changed a count or an agreement figure without stopping the
# run (src/medvirk/notices.py). Each step that notices something writes
# data/processed/<study>/notices/<step>.csv; notice_files() in common.smk lists them.


rule run_summary:
    input:
        notices=notice_files,
    output:
        md=report(
            "results/{study}/run_summary.md",
            caption="../report/run_summary.rst",
            category="Data",
        ),
    log:
        "results/{study}/logs/run_summary.log",
    conda:
        "../envs/medvirk.yaml"
    script:
        "../scripts/run_summary.py"
