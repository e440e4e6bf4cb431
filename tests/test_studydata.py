"""Validation of a study's curated files: good data passes, each kind of bad row is named."""

import re
from pathlib import Path

import pandas as pd
import pytest

from medvirk import privacy, studydata
from medvirk.errors import InputError


def test_embedded_study_holds_the_published_material(embedded):
    assert len(embedded[studydata.EXAMPLES]) == 39
    assert len(embedded[studydata.RAW_FACTORS]) == 97
    assert len(embedded[studydata.FACTORS]) == 28
    assert len(embedded[studydata.CATEGORIES]) == 4
    sizes = embedded[studydata.FACTORS].groupby("category_id").size().to_dict()
    assert sizes == {"C1": 7, "C2": 11, "C3": 4, "C4": 6}
    assert embedded[studydata.RAW_FACTORS]["position"].tolist() == list(range(1, 98))


def test_embedded_examples_hold_no_contact_details(embedded):
    text = embedded[studydata.EXAMPLES].to_csv()
    assert not [f for f in privacy.find_personal_data(text) if f.kind == "email"]
    assert "@" not in text
    for name in ["Trine Vos", "Torstein", "Olga Marie Berge", "Rysstad", "Monica Strand"]:
        assert name not in text


def test_every_raw_factor_is_mapped_and_every_factor_used(embedded):
    mm = embedded[studydata.MERGE_MAP]
    assert set(mm["raw_factor_id"]) == set(embedded[studydata.RAW_FACTORS]["raw_factor_id"])
    assert set(mm.loc[mm["factor_id"] != "", "factor_id"]) == set(
        embedded[studydata.FACTORS]["factor_id"]
    )
    assert (mm.loc[mm["factor_id"] == "", "reason"] != "").all()


def _edit(path: Path, row: int, column: str, value: str) -> None:
    """Set one cell; `row` counts like a spreadsheet (header is row 1)."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df.loc[row - 2, column] = value
    df.to_csv(path, index=False, lineterminator="\n")


CASES = [
    # (file, row, column, new value, expected words in the message)
    ("examples.csv", 5, "example_id", "E03", r"duplicate example_id 'E03' \(first used in row 4\)"),
    ("examples.csv", 7, "material", "video", r"'video' is not an allowed value"),
    ("examples.csv", 3, "summary", "Ring 51 33 53 04 for mer", r"phone number"),
    ("examples.csv", 3, "summary", "Skriv til ola@example.no", r"e-mail address"),
    ("examples.csv", 10, "example_id", "X10", r"not a valid example_id"),
    ("raw_factors.csv", 12, "example_id", "E99", r"'E99' is not in examples.csv"),
    ("raw_factors.csv", 4, "attribution", "unknown", r"attribution is 'unknown'"),
    ("raw_factors.csv", 40, "position", "forty", r"not a whole number"),
    ("codebook/merge_map.csv", 12, "factor_id", "F99", r"'F99' is not in codebook/factors.csv"),
    ("codebook/merge_map.csv", 4, "factor_id", "", r"use 'instrument' or 'no_factor'"),
    ("codebook/merge_map.csv", 4, "rule", "hunch", r"'hunch' is not an allowed value"),
    ("codebook/factors.csv", 6, "category_id", "C9", r"'C9' is not in codebook/categories.csv"),
    ("published_numbers.csv", 2, "published", "39.5", r"not a whole number"),
    ("ladder.csv", 3, "level", "D", r"'D' is not an allowed value"),
    ("examples.csv", 3, "everyday_mastery", "ja", r"'ja' is not an allowed value"),
    ("examples.csv", 3, "patient_story", "yes", r"patient_story 'yes' but is not presented"),
]


@pytest.mark.parametrize(("file", "row", "column", "value", "expected"), CASES)
def test_bad_cell_is_reported_with_file_row_and_column(
    study_dir, file, row, column, value, expected
):
    _edit(study_dir / file, row, column, value)
    with pytest.raises(InputError) as err:
        studydata.load_study(study_dir)
    message = str(err.value)
    assert file.split("/")[-1] in message
    assert f"row {row}" in message
    assert f"column '{column}'" in message
    assert re.search(expected, message), message


def test_missing_file_is_named(study_dir):
    (study_dir / "ladder.csv").unlink()
    with pytest.raises(InputError, match=r"ladder\.csv: file is missing"):
        studydata.load_study(study_dir)


def test_missing_column_is_named(study_dir):
    path = study_dir / "codebook" / "categories.csv"
    pd.read_csv(path, dtype=str).drop(columns=["label_en"]).to_csv(path, index=False)
    with pytest.raises(
        InputError,
        match=r"categories\.csv: mangler kolonne\(r\) label_en\. .* / missing column\(s\) label_en",
    ):
        studydata.load_study(study_dir)


def test_unmapped_raw_factor_is_named(study_dir):
    path = study_dir / "codebook" / "merge_map.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df[df["raw_factor_id"] != "R050"].to_csv(path, index=False, lineterminator="\n")
    with pytest.raises(InputError, match=r"merge_map\.csv: no row for raw factor\(s\) R050"):
        studydata.load_study(study_dir)


def test_a_table_saved_by_norwegian_excel_reads_as_the_utf8_one(study_dir, embedded):
    """cp1252 and semicolons (Norwegian Excel's «CSV»), or UTF-16 with tabs («Unicode-tekst»)."""
    path = study_dir / "examples.csv"
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert table["municipality"].str.contains("[æøå]").any()
    for sep, encoding in ((";", "cp1252"), ("\t", "utf-16")):
        path.write_bytes(table.to_csv(index=False, sep=sep, lineterminator="\r\n").encode(encoding))
        pd.testing.assert_frame_equal(
            studydata.load_study(study_dir)["examples.csv"], embedded["examples.csv"]
        )


def test_a_binary_file_named_csv_is_refused_in_both_languages(study_dir):
    (study_dir / "examples.csv").write_bytes(b"\x00\x01\x02\x03binary\xff\x00\x10" * 50)
    with pytest.raises(
        InputError, match=r"examples\.csv: er ikke en tekstfil .* / is not a text file"
    ):
        studydata.load_study(study_dir)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("51 33 53 04", True),
        ("99320328", True),
        ("+47 920 68 748", True),
        ("977 57 485", True),
        ("0047 41600524", True),
        ("I 2014 deltok 6 kvinner", False),
        ("en 25% stilling, 40% fast", False),
        ("274.000 kroner", False),
    ],
)
def test_phone_pattern(text, found):
    assert bool(privacy.find_personal_data(text)) is found


def test_curated_readings_are_optional_columns(study_dir):
    """A study without the patient_story and everyday_mastery readings still validates."""
    path = study_dir / "examples.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df.drop(columns=["patient_story", "everyday_mastery"]).to_csv(
        path, index=False, lineterminator="\n"
    )
    examples = studydata.load_study(study_dir)[studydata.EXAMPLES]
    assert "patient_story" not in examples.columns and len(examples) == 39


def test_embedded_readings_name_the_examples_the_readme_gives(embedded):
    ex = embedded[studydata.EXAMPLES].set_index("example_id")
    assert ex.index[ex["patient_story"] == "yes"].tolist() == ["E03", "E11", "E17"]
    assert ex.index[ex["everyday_mastery"] == "yes"].tolist() == ["E12", "E21", "E30", "E39"]
    # the rule for everyday_mastery: appendix 2's title or aim names the way of working
    words = ("hverdagsmestring", "hverdagsrehabilitering", "hjemmerehabilitering")
    text = (ex["title"] + " " + ex["summary"]).str.lower()
    assert ex.index[text.apply(lambda t: any(w in t for w in words))].tolist() == [
        "E12",
        "E21",
        "E30",
        "E39",
    ]
