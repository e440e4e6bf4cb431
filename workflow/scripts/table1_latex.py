"""Write Table 1 as a LaTeX table for papers."""

from pathlib import Path

from medvirk.runlog import logged
from medvirk.tables import read_table1, table1_latex

snakemake = snakemake  # noqa: F821 (injected by Snakemake)

with logged(snakemake.log[0], "table1_latex"):
    table = read_table1(snakemake.input.table1)
    caption = (
        f"Suksessfaktorene kategorisert / success factors by category ({snakemake.wildcards.study})"
    )
    Path(snakemake.output.tex).write_text(table1_latex(table, caption), encoding="utf-8")
