# Tables a reviewer reads inside report.html: the report shows an .html result in place, where a
# CSV, Excel or LaTeX file is only a download (src/medvirk/htmltables.py).


rule table1_html:
    input:
        table1="results/{study}/tables/table1.csv",
    output:
        html=report(
            "results/{study}/tables/table1.html",
            caption="../report/table1_html.rst",
            category="Tables",
            labels={"table": "Tabell 1 — les her / read here"},
        ),
    log:
        "results/{study}/logs/table1_html.log",
    conda:
        "../envs/medvirk.yaml"
    params:
        source=PRESENCE_SOURCE,
        simulated=CODING["simulate"],
    script:
        "../scripts/table1_html.py"


rule audit_html:
    input:
        audit="results/{study}/reproduction/audit.csv",
    output:
        html=report(
            "results/{study}/reproduction/audit.html",
            caption="../report/audit_html.rst",
            category="Reproduction",
        ),
    log:
        "results/{study}/logs/audit_html.log",
    conda:
        "../envs/medvirk.yaml"
    script:
        "../scripts/audit_html.py"
