# Table 1 as CSV, Markdown laid out like the report, Excel, LaTeX for papers, and the HTML table
# the report shows in place (printed beside regenerated counts).


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
        tex=report(
            "results/{study}/tables/table1.tex",
            caption="../report/table1.rst",
            category="Tables",
            labels={"table": "Tabell 1 (LaTeX)"},
        ),
        html=report(
            "results/{study}/tables/table1.html",
            caption="../report/table1_html.rst",
            category="Tables",
            labels={"table": "Tabell 1 — les her / read here"},
        ),
    log:
        **step_logs("table1", "table1_latex", "table1_html"),
    conda:
        "../envs/medvirk.yaml"
    params:
        source=PRESENCE_SOURCE,
        simulated=CODING["simulate"],
        from_forms=FROM_FORMS,
    script:
        "../scripts/table1.py"
