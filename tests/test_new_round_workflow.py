"""End to end: a new round made by `medvirk new-study` runs from its forms to Table 1.

new-study → three forms → run (coding sheets) → coders fill the sheets → run (agreement,
consensus, Table 1) → the meeting decides two cells → run → report.
"""

import subprocess
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from medvirk import codings
from tests.form_builders import (
    ANSWERS,
    CONTACT,
    write_heading_docx,
    write_pdf,
    write_table_docx,
)
from tests.output_texts import output_texts
from tests.workflow_runs import hand_in, new_round, round_sheet, snakemake, write_decisions

STUDY = "round2"
RAW = f"data/raw/{STUDY}"
CODERS = ("anne", "bo", "cy")
CONFIG = """\
coding:
  coders: [anne, bo, cy]
  bootstrap_replicates: 20
"""
OTHER_CONTACTS = [
    {
        "name": "Ola Hansen",
        "role": "Leder",
        "phone": "987 65 432",
        "email": "ola.hansen@sykehus.no",
    },
    {"name": "Per Olsen", "role": "Rådgiver", "phone": "412 34 567", "email": "per.olsen@by.no"},
]
# Factors each coder marks, by the position of the example in the sheet (0, 1, 2).
MARKS = {
    "anne": [(0, "F01"), (1, "F01"), (2, "F01"), (0, "F08"), (1, "F12")],
    "bo": [(0, "F01"), (1, "F01"), (0, "F08"), (2, "F12")],
    "cy": [(0, "F01"), (2, "F01"), (1, "F02")],
}
# By hand, majority of three (two or more): F01 in all three examples, F08 in the first.
BY_MAJORITY = {"F01": 3, "F08": 1}
# The meeting then decides F12 present in the second example and F08 absent in the first.
DECIDED = {"F01": 3, "F12": 1}

pytestmark = pytest.mark.e2e


def _snakemake(project: Path, *args: str) -> subprocess.CompletedProcess:
    return snakemake(project, *args, study=STUDY, configfiles=["config/round.yaml"])


def _project(tmp_path: Path) -> Path:
    forms = new_round(tmp_path, STUDY, config=CONFIG)
    write_table_docx(forms / "brukerraad.docx")
    second = {**ANSWERS, "title": "Likepersoner i psykisk helse", "aim": "Bruke erfaring."}
    write_heading_docx(forms / "likepersoner.docx", second, OTHER_CONTACTS[0])
    third = {**ANSWERS, "title": "Ungdomsråd på sykehuset", "result": "Kortere ventetid."}
    write_pdf(forms / "ungdomsraad.pdf", third, OTHER_CONTACTS[1])
    return tmp_path


def _fill_sheets(project: Path) -> list[str]:
    """Each coder marks MARKS in their own sheet; anne writes a factor outside the codebook."""
    example_ids = []
    for coder in CODERS:
        sheet = round_sheet(project, STUDY, coder)
        example_ids = sheet.example_ids
        for position, factor in MARKS[coder]:
            sheet.put(position, factor, "x")
        for position, step in ((0, 2), (1, 3), (2, 3 if coder != "cy" else 4)):
            sheet.put(position, "ladder_step", step)
        if coder == "anne":
            sheet.put(0, "other_factors", "Trygg bolig")
        hand_in(sheet, project, STUDY, coder)
    return example_ids


def _n(project: Path) -> dict[str, int]:
    table1 = pd.read_csv(project / f"results/{STUDY}/tables/table1.csv")
    return {f: int(n) for f, n in zip(table1["factor_id"], table1["n"], strict=True) if n}


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return _project(tmp_path_factory.mktemp("round"))


@pytest.fixture(scope="module")
def sheets_run(project):
    return _snakemake(project)


@pytest.fixture(scope="module")
def coded_run(project, sheets_run):
    assert sheets_run.returncode == 0, sheets_run.stderr[-3000:]
    example_ids = _fill_sheets(project)
    run = _snakemake(project)
    assert run.returncode == 0, run.stderr[-3000:]
    return example_ids, run


@pytest.fixture(scope="module")
def decided_run(project, coded_run):
    """The meeting writes two decisions in disagreements.xlsx and saves it as consensus.xlsx."""
    example_ids, _ = coded_run
    write_decisions(
        project / f"results/{STUDY}/agreement/disagreements.xlsx",
        {(example_ids[1], "F12"): "x", (example_ids[0], "F08"): "0"},
        saved_as=project / RAW / "consensus.xlsx",
    )
    run = _snakemake(project)
    assert run.returncode == 0, run.stderr[-3000:]
    return run


def test_forms_give_examples_and_one_coding_sheet_per_coder(project, sheets_run):
    assert sheets_run.returncode == 0, sheets_run.stderr[-3000:]
    examples = pd.read_csv(project / f"data/processed/{STUDY}/examples.csv", dtype=str)
    ingested = pd.read_csv(project / f"data/processed/{STUDY}/examples_ingested.csv", dtype=str)
    assert sorted(examples["example_id"]) == sorted(ingested["example_id"])
    assert len(examples) == 3
    next_steps = (project / f"results/{STUDY}/ingest/next_steps.md").read_text(encoding="utf-8")
    for coder in CODERS:
        sheet = load_workbook(project / f"results/{STUDY}/coding_sheets/{coder}.xlsx")
        ids = [r[0] for r in sheet[codings.SHEET].iter_rows(min_row=codings.FIRST_DATA_ROW)]
        assert sorted(c.value for c in ids) == sorted(examples["example_id"])
        assert f"coding_sheets/{coder}.xlsx" in next_steps
    assert not (project / f"results/{STUDY}/tables").exists()


def test_codings_give_agreement_and_table1_from_the_majority(project, coded_run):
    pooled = pd.read_csv(project / f"results/{STUDY}/agreement/alpha_pooled.csv")
    assert (pooled["data_source"] == "coders").all()
    assert _n(project) == BY_MAJORITY
    for name in ("agreement/disagreements.xlsx", "figures/agreement_forest.png"):
        assert (project / f"results/{STUDY}" / name).is_file(), name


def test_meeting_decisions_change_table1(project, decided_run):
    assert _n(project) == DECIDED
    table1 = pd.read_csv(project / f"results/{STUDY}/tables/table1.csv")
    assert table1["n_published"].isna().all()
    assert (table1["n_unattributed"] == 0).all()
    tex = (project / f"results/{STUDY}/tables/table1.tex").read_text(encoding="utf-8")
    assert "F12 & " in tex and "Publisert: antallet" not in tex


def test_round_outputs_and_no_curated_steps(project, decided_run):
    results = project / "results" / STUDY
    for name in (
        "tables/table1.md",
        "tables/table1.xlsx",
        "figures/factor_counts.png",
        "figures/example_factor_heatmap.png",
        f"export/{STUDY}.qdpx",
        "export/codebook.qdc",
        "privacy/leak_scan.txt",
    ):
        assert (results / name).is_file(), name
    suggestions = pd.read_csv(results / "merge/suggestions.csv", keep_default_na=False)
    assert set(suggestions["source"]) == {"coder_sheet"}
    assert set(suggestions["text"]) == {"Trygg bolig"}
    assert not (results / "reproduction").exists()
    assert not (results / "figures/ladder.png").exists()
    assert not (results / "merge/proposed_groups.csv").exists()
    assert not (project / RAW / "examples.csv").exists()


def test_no_contact_detail_under_processed_or_results(project, decided_run):
    values = [CONTACT["email"], "kari.nordmann", "912 34 567", CONTACT["name"]]
    for contact in OTHER_CONTACTS:
        values += [contact["name"], contact["email"], contact["phone"]]
    checked = 0
    for folder in (f"data/processed/{STUDY}", f"results/{STUDY}"):
        for path in (project / folder).rglob("*"):
            if path.suffix not in {".xlsx", ".qdpx", ".csv", ".md", ".tex", ".txt", ".log",
                                   ".svg", ".qdc", ".html"}:  # fmt: skip
                continue
            for text in output_texts(path):  # zip members opened, report's files decoded
                assert not [v for v in values if v.casefold() in text.casefold()], path
            checked += 1
    assert checked > 30
    assert (
        "no identity number, phone number, e-mail address or contact name"
        in (project / f"results/{STUDY}/privacy/leak_scan.txt").read_text()
    )


def test_a_second_run_rebuilds_nothing(project, decided_run):
    run = _snakemake(project, "--dry-run")
    assert run.returncode == 0, run.stderr[-3000:]
    assert "Nothing to be done" in run.stdout + run.stderr


def test_report_builds_for_a_new_round(project, decided_run):
    report = project / f"results/{STUDY}/report.html"
    run = _snakemake(project, "--report", str(report))
    assert run.returncode == 0, run.stderr[-3000:]
    assert report.stat().st_size > 10_000
    html = report.read_text(encoding="utf-8")
    assert "Arbeidsflyten leser de innsendte skjemaene" in html  # a new round's front page
    assert "reproduction audit sets every number" not in html and "System Message" not in html


def test_a_mapping_file_alone_is_not_a_coders_file(tmp_path):
    project = _project(tmp_path)
    (project / RAW / "codings" / "qdpx_mapping.csv").write_text(
        "code_name,factor_id,source_name,example_id\n", encoding="utf-8"
    )
    (project / RAW / "codings" / "README.md").write_text("notes\n", encoding="utf-8")
    dry = _snakemake(project, "--dry-run")
    assert dry.returncode == 0, dry.stderr[-2000:]
    # the plan, by the files its steps would make: the sheets still go out, no codings are read
    for coder in CODERS:
        assert f"results/{STUDY}/coding_sheets/{coder}.xlsx" in dry.stdout
    assert f"data/processed/{STUDY}/codings.csv" not in dry.stdout
    assert f"results/{STUDY}/agreement/" not in dry.stdout


def test_the_study_yaml_of_new_study_sets_this_rounds_coders_only(tmp_path):
    project = _project(tmp_path)
    settings = project / RAW / "study.yaml"
    assert "coders: [koder1, koder2, koder3]" in settings.read_text(encoding="utf-8")
    settings.write_text("coding:\n  coders: [ann, per]\n", encoding="utf-8")

    def planned(study: str) -> str:
        dry = snakemake(project, "-n", study=study)
        assert dry.returncode == 0, dry.stderr[-2000:]
        return dry.stdout

    round_plan = planned(STUDY)
    assert f"results/{STUDY}/coding_sheets/ann.xlsx" in round_plan
    assert f"results/{STUDY}/coding_sheets/per.xlsx" in round_plan
    assert "koder1" not in round_plan and "sim1.xlsx" not in round_plan
