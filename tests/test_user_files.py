"""Everyday files from real teams give a message naming the file, never a traceback.

Coders read Norwegian; researchers read Norwegian and English. The bad files are built by
tests.adversarial.
"""

import errno
import logging
import os
import zipfile

import pandas as pd
import pytest

from medvirk import codings, consensus, forms, refiqda, studydata
from medvirk.cli import main
from medvirk.codings import CodingError
from medvirk.errors import CODER, RESEARCHER, InputError
from medvirk.io import read_user_csv, write_csv
from medvirk.runlog import logged
from medvirk.settings import SettingsError, check_settings, validate_settings
from medvirk.studies import new_study
from tests.adversarial import (
    csv_text_as_xlsx,
    norwegian_excel_csv,
    notepad_unicode,
    old_xls,
    truncated,
    unicode_text_csv,
)
from tests.conftest import EMBEDDED, REPO
from tests.form_builders import ANSWERS, write_table_docx
from tests.test_codings import fill, study, write_sheet

SCHEMA = REPO / "workflow" / "schemas" / "config.schema.yaml"
EXAMPLES = study()[0]["example_id"].tolist()  # the study tests.test_codings writes sheets for
FACTORS = study()[2]["factor_id"].tolist()
LONG = pd.DataFrame(
    {
        "example_id": ["E01", "E01", "E03"],
        "coder": ["bjørn", "bjørn", "bjørn"],
        "factor_id": ["F01", "F03", "F02"],
    }
)
EXCEL_FLAVOURS = {
    "cp1252 ;": lambda t: norwegian_excel_csv(t),
    "utf-8 BOM ;": lambda t: norwegian_excel_csv(t, bom=True),
    "sep=; line": lambda t: norwegian_excel_csv(t, sep_line=True),
    "utf-16 tab": lambda t: unicode_text_csv(t),
    "utf-16 tab no BOM": lambda t: unicode_text_csv(t, bom=False),
}


# --- CSV files: encoding and separator found, not guessed wrong ----------------------------


@pytest.mark.parametrize("flavour", EXCEL_FLAVOURS)
def test_a_coders_csv_from_norwegian_excel_reads_like_the_utf8_one(tmp_path, flavour):
    path = tmp_path / "bjørn.csv"
    write_csv(LONG, path)
    expected = codings.read_codings_csv(path, "bjørn", EXAMPLES, FACTORS)
    path.write_bytes(EXCEL_FLAVOURS[flavour](LONG))
    got = codings.read_codings_csv(path, "bjørn", EXAMPLES, FACTORS)
    pd.testing.assert_frame_equal(got, expected)
    assert len(got) == 3


def test_excel_rows_left_empty_are_not_rows_and_row_numbers_stay_as_excel_shows_them(tmp_path):
    path = tmp_path / "bjørn.csv"
    text = "example_id;coder;factor_id\r\nE01;bjørn;F01\r\n;;\r\nE09;bjørn;F01\r\n;;\r\n"
    path.write_bytes(text.encode("cp1252"))
    with pytest.raises(CodingError) as err:
        codings.read_codings_csv(path, "bjørn", EXAMPLES, FACTORS)
    assert err.value.problems == [
        "bjørn.csv, rad 4, kolonne example_id: eksempel-id «E09» finnes ikke."
    ]


def test_consensus_csv_from_norwegian_excel(tmp_path):
    table = pd.DataFrame(
        {"example_id": ["E01", "E02"], "factor_id": ["F01", "F02"], "decision": ["x", "nei"]}
    )
    path = tmp_path / "consensus.csv"
    write_csv(table, path)
    expected = consensus.read_decisions(path, EXAMPLES, FACTORS).drop(columns="row")
    for build in EXCEL_FLAVOURS.values():
        path.write_bytes(build(table))
        # The row column counts rows as the spreadsheet shows them, so a `sep=;` line moves it.
        got = consensus.read_decisions(path, EXAMPLES, FACTORS).drop(columns="row")
        pd.testing.assert_frame_equal(got, expected)
    assert expected["decision"].tolist() == [1, 0]


def test_qdpx_mapping_from_norwegian_excel_keeps_its_letters(tmp_path):
    table = pd.DataFrame(
        {"code_name": ["Mulighet til påvirkning", ""], "factor_id": ["F03", ""],
         "source_name": ["", "Intervju Ålesund.docx"], "example_id": ["", "E02"]}
    )  # fmt: skip
    path = tmp_path / "qdpx_mapping.csv"
    path.write_bytes(norwegian_excel_csv(table))
    mapping = refiqda.read_mapping(path)
    assert mapping["code_name"].tolist() == ["Mulighet til påvirkning", ""]
    assert mapping["source_name"].tolist() == ["", "Intervju Ålesund.docx"]


def test_a_half_filled_mapping_row_is_named_in_both_languages(tmp_path):
    path = tmp_path / "qdpx_mapping.csv"
    path.write_bytes(b"code_name;factor_id\r\nTidlig involvering;\r\n")
    with pytest.raises(InputError) as err:
        refiqda.read_mapping(path)
    assert str(err.value) == (
        f"{path}, row 2, column 'factor_id': factor_id er tom; fyll ut begge sider / "
        "factor_id is empty; fill in both sides"
    )


@pytest.mark.parametrize(
    ("data", "nb", "en"),
    [
        (b"", "filen er tom", "the file is empty"),
        (b"\r\n  \r\n", "filen er tom", "the file is empty"),
        (b"PK\x03\x04" + b"\x00" * 40, "er en Excel-arbeidsbok, ikke en CSV-fil", "Excel workbook"),
        (old_xls(), "er en Excel-arbeidsbok, ikke en CSV-fil", "Excel workbook"),
        (b"\x00\x01\x02\x03\x04\x05\x00\x00\x07" * 40, "er ikke en tekstfil", "not a text file"),
        (b'a,"b\n1,2\n', "kan ikke leses som CSV", "cannot be read as CSV"),
    ],
)
def test_a_file_that_is_no_csv_says_so_in_the_readers_language(tmp_path, data, nb, en):
    path = tmp_path / "bjørn.csv"
    path.write_bytes(data)
    with pytest.raises(InputError) as coder:
        read_user_csv(path, CODER)
    assert nb in str(coder.value) and en not in str(coder.value)
    assert str(coder.value).startswith(f"{path}: ")
    with pytest.raises(InputError) as researcher:
        read_user_csv(path, RESEARCHER)
    assert nb in str(researcher.value) and en in str(researcher.value)


def test_missing_columns_list_the_columns_found(tmp_path):
    path = tmp_path / "anne.csv"
    path.write_bytes("eksempel,faktor\r\nE01,F01\r\n".encode("cp1252"))
    with pytest.raises(CodingError) as err:
        codings.read_codings_csv(path, "anne", EXAMPLES, FACTORS)
    assert err.value.problems == [
        "anne.csv: mangler kolonnen example_id, factor_id i første rad (fant: eksempel, faktor)"
    ]


# --- workbooks: old, empty, damaged ---------------------------------------------------------

SAVE_AS = "som .xlsx (Excel-arbeidsbok)"


def _bad_workbooks(tmp_path):
    good = write_sheet(tmp_path, "mal")
    return {
        "old .xls": (old_xls(), "er en gammel Excel-fil (.xls) eller en arbeidsbok med passord"),
        "zero bytes": (b"", "filen er tom (0 byte)"),
        "cut off": (truncated(good), "er skadet og kan ikke leses"),
        "csv renamed": (csv_text_as_xlsx(LONG), "er ikke en Excel-arbeidsbok"),
    }


def test_a_coding_sheet_that_is_no_workbook_says_what_to_do_in_norwegian(tmp_path):
    for label, (data, says) in _bad_workbooks(tmp_path).items():
        path = tmp_path / "kari.xlsx"
        path.write_bytes(data)
        with pytest.raises(CodingError) as err:
            codings.read_coding_sheet(path, "kari", EXAMPLES, FACTORS)
        (problem,) = err.value.problems
        assert problem.startswith(f"kari.xlsx: {says}"), label
        assert SAVE_AS in problem, label


def test_one_bad_workbook_is_listed_with_the_other_coders_problems(tmp_path):
    anne = write_sheet(tmp_path, "anne")
    fill(anne, {"E4": "ja"})
    (tmp_path / "bo.xlsx").write_bytes(old_xls())
    with pytest.raises(CodingError) as err:
        codings.read_codings({"anne": anne, "bo": tmp_path / "bo.xlsx"}, EXAMPLES, FACTORS)
    assert len(err.value.problems) == 2
    assert "«ja» er ikke tillatt" in err.value.problems[0]
    assert err.value.problems[1].startswith("bo.xlsx: er en gammel Excel-fil (.xls)")


@pytest.mark.parametrize("case", ["old .xls", "zero bytes", "cut off", "csv renamed"])
def test_a_broken_consensus_workbook_is_named_not_a_pandas_engine_error(tmp_path, case):
    data, says = _bad_workbooks(tmp_path)[case]
    path = tmp_path / "consensus.xlsx"
    path.write_bytes(data)
    with pytest.raises(CodingError) as err:
        consensus.read_decisions(path, EXAMPLES, FACTORS)
    assert str(err.value).count("consensus.xlsx: ") == 1
    assert says in str(err.value) and "engine" not in str(err.value)


# --- .qdpx with schema validation: a bad file is skipped and reported ------------------------

# A small QDA-XML schema: a Project element with a name (enough to run the validation path).
MINI_XSD = """<?xml version="1.0" encoding="utf-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns="urn:QDA-XML:project:1.0"
    targetNamespace="urn:QDA-XML:project:1.0" elementFormDefault="qualified">
  <xs:element name="Project">
    <xs:complexType>
      <xs:sequence><xs:any minOccurs="0" maxOccurs="unbounded" processContents="skip"/></xs:sequence>
      <xs:attribute name="name" type="xs:string" use="required"/>
      <xs:anyAttribute processContents="skip"/>
    </xs:complexType>
  </xs:element>
</xs:schema>
"""


def _qdpx_study(tmp_path, embedded):
    examples = embedded[studydata.EXAMPLES].head(4)
    factors = embedded[studydata.FACTORS]
    team = pd.DataFrame(
        [("E01", "anna", "F01"), ("E02", "anna", "F02"), ("E01", "bo", "F01")],
        columns=refiqda.CODING_COLUMNS,
    )
    folder = tmp_path / "codings"
    folder.mkdir()
    refiqda.write_qdpx(
        folder / "team.qdpx", examples, factors, embedded["codebook/categories.csv"], team
    )
    with zipfile.ZipFile(folder / "cut.qdpx", "w") as archive:
        archive.writestr("project.qde", '<Project xmlns="urn:QDA-XML:project:1.0" name="x"><Users>')
    schema = tmp_path / "Project.xsd"
    schema.write_text(MINI_XSD, encoding="utf-8")
    return folder, examples, factors, schema


def test_a_malformed_qdpx_with_schema_validation_on_is_skipped_and_reported(tmp_path, embedded):
    folder, examples, factors, schema = _qdpx_study(tmp_path, embedded)
    qdpx = sorted(folder.glob("*.qdpx"))
    grid, _, problems = codings.read_study_codings(
        folder, [], examples, factors, qdpx, schema=schema
    )
    assert sorted(grid["coder"].unique()) == ["anna", "bo"]
    (row,) = problems[problems["kind"] == "unreadable"].itertuples()
    assert row.file == "cut.qdpx" and "not well-formed XML" in row.detail
    assert row.detail.endswith("file skipped")
    with pytest.raises(CodingError, match=r"cut\.qdpx: .*not well-formed XML"):
        codings.read_study_codings(folder, [], examples, factors, qdpx, schema=schema, strict=True)


def test_a_broken_schema_file_is_noted_and_every_qdpx_still_read(tmp_path, embedded):
    folder, examples, factors, schema = _qdpx_study(tmp_path, embedded)
    schema.write_text("<xs:schema this is no schema", encoding="utf-8")
    grid, _, problems = codings.read_study_codings(
        folder, [], examples, factors, [folder / "team.qdpx"], schema=schema
    )
    assert sorted(grid["coder"].unique()) == ["anna", "bo"]
    assert problems["kind"].tolist() == ["schema_unreadable"]


# --- text forms in UTF-16 ------------------------------------------------------------------

FORM_TEXT = (
    "Overskrift: Brukerråd på Ørland\nMål: Å høre brukerne.\nBakgrunn: Pårørende ba om det.\n"
    "Utvikling: Tre møter.\nNy praksis: Fast råd.\nResultat: Færre klager.\nSpredning: Nabokommunen.\n"
)


@pytest.mark.parametrize(
    ("byteorder", "bom"), [("le", True), ("be", True), ("le", False), ("be", False)]
)
def test_a_text_form_saved_as_unicode_by_notepad_is_read(tmp_path, byteorder, bom):
    path = tmp_path / "skjema.txt"
    path.write_bytes(notepad_unicode(FORM_TEXT, byteorder, bom))
    result = forms.ingest([path])
    assert result.rejected.empty, result.rejected.to_dict("records")
    record = result.records.iloc[0]
    assert record["title"] == "Brukerråd på Ørland" and record["completeness"] == "form"
    utf8 = tmp_path / "utf8.txt"
    utf8.write_text(FORM_TEXT, encoding="utf-8")
    assert record["example_id"] == forms.ingest([utf8]).records.iloc[0]["example_id"]


def test_binary_data_is_still_no_text_form(tmp_path):
    path = tmp_path / "bilde.txt"
    path.write_bytes(bytes(range(256)) * 8)
    assert forms.ingest([path]).rejected["reason"].str.startswith("not a text file").all()


# --- a full disk ---------------------------------------------------------------------------


def test_a_full_disk_while_writing_outputs_is_a_plain_message_naming_the_file(tmp_path, capfd):
    target = "results/round2/tables/table1.csv"
    with pytest.raises(SystemExit) as done, logged(str(tmp_path / "table1.log"), "table1"):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), target)
    assert done.value.code == 1
    err = capfd.readouterr().err
    assert f"disken er full, så filen «{target}» kunne ikke skrives" in err
    assert f"the disk is full, so the file '{target}' could not be written" in err
    assert "make run" in err and "Traceback" not in err


def test_a_full_disk_that_names_no_file_still_gets_the_message(tmp_path, capfd):
    with pytest.raises(SystemExit), logged(str(tmp_path / "x.log"), "agreement") as log:
        log.info("a line before the disk filled up")
        raise OSError(errno.ENOSPC, "No space left on device")
    err = capfd.readouterr().err
    assert "agreement stoppet: disken er full, så en av filene steget skriver" in err


def test_other_os_errors_are_not_called_a_full_disk(tmp_path):
    with pytest.raises(PermissionError), logged(str(tmp_path / "x.log"), "table1"):
        raise PermissionError(errno.EACCES, "Permission denied", "results/x.csv")


def test_a_write_that_fails_for_lack_of_space_names_its_file(tmp_path, monkeypatch):
    def no_space(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")  # as a write() raises it

    monkeypatch.setattr(pd.DataFrame, "to_csv", no_space)
    with pytest.raises(OSError) as err:
        write_csv(LONG, tmp_path / "codings.csv")
    assert err.value.errno == errno.ENOSPC and err.value.filename == str(tmp_path / "codings.csv")


def test_a_log_line_that_finds_the_disk_full_prints_no_logging_traceback(tmp_path, capfd):
    with pytest.raises(SystemExit), logged(str(tmp_path / "x.log"), "consensus") as log:
        handler = log.handlers[0]
        handler.stream.write = lambda text: (_ for _ in ()).throw(OSError(errno.ENOSPC, "full"))
        log.info("this line cannot be written")
        raise OSError(errno.ENOSPC, "No space left on device", "data/processed/x/consensus.csv")
    err = capfd.readouterr().err
    assert "Logging error" not in err and "Traceback" not in err
    assert "disken er full" in err
    logging.getLogger("medvirk.consensus").handlers.clear()


# --- settings ------------------------------------------------------------------------------


def _settings(**coding):
    return {"study": "round2", "coding": {"coders": ["anne"], **coding}}


def test_coder_names_with_norwegian_letters_are_allowed_and_brought_to_nfc():
    config = _settings(coders=["bjørn", "a\u030ase", "anne-marie", "Øystein_2"])
    check_settings(config, SCHEMA)
    assert config["coding"]["coders"] == ["bjørn", "åse", "anne-marie", "Øystein_2"]
    assert config["coding"]["bootstrap_replicates"] == 1000  # the schema's defaults filled in


@pytest.mark.parametrize("name", ["../anne", ".skjult", "a/b", "kari nordmann", "_x", "-x", ""])
def test_coder_names_that_make_unsafe_file_names_are_refused_in_both_languages(name):
    with pytest.raises(SettingsError) as err:
        check_settings(_settings(coders=["anne", name]), SCHEMA)
    (problem,) = err.value.problems
    assert problem.startswith(f"coding.coders[1] = «{name}»: kan bare ha bokstaver (også æ, ø, å)")
    assert "/ may only hold letters (æ, ø, å too)" in problem


def test_every_wrong_setting_is_named_at_once_with_a_hint_for_a_typo():
    config = _settings(bootstrap_replicate=5, seed="x", simulate="kanskje", majority_policy="most")
    with pytest.raises(SettingsError) as err:
        check_settings(config, SCHEMA, ["config/config.yaml", "data/raw/round2/study.yaml"])
    text = str(err.value)
    assert "coding: ukjent innstilling bootstrap_replicate (→ bootstrap_replicates?)" in text
    assert "coding.seed = «x»: må være et heltall / must be a whole number" in text
    assert "coding.simulate = «kanskje»: må være en av true, false, auto" in text
    assert "coding.majority_policy = «most»: må være en av majority, any, all" in text
    assert "Rett dette i config/config.yaml, data/raw/round2/study.yaml" in text
    assert len(err.value.problems) == 4


def test_the_snakefile_helper_stops_with_the_message_and_no_traceback(capsys):
    with pytest.raises(SystemExit) as done:
        validate_settings(_settings(coders=["bjørn!"]), SCHEMA)
    assert done.value.code == 1
    err = capsys.readouterr().err
    assert err.startswith("medvirk: innstillingene kan ikke brukes / the settings cannot be used")
    assert "coding.coders[0] = «bjørn!»" in err


# --- qdpx-info on a round made from forms ----------------------------------------------------


def test_qdpx_info_previews_the_mapping_of_a_round_made_from_forms(tmp_path, capsys):
    import shutil

    shutil.copytree(EMBEDDED / "codebook", tmp_path / "data/raw/fhi2016/codebook")
    study_dir = new_study(tmp_path, "round2")
    write_table_docx(study_dir / "forms" / "brukerraad.docx")
    write_table_docx(
        study_dir / "forms" / "likepersoner.docx", {**ANSWERS, "title": "Likepersoner"}
    )
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    examples, factors, _, _ = studydata.coding_targets(study_dir)
    team = pd.DataFrame(
        [(e, coder, "F03") for e in examples["example_id"] for coder in ("anna", "bjørn")],
        columns=refiqda.CODING_COLUMNS,
    )
    categories = pd.read_csv(study_dir / "codebook/categories.csv", dtype=str)
    qdpx = refiqda.write_qdpx(tmp_path / "team.qdpx", examples, factors, categories, team)
    assert main(["qdpx-info", str(qdpx), "--study-dir", str(study_dir)]) == 0
    out = capsys.readouterr().out
    assert f"Examples from {study_dir / 'forms'} (2 form(s) read, 0 unreadable)" in out
    assert "4 (example, coder, factor) codings" in out and "Everything mapped." in out
    after = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p != qdpx)
    assert after == before  # nothing written under data/raw/ (or anywhere else)
