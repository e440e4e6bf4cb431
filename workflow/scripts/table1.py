"""Write Table 1 as CSV, Markdown laid out like the report, and Excel."""

from medvirk.counting import read_factor_counts
from medvirk.io import read_csv, read_optional_csv, write_csv, write_text
from medvirk.runlog import logged
from medvirk.tables import (
    TABLE1_NOTE,
    TABLE1_NOTE_FROM_FORMS,
    build_table1,
    table1_markdown,
    write_table1_xlsx,
)

snakemake = snakemake  # noqa: F821 (injected by Snakemake)

with logged(snakemake.log[0], "table1") as log:
    counts = read_factor_counts(snakemake.input.counts)
    published = read_optional_csv(snakemake.input.published)  # none in a new round from forms
    table = build_table1(
        counts,
        read_csv(snakemake.input.factors),
        read_csv(snakemake.input.categories).astype({"published_order": int}),
        published,
    )
    note = TABLE1_NOTE if published is not None else TABLE1_NOTE_FROM_FORMS
    study = snakemake.wildcards.study
    write_csv(table, snakemake.output.csv)
    title = f"Tabell 1 / Table 1 — suksessfaktorene kategorisert ({study})"
    write_text(snakemake.output.md, table1_markdown(table, title, note))
    write_table1_xlsx(table, snakemake.output.xlsx, note)
    log.info("Table 1: %d factors in %d categories", len(table), table["category_id"].nunique())
