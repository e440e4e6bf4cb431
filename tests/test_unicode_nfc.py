"""Names typed as «å» (NFC) and exported as «a» + ring (NFD) are the same name everywhere.

ATLAS.ti exports names decomposed and macOS stores file names so; 12 of the 28 factor labels
of the embedded codebook hold such letters. Every reader brings text to NFC on the way in.
"""

import unicodedata
import zipfile

import pandas as pd
import pytest
from openpyxl import load_workbook

from medvirk import codings, forms, refiqda, studydata
from medvirk.io import read_user_csv, write_csv
from medvirk.textnorm import decode_text, nfc, nfc_frame
from tests.adversarial import nfd, norwegian_excel_csv
from tests.conftest import EMBEDDED
from tests.form_builders import ANSWERS, write_table_docx
from tests.test_codings import fill, study, write_sheet


def is_nfc(text: str) -> bool:
    return unicodedata.is_normalized("NFC", text)


def test_nfd_and_nfc_differ_and_nfc_joins_them():
    assert nfd("Åpen dialog") != "Åpen dialog" and nfc(nfd("Åpen dialog")) == "Åpen dialog"
    table = nfc_frame(pd.DataFrame({nfd("kolonne å"): [nfd("ø og å"), 3]}))
    assert list(table.columns) == ["kolonne å"] and table.iloc[0, 0] == "ø og å"


def test_decoded_text_is_nfc():
    text, encoding = decode_text(nfd("Brukerråd på Ålesund").encode("utf-8"))
    assert text == "Brukerråd på Ålesund" and encoding == "utf-8"


# --- .qdpx: ATLAS.ti's decomposed names match the codebook typed NFC -----------------------


def _atlas_project(path, embedded, decompose):
    """A project whose codes are named by the codebook's labels and sources by the examples'
    titles (no GUIDs shared with medvirk's export), names passed through `decompose`."""
    factors = embedded[studydata.FACTORS]
    examples = embedded[studydata.EXAMPLES].head(3)
    codes = "".join(
        f'<Code guid="c-{f}" name="{decompose(label)}" isCodable="true"/>'
        for f, label in zip(factors["factor_id"], factors["label_nb"], strict=True)
    )
    sources = "".join(
        f'<TextSource guid="s-{e}" name="{decompose(title)}.txt" plainTextPath="internal://s-{e}.txt">'
        + "".join(
            f'<PlainTextSelection guid="p-{e}-{f}" startPosition="0" endPosition="1" '
            f'creatingUser="u1"><Coding guid="g-{e}-{f}"><CodeRef targetGUID="c-{f}"/></Coding>'
            "</PlainTextSelection>"
            for f in factors["factor_id"]
        )
        + "</TextSource>"
        for e, title in zip(examples["example_id"], examples["title"], strict=True)
    )
    xml = (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<Project xmlns="urn:QDA-XML:project:1.0" name="atlas">'
        f'<Users><User guid="u1" name="{decompose("Åse")}"/></Users>'
        f"<CodeBook><Codes>{codes}</Codes></CodeBook><Sources>{sources}</Sources></Project>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", xml.encode("utf-8"))
        for e in examples["example_id"]:
            archive.writestr(f"Sources/s-{e}.txt", "tekst")
    return examples, factors


@pytest.mark.parametrize("decompose", [nfd, nfc], ids=["NFD", "NFC"])
def test_qdpx_codes_named_nfd_match_the_nfc_factor_labels(tmp_path, embedded, decompose):
    path = tmp_path / "atlas.qdpx"
    examples, factors = _atlas_project(path, embedded, decompose)
    with_letters = [label for label in factors["label_nb"] if nfd(label) != label]
    assert len(with_letters) == 12
    found, problems = refiqda.read_qdpx(path, examples, factors)
    assert problems.empty, problems.to_dict("records")
    assert len(found) == 3 * 28  # every code on every source, none lost to Unicode form
    assert set(found["coder"]) == {"Åse"} and is_nfc(found["coder"].iloc[0])


def test_a_mapping_file_typed_nfc_matches_nfd_names_and_back(tmp_path, embedded):
    factors = embedded[studydata.FACTORS]
    examples = embedded[studydata.EXAMPLES].head(3)
    xml = (
        '<Project xmlns="urn:QDA-XML:project:1.0" name="p"><Users><User guid="u" name="kari"/>'
        f'</Users><CodeBook><Codes><Code guid="c1" name="{nfd("Trygg bolig på Ørland")}"/>'
        f'<Code guid="c2" name="Brukerstyrt seng"/></Codes></CodeBook><Sources>'
        f'<TextSource guid="s1" name="{nfd("Intervju Ålesund")}.docx">'
        '<PlainTextSelection guid="p1" startPosition="0" endPosition="1" creatingUser="u">'
        '<Coding guid="g1"><CodeRef targetGUID="c1"/></Coding>'
        '<Coding guid="g2"><CodeRef targetGUID="c2"/></Coding></PlainTextSelection>'
        "</TextSource></Sources></Project>"
    )
    path = tmp_path / "p.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", xml)
    mapping = pd.DataFrame(
        {
            "code_name": ["Trygg bolig på Ørland", nfd("Brukerstyrt seng"), ""],
            "factor_id": ["F23", "F05", ""],
            "source_name": ["", "", "Intervju Ålesund.docx"],
            "example_id": ["", "", "E02"],
        }
    )
    mapping_file = tmp_path / "qdpx_mapping.csv"
    mapping_file.write_bytes(norwegian_excel_csv(mapping))
    found, problems = refiqda.read_qdpx(path, examples, factors, refiqda.read_mapping(mapping_file))
    assert problems.empty, problems.to_dict("records")
    assert sorted(map(tuple, found.to_numpy())) == [("E02", "kari", "F05"), ("E02", "kari", "F23")]


# --- sheets, CSVs and file names -----------------------------------------------------------


def test_a_coder_file_named_nfd_on_a_mac_is_that_coders_file(tmp_path):
    examples, categories, factors = study()
    sheet = tmp_path / nfd("åse.xlsx")
    codings.write_coding_sheet(sheet, "åse", examples, factors, categories)
    fill(sheet, {"E4": "x", "G4": "x", "H4": nfd("Trygg bolig på Ørland")})
    write_csv(pd.DataFrame({"example_id": ["E01"], "coder": [nfd("bjørn-åge")], "factor_id": ["F01"]}),
              tmp_path / nfd("bjørn-åge.csv"))  # fmt: skip
    coders = ["åse", "bjørn-åge"]
    assert [p.name for p in codings.coder_files(tmp_path, coders)["åse"]] == [nfd("åse.xlsx")]
    files = codings.find_coding_files(tmp_path, coders)
    assert sorted(files) == sorted(coders)
    grid, ladder = codings.read_codings(files, ["E01", "E02", "E03"], ["F01", "F02", "F03"])
    assert sorted(grid["coder"].unique()) == sorted(coders)
    marked = grid[grid["present"] == 1]
    assert sorted(map(tuple, marked[["coder", "factor_id"]].to_numpy())) == [
        ("bjørn-åge", "F01"), ("åse", "F01"), ("åse", "F03"),
    ]  # fmt: skip
    assert ladder.loc[0, "other_factors"] == "Trygg bolig på Ørland"
    assert is_nfc(ladder.loc[0, "other_factors"])


def test_a_codebook_saved_nfd_gives_nfc_labels_in_the_sheet_header(tmp_path, study_dir):
    path = study_dir / "codebook" / "factors.csv"
    path.write_bytes(nfd(path.read_text(encoding="utf-8")).encode("utf-8"))
    tables = studydata.load_codebook(study_dir)
    original = studydata.load_codebook(EMBEDDED)
    pd.testing.assert_frame_equal(tables[studydata.FACTORS], original[studydata.FACTORS])
    sheet = tmp_path / "anne.xlsx"
    examples = pd.DataFrame({"example_id": ["E01"], "title": ["t"], "aim": ["a"]})
    codings.write_coding_sheet(
        sheet, "anne", examples, tables[studydata.FACTORS], tables[studydata.CATEGORIES]
    )
    labels = [cell.value for cell in load_workbook(sheet)[codings.SHEET][codings.HEADER_ROW + 1]]
    assert "Åpen dialog" in labels and all(is_nfc(str(v)) for v in labels if v)


def test_a_user_csv_with_an_nfd_header_and_cells_reads_nfc(tmp_path):
    path = tmp_path / "notater.csv"
    path.write_bytes(nfd("example_id;kommentar å\r\nE01;Pårørende\r\n").encode("utf-8"))
    table = read_user_csv(path)
    assert list(table.columns) == ["example_id", "kommentar å"]
    assert table.loc[2, "kommentar å"] == "Pårørende"


def test_a_coding_sheet_with_nfd_values_reads_nfc(tmp_path):
    sheet = write_sheet(tmp_path, "anne")
    fill(sheet, {"H4": nfd("Økt åpenhet; Pårørende"), "E4": "x"})
    _, ladder = codings.read_coding_sheet(
        sheet, "anne", ["E01", "E02", "E03"], ["F01", "F02", "F03"]
    )
    assert codings.split_other_factors(ladder.loc[0, "other_factors"]) == [
        "Økt åpenhet",
        "Pårørende",
    ]


# --- forms ---------------------------------------------------------------------------------


def test_a_form_written_nfd_is_the_same_example_as_the_one_typed_nfc(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    typed = write_table_docx(tmp_path / "a" / "brukerråd.docx")
    decomposed = write_table_docx(
        tmp_path / "b" / nfd("brukerråd.docx"), {k: nfd(v) for k, v in ANSWERS.items()}
    )
    one, other = forms.ingest([typed]).records, forms.ingest([decomposed]).records
    assert other.loc[0, "title"] == ANSWERS["title"] and is_nfc(other.loc[0, "title"])
    assert other.loc[0, "example_id"] == one.loc[0, "example_id"]
    assert other.loc[0, "source_file"] == "brukerråd.docx"


def test_a_text_form_in_nfd_reads_nfc(tmp_path):
    path = tmp_path / "skjema.txt"
    path.write_bytes(nfd("Overskrift: Brukerråd på Ørland\nMål: Å høre brukerne.\n").encode())
    record = forms.ingest([path]).records.iloc[0]
    assert record["title"] == "Brukerråd på Ørland" and record["aim"] == "Å høre brukerne."
