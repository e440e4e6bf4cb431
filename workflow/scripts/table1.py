"""Table 1 (rule table1), each step with its own log: as CSV, Markdown laid out like the report
and Excel (table1); as LaTeX for papers (table1_latex); as the HTML table the report shows in
place, printed beside regenerated counts (table1_html)."""

from pathlib import Path

from medvirk.counting import presence_source_label, read_factor_counts
from medvirk.htmltables import table1_page
from medvirk.io import read_csv, read_optional_csv, write_csv, write_text
from medvirk.runlog import logged
from medvirk.tables import (
    TABLE1_NOTE,
    TABLE1_NOTE_FROM_FORMS,
    build_table1,
    read_table1,
    table1_latex,
    table1_markdown,
    write_table1_xlsx,
)

snakemake = snakemake  # noqa: F821 (injected by Snakemake)
inp, out, params, logs = snakemake.input, snakemake.output, snakemake.params, snakemake.log
study = snakemake.wildcards.study

with logged(logs.table1, "table1") as log:
    counts = read_factor_counts(inp.counts)
    published = read_optional_csv(inp.published)  # none in a new round from forms
    table = build_table1(
        counts,
        read_csv(inp.factors),
        read_csv(inp.categories).astype({"published_order": int}),
        published,
    )
    note = TABLE1_NOTE if published is not None else TABLE1_NOTE_FROM_FORMS
    write_csv(table, out.csv)
    title = f"Tabell 1 / Table 1 — suksessfaktorene kategorisert ({study})"
    write_text(out.md, table1_markdown(table, title, note))
    write_table1_xlsx(table, out.xlsx, note)
    log.info("Table 1: %d factors in %d categories", len(table), table["category_id"].nunique())

with logged(logs.table1_latex, "table1_latex") as log:
    table = read_table1(out.csv)
    write_text(out.tex, table1_latex(table, study, params.source, params.simulated))
    log.info("Table 1 (n from the %s) written to %s", params.source, out.tex)

with logged(logs.table1_html, "table1_html") as log:
    source = presence_source_label(params.source, params.simulated)
    page = table1_page(read_csv(out.csv), study, source)
    Path(out.html).write_text(page, encoding="utf-8")
    log.info("Table 1 as HTML (n from the %s) in %s", source[1], out.html)
