"""REFI-QDA: a real NVivo export imports with a mapping file, our export passes the schema and
round-trips. The NVivo project is in tests/data/ (origin and MIT notice in its README); the
schema is the one medvirk ships (src/medvirk/data/Project.xsd)."""

import io
import re
import zipfile
from pathlib import Path

import krippendorff
import numpy as np
import pandas as pd
import pytest
import yaml
from lxml import etree

from medvirk import refiqda
from medvirk.agreement import agreement_pooled
from medvirk.cli import main
from medvirk.codings import presence_grid
from medvirk.palette import PALETTE, category_colours
from tests.conftest import EMBEDDED, REPO

NVIVO = REPO / "tests" / "data" / "nvivo_three_users.qdpx"
SCHEMA = refiqda.PROJECT_XSD


# NVivo codes (Hungarian and English labels) mapped onto some of our factors.
NVIVO_CODES = {
    "+Government": "F01",
    "+Media": "F02",
    "Resisting coercion": "F03",
    "Financial interests": "F04",
    "Anecdotal evidence": "F05",
    "politikusokkal szembeli bizalmatlanság": "F06",
    "nem hatékony": "F07",
    "Epistemic superiority": "F08",
}


def nvivo_mapping() -> pd.DataFrame:
    rows = [{"code_name": name, "factor_id": fid} for name, fid in NVIVO_CODES.items()]
    rows += [
        {"source_name": "videos_selection", "example_id": "E01"},
        {"source_name": "videos_10_selected", "example_id": "E02"},
    ]
    return pd.DataFrame(rows)


def presence_alpha(codings: pd.DataFrame, examples, factors) -> float:
    """Krippendorff's alpha on a coders x (example, factor) presence matrix."""
    units = pd.MultiIndex.from_product([examples, factors], names=["example_id", "factor_id"])
    matrix = (
        codings.assign(present=1)
        .pivot_table(index="coder", columns=["example_id", "factor_id"], values="present")
        .reindex(columns=units)
        .fillna(0)
    )
    return krippendorff.alpha(matrix.to_numpy(), level_of_measurement="nominal")


def test_nvivo_export_imports_with_a_mapping_file(embedded):
    codings, problems = refiqda.read_qdpx(
        NVIVO, embedded["examples.csv"], embedded["codebook/factors.csv"], nvivo_mapping()
    )
    assert set(codings["coder"]) == {"Gergo", "floriansipos", "test_user"}
    assert set(codings["example_id"]) == {"E02"}
    assert set(codings["factor_id"]) == set(NVIVO_CODES.values())
    by_coder = codings.groupby("coder")["factor_id"].apply(set).to_dict()
    assert by_coder["Gergo"] == {"F06", "F07"}
    assert by_coder["test_user"] == {"F01", "F02", "F03", "F04", "F05", "F08"}
    # Codes we did not map are reported with their number of codings, not dropped silently.
    unmatched = problems[problems["kind"] == "code_unmatched"]
    assert "Side effects" in set(unmatched["item"])
    assert unmatched["detail"].str.contains("skipped").all()
    factor_ids = sorted(NVIVO_CODES.values())
    alpha = presence_alpha(codings, ["E01", "E02"], factor_ids)
    # By hand: 16 units (E01, E02 x 8 factors), 3 coders each. E01: 8 units nobody marked
    # (3 absent). E02: F01-F05, F08 marked by two coders (1 absent, 2 present), F06 by two
    # (1, 2), F07 by one (2, 1). Each split unit adds 2 * 1 / (3 - 1) = 1 to the absent-present
    # coincidence: o_01 = 8. Marginals: absent 24 + 7 + 2 = 33, present 14 + 1 = 15, n = 48.
    # alpha = 1 - (n - 1) o_01 / (n_0 n_1) = 1 - 47 * 8 / (33 * 15) = 119 / 495 = .2404.
    assert alpha == pytest.approx(119 / 495)
    # medvirk's own agreement gives the krippendorff package's value on the same grid
    grid = presence_grid(codings, ["E01", "E02"], factor_ids, sorted(set(codings["coder"])))
    pooled = agreement_pooled(grid, replicates=10, seed=1)
    assert pooled.loc[pooled["scope"] == "pooled", "alpha"].item() == pytest.approx(alpha)


def test_nvivo_project_lists_users_codes_and_sources():
    project = refiqda.load_qdpx(NVIVO, schema=SCHEMA)
    assert set(project.users["name"]) == {"Gergo", "floriansipos", "test_user"}
    assert (project.codes["depth"] > 0).any()  # hierarchical codebook
    assert "1. Oltás típusa/COVID" in set(project.codes["path"])
    assert set(project.sources["name"]) == {"videos_selection", "videos_10_selected"}
    assert not [p for p in project.problems if p[0] == "schema"]


def test_mapping_by_guid_ignores_braces_and_case(embedded):
    mapping = pd.DataFrame(
        {
            "code_guid": ["{E766422B-FA72-4E65-ABDD-AE1DBFF1D2AB}", None],
            "factor_id": ["F09", None],
            "source_guid": [None, "{68BBDC14-C361-4432-B4DD-AE1DBFC12890}"],
            "example_id": [None, "E02"],
        }
    )
    project = refiqda.load_qdpx(NVIVO)
    codings, _ = refiqda.map_codings(
        project, embedded["examples.csv"], embedded["codebook/factors.csv"], mapping
    )
    ad_populum = project.codings["code_guid"] == "e766422b-fa72-4e65-abdd-ae1dbff1d2ab"
    assert set(codings["factor_id"]) == {"F09"}
    assert len(codings) == project.codings[ad_populum]["coder"].nunique()


def test_unmapped_sources_are_reported(embedded):
    mapping = nvivo_mapping().dropna(subset=["code_name"])
    codings, problems = refiqda.read_qdpx(
        NVIVO, embedded["examples.csv"], embedded["codebook/factors.csv"], mapping
    )
    assert codings.empty
    unmatched = set(problems.loc[problems["kind"] == "source_unmatched", "item"])
    assert unmatched == {"videos_selection", "videos_10_selected"}


def study_tables(embedded):
    examples = embedded["examples.csv"]
    factors = embedded["codebook/factors.csv"]
    categories = embedded["codebook/categories.csv"]
    rng = np.random.default_rng(6)
    rows = [
        (e, coder, f)
        for e in examples["example_id"][:6]
        for coder in ("anna", "bjørn", "cecilie")
        for f in factors["factor_id"]
        if rng.random() < 0.2
    ]
    codings = pd.DataFrame(rows, columns=refiqda.CODING_COLUMNS)
    consensus = codings[codings["coder"] == "anna"][["example_id", "factor_id"]]
    return examples, factors, categories, codings, consensus


def test_export_validates_against_the_schema_and_round_trips(embedded, tmp_path):
    examples, factors, categories, codings, consensus = study_tables(embedded)
    path = refiqda.write_qdpx(
        tmp_path / "s.qdpx", examples, factors, categories, codings, consensus
    )
    with zipfile.ZipFile(path) as archive:
        assert refiqda.validate_qde(archive.read("project.qde"), SCHEMA) == []
        assert len([n for n in archive.namelist() if n.startswith("Sources/")]) == len(examples)
    back, problems = refiqda.read_qdpx(path, examples, factors, schema=SCHEMA)
    assert problems.empty, problems
    expected = pd.concat([codings, consensus.assign(coder="consensus")[codings.columns]])
    expected = expected.sort_values(refiqda.CODING_COLUMNS).reset_index(drop=True)
    pd.testing.assert_frame_equal(back, expected)


def test_sources_match_examples_by_id_or_title(embedded):
    examples = embedded["examples.csv"]
    lookup = refiqda.source_lookup(examples, None, "id_or_title")
    assert lookup[refiqda._key("Troen på bruker..docx")] == "E03"
    assert lookup[refiqda._key("e03.TXT")] == "E03"
    assert refiqda._key("Troen på bruker.") not in refiqda.source_lookup(examples, None, "id")


def test_export_is_deterministic(embedded, tmp_path):
    examples, factors, categories, codings, _ = study_tables(embedded)
    a = refiqda.write_qdpx(tmp_path / "a.qdpx", examples, factors, categories, codings)
    b = refiqda.write_qdpx(tmp_path / "b.qdpx", examples, factors, categories, codings)
    assert a.read_bytes() == b.read_bytes()
    qdc = refiqda.write_qdc(tmp_path / "codebook.qdc", factors, categories)
    assert qdc.read_text(encoding="utf-8").count('isCodable="true"') == len(factors)


def test_capital_p_project_and_missing_sources_are_reported(embedded, tmp_path):
    examples, factors, categories, codings, _ = study_tables(embedded)
    good = refiqda.write_qdpx(tmp_path / "g.qdpx", examples, factors, categories, codings)
    messy = tmp_path / "messy.qdpx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(messy, "w") as dst:
        dst.writestr("Project.qde", src.read("project.qde"))
    back, problems = refiqda.read_qdpx(messy, examples, factors)
    assert len(back) == len(codings.drop_duplicates())
    assert {"layout", "missing_file"} <= set(problems["kind"])


def test_qdpx_info_prints_users_codes_and_mapping(embedded, tmp_path, capsys):
    examples, factors, categories, codings, _ = study_tables(embedded)
    path = refiqda.write_qdpx(tmp_path / "s.qdpx", examples, factors, categories, codings)
    assert main(["qdpx-info", str(path), "--study-dir", str(EMBEDDED)]) == 0
    out = capsys.readouterr().out
    assert "Users (5):" in out and "bjørn" in out and f"  {refiqda.EXPORT_USER}  [" in out
    assert "Mapped onto" in out and "Everything mapped." in out


MESSY_QDE = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="messy" creatingUserGUID="{u1}">
<Users><User guid="{u1}" name="kari"/></Users>
<CodeBook><Codes>
  <Code guid="{c1}" name="Tema" isCodable="false">
    <Code guid="{c2}" name="Mulighet til påvirkning" isCodable="true"/>
    <Code guid="{c3}" name="Noe annet"/>
  </Code>
</Codes></CodeBook>
<Cases>
  <Case guid="{k1}" name="E04"><CodeRef targetGUID="{c2}"/></Case>
  <Case guid="{k2}" name="Intervju 7"><CodeRef targetGUID="{c2}"/></Case>
</Cases>
<Sources>
  <PDFSource guid="{s1}" name="E01.pdf" path="internal://{s1}.pdf">
    <PDFSelection guid="{p1}" page="1" firstX="0" firstY="0" secondX="9" secondY="9"
        creatingUser="{u1}">
      <Coding guid="{g1}"><CodeRef targetGUID="{c2}"/></Coding>
    </PDFSelection>
  </PDFSource>
  <VideoSource guid="{s2}" name="opptak.mp4" path="internal://{s2}.mp4">
    <VideoSelection guid="{p2}" begin="0" end="9" creatingUser="{u1}">
      <Coding guid="{g2}"><CodeRef targetGUID="{c3}"/></Coding>
    </VideoSelection>
  </VideoSource>
</Sources>
</Project>
"""


def test_messy_project_reads_what_it_can_and_reports_the_rest(embedded, tmp_path):
    keys = ["u1", "c1", "c2", "c3", "k1", "k2", "s1", "s2", "p1", "p2", "g1", "g2"]
    ids = {k: refiqda.stable_guid("test", k) for k in keys}
    path = tmp_path / "messy.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("Project.qde", MESSY_QDE.format(**ids))
        archive.writestr("Sources/", b"")  # an empty Sources folder
    codings, problems = refiqda.read_qdpx(
        path, embedded["examples.csv"], embedded["codebook/factors.csv"], schema=SCHEMA
    )
    # PDF selection in E01 (name minus extension) and the code on case E04, both by label F03
    assert codings.to_dict("records") == [
        {"example_id": "E01", "coder": "kari", "factor_id": "F03"},
        {"example_id": "E04", "coder": "kari", "factor_id": "F03"},
    ]
    found = set(zip(problems["kind"], problems["item"], strict=True))
    assert ("source_unmatched", "opptak.mp4") in found
    assert ("case_unmatched", "Intervju 7") in found
    assert ("code_unmatched", "Noe annet") in found
    assert ("layout", "Project.qde") in found
    assert {"missing_file", "schema"} <= set(problems["kind"])  # no isCodable: reported, read


def test_many_files_one_unreadable_and_the_consensus_user_skipped(embedded, tmp_path):
    examples, factors, categories, codings, consensus = study_tables(embedded)
    refiqda.write_qdpx(tmp_path / "b.qdpx", examples, factors, categories, codings, consensus)
    (tmp_path / "a.qdpx").write_bytes(b"PK\x03\x04 truncated")
    back, problems, covered = refiqda.read_qdpx_files(
        [tmp_path / "b.qdpx", tmp_path / "a.qdpx"], examples, factors
    )
    # the export holds every example as a source, so each coder coded all of them
    assert set(covered.groupby("coder").size()) == {len(examples)}
    assert sorted(covered["coder"].unique()) == sorted(set(codings["coder"]) - {"consensus"})
    pd.testing.assert_frame_equal(
        back, codings.drop_duplicates().sort_values(refiqda.CODING_COLUMNS, ignore_index=True)
    )
    assert problems[["file", "kind"]].values.tolist() == [
        ["a.qdpx", "unreadable"],
        ["b.qdpx", "consensus_user"],
    ]
    assert "cannot be opened" in problems["detail"].iloc[0]


def test_mapping_file_is_checked_at_the_boundary(tmp_path):
    good = tmp_path / "good.csv"
    good.write_text("code_name,factor_id,source_name,example_id\nTema,F01,,\n,,E1.pdf,E01\n")
    assert len(refiqda.read_mapping(good)) == 2
    typo = tmp_path / "typo.csv"
    typo.write_text("code_nmae,factor_id\nTema,F01\n")
    with pytest.raises(refiqda.InputError, match="code_nmae"):
        refiqda.read_mapping(typo)
    half = tmp_path / "half.csv"
    half.write_text("code_name,factor_id,source_name,example_id\nTema,F01,,\n,,E1.pdf,\n")
    with pytest.raises(refiqda.InputError, match="row 3, column 'example_id'"):
        refiqda.read_mapping(half)


def test_codebook_qdc_validates_through_project_xsd(embedded, tmp_path):
    factors, categories = embedded["codebook/factors.csv"], embedded["codebook/categories.csv"]
    qdc = refiqda.write_qdc(tmp_path / "codebook.qdc", factors, categories).read_bytes()
    assert refiqda.validate_qdc(qdc, SCHEMA) == []
    broken = qdc.replace(b'isCodable="true"', b'isCodable="maybe"', 1)
    assert refiqda.validate_qdc(broken, SCHEMA)  # the check can fail


def test_nvivo_export_runs_through_the_study_reader_to_agreement(embedded, tmp_path):
    from medvirk.agreement import agreement_pooled
    from medvirk.codings import read_study_codings

    folder = tmp_path / "codings"
    folder.mkdir()
    (folder / "nvivo.qdpx").write_bytes(NVIVO.read_bytes())
    nvivo_mapping().to_csv(folder / "qdpx_mapping.csv", index=False)
    grid, ladder, problems = read_study_codings(
        folder,
        [],
        embedded["examples.csv"],
        embedded["codebook/factors.csv"],
        [folder / "nvivo.qdpx"],
        folder / "qdpx_mapping.csv",
        schema=SCHEMA,
    )
    assert sorted(grid["coder"].unique()) == ["Gergo", "floriansipos", "test_user"]
    assert ladder.empty and "ladder_step" in ladder.columns
    assert "Side effects" in set(problems.loc[problems["kind"] == "code_unmatched", "item"])
    assert not (problems["kind"] == "schema").any()
    coded = grid[
        grid["example_id"].isin(["E01", "E02"]) & grid["factor_id"].isin(NVIVO_CODES.values())
    ]
    pooled = agreement_pooled(coded.astype({"present": int}), replicates=0)
    expected = presence_alpha(
        grid[grid["present"] == 1], ["E01", "E02"], sorted(NVIVO_CODES.values())
    )
    assert pooled["alpha"].item() == pytest.approx(expected)


# ---------------------------------------------------------------- what a QDA program shows

Q = f"{{{refiqda.NS}}}"


def viewer_problems(qdpx: Path) -> list[str]:
    """What a QDA program would not show as medvirk meant it, one message each.

    Each text source is read as QualCoder reads it (UTF-8, any line end as one character) and
    shown as its viewer shows it (without the final line end); a selection must lie within
    that text, a whole-document selection must end at its end, every code must have a colour,
    and every source a creating user listed in Users.
    """
    found = []
    with zipfile.ZipFile(qdpx) as archive:
        root = etree.fromstring(archive.read("project.qde"))
        users = {u.get("guid") for u in root.iter(f"{Q}User")}
        for code in root.iter(f"{Q}Code"):
            if not re.fullmatch(r"#[0-9A-Fa-f]{6}", code.get("color") or ""):
                found.append(f"code {code.get('name')}: no #RRGGBB colour")
        for source in root.iter(f"{Q}TextSource"):
            if source.get("creatingUser") not in users:
                found.append(f"source {source.get('name')}: no creating user")
            member = "Sources/" + source.get("plainTextPath").removeprefix("internal://")
            read = io.TextIOWrapper(io.BytesIO(archive.read(member)), encoding="utf-8").read()
            shown = read.removesuffix("\n")
            for selection in source.iter(f"{Q}PlainTextSelection"):
                start = int(selection.get("startPosition"))
                end = int(selection.get("endPosition"))
                if not 0 <= start <= end <= len(shown):
                    found.append(f"{source.get('name')}: {start}-{end} outside 0-{len(shown)}")
                elif start == 0 and end != len(shown):
                    found.append(f"{source.get('name')}: 0-{end} does not cover 0-{len(shown)}")
    return found


def messy_examples(examples: pd.DataFrame) -> pd.DataFrame:
    """Examples with Windows and old-Mac line ends, trailing blank lines and spaces, æøå."""
    messy = examples.copy()
    messy.loc[messy.index[0], "summary"] = "Første linje\r\nandre linje: æøå ÆØÅ\r\n\r\n  "
    messy.loc[messy.index[1], "title"] = "Tittel\rmed gammelt linjeskift\n\n"
    messy.loc[messy.index[2], "summary"] = ""
    return messy


def test_export_selections_lie_within_the_shown_text_and_codes_have_colours(embedded, tmp_path):
    examples, factors, categories, codings, consensus = study_tables(embedded)
    examples = messy_examples(examples)
    path = refiqda.write_qdpx(
        tmp_path / "s.qdpx", examples, factors, categories, codings, consensus
    )
    assert viewer_problems(path) == []
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("project.qde")
        assert refiqda.validate_qde(xml, SCHEMA) == []
        texts = [archive.read(n) for n in archive.namelist() if n.startswith("Sources/")]
    assert not any(b"\r" in text for text in texts)
    assert all(text.endswith(b"\n") and not text.endswith(b"\n\n") for text in texts)
    # every code has its category's colour, the one the figures draw the category in
    root = etree.fromstring(xml)
    colours = category_colours(categories.sort_values("published_order")["category_id"])
    assert set(colours.values()) <= set(PALETTE)
    for category in root.find(f"{Q}CodeBook/{Q}Codes"):
        cid = category.find(f"{Q}Description").text
        assert {c.get("color") for c in category.iter(f"{Q}Code")} == {colours[cid]}
    # the sources are medvirk's, not the 'default' user's
    users = {u.get("guid"): u.get("name") for u in root.iter(f"{Q}User")}
    assert {users[s.get("creatingUser")] for s in root.iter(f"{Q}TextSource")} == {"medvirk"}
    # the codings read back unchanged, and medvirk's own user is neither a coder nor a problem
    back, problems, _ = refiqda.read_qdpx_files([path], examples, factors)
    assert problems["kind"].tolist() == ["consensus_user"]
    pd.testing.assert_frame_equal(
        back, codings.drop_duplicates().sort_values(refiqda.CODING_COLUMNS, ignore_index=True)
    )
    # the check can fail: a selection one past the shown text, as medvirk used to write them
    source = root.find(f"{Q}Sources/{Q}TextSource/{Q}PlainTextSelection")
    source.set("endPosition", str(int(source.get("endPosition")) + 1))
    broken = tmp_path / "broken.qdpx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(broken, "w") as dst:
        for name in src.namelist():
            dst.writestr(name, etree.tostring(root) if name == "project.qde" else src.read(name))
    assert len(viewer_problems(broken)) == 1


def test_codebook_qdc_codes_have_the_category_colours(embedded, tmp_path):
    factors, categories = embedded["codebook/factors.csv"], embedded["codebook/categories.csv"]
    root = etree.parse(refiqda.write_qdc(tmp_path / "c.qdc", factors, categories)).getroot()
    codes = list(root.iter(f"{{{refiqda.CODEBOOK_NS}}}Code"))
    assert len(codes) == len(factors) + len(categories)
    assert [c.get("color") for c in codes if c.get("isCodable") == "false"] == PALETTE[:4]


# ---------------------------------------------------------------- code groups (Sets)

# An ATLAS.ti-like project: code groups named like a category (case and spacing aside), placed
# by the mapping file, named like a category in English, a group that stands for no category,
# and a document group. «Åpen dialog» (F10, category C2) sits in the group of C1.
ATLAS_QDE = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="atlas" origin="ATLAS.ti 8.4">
<Users><User guid="{u1}" name="ola"/></Users>
<CodeBook><Codes>
  <Code guid="{c1}" name="Mulighet til påvirkning" isCodable="true"/>
  <Code guid="{c2}" name="Åpen dialog" isCodable="true"/>
  <Code guid="{c3}" name="Tillit" isCodable="true"/>
  <Code guid="{c4}" name="Bolig" isCodable="true"/>
  <Code guid="{c5}" name="Notat" isCodable="true"/>
</Codes></CodeBook>
<Sources>
  <TextSource guid="{s1}" name="E01.txt" plainTextPath="internal://{s1}.txt" creatingUser="{u1}">
    <PlainTextSelection guid="{p1}" startPosition="0" endPosition="5" creatingUser="{u1}">
      <Coding guid="{g1}" creatingUser="{u1}"><CodeRef targetGUID="{c1}"/></Coding>
      <Coding guid="{g2}" creatingUser="{u1}"><CodeRef targetGUID="{c2}"/></Coding>
      <Coding guid="{g3}" creatingUser="{u1}"><CodeRef targetGUID="{c3}"/></Coding>
    </PlainTextSelection>
  </TextSource>
</Sources>
<Sets>
  <Set guid="{k1}" name="konkrete  TIPS"><Description>Kategori 1</Description>
    <MemberCode targetGUID="{c1}"/><MemberCode targetGUID="{c2}"/></Set>
  <Set guid="{k2}" name="Relasjoner"><MemberCode targetGUID="{c3}"/></Set>
  <Set guid="{k3}" name="Health-promoting success factors"><MemberCode targetGUID="{c4}"/></Set>
  <Set guid="{k4}" name="Til senere"><MemberCode targetGUID="{c5}"/></Set>
  <Set guid="{k5}" name="Intervjuer"><MemberSource targetGUID="{s1}"/></Set>
</Sets>
</Project>
"""
SET_MAPPING = "set_name,category_id\nRelasjoner,C2\n"


def atlas_project(folder: Path) -> Path:
    keys = ["u1", "c1", "c2", "c3", "c4", "c5", "s1", "p1", "g1", "g2", "g3"]
    ids = {k: refiqda.stable_guid("atlas", k) for k in [*keys, "k1", "k2", "k3", "k4", "k5"]}
    path = folder / "atlas.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", ATLAS_QDE.format(**ids))
        archive.writestr(f"Sources/{ids['s1']}.txt", "Tekst om medvirkning.\n")
    return path


def test_code_groups_are_read_and_placed_onto_categories(embedded, tmp_path):
    path = atlas_project(tmp_path)
    project = refiqda.load_qdpx(path, schema=SCHEMA)
    assert project.problems == []  # valid QDA-XML, every member known
    assert project.sets["name"].tolist() == [
        "konkrete  TIPS",
        "Relasjoner",
        "Health-promoting success factors",
        "Til senere",
        "Intervjuer",
    ]
    assert [len(g.split()) for g in project.sets["code_guids"]] == [2, 1, 1, 1, 0]
    mapping = pd.read_csv(io.StringIO(SET_MAPPING), dtype=str)
    factors, categories = embedded["codebook/factors.csv"], embedded["codebook/categories.csv"]
    groups = refiqda.set_categories(project, factors, categories, mapping)
    placed = {g.name: (g.category_id, g.matched_by) for g in groups.itertuples(index=False)}
    assert placed == {
        "konkrete  TIPS": ("C1", "name"),
        "Relasjoner": ("C2", "mapping file"),
        "Health-promoting success factors": ("C4", "name"),
        "Til senere": ("", ""),
    }  # the document group is no code group
    codings, problems = refiqda.map_codings(
        project, embedded["examples.csv"], factors, mapping, categories=categories
    )
    # a group changes no count: the codings are those of the codes
    assert sorted(codings["factor_id"]) == ["F03", "F10"]
    by_kind = problems.groupby("kind")["item"].apply(list).to_dict()
    assert by_kind["set_unmatched"] == ["Til senere"]
    assert by_kind["set_category_mismatch"] == ["konkrete  TIPS / Åpen dialog"]
    tillit = problems.loc[problems["item"] == "Tillit", "detail"].item()
    c2 = ", ".join(factors.loc[factors["category_id"] == "C2", "factor_id"])
    assert f"«Relasjoner» stands for category C2 (factors {c2})" in tillit


def test_qdpx_info_lists_the_sets_and_their_categories(tmp_path, capsys):
    path = atlas_project(tmp_path)
    mapping = tmp_path / "map.csv"
    mapping.write_text(SET_MAPPING, encoding="utf-8")
    assert main(["qdpx-info", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Sets (code and document groups) (5):" in out
    assert "  Intervjuer  (0 codes, 1 sources)" in out
    assert "give --study-dir" in out
    args = ["qdpx-info", str(path), "--study-dir", str(EMBEDDED), "--mapping", str(mapping)]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "  konkrete  TIPS  (2 codes, 0 sources)  -> C1 Konkrete tips (by name)" in out
    assert "  Relasjoner  (1 codes, 0 sources)  -> C2 Holdninger/faglig tilnærming" in out
    assert "(by mapping file)" in out
    assert (
        "  Til senere  (1 codes, 0 sources)  -> no category: add a row set_name,category_id" in out
    )
    assert "[set_category_mismatch] konkrete  TIPS / Åpen dialog" in out


# ---------------------------------------------------------------- user conflicts


def with_conflicts(
    path: Path, conflicts: dict[tuple[str, str, str], str], out: Path | None = None
) -> Path:
    """The export at `path` with the Coding of each (example, coder, factor) selection credited
    to another user (by name), as NVivo writes a passage one user selected and another coded;
    written to `out` (default: conflicts_<name> beside it)."""
    with zipfile.ZipFile(path) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    root = etree.fromstring(members["project.qde"])
    codings = {c.get("guid"): c for c in root.iter(f"{Q}Coding")}
    for (example, coder, factor), other in conflicts.items():
        coding = codings[refiqda.stable_guid("coding", example, coder, factor)]
        coding.set("creatingUser", refiqda.stable_guid("user", other))
    members["project.qde"] = etree.tostring(root, xml_declaration=True, encoding="utf-8")
    out = out or path.with_name(f"conflicts_{path.name}")
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out


def conflict_study(embedded, tmp_path):
    examples, factors, categories, codings, _ = study_tables(embedded)
    anna = codings[codings["coder"] == "anna"].head(2)
    cecilie = codings[codings["coder"] == "cecilie"].head(1)
    moved = {tuple(r): "bjørn" for r in anna.itertuples(index=False)}
    moved |= {tuple(r): "anna" for r in cecilie.itertuples(index=False)}
    path = refiqda.write_qdpx(tmp_path / "team.qdpx", examples, factors, categories, codings)
    return with_conflicts(path, moved), examples, factors, codings, moved


def test_each_user_conflict_is_listed_and_credited_to_the_selection(embedded, tmp_path):
    path, examples, factors, codings, moved = conflict_study(embedded, tmp_path)
    back, problems, _ = refiqda.read_qdpx_files([path], examples, factors)
    expected = codings.drop_duplicates().sort_values(refiqda.CODING_COLUMNS, ignore_index=True)
    pd.testing.assert_frame_equal(back, expected)  # by default the selection's user keeps it
    conflicts = problems[problems["kind"] == "user_conflict"]
    assert len(conflicts) == len(moved) == 3
    for (example, coder, factor), other in moved.items():
        label = factors.set_index("factor_id").loc[factor, "label_nb"]
        guid = refiqda.stable_guid("coding", example, coder, factor)
        row = conflicts[conflicts["detail"].str.contains(guid)]
        assert row["item"].item().startswith(f"{example}, characters 0-")
        assert row["item"].item().endswith(f"code «{label}»")
        assert (
            row["detail"]
            .item()
            .startswith(
                f"selection by {coder}, coding by {other}: credited to {coder}, the selection's user"
            )
        )
    notices = refiqda.user_conflict_notices(
        problems, Path("data/raw/s/codings"), "results/s/coding/qdpx_problems.csv"
    )
    assert len(notices) == 1
    notice = notices[0]
    assert (notice.effect, notice.file, notice.where) == (
        "agreement",
        f"data/raw/s/codings/{path.name}",
        "project.qde",
    )
    assert notice.nb.startswith("3 koding(er)") and notice.en.startswith("3 coding(s)")
    assert "results/s/coding/qdpx_problems.csv" in notice.en
    for name in ("anna", "bjørn", "cecilie"):  # names stay in qdpx_problems.csv
        assert name not in notice.nb + notice.en


def credited(codings: pd.DataFrame, moves: dict) -> pd.DataFrame:
    """The codings with each (example, coder, factor) in `moves` credited to its new coder."""
    keys = list(codings[refiqda.CODING_COLUMNS].itertuples(index=False, name=None))
    moved = codings.assign(coder=[moves.get(k, k[1]) for k in keys])
    return moved.drop_duplicates().sort_values(refiqda.CODING_COLUMNS, ignore_index=True)


def test_the_mapping_file_decides_whose_a_conflict_is(embedded, tmp_path):
    path, examples, factors, codings, moved = conflict_study(embedded, tmp_path)
    mapping = tmp_path / "map.csv"
    mapping.write_text(
        "selection_user,coding_user,conflict_user\nANNA, bjørn ,coding\n", encoding="utf-8"
    )
    back, problems, _ = refiqda.read_qdpx_files(
        [path], examples, factors, refiqda.read_mapping(mapping)
    )
    to_bjorn = {k: v for k, v in moved.items() if v == "bjørn"}
    assert len(to_bjorn) == 2
    pd.testing.assert_frame_equal(back, credited(codings, to_bjorn))
    kinds = problems["kind"].value_counts().to_dict()
    assert kinds == {"user_conflict_decided": 2, "user_conflict": 1}
    decided = problems.loc[problems["kind"] == "user_conflict_decided", "detail"]
    assert decided.str.contains(
        "credited to bjørn, the coding's user, as the mapping file says"
    ).all()
    notices = refiqda.user_conflict_notices(problems, "data/raw/s/codings", "qdpx_problems.csv")
    assert sorted((n.effect, n.en[:12]) for n in notices) == [
        ("agreement", "1 coding(s) "),
        ("info", "2 coding(s) "),
    ]
    # an empty user stands for any user: every conflict goes to the coding's user
    anyone = pd.DataFrame({"conflict_user": ["coding"]})
    back, problems, _ = refiqda.read_qdpx_files([path], examples, factors, anyone)
    assert problems["kind"].tolist() == ["user_conflict_decided"] * 3
    pd.testing.assert_frame_equal(back, credited(codings, moved))


def test_nvivo_lists_all_297_user_conflicts(embedded):
    codings, problems = refiqda.read_qdpx(
        NVIVO, embedded["examples.csv"], embedded["codebook/factors.csv"], nvivo_mapping()
    )
    conflicts = problems[problems["kind"] == "user_conflict"]
    assert len(conflicts) == 297
    assert conflicts["detail"].str.startswith("selection by floriansipos, coding by Gergo").all()
    assert conflicts["detail"].str.extract(r"\(coding ([0-9a-f-]+)\)")[0].nunique() == 297
    # decided for the coding's user, Gergo gets what floriansipos selected in E02
    decide = pd.concat(
        [nvivo_mapping(), pd.DataFrame({"conflict_user": ["coding"]})], ignore_index=True
    )
    moved, problems = refiqda.read_qdpx(
        NVIVO, embedded["examples.csv"], embedded["codebook/factors.csv"], decide
    )
    assert (problems["kind"] == "user_conflict_decided").sum() == 297
    assert "floriansipos" in set(codings["coder"]) and "floriansipos" not in set(moved["coder"])
    assert set(moved.loc[moved["coder"] == "Gergo", "factor_id"]) == set(
        codings.loc[codings["coder"].isin(["Gergo", "floriansipos"]), "factor_id"]
    )


@pytest.mark.parametrize(
    ("text", "column", "row"),
    [
        ("selection_user,coding_user,conflict_user\nkari,ola,kari\n", "conflict_user", 2),
        ("selection_user,conflict_user\nkari,\n", "conflict_user", 2),
        ("set_name,category_id\nTema,C1\nAndre,\n", "category_id", 3),
    ],
)
def test_mapping_file_checks_sets_and_conflict_rows(tmp_path, text, column, row):
    path = tmp_path / "map.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(refiqda.InputError, match=f"row {row}, column '{column}'"):
        refiqda.read_mapping(path)


def test_the_packaged_schema_is_the_default_and_read_from_inside_the_package():
    import medvirk

    assert SCHEMA.is_file() and SCHEMA.is_relative_to(Path(medvirk.__file__).parent)
    assert b'targetNamespace="urn:QDA-XML:project:1.0"' in SCHEMA.read_bytes()
    assert refiqda.schema_file("packaged") == SCHEMA
    assert refiqda.schema_file("") is None and refiqda.schema_file("none") is None
    assert refiqda.schema_file("other/Project.xsd") == Path("other/Project.xsd")
    config = yaml.safe_load((REPO / "config" / "config.yaml").read_text(encoding="utf-8"))
    assert config["coding"]["qdpx_schema"] == "packaged"


def test_nothing_in_the_repository_points_outside_it():
    """Code, tests, workflow and config read no file from the team's folder beside the repository."""
    folders = ["src", "tests", "workflow", "config", ".ci"]
    files = [REPO / "Makefile", REPO / "Snakefile"]
    for folder in folders:
        files += [
            p
            for p in (REPO / folder).rglob("*")
            if p.is_file() and not {"__pycache__", "medvirk.egg-info"} & set(p.parts)
        ]
    beside = "shared"  # the team's reference folder beside the repository
    outside = re.compile(rf"\.\./{beside}\b|/{beside}/(refi-qda|study)")
    found = [
        str(p.relative_to(REPO))
        for p in files
        if p.suffix not in (".qdpx", ".png", ".xlsx")
        and outside.search(p.read_text(encoding="utf-8", errors="replace"))
    ]
    assert found == []
