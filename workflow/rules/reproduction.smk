# Every published number beside the regenerated one, as CSV, Markdown, LaTeX and the HTML table
# the report shows in place.


rule reproduction_audit:
    input:
        published="data/processed/{study}/published_numbers.csv",
        examples="data/processed/{study}/examples.csv",
        assignments="data/processed/{study}/factor_assignments.csv",
        counts=table1_counts,
        ladder="data/processed/{study}/ladder.csv",
    output:
        csv=report(
            "results/{study}/reproduction/audit.csv",
            caption="../report/audit.rst",
            category="Reproduction",
        ),
        md="results/{study}/reproduction/audit.md",
        tex=report(
            "results/{study}/reproduction/audit.tex",
            caption="../report/audit.rst",
            category="Reproduction",
        ),
        html=report(
            "results/{study}/reproduction/audit.html",
            caption="../report/audit_html.rst",
            category="Reproduction",
        ),
    log:
        **step_logs("reproduction_audit", "audit_html"),
    conda:
        "../envs/medvirk.yaml"
    script:
        "../scripts/reproduction_audit.py"
