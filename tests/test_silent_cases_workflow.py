"""End to end: what used to change a result silently in a new round now stops the run with a
named message or is announced in results/<study>/run_summary.md.

One round, run after run: a form sent twice (one comma apart) → coders return their sheets
(one deletes a factor column, one returns it unchanged, a stranger's sheet and a renamed copy
lie beside them, a .qdpx holds none of the examples) → the meeting types its decisions into the
generated disagreements.xlsx → saves it as Consensus.XLSX → a consensus.csv appears beside it →
a form is edited after coding.
"""

import shutil
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from medvirk import consensus, refiqda
from tests.form_builders import ANSWERS, write_heading_docx, write_table_docx
from tests.workflow_runs import hand_in, new_round, round_sheet, snakemake, write_decisions

STUDY = "stille"
RAW = f"data/raw/{STUDY}"
RESULTS = f"results/{STUDY}"
CONFIG = """\
coding:
  coders: [anne, bo, cy]
  bootstrap_replicates: 20
"""
SECOND = {**ANSWERS, "title": "Likepersoner i psykisk helse", "aim": "Bruke egen erfaring."}
THIRD = {**ANSWERS, "title": "Ungdomsråd på sykehuset", "result": "Ungdommene styrer budsjettet."}
# anne and bo mark F01 in every example and F08 in the first; anne also F12 in the second
MARKS = {"anne": [(0, "F01"), (1, "F01"), (2, "F01"), (0, "F08"), (1, "F12")]}
MARKS["bo"] = [(0, "F01"), (1, "F01"), (2, "F01"), (0, "F08")]

pytestmark = pytest.mark.e2e


def _snakemake(project: Path, *args: str):
    return snakemake(project, *args, study=STUDY, configfiles=["config/round.yaml"])


def _summary(project: Path) -> str:
    return (project / RESULTS / "run_summary.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("stille")
    forms = new_round(root, STUDY, config=CONFIG)
    write_table_docx(forms / "brukerraad.docx")
    write_heading_docx(forms / "likepersoner.docx", SECOND)
    write_table_docx(forms / "ungdomsraad.docx", THIRD)
    # the first form again, a comma added: a second example unless someone notices
    again = {**ANSWERS, "aim": ANSWERS["aim"].replace("stemme", "stemme,")}
    write_table_docx(forms / "brukerraad_igjen.docx", again)
    return root


@pytest.fixture(scope="module")
def sheets_run(project):
    run = _snakemake(project)
    assert run.returncode == 0, run.stderr[-3000:]
    return run


@pytest.fixture(scope="module")
def coded_run(project, sheets_run):
    """anne codes; bo codes but deletes the F01 column; cy returns the sheet unchanged; a
    stranger's sheet, a renamed copy of anne's and a .qdpx of other examples lie beside them."""
    folder = project / RAW / "codings"
    example_ids = []
    for coder in ("anne", "bo", "cy"):
        sheet = round_sheet(project, STUDY, coder)
        example_ids = sheet.example_ids
        for position, factor in MARKS.get(coder, []):
            sheet.put(position, factor, "x")
        if coder != "cy":
            for position in range(len(sheet.rows)):
                step = 3 if coder == "bo" and position == 0 else 2  # they differ on the first
                sheet.put(position, "ladder_step", step)
                sheet.put(position, "ladder_level", "B")
        if coder == "bo":
            sheet.sheet.delete_cols(sheet.column["F01"])
        hand_in(sheet, project, STUDY, coder)
    shutil.copy(folder / "anne.xlsx", folder / "dina.xlsx")
    shutil.copy(folder / "anne.xlsx", folder / "anne (1).xlsx")
    examples = pd.read_csv(project / f"data/processed/{STUDY}/examples.csv", dtype=str)
    factors = pd.read_csv(project / f"data/processed/{STUDY}/factors.csv", dtype=str)
    categories = pd.read_csv(project / f"data/processed/{STUDY}/categories.csv", dtype=str)
    foreign = examples.assign(example_id=[f"X{i}" for i in range(len(examples))], title="Annet")
    marks = pd.DataFrame([("X0", "eva", "F01")], columns=refiqda.CODING_COLUMNS)
    refiqda.write_qdpx(folder / "annet.qdpx", foreign, factors, categories, marks)
    run = _snakemake(project)
    assert run.returncode == 0, run.stderr[-3000:]
    return example_ids, run


def test_a_near_duplicate_form_is_announced_from_the_first_run(project, sheets_run):
    summary = _summary(project)
    assert "## Endrer tellinger / Changes counts" in summary
    assert f"`{RAW}/forms/brukerraad.docx`: Nesten lik brukerraad_igjen.docx" in summary
    assert "Kjøringsoppsummering" in sheets_run.stdout  # shown on the terminal too


def test_what_the_coders_handed_in_is_announced(project, coded_run):
    summary = _summary(project)
    lines = {
        "factor_column_missing": f"`{RAW}/codings/bo.xlsx, ark «Koding», rad 2`: Kolonnen for "
        "1 faktor(er) mangler (F01)",
        "returned_unchanged": f"`{RAW}/codings/cy.xlsx, ark «Koding»`: Filen ser ut til å være "
        "sendt tilbake uendret",
        "renamed": f"`{RAW}/codings/anne (1).xlsx`: Filen leses ikke. Den ligner på anne.xlsx",
        "stranger": f"`{RAW}/codings/dina.xlsx`: Filen leses ikke: ingen koder i coding.coders",
        "qdpx": f"`{RAW}/codings/annet.qdpx`: Filen ga ingen kodinger på studiens eksempler",
        "policy": "uenighet(er) om faktorer har ingen beslutning (det finnes ingen "
        "consensus.xlsx eller consensus.csv)",
    }
    for kind, line in lines.items():
        assert line in summary, kind
    assert "eva" not in summary and "Kari Nordmann" not in summary
    grid = pd.read_csv(project / f"data/processed/{STUDY}/codings.csv")
    grid = grid[grid["data_source"] != "MACHINE"]  # the machine coder is no coder
    assert grid[(grid["coder"] == "bo") & (grid["factor_id"] == "F01")].empty
    assert sorted(grid["coder"].unique()) == ["anne", "bo", "cy"]


def test_the_meeting_workbook_says_where_to_save_it_and_holds_the_ladder(project, coded_run):
    example_ids, _ = coded_run
    wb = load_workbook(project / RESULTS / "agreement/disagreements.xlsx")
    assert wb.sheetnames[0] == consensus.GUIDE_SHEET
    guide = " ".join(str(c.value) for c in wb.worksheets[0]["A"] if c.value)
    assert f"Lagre den utfylte filen som data/raw/{STUDY}/consensus.xlsx" in guide
    ws = wb[consensus.DISAGREEMENTS_SHEET]
    rows = [(r[0].value, r[1].value) for r in ws.iter_rows(min_row=5)]
    assert (example_ids[0], "ladder_step") in rows
    assert (example_ids[1], "ladder_step") not in rows


@pytest.fixture(scope="module")
def typed_in_place(project, coded_run):
    """The meeting writes its decisions into the generated workbook and saves it there."""
    example_ids, _ = coded_run
    path = project / RESULTS / "agreement/disagreements.xlsx"
    write_decisions(path, {(example_ids[1], "F12"): "x", (example_ids[0], "ladder_step"): 3})
    before = path.read_bytes()
    run = _snakemake(project, "--dry-run")
    return path, before, run


def test_decisions_typed_into_the_generated_workbook_stop_the_run(typed_in_place):
    path, before, run = typed_in_place
    assert run.returncode != 0
    said = run.stdout + run.stderr  # a dry run reports on stdout
    assert f"{RESULTS}/agreement/disagreements.xlsx: 2 beslutning(er)" in said
    assert f"Lagre filen som {RAW}/consensus.xlsx" in said
    assert f"Save it as {RAW}/consensus.xlsx" in said
    assert path.read_bytes() == before  # nothing lost


@pytest.fixture(scope="module")
def saved_run(project, coded_run, typed_in_place):
    """Saved, as told, under the study's data, with the case Excel on Windows may give."""
    path, _, _ = typed_in_place
    shutil.copy(path, project / RAW / "Consensus.XLSX")
    run = _snakemake(project)
    assert run.returncode == 0, run.stderr[-3000:]
    return run


def test_the_saved_decisions_count_including_the_ladder(project, coded_run, saved_run):
    example_ids, _ = coded_run
    matrix = pd.read_csv(project / f"data/processed/{STUDY}/consensus_matrix.csv", dtype=str)
    cell = matrix[(matrix["example_id"] == example_ids[1]) & (matrix["factor_id"] == "F12")]
    assert cell[["present", "source"]].values.tolist() == [["1", "decision"]]
    ladder = pd.read_csv(project / f"data/processed/{STUDY}/consensus_ladder.csv", dtype=str)
    first = ladder.set_index("example_id").loc[example_ids[0]]
    assert first[["ladder_step", "step_source"]].tolist() == ["3", "decision"]
    table1 = pd.read_csv(project / RESULTS / "tables/table1.csv").set_index("factor_id")
    assert table1.loc["F12", "n"] == 1
    assert "Consensus.XLSX" in _summary(project)  # the undecided rest, named by the file


def test_two_meeting_files_stop_the_run_naming_both(project, saved_run):
    extra = project / RAW / "consensus.csv"
    extra.write_text("example_id,factor_id,decision\n", encoding="utf-8")
    try:
        run = _snakemake(project)
    finally:
        extra.unlink()
    assert run.returncode != 0
    assert f"{RAW}/Consensus.XLSX og {RAW}/consensus.csv: to filer" in run.stderr
    assert "Two files hold the consensus meeting's decisions" in run.stderr


def test_a_form_edited_after_coding_is_named_in_the_message(project, coded_run, saved_run):
    example_ids, _ = coded_run
    forms = project / RAW / "forms"
    ingested = pd.read_csv(project / f"data/processed/{STUDY}/examples_ingested.csv", dtype=str)
    old = ingested.set_index("source_file").loc["likepersoner.docx", "example_id"]
    write_heading_docx(forms / "likepersoner.docx", {**SECOND, "result": "Ny tekst."})
    run = _snakemake(project)
    assert run.returncode != 0
    ingested = pd.read_csv(project / f"data/processed/{STUDY}/examples_ingested.csv", dtype=str)
    new = ingested.set_index("source_file").loc["likepersoner.docx", "example_id"]
    assert new != old and old in example_ids
    expected = (
        f"eksempel-id «{old}» finnes ikke i studien. Skjemaet i likepersoner.docx er endret "
        f"etter at kodeskjemaet ble laget, og eksemplet har nå id {new}."
    )
    assert expected in run.stderr, run.stderr[-3000:]
    notices = (project / f"data/processed/{STUDY}/notices/check_forms.csv").read_text()
    assert f"{old} heter nå {new}" in notices
