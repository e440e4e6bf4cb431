"""Write Table 1 as a LaTeX table for papers."""

from medvirk.io import write_text
from medvirk.runlog import logged
from medvirk.tables import read_table1, table1_latex

snakemake = snakemake  # noqa: F821 (injected by Snakemake)

with logged(snakemake.log[0], "table1_latex") as log:
    table = read_table1(snakemake.input.table1)
    tex = table1_latex(
        table, snakemake.wildcards.study, snakemake.params.source, snakemake.params.simulated
    )
    write_text(snakemake.output.tex, tex)
    log.info("Table 1 (n from the %s) written to %s", snakemake.params.source, snakemake.output.tex)
