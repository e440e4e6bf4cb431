"""Forms changed after the coding sheets were made, withdrawn, or sent twice are announced."""

import pandas as pd
import pytest

from medvirk import codings, form_changes, forms
from tests.form_builders import ANSWERS, write_table_docx
from tests.test_codings import fill, write_sheet


def _ingest(folder):
    return forms.ingest(forms.submission_files(folder)).records


@pytest.fixture
def round_forms(tmp_path):
    folder = tmp_path / "forms"
    folder.mkdir()
    write_table_docx(folder / "brukerraad.docx")
    other = {
        "title": "Likepersoner i psykisk helse",
        "aim": "Bruke egen erfaring i møte med nye brukere.",
        "background": "Mange ventet lenge på hjelp.",
        "result": "Kortere ventetid og flere i jobb.",
    }
    write_table_docx(folder / "likepersoner.docx", other)
    return folder


def test_a_resubmission_one_comma_apart_is_a_near_duplicate(round_forms):
    changed = {**ANSWERS, "aim": ANSWERS["aim"].replace("stemme", "stemme,")}
    write_table_docx(round_forms / "brukerraad_igjen.docx", changed)
    records = _ingest(round_forms)
    assert len(records) == 3  # different text, so a second example
    pairs = form_changes.near_duplicates(records)
    assert len(pairs) == 1
    pair = pairs.iloc[0]
    assert {pair["file_a"], pair["file_b"]} == {"brukerraad.docx", "brukerraad_igjen.docx"}
    assert pair["similarity"] == 1.0
    notices = form_changes.form_notices(records, None, "data/raw/r2/forms")
    assert [n.kind for n in notices] == ["near_duplicate_forms"]
    assert notices[0].effect == "count" and "100 % lik tekst" in notices[0].nb
    assert notices[0].file.startswith("data/raw/r2/forms/brukerraad")


def test_similar_but_different_examples_are_not_duplicates(round_forms):
    third = {**ANSWERS, "title": "Ungdomsråd", "result": "Ungdommene planla hele tilbudet selv."}
    third["new_practice"] = "Ungdomsrådet styrer budsjettet for fritidstilbudet i bydelen."
    write_table_docx(round_forms / "ungdom.docx", third)
    assert form_changes.near_duplicates(_ingest(round_forms)).empty


def test_a_long_form_with_a_sentence_added_is_still_found():
    words = [f"ord{i % 997} tekst{i % 13}" for i in range(1500)]
    long = " ".join(words)
    records = pd.DataFrame(
        {
            "example_id": ["ex-a", "ex-b", "ex-c"],
            "source_file": ["a.txt", "b.txt", "c.txt"],
            "title": ["Rapport", "Rapport", "Noe helt annet"],
            "free_text": [long, long + " Og en setning til på slutten.", "kort tekst " * 40],
        }
    )
    pairs = form_changes.near_duplicates(records)
    assert pairs[["example_a", "example_b"]].values.tolist() == [["ex-a", "ex-b"]]
    assert 0.95 <= pairs["similarity"].iloc[0] < 1


def test_an_edited_and_a_withdrawn_form_are_announced_and_explained(round_forms):
    first = _ingest(round_forms)
    record, notices = form_changes.check_forms(first, None, "data/raw/r2/forms")
    assert notices == [] and record["current"].tolist() == [1, 1]
    old = dict(zip(first["source_file"], first["example_id"], strict=True))
    write_table_docx(round_forms / "brukerraad.docx", {**ANSWERS, "result": "Alle ble hørt."})
    (round_forms / "likepersoner.docx").unlink()
    second = _ingest(round_forms)
    new_id = second["example_id"].item()
    record, notices = form_changes.check_forms(second, record, "data/raw/r2/forms")
    by_kind = {n.kind: n for n in notices}
    changed = by_kind["form_changed"]
    assert changed.file == "data/raw/r2/forms/brukerraad.docx"
    assert f"{old['brukerraad.docx']} heter nå {new_id}" in changed.nb
    withdrawn = by_kind["form_withdrawn"]
    assert withdrawn.file.endswith("likepersoner.docx") and old["likepersoner.docx"] in withdrawn.nb
    assert len(record) == 3 and record["current"].sum() == 1
    hints = form_changes.id_hints(record)
    assert f"har nå id {new_id}" in hints[old["brukerraad.docx"]]
    assert "er fjernet fra forms/" in hints[old["likepersoner.docx"]]
    # the next run with the same forms: the change was announced, nothing new to say
    _, again = form_changes.check_forms(second, record, "data/raw/r2/forms")
    assert again == []


def test_a_sheet_naming_an_old_id_says_what_happened_to_its_form(tmp_path):
    path = write_sheet(tmp_path, "anne")
    fill(path, {"A5": "ex-0ld0ld0ld", "A6": "ex-fjernet00"})
    hints = {
        "ex-0ld0ld0ld": "Skjemaet i a.docx er endret etter at kodeskjemaet ble laget, og "
        "eksemplet har nå id E02.",
    }
    with pytest.raises(codings.CodingError) as err:
        codings.read_coding_sheet(
            path, "anne", ["E01", "E02", "E03"], ["F01", "F02", "F03"], id_hints=hints
        )
    problems = err.value.problems
    assert "«ex-0ld0ld0ld» finnes ikke i studien. Skjemaet i a.docx er endret" in problems[0]
    assert "Er skjemaet endret eller fjernet" in problems[1]  # no record: the general hint
