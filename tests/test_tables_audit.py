"""Table 1 layout, Excel determinism and the reproduction audit on small tables."""

import hashlib

import pandas as pd

from medvirk.audit import StudyFacts, audit_latex, audit_markdown, build_audit
from medvirk.tables import build_table1, count_mark, table1_markdown, write_table1_xlsx

FACTORS = pd.DataFrame(
    {
        "factor_id": ["F1", "F2", "F3"],
        "category_id": ["C1", "C1", "C2"],
        "label_nb": ["Åpen dialog", "Tillit", "Bolig"],
        "label_en": ["Open dialogue", "Trust", "Housing"],
        "published_order": ["1", "2", "1"],
    }
)
CATEGORIES = pd.DataFrame(
    {
        "category_id": ["C2", "C1"],
        "label_nb": ["Helsefremmende", "Holdninger"],
        "label_en": ["Health", "Attitudes"],
        "published_order": [2, 1],
    }
)
COUNTS = pd.DataFrame(
    {
        "factor_id": ["F1", "F2", "F3"],
        "category_id": ["C1", "C1", "C2"],
        "n_examples": [1, 3, 0],
        "n_unattributed": [0, 0, 1],
        "n": [1, 3, 1],
        "n_raw_factors": [1, 4, 1],
    }
)
PUBLISHED = pd.DataFrame(
    {
        "quantity_id": [
            "n_examples",
            "table1_count/F1",
            "table1_count/F2",
            "table1_count/F3",
            "n_readers",
            "mystery",
        ],
        "label": ["Eksempler", "Åpen dialog", "Tillit", "Bolig", "Lesere", "Ukjent"],
        "published": ["2", "1", "5", "1", "3", "7"],
        "source": ["kap. 3"] * 6,
        "note": [""] * 6,
    }
)


def test_table1_sorts_by_category_then_count_and_keeps_published_reference():
    t = build_table1(COUNTS, FACTORS, CATEGORIES, PUBLISHED)
    assert t["factor_id"].tolist() == ["F2", "F1", "F3"]
    assert t["n_published"].tolist() == [5, 1, 1]


def test_count_mark_follows_the_report():
    assert count_mark(14) == " (x14)"
    assert count_mark(1) == ""
    assert count_mark(0) == " (x0)"


def test_markdown_has_one_column_per_category_with_norwegian_and_english():
    md = table1_markdown(build_table1(COUNTS, FACTORS, CATEGORIES), "Tabell 1", "note")
    rows = [line for line in md.splitlines() if line.startswith("|")]
    assert rows[0] == "| Holdninger<br>*Attitudes* | Helsefremmende<br>*Health* |"
    assert rows[2] == "| Tillit (x3)<br>*Trust* | Bolig<br>*Housing* |"
    assert rows[3] == "| Åpen dialog<br>*Open dialogue* |  |"


def test_excel_table_is_byte_identical_on_rewrite(tmp_path):
    t = build_table1(COUNTS, FACTORS, CATEGORIES, PUBLISHED)
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    write_table1_xlsx(t, a, "note")
    write_table1_xlsx(t, b, "note")
    assert hashlib.sha256(a.read_bytes()).hexdigest() == hashlib.sha256(b.read_bytes()).hexdigest()
    from openpyxl import load_workbook

    ws = load_workbook(a)["Tabell 1"]
    assert ws["E2"].value == "Tillit" and ws["G2"].value == 3 and ws["K2"].value == 5


def _facts():
    examples = pd.DataFrame(
        {
            "example_id": ["E01", "E02"],
            "municipality": ["Sola", "Sola"],
            "institution": ["x", "x"],
            "presented_in_report": ["", ""],
            "level": ["", ""],
        }
    )
    assignments = pd.DataFrame(
        {"raw_factor_id": ["R1"], "factor_id": ["F1"], "category_id": ["C1"], "example_id": ["E01"]}
    )
    ladder = pd.DataFrame({"step": ["1"], "level": ["A"]})
    return StudyFacts(examples, assignments, COUNTS, ladder)


def test_audit_gives_each_quantity_its_true_status():
    audit = build_audit(PUBLISHED, _facts()).set_index("quantity_id")
    assert audit.loc["n_examples", "status"] == "match"
    assert audit.loc["table1_count/F1", "status"] == "match"
    assert audit.loc["table1_count/F2", ["regenerated", "status"]].tolist() == [3, "differs"]
    assert "published count is higher" in audit.loc["table1_count/F2", "explanation"]
    assert audit.loc["n_readers", "status"] == "not_derivable"
    assert pd.isna(audit.loc["n_readers", "regenerated"])
    assert audit.loc["mystery", "status"] == "not_derivable"


def test_audit_markdown_summarises_statuses():
    md = audit_markdown(build_audit(PUBLISHED, _facts()), "demo")
    assert "**3 match, 1 differ, 2 not derivable** (of 6 quantities)" in md


def test_audit_latex_has_every_quantity_with_its_numbers():
    audit = build_audit(PUBLISHED, _facts())
    tex = audit_latex(audit, "demo")
    assert r"\begin{longtable}{p{0.28\linewidth} r r l p{0.38\linewidth}}" in tex
    assert "\nTillit & 5 & 3 & differs & " in tex
    assert "\nLesere & 3 & --- & not\\_derivable & " in tex
    assert "3 match, 1 differs, 2 not\\_derivable (av / of 6)" in tex
    body = tex.split("\\endfoot\n", 1)[1].split("\\end{longtable}", 1)[0].splitlines()
    assert len(body) == len(audit) and all(line.count(" & ") == 4 for line in body)


def test_table1_notes_are_bokmal_first_then_english():
    from medvirk.tables import TABLE1_NOTE, TABLE1_NOTE_FROM_FORMS

    for note in (TABLE1_NOTE, TABLE1_NOTE_FROM_FORMS):
        bokmal, english = note.split("\n\n")
        assert bokmal.startswith("n = antall eksempler")
        assert english.startswith("n = the number of examples")
    assert "(an assumption: such a factor may come from an example already counted" in TABLE1_NOTE


def test_markdown_sets_the_printed_count_beside_the_regenerated_one_in_the_reports_order():
    md = table1_markdown(build_table1(COUNTS, FACTORS, CATEGORIES, PUBLISHED), "Tabell 1", "note")
    rows = [line for line in md.splitlines() if line.startswith("|")]
    assert rows[2] == (
        "| Åpen dialog<br>*Open dialogue*<br>trykt / printed 1 · regenerert / regenerated 1 "
        "| Bolig<br>*Housing*<br>trykt / printed 1 · regenerert / regenerated 1 |"
    )
    assert rows[3] == (
        "| Tillit (x5)<br>*Trust*<br>trykt / printed 5 · regenerert / regenerated 3 |  |"
    )
    assert "«(xN)» after a factor is the report's own mark of the count it printed" in md
    # the legend says what a mark means; no mark shows a number the legend does not explain
    assert "(x0)" not in md and "N > 1" in md


def test_markdown_of_a_new_round_explains_every_mark_it_uses():
    counts = COUNTS.assign(n_examples=[0, 3, 1], n_unattributed=0, n=[0, 3, 1])
    md = table1_markdown(build_table1(counts, FACTORS, CATEGORIES), "Tabell 1", "note")
    assert "Åpen dialog (x0)" in md and "«(x0)»: in none" in md


def test_lower_published_count_names_the_unattributed_assumption():
    counts = COUNTS.assign(n_examples=[2, 3, 0], n_unattributed=[1, 0, 1], n=[3, 3, 1])
    facts = StudyFacts(_facts().examples, _facts().assignments, counts, _facts().ladder)
    audit = build_audit(PUBLISHED, facts).set_index("quantity_id")
    why = audit.loc["table1_count/F1", "explanation"]
    assert audit.loc["table1_count/F1", "status"] == "differs"
    assert "published count is lower" in why
    assert "each of the 1 unattributed raw factor(s) counts as an example of its own" in why
    assert "counted as one example each (an assumption)" in why


def test_curated_readings_are_counted_where_examples_csv_records_them():
    published = pd.DataFrame(
        {
            "quantity_id": ["examples_with_patient_stories", "examples_hverdagsmestring"],
            "label": ["Pasienthistorier", "Hverdagsmestring"],
            "published": ["1", "2"],
            "source": ["kap. 2", "kap. 4"],
            "note": ["", ""],
        }
    )
    without = build_audit(published, _facts()).set_index("quantity_id")
    assert (without["status"] == "not_derivable").all()
    assert "no column patient_story" in without.loc["examples_with_patient_stories", "explanation"]
    f = _facts()
    examples = f.examples.assign(
        presented_in_report=["yes", ""], patient_story=["yes", ""], everyday_mastery=["yes", ""]
    )
    audit = build_audit(published, StudyFacts(examples, f.assignments, COUNTS, f.ladder))
    audit = audit.set_index("quantity_id")
    assert audit["regenerated"].tolist() == [1, 1]
    assert audit["status"].tolist() == ["match", "differs"]
    assert (
        "curators' reading of ch. 3 finds a patient's or user's story in E01"
        in (audit.loc["examples_with_patient_stories", "explanation"])
    )
