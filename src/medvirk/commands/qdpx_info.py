"""`medvirk qdpx-info FILE.qdpx`: show what a REFI-QDA project holds and what would not map."""

from __future__ import annotations

import argparse
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("qdpx", help="a REFI-QDA project exported from NVivo, ATLAS.ti, MAXQDA…")
    parser.add_argument(
        "--mapping",
        help="CSV with columns code_name or code_guid -> factor_id, source_name -> example_id",
    )
    parser.add_argument(
        "--study-dir",
        help="the study folder (e.g. data/raw/fhi2016) whose examples and codebook to map onto",
    )
    parser.add_argument(
        "--schema",
        default="packaged",
        help="QDA-XML Project.xsd to validate project.qde against: a path, 'packaged' (the "
        "QDA-XML 1.0 schema shipped with medvirk; the default) or 'none'",
    )
    parser.add_argument(
        "--match-sources-by",
        choices=["id_or_title", "id", "title"],
        default="id_or_title",
        help="how a source or case name stands for an example (default: id_or_title)",
    )


def run(args: argparse.Namespace) -> int:
    import pandas as pd

    from medvirk import refiqda
    from medvirk.errors import InputError

    try:
        project = refiqda.load_qdpx(args.qdpx, schema=refiqda.schema_file(args.schema))
    except InputError as exc:
        print(f"Cannot read: {exc}", file=sys.stderr)
        return 1

    print(f"Users ({len(project.users)}):")
    for user in project.users.itertuples(index=False):
        print(f"  {user.name}  [{user.guid}]")

    counts = project.codings["code_guid"].value_counts()
    print(f"\nCodes ({len(project.codes)}):")
    for code in project.codes.itertuples(index=False):
        print(f"  {'  ' * code.depth}{code.name}  ({int(counts.get(code.guid, 0))} codings)")

    print(f"\nSources ({len(project.sources)}):")
    for source in project.sources.itertuples(index=False):
        print(f"  {source.name}  ({source.kind})")
    if len(project.cases):
        print(f"\nCases ({len(project.cases)}): {', '.join(project.cases['name'])}")

    print("\nCodings per user:")
    for coder, n in project.codings.groupby("coder").size().items():
        print(f"  {coder}: {n}")

    problems = pd.DataFrame(project.problems, columns=refiqda.PROBLEM_COLUMNS)
    if args.study_dir:
        from medvirk import studydata

        try:
            tables = studydata.load_study(args.study_dir)
            mapping = refiqda.read_mapping(args.mapping) if args.mapping else None
        except InputError as exc:
            print(f"Not valid: {exc}", file=sys.stderr)
            return 1
        codings, problems = refiqda.map_codings(
            project,
            tables[studydata.EXAMPLES],
            tables[studydata.FACTORS],
            mapping,
            args.match_sources_by,
        )
        print(f"\nMapped onto {args.study_dir}: {len(codings)} (example, coder, factor) codings")
        for coder, n in codings.groupby("coder").size().items():
            print(f"  {coder}: {n}")

    if len(problems):
        print(f"\nCould not be read or mapped ({len(problems)}):")
        for problem in problems.itertuples(index=False):
            print(f"  [{problem.kind}] {problem.item}: {problem.detail}")
    elif args.study_dir:
        print("\nEverything mapped.")
    return 0
