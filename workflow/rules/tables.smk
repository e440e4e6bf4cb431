rule table1:
    input:
        counts=table1_counts,
        factors="data/processed/{study}/factors.csv",
        categories="data/processed/{study}/categories.csv",
        published=published_numbers,
    output:
        csv=report(
            "results/{study}/tables/table1.csv",
            caption="../report/table1.rst",
            category="Tables",
            labels={"table": "Tabell 1 (CSV)"},
        ),
        md="results/{study}/tables/table1.md",
        xlsx=report(
            "results/{study}/tables/table1.xlsx",
            caption="../report/table1.rst",
            category="Tables",
            labels={"table": "Tabell 1 (Excel)"},
        ),
    log:
        "results/{study}/logs/table1.log",
    conda:
        "../envs/medvirk.yaml"
    params:
        source=PRESENCE_SOURCE,
        from_forms=FROM_FORMS,
    script:
        "../scripts/table1.py"


rule table1_latex:
    input:
        table1="results/{study}/tables/table1.csv",
    output:
        tex=report(
            "results/{study}/tables/table1.tex",
            caption="../report/table1.rst",
            category="Tables",
            labels={"table": "Tabell 1 (LaTeX)"},
        ),
    log:
        "results/{study}/logs/table1_latex.log",
    conda:
        "../envs/medvirk.yaml"
    params:
        source=PRESENCE_SOURCE,
        simulated=CODING["simulate"],
        from_forms=FROM_FORMS,
    script:
        "../scripts/table1_latex.py"
