"""Write Table 1 as CSV, Markdown laid out like the report, and Excel."""

from pathlib import Path

from medvirk.counting import read_factor_counts
from medvirk.io import read_csv, write_csv
from medvirk.runlog import logged
from medvirk.tables import TABLE1_NOTE, build_table1, table1_markdown, write_table1_xlsx

snakemake = snakemake  # noqa: F821 (injected by Snakemake)

with logged(snakemake.log[0], "table1") as log:
    counts = read_factor_counts(snakemake.input.counts)
    table = build_table1(
        counts,
        read_csv(snakemake.input.factors),
        read_csv(snakemake.input.categories).astype({"published_order": int}),
        read_csv(snakemake.input.published),
    )
    study = snakemake.wildcards.study
    write_csv(table, snakemake.output.csv)
    title = f"Tabell 1 / Table 1 — suksessfaktorene kategorisert ({study})"
    Path(snakemake.output.md).write_text(
        table1_markdown(table, title, TABLE1_NOTE), encoding="utf-8"
    )
    write_table1_xlsx(table, snakemake.output.xlsx, TABLE1_NOTE)
    log.info("Table 1: %d factors in %d categories", len(table), table["category_id"].nunique())
