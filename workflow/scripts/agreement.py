"""Agreement of the coders (rule agreement), each step with its own log:

- agreement: alpha, AC1 and kappas by factor, pooled, per category and per coder pair;
- agreement_latex, agreement_html: the same as a LaTeX table for papers and as the HTML table
  the report shows in place;
- figure_agreement_forest: agreement per factor, per category and pooled as a forest plot;
- ladder_agreement (real coders): ordinal alpha and AC2 on the ladder step, alpha and AC1 on
  its level, and each coder pair's weighted kappa;
- coders_vs_consensus, machine_coder_html (when the machine coder codes): every coder, the
  machine coder among them, against the consensus, and that as HTML for the report.
"""

from pathlib import Path

import pandas as pd

from medvirk.agreement import agreement_latex, agreement_tables, as_minimums, ladder_tables
from medvirk.figures import agreement_forest, save_figure
from medvirk.htmltables import agreement_page, machine_coder_page
from medvirk.io import read_csv, write_csv, write_text
from medvirk.machine_coder import coder_vs_consensus, coder_vs_consensus_notices, human_codings
from medvirk.notices import write_notices
from medvirk.runlog import logged

snakemake = snakemake  # noqa: F821 (injected by Snakemake)
inp, out, params, logs = snakemake.input, snakemake.output, snakemake.params, snakemake.log
study = snakemake.wildcards.study

with logged(logs.agreement, "agreement") as log:
    factors = read_csv(inp.factors)  # read once for all steps here (none of them changes it)
    # The coders' agreement: the machine coder's rows (if any) are measured on their own.
    codings = human_codings(read_csv(inp.codings).astype({"present": int}))
    files = {name: out[name] for name in ("by_factor", "pooled", "kappas", "without_coder")}
    tables, notices = agreement_tables(
        codings,
        factors,
        params.replicates,
        params.seed,
        as_minimums(params.alpha_minimum),
        "SIMULATED" if params.simulated else "coders",
        files,
    )
    for name, path in files.items():
        write_csv(tables[name], path)
    # The tables as their files hold them, read back once: the LaTeX and HTML tables and the
    # forest plot show what the CSV files say.
    written = {name: read_csv(path) for name, path in files.items()}
    write_notices(notices, out.notices)
    log.info(
        "agreement of %d coders written to %s (%d notices)",
        codings["coder"].nunique(),
        out.by_factor,
        len(notices),
    )

with logged(logs.agreement_latex, "agreement_latex") as log:
    categories = read_csv(inp.categories)
    tex = agreement_latex(written["by_factor"], written["pooled"], factors, categories, study)
    write_text(out.tex, tex)
    log.info("agreement table written to %s", out.tex)

with logged(logs.agreement_html, "agreement_html") as log:
    page = agreement_page(written["pooled"], written["by_factor"], written["kappas"], factors)
    Path(out.html).write_text(page, encoding="utf-8")
    log.info("agreement as HTML in %s", out.html)

with logged(logs.figure_agreement_forest, "figure_agreement_forest"):
    fig = agreement_forest(
        written["by_factor"],
        written["pooled"],
        factors,
        f"Samsvar mellom kodere / inter-coder agreement ({study})",
        categories=categories,
    )
    save_figure(fig, out.forest_png, out.forest_svg)

if out.get("ladder_alpha"):  # real coders place the examples on the ladder
    with logged(logs.ladder_agreement, "ladder_agreement") as log:
        ladder = read_csv(inp.ladder[0]).replace("", None)
        ladder["ladder_step"] = pd.to_numeric(ladder["ladder_step"])
        files = {"alpha": out.ladder_alpha, "pairs": out.ladder_pairs}
        tables, notices = ladder_tables(
            ladder, params.replicates, params.seed, as_minimums(params.alpha_minimum), files
        )
        for name, path in files.items():
            write_csv(tables[name], path)
        write_notices(notices, out.ladder_notices)
        log.info("ladder agreement written to %s and %s", out.ladder_alpha, out.ladder_pairs)

if out.get("machine_table"):  # the machine coder coded
    with logged(logs.coders_vs_consensus, "coders_vs_consensus") as log:
        table = coder_vs_consensus(
            read_csv(inp.codings).astype({"present": int}),
            read_csv(inp.consensus[0]),
            factors,
            params.replicates,
            params.seed,
        )
        write_csv(table, out.machine_table)
        write_notices(coder_vs_consensus_notices(table, out.machine_table), out.machine_notices)
        pooled = table[table["scope"] == "pooled"]
        log.info(
            "\n%s", pooled[["coder", "kind", "alpha", "ac1", "precision", "recall"]].to_string()
        )

    with logged(logs.machine_coder_html, "machine_coder_html") as log:
        page = machine_coder_page(read_csv(out.machine_table), factors, params.backend)
        Path(out.machine_html).write_text(page, encoding="utf-8")
        log.info("machine coder against the consensus as HTML in %s", out.machine_html)
