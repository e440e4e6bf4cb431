"""A study coded only in QDA programs: .qdpx files in codings/ flow to agreement and Table 1.

The projects go into a copy of the embedded study's finished run, as the coders' workbooks do
in test_coding_workflow.py.
"""

import zipfile

import pandas as pd
import pytest

from medvirk import refiqda
from medvirk.agreement import agreement_pooled
from medvirk.codings import presence_grid
from tests.test_refiqda import MESSY_QDE, viewer_problems, with_conflicts
from tests.workflow_runs import copy_of, logs_saying, snakemake

pytestmark = pytest.mark.e2e
RAW = "data/raw/fhi2016"
REPORT = "results/fhi2016/report.html"
REPLICATES = 50
CONFIG = f"""\
coding:
  enabled: true
  coders: []
  simulate: false
  bootstrap_replicates: {REPLICATES}
"""
# Three coders in one project exported by medvirk, with known disagreements.
TEAM = {
    "anna": [("E01", "F01"), ("E02", "F01"), ("E03", "F02"), ("E04", "F08")],
    "bjørn": [("E01", "F01"), ("E02", "F01"), ("E03", "F02"), ("E05", "F08")],
    "cecilie": [("E01", "F01"), ("E02", "F03"), ("E03", "F02")],
}
# User conflicts, as NVivo writes them: cecilie made the Coding on a selection of anna's and on
# one of bjørn's. The first stays anna's (the default: the selection's user); the mapping file
# gives conflicts between bjørn's selections and cecilie's codings to cecilie.
CONFLICTS = {("E04", "anna", "F08"): "cecilie", ("E05", "bjørn", "F08"): "cecilie"}
CREDITED = {("E05", "bjørn", "F08"): "cecilie"}
# kari's hand-written NVivo-like project (tests.test_refiqda.MESSY_QDE): a PDF selection in
# E01.pdf and a code on case E04, both «Mulighet til påvirkning» (F03); «Noe annet» in a video
# that only the mapping file places (E06, F05); a case «Intervju 7» nobody maps.
KARI = [("E01", "F03"), ("E04", "F03"), ("E06", "F05")]
# What each coder's project holds: the team's the first six examples, kari's E01.pdf, case E04
# and the video the mapping places in E06. Other examples were not coded by them at all.
HELD = {"anna": 6, "bjørn": 6, "cecilie": 6, "kari": ["E01", "E04", "E06"]}
MAPPING = (
    "code_name,factor_id,source_name,example_id,selection_user,coding_user,conflict_user\n"
    "Noe annet,F05,,,,,\n,,opptak.mp4,E06,,,\n,,,,bjørn,cecilie,coding\n"
)


def _study(work):
    examples = pd.read_csv(work / RAW / "examples.csv", dtype=str)
    factors = pd.read_csv(work / RAW / "codebook/factors.csv", dtype=str)
    categories = pd.read_csv(work / RAW / "codebook/categories.csv", dtype=str)
    folder = work / RAW / "codings"
    folder.mkdir()
    team = pd.DataFrame(
        [(e, c, f) for c, marks in TEAM.items() for e, f in marks],
        columns=refiqda.CODING_COLUMNS,
    )
    exported = refiqda.write_qdpx(work / "team.qdpx", examples.head(6), factors, categories, team)
    with_conflicts(exported, CONFLICTS, folder / "team.qdpx")
    keys = ["u1", "c1", "c2", "c3", "k1", "k2", "s1", "s2", "p1", "p2", "g1", "g2"]
    ids = {k: refiqda.stable_guid("kari", k) for k in keys}
    with zipfile.ZipFile(folder / "kari.qdpx", "w") as archive:
        archive.writestr("Project.qde", MESSY_QDE.format(**ids))
    (folder / "broken.qdpx").write_bytes(b"not a zip at all")
    (folder / "qdpx_mapping.csv").write_text(MAPPING, encoding="utf-8")
    (work / "config" / "qdpx.yaml").write_text(CONFIG, encoding="utf-8")
    marks = team.assign(
        coder=[CREDITED.get(k, k[1]) for k in team.itertuples(index=False, name=None)]
    )
    marks = pd.concat(
        [marks, pd.DataFrame([(e, "kari", f) for e, f in KARI], columns=marks.columns)]
    )
    grid = presence_grid(
        marks, list(examples["example_id"]), list(factors["factor_id"]), sorted(set(marks["coder"]))
    )
    held = {
        (coder, example)
        for coder, ids in HELD.items()
        for example in (ids if isinstance(ids, list) else examples["example_id"].head(ids))
    }
    in_project = [(c, e) in held for c, e in zip(grid["coder"], grid["example_id"], strict=True)]
    return grid[in_project].reset_index(drop=True), factors


@pytest.fixture(scope="module")
def qdpx_run(finished_run, tmp_path_factory):
    work = copy_of(finished_run[0], tmp_path_factory.mktemp("qdpx") / "work", leave_out=(REPORT,))
    expected, factors = _study(work)
    done = snakemake(work, configfiles=["config/qdpx.yaml"])
    assert done.returncode == 0, done.stderr[-3000:]
    return work, expected, factors


def test_qdpx_users_are_the_coders(qdpx_run):
    work, expected, _ = qdpx_run
    grid = pd.read_csv(work / "data/processed/fhi2016/codings.csv", dtype={"present": int})
    machine = grid["data_source"] == "MACHINE"  # the machine coder, flagged, beside the users
    assert set(grid.loc[machine, "coder"]) == {"machine"}
    grid = grid[~machine]
    assert sorted(grid["coder"].unique()) == ["anna", "bjørn", "cecilie", "kari"]
    coded = grid.groupby("coder")["example_id"].nunique().to_dict()
    assert coded == {"anna": 6, "bjørn": 6, "cecilie": 6, "kari": 3}  # only what projects hold
    got = grid[grid["present"] == 1][refiqda.CODING_COLUMNS].reset_index(drop=True)
    want = expected[expected["present"] == 1][refiqda.CODING_COLUMNS].reset_index(drop=True)
    pd.testing.assert_frame_equal(got, want)
    ladder = pd.read_csv(work / "data/processed/fhi2016/ladder_codings.csv")
    assert ladder.empty and "ladder_step" in ladder.columns


def test_alpha_is_what_agreement_computes_on_the_same_codings(qdpx_run):
    work, expected, factors = qdpx_run
    pooled = pd.read_csv(work / "results/fhi2016/agreement/alpha_pooled.csv")
    direct = agreement_pooled(expected, factors, REPLICATES, 2016)
    for column in ("alpha", "ci_low", "ci_high"):
        assert pooled[column].tolist() == pytest.approx(direct[column].tolist(), nan_ok=True)
    assert 0 < pooled.loc[pooled["scope"] == "pooled", "alpha"].item() < 1


def test_table1_counts_the_consensus(qdpx_run):
    work, _, _ = qdpx_run
    table1 = pd.read_csv(work / "results/fhi2016/tables/table1.csv").set_index("factor_id")
    counts = pd.read_csv(work / "data/processed/fhi2016/consensus_factor_counts.csv")
    assert (counts["n_unattributed"] == 0).all()  # real coders: their consensus only
    assert table1.loc["F02", "n"] == 1  # E03: all three coders whose project holds it
    assert table1.loc["F05", "n"] == 0  # only kari: no majority


def test_problems_are_reported_and_a_bad_file_sinks_nothing(qdpx_run):
    work, _, _ = qdpx_run
    problems = pd.read_csv(work / "results/fhi2016/coding/qdpx_problems.csv")
    found = set(zip(problems["file"], problems["kind"], problems["item"], strict=True))
    assert ("broken.qdpx", "unreadable", "broken.qdpx") in found
    assert ("kari.qdpx", "case_unmatched", "Intervju 7") in found
    assert ("kari.qdpx", "layout", "Project.qde") in found
    # validated by default against the schema medvirk ships: kari's codes lack isCodable
    assert ("kari.qdpx", "schema", "Project.qde") in found
    # team.qdpx maps cleanly; each of its user conflicts is listed, with whose it became
    team = problems[problems["file"] == "team.qdpx"].set_index("kind")
    assert sorted(team.index) == ["user_conflict", "user_conflict_decided"]
    assert team.loc["user_conflict", "item"].startswith("E04, characters 0-")
    assert team.loc["user_conflict", "detail"].startswith(
        "selection by anna, coding by cecilie: credited to anna, the selection's user"
    )
    assert team.loc["user_conflict_decided", "detail"].startswith(
        "selection by bjørn, coding by cecilie: credited to cecilie, the coding's user"
    )
    # the step that reads the codings logs both
    assert set(logs_saying(work / "results/fhi2016", "broken.qdpx")) & set(
        logs_saying(work / "results/fhi2016", "Intervju 7")
    )


def test_user_conflicts_are_in_the_run_summary(qdpx_run):
    work, _, _ = qdpx_run
    notices = pd.read_csv(work / "data/processed/fhi2016/notices/read_codings.csv")
    conflicts = notices[notices["kind"].str.startswith("qdpx_user_conflict")]
    assert conflicts[["effect", "file", "where"]].values.tolist() == [
        ["agreement", "data/raw/fhi2016/codings/team.qdpx", "project.qde"],
        ["info", "data/raw/fhi2016/codings/team.qdpx", "project.qde"],
    ]
    assert conflicts["en"].str.startswith("1 coding(s)").all()
    summary = (work / "results/fhi2016/run_summary.md").read_text(encoding="utf-8")
    assert "`data/raw/fhi2016/codings/team.qdpx, project.qde`: 1 koding(er) er laget" in summary


def test_export_holds_each_coder_and_the_consensus(qdpx_run):
    work, expected, _ = qdpx_run
    examples = pd.read_csv(work / "data/processed/fhi2016/examples.csv", dtype=str)
    factors = pd.read_csv(work / "data/processed/fhi2016/factors.csv", dtype=str)
    export = work / "results/fhi2016/export/fhi2016.qdpx"
    back, problems = refiqda.read_qdpx(export, examples, factors)
    assert problems.empty, problems
    assert viewer_problems(export) == []
    consensus = pd.read_csv(work / "data/processed/fhi2016/consensus_factors.csv", dtype=str)
    assert not consensus.empty
    want = pd.concat(
        [
            expected[expected["present"] == 1][refiqda.CODING_COLUMNS],
            consensus.assign(coder="consensus")[refiqda.CODING_COLUMNS],
        ]
    )
    want = want.sort_values(refiqda.CODING_COLUMNS).reset_index(drop=True)
    pd.testing.assert_frame_equal(back, want)
