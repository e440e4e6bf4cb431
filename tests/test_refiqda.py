"""REFI-QDA: a real NVivo export imports with a mapping file, our export passes the schema and
round-trips. The NVivo project is in tests/data/ (origin and MIT notice in its README); the
schema is the one medvirk ships (src/medvirk/data/Project.xsd)."""

import re
import zipfile
from pathlib import Path

import krippendorff
import numpy as np
import pandas as pd
import pytest
import yaml

from medvirk import refiqda
from medvirk.agreement import agreement_pooled
from medvirk.cli import main
from medvirk.codings import presence_grid
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
    assert alpha == pytest.approx(0.2404, abs=1e-4)  # three coders, two examples, 8 factors
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
    assert "Users (4):" in out and "bjørn" in out
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
