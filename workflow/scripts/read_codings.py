"""Read and check the coders' workbooks, CSV files and .qdpx projects (rule read_codings)."""

from pathlib import Path

from medvirk.codings import read_study_codings_with_notices
from medvirk.form_changes import id_hints
from medvirk.io import read_csv, read_optional_csv, write_csv
from medvirk.machine_coder import with_machine
from medvirk.notices import write_notices
from medvirk.privacy import contact_values
from medvirk.refiqda import user_conflict_notices
from medvirk.runlog import logged

snakemake = snakemake  # noqa: F821 (injected by Snakemake)
params = snakemake.params

with logged(snakemake.log[0], "read_codings") as log:
    folder = Path("data/raw") / snakemake.wildcards.study / "codings"
    contact_names, _ = contact_values(read_optional_csv(snakemake.input.contacts))
    grid, ladder, problems, notices = read_study_codings_with_notices(
        folder,
        params.coders,
        read_csv(snakemake.input.examples),
        read_csv(snakemake.input.factors),
        qdpx_files=snakemake.input.qdpx,
        mapping=snakemake.input.mapping[0] if snakemake.input.mapping else None,
        match_sources_by=params.match_sources_by,
        schema=params.schema,
        strict=params.strict,
        exclude_users=params.exclude_users,
        categories=read_csv(snakemake.input.categories),
        contact_names=contact_names,
        scrub=params.scrub,
        id_hints=id_hints(read_optional_csv(snakemake.input.form_ids)),
    )
    grid["data_source"] = "coders"
    # The machine coder's rows (data_source MACHINE), if it codes; a coder called «machine» stops.
    machine = read_optional_csv(snakemake.input.machine)
    write_csv(with_machine(grid, machine, str(folder)), snakemake.output.codings)
    write_csv(ladder, snakemake.output.ladder)
    write_csv(problems, snakemake.output.qdpx_problems)
    notices += user_conflict_notices(problems, folder, snakemake.output.qdpx_problems)
    write_notices(notices, snakemake.output.notices)
    for p in problems.itertuples(index=False):
        log.warning("%s: [%s] %s: %s", p.file, p.kind, p.item, p.detail)
    for n in notices:
        log.warning("%s %s: %s", n.file, n.where, n.en)
    log.info("%d coder(s) from %s: %s", grid["coder"].nunique(), folder, sorted(set(grid["coder"])))
    log.info("%d .qdpx problem(s) in %s", len(problems), snakemake.output.qdpx_problems)
