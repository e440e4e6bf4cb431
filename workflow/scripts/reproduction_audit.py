"""Compare every published number with the number the workflow regenerates."""

from medvirk.audit import StudyFacts, audit_latex, audit_markdown, build_audit
from medvirk.counting import read_factor_counts
from medvirk.io import read_csv, write_csv, write_text
from medvirk.runlog import logged

snakemake = snakemake  # noqa: F821 (injected by Snakemake)

with logged(snakemake.log[0], "reproduction_audit") as log:
    counts = read_factor_counts(snakemake.input.counts)
    facts = StudyFacts(
        examples=read_csv(snakemake.input.examples),
        assignments=read_csv(snakemake.input.assignments),
        factor_counts=counts,
        ladder=read_csv(snakemake.input.ladder),
    )
    audit = build_audit(read_csv(snakemake.input.published), facts)
    write_csv(audit, snakemake.output.csv)
    study = snakemake.wildcards.study
    write_text(snakemake.output.md, audit_markdown(audit, study))
    write_text(snakemake.output.tex, audit_latex(audit, study))
    log.info("audit: %s", audit["status"].value_counts().to_dict())
