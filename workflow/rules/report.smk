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


rule agreement_html:
    input:
        pooled="results/{study}/agreement/alpha_pooled.csv",
        by_factor="results/{study}/agreement/alpha_by_factor.csv",
        kappas="results/{study}/agreement/kappas.csv",
        factors="data/processed/{study}/factors.csv",
    output:
        html=report(
            "results/{study}/agreement/agreement.html",
            caption="../report/agreement_html.rst",
            category="Coding and agreement",
        ),
    log:
        "results/{study}/logs/agreement_html.log",
    conda:
        "../envs/medvirk.yaml"
    script:
        "../scripts/agreement_html.py"


rule machine_coder_html:
    input:
        table="results/{study}/agreement/coders_vs_consensus.csv",
        factors="data/processed/{study}/factors.csv",
    output:
        html=report(
            "results/{study}/agreement/machine_coder.html",
            caption="../report/machine_coder_html.rst",
            category="Coding and agreement",
            labels={"table": "Maskinkoderen mot konsensus / the machine coder"},
        ),
    log:
        "results/{study}/logs/machine_coder_html.log",
    conda:
        "../envs/medvirk.yaml"
    params:
        backend=BACKEND,
    script:
        "../scripts/machine_coder_html.py"
