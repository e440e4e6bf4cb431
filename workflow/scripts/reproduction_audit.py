"""Compare every published number with the number the workflow regenerates (rule
reproduction_audit), each step with its own log: the audit as CSV, Markdown and LaTeX
(reproduction_audit), and as the HTML table the report shows in place (audit_html)."""

from pathlib import Path

from medvirk.audit import StudyFacts, audit_latex, audit_markdown, build_audit
from medvirk.counting import read_factor_counts
from medvirk.htmltables import audit_page
from medvirk.io import read_csv, write_csv, write_text
from medvirk.runlog import logged

snakemake = snakemake  # noqa: F821 (injected by Snakemake)
inp, out, logs = snakemake.input, snakemake.output, snakemake.log
study = snakemake.wildcards.study

with logged(logs.reproduction_audit, "reproduction_audit") as log:
    counts = read_factor_counts(inp.counts)
    facts = StudyFacts(
        examples=read_csv(inp.examples),
        assignments=read_csv(inp.assignments),
        factor_counts=counts,
        ladder=read_csv(inp.ladder),
    )
    audit = build_audit(read_csv(inp.published), facts)
    write_csv(audit, out.csv)
    write_text(out.md, audit_markdown(audit, study))
    write_text(out.tex, audit_latex(audit, study))
    log.info("audit: %s", audit["status"].value_counts().to_dict())

with logged(logs.audit_html, "audit_html") as log:
    page = audit_page(read_csv(out.csv), study)
    Path(out.html).write_text(page, encoding="utf-8")
    log.info("audit as HTML in %s", out.html)
