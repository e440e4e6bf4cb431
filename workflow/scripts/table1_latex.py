"""Write Table 1 as a LaTeX table for papers."""

from pathlib import Path

from medvirk.runlog import logged
from medvirk.tables import read_table1, table1_latex

snakemake = snakemake  # noqa: F821 (injected by Snakemake)

with logged(snakemake.log[0], "table1_latex") as log:
    table = read_table1(snakemake.input.table1)
    tex = table1_latex(
        table, snakemake.wildcards.study, snakemake.params.source, snakemake.params.simulated
    )
    Path(snakemake.output.tex).write_text(tex, encoding="utf-8")
    log.info("Table 1 (n from the %s) written to %s", snakemake.params.source, snakemake.output.tex)
