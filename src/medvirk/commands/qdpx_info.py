"""`medvirk qdpx-info FILE.qdpx`: show what a REFI-QDA project holds and what would not map."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("qdpx", help="a REFI-QDA project exported from NVivo, ATLAS.ti, MAXQDA…")
    parser.add_argument(
        "--mapping",
        help="CSV with columns code_name or code_guid -> factor_id, source_name -> example_id, "
        "set_name -> category_id, selection_user, coding_user -> conflict_user "
        "(default: the study's codings/qdpx_mapping.csv, if there is one)",
    )
    parser.add_argument(
        "--study-dir",
        help="the study folder (e.g. data/raw/fhi2016) whose examples and codebook to map onto; "
        "for a round made from forms, the forms are read (nothing is written)",
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


CONFLICT_HELP = """\
  Each is credited to the selection's user unless the mapping file says otherwise: a row
  with columns selection_user, coding_user, conflict_user (selection or coding) decides for
  that pair of users; leave a user empty for any user. Example:
    selection_user,coding_user,conflict_user
    {selection},{coding},coding"""


def run(args: argparse.Namespace) -> int:
    import pandas as pd

    from medvirk import refiqda
    from medvirk.errors import InputError

    mapping_file = args.mapping
    if mapping_file is None and args.study_dir:
        default_mapping = Path(args.study_dir) / "codings" / "qdpx_mapping.csv"
        if default_mapping.is_file():
            mapping_file = default_mapping
    try:
        project = refiqda.load_qdpx(args.qdpx, schema=refiqda.schema_file(args.schema))
        mapping = refiqda.read_mapping(mapping_file) if mapping_file else None
    except InputError as exc:
        print(f"Cannot read: {exc}", file=sys.stderr)
        return 1
    project = refiqda.decide_user_conflicts(project, mapping)

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

    tables = None
    if args.study_dir:
        from medvirk import studydata

        try:
            examples, factors, categories, source = studydata.coding_targets(args.study_dir)
            tables = {
                studydata.EXAMPLES: examples,
                studydata.FACTORS: factors,
                studydata.CATEGORIES: categories,
            }
        except InputError as exc:
            print(f"Not valid: {exc}", file=sys.stderr)
            return 1
    print_sets(project, tables, mapping)

    print("\nCodings per user:")
    for coder, n in project.codings.groupby("coder").size().items():
        print(f"  {coder}: {n}")
    print_conflicts(project)

    problems = pd.DataFrame(project.problems, columns=refiqda.PROBLEM_COLUMNS)
    if tables is not None:
        from medvirk import studydata

        codings, problems = refiqda.map_codings(
            project,
            tables[studydata.EXAMPLES],
            tables[studydata.FACTORS],
            mapping,
            args.match_sources_by,
            tables[studydata.CATEGORIES],
        )
        print(f"\nExamples from {source}" + (f"; mapping {mapping_file}" if mapping_file else ""))
        print(f"Mapped onto {args.study_dir}: {len(codings)} (example, coder, factor) codings")
        for coder, n in codings.groupby("coder").size().items():
            print(f"  {coder}: {n}")

    if len(problems):
        print(f"\nCould not be read or mapped ({len(problems)}):")
        for problem in problems.itertuples(index=False):
            print(f"  [{problem.kind}] {problem.item}: {problem.detail}")
    elif args.study_dir:
        print("\nEverything mapped.")
    return 0


def print_sets(project, tables: dict | None, mapping) -> None:
    """The Sets (ATLAS.ti code and document groups) and, with a study, the category of each
    code group."""
    from medvirk import refiqda, studydata

    if not len(project.sets):
        return
    placed = {}
    if tables is not None:
        groups = refiqda.set_categories(
            project, tables[studydata.FACTORS], tables[studydata.CATEGORIES], mapping
        )
        labels = dict(
            zip(
                tables[studydata.CATEGORIES]["category_id"],
                tables[studydata.CATEGORIES]["label_nb"],
                strict=True,
            )
        )
        for guid, cid, how in zip(
            groups["guid"], groups["category_id"], groups["matched_by"], strict=True
        ):
            placed[guid] = (
                f"  -> {cid} {labels.get(cid, '(not in the codebook)')} (by {how})"
                if cid
                else "  -> no category: add a row set_name,category_id to the mapping file"
            )
    print(f"\nSets (code and document groups) ({len(project.sets)}):")
    for group in project.sets.itertuples(index=False):
        n_codes, n_sources = len(group.code_guids.split()), len(group.source_guids.split())
        print(f"  {group.name}  ({n_codes} codes, {n_sources} sources){placed.get(group.guid, '')}")
    if tables is None:
        print("  (give --study-dir to see which category each code group stands for)")


def print_conflicts(project) -> None:
    """User conflicts: codings whose own creating user differs from their selection's."""
    conflicts = project.codings[project.codings["conflict_user"] != ""]
    if conflicts.empty:
        return
    names = dict(zip(project.users["guid"], project.users["name"], strict=True))
    print(
        f"\nUser conflicts ({len(conflicts)}): the coding's creating user is not the "
        "selection's creating user"
    )
    pairs = conflicts.groupby(
        ["selection_user_guid", "coding_user_guid", "coder", "decided_by"], sort=True
    ).size()
    for (selection, coding, coder, decided_by), n in pairs.items():
        print(
            f"  selection by {names.get(selection, selection)}, coding by "
            f"{names.get(coding, coding)}: {n} coding(s), credited to {coder} ({decided_by})"
        )
    first = pairs.index[0]
    print(
        CONFLICT_HELP.format(
            selection=names.get(first[0], first[0]), coding=names.get(first[1], first[1])
        )
    )
