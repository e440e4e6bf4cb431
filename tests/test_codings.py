"""Coding sheets: written, filled in by a 'coder' with openpyxl, read back and checked."""

import pandas as pd
import pytest
from openpyxl import load_workbook

from medvirk import agreement, codings, consensus
from medvirk.codings import CodingError
from medvirk.errors import InputError


def study():
    examples = pd.DataFrame(
        {
            "example_id": ["E01", "E02", "E03"],
            "title": ["Brukerråd", "Erfaringskonsulent", "Bolig først"],
            "summary": ["Tekst om råd", "Tekst om konsulent", "Tekst om bolig"],
        }
    )
    categories = pd.DataFrame(
        {"category_id": ["C1", "C2"], "label_nb": ["Konkrete tips", "Holdninger"]}
    )
    factors = pd.DataFrame(
        {
            "factor_id": ["F01", "F02", "F03"],
            "category_id": ["C1", "C1", "C2"],
            "label_nb": ["Få brukerne tidlig inn", "Egenerfaring som ressurs", "Åpen dialog"],
            "published_order": [1, 2, 3],
        }
    )
    return examples, categories, factors


def write_sheet(tmp_path, coder="anne"):
    examples, categories, factors = study()
    path = tmp_path / f"{coder}.xlsx"
    codings.write_coding_sheet(path, coder, examples, factors, categories)
    return path


def fill(path, cells: dict[str, object]):
    wb = load_workbook(path)
    ws = wb[codings.SHEET]
    for ref, value in cells.items():
        ws[ref] = value
    wb.save(path)


def test_sheet_layout_instructions_groups_and_validation(tmp_path):
    path = write_sheet(tmp_path)
    wb = load_workbook(path)
    assert wb.sheetnames == [codings.INSTRUCTIONS, codings.SHEET]
    assert "Slik koder du" in wb[codings.INSTRUCTIONS]["A3"].value
    ws = wb[codings.SHEET]
    header = [c.value for c in ws[codings.HEADER_ROW]]
    assert header[:7] == ["example_id", "title", "aim", "text", "F01", "F02", "F03"]
    assert header[7:] == ["other_factors", "ladder_step", "ladder_level"]
    assert ws["E1"].value.startswith("C1") and ws["G1"].value.startswith("C2")
    assert [ws.cell(row=r, column=1).value for r in (4, 5, 6)] == ["E01", "E02", "E03"]
    formulas = sorted(dv.formula1 for dv in ws.data_validations.dataValidation)
    assert formulas == ['"1,2,3,4"', '"A,B,C"', '"x"']


def test_filled_sheet_reads_back(tmp_path):
    path = write_sheet(tmp_path)
    fill(path, {"E4": "x", "G4": "X", "F6": "x", "H5": "likemenn", "I4": 3, "J4": "b"})
    presence, ladder = codings.read_coding_sheet(
        path, "anne", ["E01", "E02", "E03"], ["F01", "F02", "F03"]
    )
    assert sorted(map(tuple, presence[["example_id", "factor_id"]].to_numpy())) == [
        ("E01", "F01"),
        ("E01", "F03"),
        ("E03", "F02"),
    ]
    first = ladder.set_index("example_id").loc["E01"]
    assert first["ladder_step"] == 3 and first["ladder_level"] == "B"
    assert ladder.set_index("example_id").loc["E02", "other_factors"] == "likemenn"


def test_typo_in_factor_id_names_the_cell(tmp_path):
    path = write_sheet(tmp_path)
    fill(path, {"F2": "F2O"})
    with pytest.raises(CodingError) as err:
        codings.read_coding_sheet(path, "anne", ["E01", "E02", "E03"], ["F01", "F02", "F03"])
    message = str(err.value)
    assert "anne.xlsx" in message and "Koding" in message and "F2" in message
    assert "F2O" in message and "rad 2" in message


def test_bad_mark_unknown_example_and_duplicate_are_all_listed(tmp_path):
    path = write_sheet(tmp_path)
    fill(path, {"E4": "ja", "A5": "E99", "A6": "E01", "I4": 7})
    with pytest.raises(CodingError) as err:
        codings.read_coding_sheet(path, "anne", ["E01", "E02", "E03"], ["F01", "F02", "F03"])
    problems = err.value.problems
    assert any("celle E4" in p and "«ja»" in p for p in problems)
    assert any("celle A5" in p and "E99" in p for p in problems)
    assert any("rad 6" in p and "to ganger" in p for p in problems)
    assert any("celle I4" in p for p in problems)


def test_csv_format_and_its_errors(tmp_path):
    good = tmp_path / "bo.csv"
    good.write_text("example_id,coder,factor_id\nE01,bo,F01\nE02,bo,F03\n")
    marks = codings.read_codings_csv(good, "bo", ["E01", "E02"], ["F01", "F03"])
    assert len(marks) == 2
    bad = tmp_path / "cy.csv"
    bad.write_text("example_id,coder,factor_id\nE01,cy,F01\nE01,cy,F01\nE07,cy,F09\n")
    with pytest.raises(CodingError) as err:
        codings.read_codings_csv(bad, "cy", ["E01", "E02"], ["F01", "F03"])
    text = str(err.value)
    assert "cy.csv, rad 3" in text and "rad 4, kolonne example_id" in text and "F09" in text


def test_configured_coder_without_file(tmp_path):
    write_sheet(tmp_path, "anne")
    with pytest.raises(CodingError) as err:
        codings.find_coding_files(tmp_path, ["anne", "bo"])
    assert "bo" in str(err.value) and "bo.xlsx" in str(err.value)


def test_read_codings_builds_full_grid(tmp_path):
    path = write_sheet(tmp_path, "anne")
    fill(path, {"E4": "x"})
    (tmp_path / "bo.csv").write_text("example_id,factor_id\nE01,F01\nE02,F02\n")
    files = codings.find_coding_files(tmp_path, ["anne", "bo"])
    grid, ladder = codings.read_codings(files, ["E01", "E02", "E03"], ["F01", "F02", "F03"])
    assert len(grid) == 3 * 2 * 3
    assert grid["present"].sum() == 3
    assert list(grid.columns) == ["example_id", "coder", "factor_id", "present"]


# --- Workbooks filled in by three coders flow through reading, agreement and consensus ---

FILLS = {
    # coder -> cells marked x; E4..E6 are F01 for E01..E03, F.. F02, G.. F03
    "anne": ["E4", "E5", "G6", "F4"],
    "bo": ["E4", "E5", "G6"],
    "cy": ["E4", "G5", "G6", "F4"],
}


def filled_folder(tmp_path, typo=None):
    examples, categories, factors = study()
    for coder, cells in FILLS.items():
        path = tmp_path / f"{coder}.xlsx"
        codings.write_coding_sheet(path, coder, examples, factors, categories)
        wb = load_workbook(path)
        ws = wb[codings.SHEET]
        for ref in cells:
            ws[ref] = "x"
        if typo and coder == "bo":
            ws[typo[0]] = typo[1]
        wb.save(path)
    return tmp_path


def test_workbooks_to_agreement_and_consensus(tmp_path):
    folder = filled_folder(tmp_path)
    files = codings.find_coding_files(folder, list(FILLS))
    grid, ladder = codings.read_codings(files, ["E01", "E02", "E03"], ["F01", "F02", "F03"])
    by_factor = agreement.agreement_by_factor(grid, replicates=100).set_index("factor_id")
    assert by_factor.loc["F01", "n_marked"] == 5
    assert by_factor["n_coders"].eq(3).all()
    table = consensus.disagreements(grid)
    assert len(table) == 3  # E02-F01, E01-F02, E02-F03
    facts = consensus.consensus_factors(consensus.consensus_matrix(grid))
    counts = facts.groupby("factor_id")["example_id"].nunique().to_dict()
    # majority: F01 in E01, E02; F02 in E01; F03 in E03
    assert counts == {"F01": 2, "F02": 1, "F03": 1}


def test_typo_in_factor_header_stops_with_the_cell(tmp_path):
    folder = filled_folder(tmp_path, typo=("F2", "F22"))
    files = codings.find_coding_files(folder, list(FILLS))
    with pytest.raises(codings.CodingError, match=r"bo\.xlsx.*celle F2"):
        codings.read_codings(files, ["E01", "E02", "E03"], ["F01", "F02", "F03"])


def test_grid_is_tidy_long(tmp_path):
    folder = filled_folder(tmp_path)
    grid, _ = codings.read_codings(
        codings.find_coding_files(folder, list(FILLS)), ["E01", "E02", "E03"], ["F01", "F02", "F03"]
    )
    assert isinstance(grid, pd.DataFrame) and len(grid) == 27


def test_instructions_say_how_to_separate_free_text_factors():
    text = " ".join(codings.INSTRUCTION_LINES)
    assert "per linje" in text and "semikolon (;)" in text
    cell = "Felles mål\n- Jobb; trygghet\r\n\n2) Felles mål"
    assert codings.split_other_factors(cell) == ["Felles mål", "Jobb", "trygghet"]


@pytest.mark.parametrize("cell", [None, "", "  \n ; ", float("nan")])
def test_empty_free_text_cell_has_no_factors(cell):
    assert codings.split_other_factors(cell) == []


def test_free_text_from_a_filled_sheet_one_row_per_factor(tmp_path):
    path = write_sheet(tmp_path)
    fill(path, {"H5": "Likemenn\nFaste møtetider", "H4": "Jobb; Kaffe  og  prat"})
    _, ladder = codings.read_coding_sheet(
        path, "anne", ["E01", "E02", "E03"], ["F01", "F02", "F03"]
    )
    found = codings.free_text_factors(ladder)
    assert found.to_dict("records") == [
        {"example_id": "E01", "coder": "anne", "text": "Jobb"},
        {"example_id": "E01", "coder": "anne", "text": "Kaffe og prat"},
        {"example_id": "E02", "coder": "anne", "text": "Likemenn"},
        {"example_id": "E02", "coder": "anne", "text": "Faste møtetider"},
    ]


def test_free_text_table_without_its_column_names_the_file():
    with pytest.raises(InputError) as err:
        codings.free_text_factors(pd.DataFrame({"example_id": ["E01"]}), "x/ladder.csv")
    assert "x/ladder.csv" in str(err.value) and "other_factors" in str(err.value)


def test_csv_coders_only_still_give_a_ladder_table_with_columns(tmp_path):
    (tmp_path / "bo.csv").write_text("example_id,factor_id\nE01,F01\n")
    _, ladder = codings.read_codings({"bo": tmp_path / "bo.csv"}, ["E01"], ["F01"])
    assert list(ladder.columns) == codings.LADDER_COLUMNS and ladder.empty
    assert codings.free_text_factors(ladder).empty


def _qdpx(tmp_path, marks: dict[str, list[tuple[str, str]]], name="team.qdpx"):
    from medvirk import refiqda

    examples, categories, factors = study()
    rows = [(e, coder, f) for coder, pairs in marks.items() for e, f in pairs]
    table = pd.DataFrame(rows, columns=refiqda.CODING_COLUMNS)
    return refiqda.write_qdpx(tmp_path / name, examples, factors, categories, table)


def test_qdpx_users_join_the_workbook_coders(tmp_path):
    examples, _, factors = study()
    fill(write_sheet(tmp_path, "anne"), {"E4": "x", "I4": 2})  # E01: F01, ladder step 2
    qdpx = _qdpx(tmp_path, {"Kari Nordmann": [("E01", "F01")], "bo": [("E02", "F03")]})
    grid, ladder, problems = codings.read_study_codings(
        tmp_path, ["anne", "bo"], examples, factors, [qdpx]
    )
    assert sorted(grid["coder"].unique()) == ["Kari Nordmann", "anne", "bo"]
    present = grid[grid["present"] == 1][["example_id", "coder", "factor_id"]]
    assert present.values.tolist() == [
        ["E01", "Kari Nordmann", "F01"],
        ["E01", "anne", "F01"],
        ["E02", "bo", "F03"],
    ]
    assert list(ladder["coder"].unique()) == ["anne"]  # QDA coders give no ladder step
    assert problems.empty


def test_a_coder_in_a_workbook_and_a_qdpx_and_a_coder_nowhere_stop_the_run(tmp_path):
    examples, _, factors = study()
    write_sheet(tmp_path, "anne")
    qdpx = _qdpx(tmp_path, {"anne": [("E01", "F01")], "bo": [("E02", "F03")]})
    with pytest.raises(CodingError, match="anne.xlsx og kodinger i en .qdpx"):
        codings.read_study_codings(tmp_path, ["anne"], examples, factors, [qdpx])
    with pytest.raises(CodingError, match="Brukerne i .qdpx-filene er: anne, bo"):
        codings.read_study_codings(tmp_path, ["cy"], examples, factors, [qdpx])


def test_fewer_than_two_coders_stop_with_the_qdpx_problems(tmp_path):
    examples, _, factors = study()
    qdpx = _qdpx(tmp_path, {"bo": [("E02", "F03")]})
    (tmp_path / "bad.qdpx").write_text("not a zip")
    with pytest.raises(CodingError, match="minst to") as err:
        codings.read_study_codings(
            tmp_path, [], examples, factors, [qdpx, tmp_path / "bad.qdpx"], schema="no.xsd"
        )
    assert "bad.qdpx: [unreadable]" in str(err.value)
    assert "[schema_missing] no.xsd" in str(err.value)


def test_strict_stops_at_an_unreadable_qdpx(tmp_path):
    examples, _, factors = study()
    good = _qdpx(tmp_path, {"bo": [("E02", "F03")], "cy": [("E01", "F01")]})
    (tmp_path / "bad.qdpx").write_text("not a zip")
    files = [good, tmp_path / "bad.qdpx"]
    grid, _, problems = codings.read_study_codings(tmp_path, [], examples, factors, files)
    assert sorted(grid["coder"].unique()) == ["bo", "cy"]
    assert problems["kind"].tolist() == ["unreadable"]
    with pytest.raises(CodingError, match="bad.qdpx: cannot be opened"):
        codings.read_study_codings(tmp_path, [], examples, factors, files, strict=True)


def test_excluded_qdpx_users_are_not_coders_and_are_reported(tmp_path):
    examples, _, factors = study()
    qdpx = _qdpx(
        tmp_path,
        {"bo": [("E02", "F03")], "cy": [("E01", "F01")], "test_user": [("E01", "F02")] * 2},
    )
    grid, _, problems = codings.read_study_codings(
        tmp_path, [], examples, factors, [qdpx], exclude_users=["test_user"]
    )
    assert sorted(grid["coder"].unique()) == ["bo", "cy"]
    excluded = problems[problems["kind"] == "user_excluded"]
    assert excluded[["file", "item", "detail"]].values.tolist() == [
        ["team.qdpx", "test_user", "1 coding(s) skipped: coding.exclude_users"]
    ]


def test_an_example_outside_a_qda_coders_project_is_not_coded_by_them(tmp_path):
    from medvirk import refiqda

    examples, categories, factors = study()
    two = examples[examples["example_id"].isin(["E01", "E02"])]
    marks = pd.DataFrame(
        [("E01", "bo", "F01"), ("E02", "cy", "F03")], columns=refiqda.CODING_COLUMNS
    )
    qdpx = refiqda.write_qdpx(tmp_path / "two.qdpx", two, factors, categories, marks)
    fill(write_sheet(tmp_path, "anne"), {"E4": "x"})
    grid, _, _ = codings.read_study_codings(tmp_path, ["anne"], examples, factors, [qdpx])
    coded = grid.groupby("coder")["example_id"].unique().map(sorted).to_dict()
    assert coded == {"anne": ["E01", "E02", "E03"], "bo": ["E01", "E02"], "cy": ["E01", "E02"]}
    assert grid[(grid["coder"] == "bo") & (grid["present"] == 1)]["example_id"].tolist() == ["E01"]


def test_contact_details_in_free_text_never_leave_the_sheet(tmp_path):
    path = write_sheet(tmp_path)
    fill(path, {"H4": "Ring Kari på 51 33 53 04; kari@sykehus.no vet mer"})
    _, ladder = codings.read_coding_sheet(
        path, "anne", ["E01", "E02", "E03"], ["F01", "F02", "F03"]
    )
    text = ladder.loc[ladder["example_id"] == "E01", "other_factors"].item()
    assert "51 33 53 04" not in text and "kari@sykehus.no" not in text
    assert "[telefon fjernet]" in text and "[e-post fjernet]" in text


def test_a_row_deleted_from_a_sheet_is_not_coded_rather_than_absent(tmp_path):
    from openpyxl import load_workbook

    path = write_sheet(tmp_path, "anne")
    fill(path, {"E4": "x"})
    wb = load_workbook(path)
    ws = wb[codings.SHEET]
    ws.delete_rows(codings.FIRST_DATA_ROW + 1)  # E02's row
    wb.save(path)
    grid, _ = codings.read_codings({"anne": path}, ["E01", "E02", "E03"], ["F01", "F02", "F03"])
    assert sorted(grid["example_id"].unique()) == ["E01", "E03"]


def test_a_qda_user_whose_codes_all_fall_outside_the_codebook_still_coded(tmp_path):
    from medvirk import refiqda

    examples, categories, factors = study()
    marks = pd.DataFrame(
        [("E01", "bo", "F01"), ("E02", "cy", "F01"), ("E01", "dag", "F03")],
        columns=refiqda.CODING_COLUMNS,
    )
    qdpx = refiqda.write_qdpx(tmp_path / "p.qdpx", examples, factors, categories, marks)
    without_f03 = factors[factors["factor_id"] != "F03"]  # dag's only code maps onto nothing
    grid, _, problems = codings.read_study_codings(tmp_path, [], examples, without_f03, [qdpx])
    dag = grid[grid["coder"] == "dag"]
    assert len(dag) == 3 * len(without_f03) and dag["present"].sum() == 0
    assert "user_without_codings" not in set(problems["kind"])
    assert "code_unmatched" in set(problems["kind"])


# --- Every message of a sheet whole, and what a sheet holds after blank and repeated rows -------


def test_every_problem_of_a_sheet_whole(tmp_path):
    path = write_sheet(tmp_path)
    fill(path, {"F2": "F2O", "E4": "ja", "A5": "E99", "A6": "E01", "I4": 7, "J4": "d", "E7": "x"})
    with pytest.raises(CodingError) as err:
        codings.read_coding_sheet(path, "anne", ["E01", "E02", "E03"], ["F01", "F02", "F03"])
    where = "anne.xlsx, ark «Koding», rad"
    assert err.value.problems == [
        f"{where} 2, kolonne F (celle F2): faktor-id «F2O» finnes ikke i kodeboken. Rett "
        "overskriften tilbake til id-en fra kodeboken.",
        f"{where} 4, kolonne E (F01, celle E4): «ja» er ikke tillatt. Skriv x eller la cellen "
        "stå tom.",
        f"{where} 4, kolonne I (celle I4): «7» er ikke tillatt. Velg en av 1, 2, 3, 4.",
        f"{where} 4, kolonne J (celle J4): «d» er ikke tillatt. Velg en av A, B, C.",
        f"{where} 5, kolonne A (celle A5): eksempel-id «E99» finnes ikke i studien.",
        f"{where} 6: eksempel E01 står to ganger (også på rad 4).",
        f"{where} 7, kolonne A (celle A7): eksempel-id «» finnes ikke i studien.",
    ]
    assert str(err.value) == "Kodingene kan ikke leses før dette er rettet:\n- " + "\n- ".join(
        err.value.problems
    )


def test_a_sheet_read_past_a_blank_row_with_its_ladder_and_scrubbed_notes(tmp_path):
    path = write_sheet(tmp_path)
    fill(
        path,
        {"E4": "x", "I4": "3", "J4": " b ", "H4": "Ring Kari Nordmann på 912 34 567",
         "A5": None, "A8": "E02", "E8": "x", "H6": "  "},
    )  # fmt: skip
    presence, ladder = codings.read_coding_sheet(
        path, "anne", ["E01", "E02", "E03"], ["F01", "F02", "F03"], names=["Kari Nordmann"]
    )
    assert presence.to_dict("list") == {
        "example_id": ["E01", "E02"],
        "coder": ["anne", "anne"],
        "factor_id": ["F01", "F01"],
    }
    assert list(ladder.columns) == codings.LADDER_COLUMNS
    assert ladder.astype(object).where(ladder.notna(), None).values.tolist() == [
        ["E01", "anne", 3, "B", "Ring [navn fjernet] på [telefon fjernet]"],
        ["E03", "anne", None, None, None],
        ["E02", "anne", None, None, None],
    ]
    kept = codings.read_coding_sheet(
        path, "anne", ["E01", "E02", "E03"], ["F01", "F02", "F03"], scrub=False
    )[1]
    assert kept["other_factors"].iloc[0] == "Ring Kari Nordmann på 912 34 567"
    # read through read_codings: scrubbed by default, the names given reach the sheet
    grid, ladder = codings.read_codings(
        {"anne": path}, ["E01", "E02", "E03"], ["F01", "F02", "F03"], names=["Kari Nordmann"]
    )
    assert ladder["other_factors"].iloc[0] == "Ring [navn fjernet] på [telefon fjernet]"
    assert list(ladder.index) == [0, 1, 2]


def test_a_sheet_without_its_sheet_or_its_example_column(tmp_path):
    from openpyxl import Workbook

    path = tmp_path / "bo.xlsx"
    wb = Workbook()
    wb.active.title = "Ark1"
    wb.save(path)
    with pytest.raises(CodingError) as err:
        codings.read_coding_sheet(path, "bo", ["E01"], ["F01"])
    assert err.value.problems == ["bo.xlsx: finner ikke arket «Koding». Arkene heter: ['Ark1']."]
    wb = Workbook()
    wb.active.title = codings.SHEET
    wb.active.append(["Eksempel"])
    wb.active.append(["id", "F01"])
    wb.save(path)
    with pytest.raises(CodingError) as err:
        codings.read_coding_sheet(path, "bo", ["E01"], ["F01"])
    assert err.value.problems == ["bo.xlsx, ark «Koding», rad 2: mangler kolonnen example_id."]


def test_old_ids_in_sheets_and_csv_files_get_their_hint(tmp_path):
    path = write_sheet(tmp_path)
    fill(path, {"A5": "ex-0042"})
    csv = tmp_path / "bo.csv"
    csv.write_text("example_id,coder,factor_id\nex-0042,bo,F01\n")
    hints = {"ex-0042": "Skjemaet er endret."}
    with pytest.raises(CodingError) as err:
        codings.read_codings(
            {"anne": path, "bo": csv}, ["E01", "E02", "E03"], ["F01", "F02", "F03"],
            id_hints=hints,
        )  # fmt: skip
    assert err.value.problems == [
        "anne.xlsx, ark «Koding», rad 5, kolonne A (celle A5): eksempel-id «ex-0042» finnes "
        "ikke i studien. Skjemaet er endret.",
        "bo.csv, rad 2, kolonne example_id: eksempel-id «ex-0042» finnes ikke. Skjemaet er endret.",
    ]


def test_factor_columns_deleted_by_two_coders_are_uncoded_for_each(tmp_path):
    paths = {}
    for coder, column in (("anne", 5), ("bo", 6)):
        path = write_sheet(tmp_path, coder)
        wb = load_workbook(path)
        wb[codings.SHEET].delete_cols(column)  # anne deletes F01, bo deletes F02
        wb.save(path)
        paths[coder] = path
    grid, _ = codings.read_codings(paths, ["E01", "E02", "E03"], ["F01", "F02", "F03"])
    coded = grid.groupby("coder")["factor_id"].apply(lambda s: sorted(set(s))).to_dict()
    assert coded == {"anne": ["F02", "F03"], "bo": ["F01", "F03"]}


def test_a_study_s_codings_with_schema_notes_names_and_messages_whole(tmp_path):
    examples, _, factors = study()
    path = write_sheet(tmp_path, "anne")
    fill(path, {"E4": "x", "H4": "Spør Lise Berg"})
    write_sheet(tmp_path, "bo")
    with pytest.raises(CodingError) as err:
        codings.read_study_codings(tmp_path, ["anne"], examples, factors)
    assert err.value.problems == [
        f"Fant 1 koder(e) i {tmp_path}; enighet krever minst to. Legg inn kodeskjemaer "
        "(coding.coders) eller .qdpx-filer med flere brukere."
    ]
    (tmp_path / "bad.xsd").write_text("<nope")
    qdpx = _qdpx(tmp_path, {"cy": [("E01", "F01")]}, name="lise_berg.qdpx")
    mapping = tmp_path / "mapping.csv"
    mapping.write_text("code_guid,factor_id,source_guid,example_id\n")
    grid, ladder, problems, _ = codings.read_study_codings_with_notices(
        tmp_path, ["anne", "bo"], examples, factors, [qdpx], mapping, schema=tmp_path / "bad.xsd",
        contact_names=["Lise Berg"],
    )  # fmt: skip
    assert problems.iloc[0].tolist() == [
        "",
        "schema_unreadable",
        str(tmp_path / "bad.xsd"),
        "not a usable XML schema (XMLResourceParseError); read without checks",
    ]
    assert list(problems.index) == list(range(len(problems)))
    assert sorted(grid["coder"].unique()) == ["anne", "bo", "cy"]
    notes = ladder.dropna(subset=["other_factors"])
    assert notes[["coder", "other_factors"]].values.tolist() == [["anne", "Spør [navn fjernet]"]]
    _, _, problems, _ = codings.read_study_codings_with_notices(
        tmp_path, ["anne", "bo"], examples, factors, schema=tmp_path / "none.xsd"
    )
    assert problems.values.tolist() == [
        ["", "schema_missing", str(tmp_path / "none.xsd"), "not found; read without checks"]
    ]


def test_missing_coder_files_are_all_named(tmp_path):
    write_sheet(tmp_path, "anne")
    (tmp_path / "anne.csv").write_text("example_id,factor_id\n")
    with pytest.raises(CodingError) as err:
        codings.find_coding_files(tmp_path, ["anne", "cy", "dag"])
    missing = (
        "står i oppsettet, men det finnes ingen fil {0}.xlsx eller {0}.csv i "
        f"{tmp_path}, og ingen bruker med det navnet i en .qdpx-fil. Legg inn filen, eller "
        "fjern koderen fra oppsettet (coding.coders)."
    )
    assert err.value.problems == [
        f"Koder «anne» har både anne.xlsx og anne.csv i {tmp_path}.",
        "Koder «cy» " + missing.format("cy"),
        "Koder «dag» " + missing.format("dag"),
    ]


def test_the_factor_columns_are_found_whatever_size_the_sheet_claims(tmp_path):
    """A workbook's sheet states its size (<dimension ref=…/>); some programs write a wrong
    one. Read as the size claims, every factor column would look deleted by the coder."""
    import re
    import zipfile

    path = write_sheet(tmp_path)
    wrong = tmp_path / "wrong" / path.name
    wrong.parent.mkdir()
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(wrong, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet"):  # the guide and «Koding»
                assert b"<dimension ref=" in data
                data = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1"/>', data)
            target.writestr(info, data)
    assert codings.missing_factor_columns(path, ["F01", "F02", "F03"]) == []
    assert codings.missing_factor_columns(wrong, ["F01", "F02", "F03"]) == []


def test_the_factor_columns_are_read_from_the_header_row_only(tmp_path):
    path = write_sheet(tmp_path)
    wb = load_workbook(path)
    ws = wb[codings.SHEET]
    ws.delete_cols(6)  # F02's column gone
    ws["H4"] = "F02"  # a coder's note naming it below the header does not bring it back
    ws["E1"] = "F02"  # nor does the category row above
    wb.save(path)
    assert codings.missing_factor_columns(path, ["F01", "F02", "F03"]) == ["F02"]
    ws.delete_cols(5, 2)
    wb.save(path)
    with pytest.raises(CodingError) as err:
        codings.missing_factor_columns(path, ["F01", "F02", "F03"])
    assert err.value.problems == [
        "anne.xlsx, ark «Koding», rad 2: finner ingen av faktorkolonnene fra kodeboken (F01, "
        "F02, …). Bruk kodeskjemaet slik det ble sendt ut, uten å slette kolonner."
    ]


def test_free_text_table_missing_columns_are_named_whole():
    with pytest.raises(InputError) as err:
        codings.free_text_factors(pd.DataFrame({"coder": ["a"]}), "ladder_codings.csv")
    assert str(err.value) == (
        "ladder_codings.csv: missing column(s) example_id, other_factors; expected the coders' "
        "ladder and free-text table written by rule read_codings."
    )


def test_zip_limits_apply_to_workbooks_and_qdpx_files_only(tmp_path, monkeypatch):
    import shutil

    from medvirk import limits

    sheet = write_sheet(tmp_path)
    monkeypatch.setattr(limits, "MAX_ZIP_MEMBERS", 3)
    for name in ("b.xlsx", "c.XLSM", "team.qdpx"):
        shutil.copy(sheet, tmp_path / name)
        with pytest.raises(CodingError) as err:
            codings.check_coding_file(tmp_path / name)
        assert err.value.problems[0].startswith(f"{name}: filen inneholder ")
        assert "grensen er 3" in err.value.problems[0]
    shutil.copy(sheet, tmp_path / "d.csv")  # a CSV is left to its reader
    codings.check_coding_file(tmp_path / "d.csv")


def test_links_in_the_codings_folder_are_refused_whole(tmp_path):
    real = write_sheet(tmp_path / "elsewhere")
    folder = tmp_path / "codings"
    folder.mkdir()
    (folder / ".skjult.xlsx").symlink_to(real)  # hidden: ignored
    codings.refuse_links(folder)
    (folder / "anne.xlsx").symlink_to(real)
    with pytest.raises(CodingError) as err:
        codings.refuse_links(folder)
    assert err.value.problems == [
        f"{folder / 'anne.xlsx'}: er en snarvei (symbolsk lenke) og leses ikke, for den kan peke "
        "ut av studien. Legg selve filen i mappen. / is a symbolic link and is not read, as it "
        "can point outside the study. Put the file itself in the folder."
    ]
    codings.refuse_links(tmp_path / "no such folder")


def test_row_limits_of_sheets_and_csv_files_whole(tmp_path, monkeypatch):
    path = write_sheet(tmp_path)  # 3 example rows below the 3 header rows
    ids, factors = ["E01", "E02", "E03"], ["F01", "F02", "F03"]
    monkeypatch.setattr(codings, "MAX_SHEET_ROWS", 3)
    codings.read_coding_sheet(path, "anne", ids, factors)  # 3 rows: at the limit
    monkeypatch.setattr(codings, "MAX_SHEET_ROWS", 2)
    with pytest.raises(CodingError) as err:
        codings.read_coding_sheet(path, "anne", ids, factors)
    assert err.value.problems == [
        "anne.xlsx, ark «Koding»: over 2 rader; grensen er 2. Slett tomme eller overflødige "
        "rader nederst. / over 2 rows; the limit is 2. Delete empty or extra rows at the bottom."
    ]
    csv = tmp_path / "bo.csv"
    csv.write_text("example_id,coder,factor_id\nE01,bo,F01\nE02,bo,F01\nE03,bo,F01\n")
    with pytest.raises(
        CodingError, match="^Kodingene kan ikke leses før dette er rettet:\n- bo.csv: over"
    ):
        codings.read_codings_csv(csv, "bo", ids, factors)


def test_csv_problems_whole(tmp_path):
    csv = tmp_path / "bo.csv"
    csv.write_text("example_id,coder,factor_id\nE01,bo,F01\nE01,cy,F01\nex-7,bo,F02\n")
    with pytest.raises(CodingError) as err:
        codings.read_codings_csv(csv, "bo", ["E01"], ["F01", "F02"])
    assert err.value.problems == [
        "bo.csv, rad 3, kolonne coder: koder «cy», men filen tilhører bo.",
        "bo.csv, rad 3: samme eksempel og faktor som rad 2.",
        "bo.csv, rad 4, kolonne example_id: eksempel-id «ex-7» finnes ikke. Er skjemaet endret "
        "eller fjernet etter at kodeskjemaet ble laget, har eksemplet fått ny id eller er borte; "
        "se kodeskjemaene som ble laget nå.",
    ]
    with pytest.raises(InputError, match=r"^ladder_codings.csv: missing column\(s\) coder"):
        codings.free_text_factors(pd.DataFrame({"example_id": [], "other_factors": []}))
