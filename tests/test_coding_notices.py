"""What the coders hand in that changes a result without stopping the run is announced."""

import pandas as pd
import pytest
from openpyxl import load_workbook

from medvirk import codings, consensus
from medvirk.coding_notices import likely_coder
from tests.test_codings import _qdpx, fill, study, write_sheet

EXAMPLES, FACTORS = ["E01", "E02", "E03"], ["F01", "F02", "F03"]


def _read(folder, coders, qdpx=()):
    examples, _, factors = study()
    return codings.read_study_codings_with_notices(folder, coders, examples, factors, list(qdpx))


def _kinds(notices):
    return sorted((n.kind, n.file.rsplit("/", 1)[-1]) for n in notices)


@pytest.mark.parametrize(
    ("name", "coder"),
    [
        ("bjorn (1).xlsx", "bjorn"),
        ("Cy.xlsx", "cy"),
        ("Kopi av anne.xlsx", "anne"),
        ("anne - Kopi (2).csv", "anne"),
        ("björn.xlsx", "bjorn"),
        ("dina.xlsx", None),
        ("notater.docx", None),
    ],
)
def test_the_likely_coder_of_a_file_name(name, coder):
    assert likely_coder(name, ["anne", "bjorn", "cy"]) == coder


def test_a_deleted_factor_column_is_not_coded_rather_than_absent(tmp_path):
    for coder in ("anne", "bo", "cy"):  # F01 everywhere; cy also marks F03 in E01
        fill(write_sheet(tmp_path, coder), {"E4": "x", "E5": "x", "E6": "x", "G4": "x"})
    wb = load_workbook(tmp_path / "cy.xlsx")
    wb[codings.SHEET].delete_cols(5)  # cy deletes the F01 column
    wb.save(tmp_path / "cy.xlsx")
    grid, _, _, notices = _read(tmp_path, ["anne", "bo", "cy"])
    assert grid[(grid["coder"] == "cy") & (grid["factor_id"] == "F01")].empty
    assert len(grid[grid["coder"] == "cy"]) == 3 * 2  # F02 and F03 still coded
    matrix = consensus.consensus_matrix(grid)
    f01 = matrix[matrix["factor_id"] == "F01"]
    assert f01["n_coders"].tolist() == [2, 2, 2] and f01["present"].tolist() == [1, 1, 1]
    (notice,) = [n for n in notices if n.kind == "factor_column_missing"]
    assert notice.file.endswith("cy.xlsx") and notice.where == "ark «Koding», rad 2"
    assert "(F01)" in notice.nb and "(F01)" in notice.en and notice.effect == "count"


def test_a_sheet_without_any_factor_column_stops(tmp_path):
    path = write_sheet(tmp_path, "anne")
    wb = load_workbook(path)
    wb[codings.SHEET].delete_cols(5, 3)
    wb.save(path)
    with pytest.raises(codings.CodingError, match="anne.xlsx, ark «Koding», rad 2: finner ingen"):
        codings.read_codings({"anne": path}, EXAMPLES, FACTORS)


def test_files_that_match_no_coder_are_announced_with_the_likely_coder(tmp_path):
    fill(write_sheet(tmp_path, "anne"), {"E4": "x"})
    fill(write_sheet(tmp_path, "bo"), {"E4": "x", "F5": "x"})
    for name in ("bo (1).xlsx", "dina.xlsx", "Anne.csv"):
        (tmp_path / name).write_bytes((tmp_path / "bo.xlsx").read_bytes())
    (tmp_path / "anne.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    (tmp_path / "notater.docx").write_bytes(b"PK")
    (tmp_path / "README.md").write_text("Kodingene for runde 2")
    (tmp_path / "~$bo.xlsx").write_bytes(b"")
    _, _, _, notices = _read(tmp_path, ["anne", "bo"])
    by_file = {n.file.rsplit("/", 1)[-1]: n for n in notices}
    assert sorted(by_file) == ["Anne.csv", "anne.xls", "bo (1).xlsx", "dina.xlsx", "notater.docx"]
    assert "ligner på bo.xlsx, som leses" in by_file["bo (1).xlsx"].nb
    assert "replace bo.xlsx with it" in by_file["bo (1).xlsx"].en
    assert "ingen koder i coding.coders" in by_file["dina.xlsx"].nb
    assert "dina" not in by_file["dina.xlsx"].nb.replace(by_file["dina.xlsx"].file, "")
    assert ".xlsx" in by_file["anne.xls"].nb
    assert {by_file[n].effect for n in ("bo (1).xlsx", "dina.xlsx", "Anne.csv")} == {"count"}
    assert by_file["notater.docx"].effect == "info"


def test_a_coder_without_a_file_is_pointed_to_the_renamed_one(tmp_path):
    fill(write_sheet(tmp_path, "anne"), {"E4": "x"})
    (tmp_path / "Cy.xlsx").write_bytes((tmp_path / "anne.xlsx").read_bytes())
    with pytest.raises(codings.CodingError) as err:
        codings.find_coding_files(tmp_path, ["anne", "cy"])
    assert "Filen Cy.xlsx ser ut til å være koderens: gi den navnet cy.xlsx" in str(err.value)


def test_a_sheet_returned_unchanged_and_one_with_no_mark_are_announced(tmp_path):
    fill(write_sheet(tmp_path, "anne"), {"E4": "x", "G5": "x"})
    write_sheet(tmp_path, "bo")  # returned as it was sent
    fill(write_sheet(tmp_path, "cy"), {"I4": 2})  # a ladder step, but no factor
    grid, _, _, notices = _read(tmp_path, ["anne", "bo", "cy"])
    assert _kinds(notices) == [("marked_nothing", "cy.xlsx"), ("returned_unchanged", "bo.xlsx")]
    assert grid[grid["coder"] == "bo"]["present"].sum() == 0  # still counted, as announced
    unchanged = next(n for n in notices if n.kind == "returned_unchanged")
    assert "uendret" in unchanged.nb and "unchanged" in unchanged.en


def test_rows_left_out_of_a_sheet_are_announced_with_their_ids(tmp_path):
    fill(write_sheet(tmp_path, "anne"), {"E4": "x"})
    path = fill_and_delete_rows(tmp_path, "bo", rows=2)
    grid, _, _, notices = _read(tmp_path, ["anne", "bo"])
    assert sorted(grid[grid["coder"] == "bo"]["example_id"].unique()) == ["E01"]
    (notice,) = [n for n in notices if n.kind == "rows_skipped"]
    assert notice.file == str(path)
    assert "2 av 3 eksempler (E02, E03)" in notice.nb and "2 of 3 examples" in notice.en


def fill_and_delete_rows(folder, coder, rows):
    path = write_sheet(folder, coder)
    fill(path, {"E4": "x"})
    wb = load_workbook(path)
    wb[codings.SHEET].delete_rows(codings.FIRST_DATA_ROW + 1, rows)
    wb.save(path)
    return path


def test_qdpx_files_that_gave_nothing_or_only_part_are_announced(tmp_path):
    from medvirk import refiqda

    examples, categories, factors = study()
    fill(write_sheet(tmp_path, "anne"), {"E4": "x"})
    _qdpx(tmp_path, {"bo": [("E01", "F01")], "cy": [("E02", "F03")]})
    two = examples[examples["example_id"].isin(["E01", "E02"])]
    marks = pd.DataFrame([("E01", "dag", "F02")], columns=refiqda.CODING_COLUMNS)
    refiqda.write_qdpx(tmp_path / "to.qdpx", two, factors, categories, marks)
    other = examples.assign(example_id=["X1", "X2", "X3"], title=["a", "b", "c"])
    marks = pd.DataFrame([("X1", "eva", "F01")], columns=refiqda.CODING_COLUMNS)
    refiqda.write_qdpx(tmp_path / "feil.qdpx", other, factors, categories, marks)
    qdpx = sorted(tmp_path.glob("*.qdpx"))
    grid, _, problems, notices = _read(tmp_path, ["anne"], qdpx)
    assert sorted(grid["coder"].unique()) == ["anne", "bo", "cy", "dag"]
    by_kind = {n.kind: n for n in notices}
    nothing = by_kind["qdpx_contributed_nothing"]
    n_problems = int((problems["file"] == "feil.qdpx").sum())
    assert nothing.file.endswith("feil.qdpx") and n_problems >= 3
    assert f"({n_problems} problem(er): " in nothing.nb and "qdpx_problems.csv" in nothing.nb
    part = by_kind["qdpx_examples_missing"]
    assert part.file.endswith("to.qdpx") and "2 av 3 eksempler" in part.nb and "(E03)" in part.nb
    assert "eva" not in " ".join(n.nb + n.en for n in notices)  # never a user's name
