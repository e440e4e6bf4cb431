"""A new round from its forms, without Snakemake: examples to code, codebook, counts, Table 1."""

import shutil

import pandas as pd
import pytest

from medvirk import studydata
from medvirk.counting import count_factors
from medvirk.errors import InputError
from medvirk.figures import example_label
from medvirk.forms import CELL_LIMIT, EXAMPLE_COLUMNS, examples_from_forms, ingest, next_steps
from medvirk.io import read_optional_csv, write_csv
from medvirk.merging import unmapped_raw_factors
from medvirk.provenance import front_page_facts
from medvirk.tables import build_table1, table1_latex
from tests.conftest import EMBEDDED
from tests.form_builders import ANSWERS, CONTACT, write_pdf, write_table_docx
from tests.test_tables_audit import CATEGORIES, FACTORS


@pytest.fixture
def ingested(tmp_path):
    paths = [
        write_table_docx(tmp_path / "a.docx"),
        write_pdf(tmp_path / "b.pdf", {**ANSWERS, "title": "Ungdomsråd", "aim": ""}),
    ]
    return ingest(paths).records


def test_examples_from_forms_keep_the_scrubbed_sections_and_one_text(ingested):
    examples = examples_from_forms(ingested)
    assert list(examples.columns) == EXAMPLE_COLUMNS
    assert sorted(examples["example_id"]) == sorted(ingested["example_id"])
    full = examples.set_index("title").loc[ANSWERS["title"]]
    assert full["text"].startswith(f"Mål: {full['aim']}\n\nBakgrunn: ")
    assert "Spredning: " in full["text"] and ANSWERS["title"] not in full["text"]
    assert full["municipality"] == "" and full["level"] == ""
    partial = examples.set_index("title").loc["Ungdomsråd"]
    assert "Mål:" not in partial["text"] and partial["completeness"] == "partial"
    assert "Mål" in partial["material_note"]  # the ingest note: what the form is missing
    text = "\n".join(examples.astype(str).to_numpy().ravel())
    assert CONTACT["email"] not in text and CONTACT["name"] not in text


def test_a_very_long_form_is_cut_to_fit_a_spreadsheet_cell(ingested):
    long = ingested.assign(result="ord " * 20_000)
    text = examples_from_forms(long)["text"]
    assert text.str.len().max() < 32_767
    assert text.str.contains("forkortet").all()
    assert CELL_LIMIT < 32_767


def test_next_steps_name_the_coding_sheets_to_send(ingested):
    rejected = pd.DataFrame(columns=["file", "reason"])
    text = next_steps("round2", ingested, rejected, ["anne", "bo"])
    assert "`results/round2/coding_sheets/anne.xlsx`" in text
    assert "`results/round2/coding_sheets/bo.xlsx`" in text
    assert "coding.coders" in next_steps("round2", ingested, rejected, [])


def test_load_codebook_checks_the_factors_categories(tmp_path):
    study = tmp_path / "round2"
    (study / "codebook").mkdir(parents=True)
    for name in (studydata.CATEGORIES, studydata.FACTORS):
        shutil.copy(EMBEDDED / name, study / name)
    tables = studydata.load_codebook(study)
    assert len(tables[studydata.FACTORS]) == 28 and len(tables[studydata.CATEGORIES]) == 4
    factors = pd.read_csv(study / studydata.FACTORS, dtype=str, keep_default_na=False)
    factors.loc[2, "category_id"] = "C9"
    write_csv(factors, study / studydata.FACTORS)
    with pytest.raises(InputError, match=r"factors\.csv.*row 4.*'C9' is not in"):
        studydata.load_codebook(study)


def test_counts_without_raw_factors_are_the_consensus_examples():
    consensus = pd.DataFrame(
        {"example_id": ["ex-a", "ex-b", "ex-a"], "factor_id": ["F1", "F1", "F3"]}
    )
    counts = count_factors(consensus, None, FACTORS).set_index("factor_id")
    assert counts["n"].to_dict() == {"F1": 2, "F2": 0, "F3": 1}
    assert (counts["n_unattributed"] == 0).all() and (counts["n_raw_factors"] == 0).all()
    table = build_table1(counts.reset_index(), FACTORS, CATEGORIES, None)
    assert table["n_published"].isna().all()
    assert list(table["factor_id"]) == ["F1", "F2", "F3"]
    tex = table1_latex(table, "round2", "consensus")
    assert "counted from the coders' consensus" in tex and "Publisert: antallet" not in tex


def test_optional_inputs_are_none_when_absent(tmp_path):
    assert read_optional_csv([]) is None
    assert unmapped_raw_factors(None).empty
    write_csv(FACTORS, tmp_path / "f.csv")
    assert len(read_optional_csv([str(tmp_path / "f.csv")])) == 3
    with pytest.raises(ValueError, match="one optional table"):
        read_optional_csv([tmp_path / "f.csv", tmp_path / "f.csv"])


def test_front_page_counts_a_new_rounds_examples_once_ingested(tmp_path):
    config = {"coding": {"coders": ["anne"]}}
    before = front_page_facts("round2", config, tmp_path)["n_examples"]
    assert isinstance(before, str)
    write_csv(FACTORS, tmp_path / "data/processed/round2/examples.csv")
    assert front_page_facts("round2", config, tmp_path)["n_examples"] == 3


def test_heatmap_rows_show_the_title_where_the_municipality_is_unknown():
    assert example_label({"example_id": "E01", "municipality": "Sola", "title": "T"}) == "E01 Sola"
    label = example_label({"example_id": "ex-1", "municipality": "", "title": "Brukerråd " * 9})
    assert label.startswith("ex-1 Brukerråd Brukerråd") and label.endswith("…")
    assert len(label) == len("ex-1 ") + 40
