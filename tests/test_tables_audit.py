"""Table 1 layout, Excel determinism and the reproduction audit on small tables."""

import hashlib

import pandas as pd
import pytest

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


# --- Whole outputs, read line by line (issue 17: a changed line must fail a test) -------------

PREAMBLE = (
    "% Generated by medvirk. Needs \\usepackage{booktabs}.\n"
    "% UTF-8 (æøå): with pdfLaTeX add \\usepackage[utf8]{inputenc} and "
    "\\usepackage[T1]{fontenc};\n"
    "% LuaLaTeX and XeLaTeX read UTF-8 as it is."
)


def test_table1_frame_whole_with_types_ties_and_numeric_orders():
    """Category and factor orders are numbers (10 after 9); ties on n keep the published order."""
    from medvirk.tables import TABLE1_COLUMNS

    factors = pd.DataFrame(
        {
            "factor_id": ["F1", "F2", "F3", "F4"],
            "category_id": ["C1", "C1", "C2", "C1"],
            "label_nb": ["Åpen dialog", "Tillit", "Bolig", "Jobb"],
            "label_en": ["Open dialogue", "Trust", "Housing", "Work"],
            "published_order": ["10", "9", "1", "2"],
        }
    )
    categories = CATEGORIES.assign(published_order=["10", "9"])  # C2 after C1
    counts = pd.DataFrame(
        {
            "factor_id": ["F1", "F2", "F3", "F4"],
            "category_id": ["C1", "C1", "C2", "C1"],
            "n": [2, 2, 1, 5],
            "n_examples": [2, 1, 0, 5],
            "n_unattributed": [0, 1, 1, 0],
            "n_raw_factors": [2, 3, 1, 6],
        }
    )
    published = PUBLISHED.assign(quantity_id=PUBLISHED["quantity_id"].replace("n_readers", "x"))
    t = build_table1(counts, factors, categories, published)
    expected = pd.DataFrame(
        {
            "category_id": ["C1", "C1", "C1", "C2"],
            "category": ["Holdninger", "Holdninger", "Holdninger", "Helsefremmende"],
            "category_en": ["Attitudes"] * 3 + ["Health"],
            "factor_id": ["F4", "F2", "F1", "F3"],  # n 5, then the tie 2/2 by order 9 < 10
            "factor": ["Jobb", "Tillit", "Åpen dialog", "Bolig"],
            "factor_en": ["Work", "Trust", "Open dialogue", "Housing"],
            "n": [5, 2, 2, 1],
            "n_examples": [5, 1, 2, 0],
            "n_unattributed": [0, 1, 0, 1],
            "n_raw_factors": [6, 3, 2, 1],
            "n_published": pd.array([None, 5, 1, 1], dtype="Int64"),
        }
    )
    pd.testing.assert_frame_equal(t, expected[TABLE1_COLUMNS], check_dtype=True)
    no_print = build_table1(counts, factors, categories)
    assert no_print["n_published"].isna().all() and str(no_print["n_published"].dtype) == "Int64"
    with pytest.raises(pd.errors.MergeError):  # a codebook listing a factor twice stops
        build_table1(counts, pd.concat([factors, factors.iloc[:1]]), categories)
    with pytest.raises(pd.errors.MergeError):
        build_table1(counts, factors, pd.concat([categories, categories.iloc[:1]]))


def test_table1_markdown_whole():
    table = build_table1(COUNTS, FACTORS, CATEGORIES, PUBLISHED)
    from medvirk.tables import TABLE1_LEGEND_PRINTED, TABLE1_LEGEND_REGENERATED

    assert table1_markdown(table, "Tabell 1", "note") == (
        f"# Tabell 1\n\nnote\n\n{TABLE1_LEGEND_PRINTED}\n\n"
        "| Holdninger<br>*Attitudes* | Helsefremmende<br>*Health* |\n"
        "|---|---|\n"
        "| Åpen dialog<br>*Open dialogue*<br>trykt / printed 1 · regenerert / regenerated 1 "
        "| Bolig<br>*Housing*<br>trykt / printed 1 · regenerert / regenerated 1 |\n"
        "| Tillit (x5)<br>*Trust*<br>trykt / printed 5 · regenerert / regenerated 3 |  |\n"
    )
    regenerated = table1_markdown(build_table1(COUNTS, FACTORS, CATEGORIES), "T", "n")
    assert regenerated.startswith(f"# T\n\nn\n\n{TABLE1_LEGEND_REGENERATED}\n\n| Holdninger")
    assert "| Tillit (x3)<br>*Trust* | Bolig<br>*Housing* |\n" in regenerated


def test_table1_latex_whole():
    from medvirk.tables import table1_latex

    table = build_table1(COUNTS, FACTORS, CATEGORIES, PUBLISHED)
    assert table1_latex(table, "demo") == PREAMBLE + (
        "\n\\begin{table}[ht]\n\\centering\n\\small\n"
        "\\caption{Suksessfaktorene kategorisert / success factors by category (demo)}"
        "\\label{tab:demo-table1}\n"
        "\\begin{tabular}{l p{0.55\\linewidth} r r}\n\\toprule\n"
        "Id & Suksessfaktor / \\textit{success factor} & $n$ & Publisert \\\\\n\\midrule\n"
        "\\multicolumn{4}{l}{\\textbf{Holdninger} / \\textit{Attitudes}} \\\\\n"
        "F2 & Tillit \\newline \\textit{Trust} & 3 & 5 \\\\\n"
        "F1 & Åpen dialog \\newline \\textit{Open dialogue} & 1 & 1 \\\\\n"
        "\\addlinespace\n"
        "\\multicolumn{4}{l}{\\textbf{Helsefremmende} / \\textit{Health}} \\\\\n"
        "F3 & Bolig \\newline \\textit{Housing} & 1 & 1 \\\\\n"
        "\\bottomrule\n\\end{tabular}\n\\par\\smallskip\n"
        "{\\footnotesize n: antall eksempler, telt fra kuratorenes fordeling / number of "
        "examples, counted from the curators' attribution. Publisert: antallet i rapportens "
        "Tabell 1, til sammenligning / published: the count in the report's Table 1, for "
        "comparison.\\par}\n\\end{table}\n"
    )
    # categories keep the table's order (not sorted by id); no printed count: no such sentence
    flipped = build_table1(COUNTS, FACTORS, CATEGORIES.assign(published_order=[1, 2]))
    tex = table1_latex(flipped, "r2", "consensus", simulated=True)
    assert tex.index("Helsefremmende") < tex.index("Holdninger")
    assert "F3 & Bolig \\newline \\textit{Housing} & 1 &  \\\\\n" in tex
    assert "Publisert:" not in tex and "\\label{tab:r2-table1}" in tex
    assert "telt fra de simulerte kodernes konsensus (lik kuratorenes fordeling) / " in tex


def test_latex_table_whole_short_and_long_and_its_checks():
    from medvirk.tables import latex_preamble_comment, latex_table

    assert latex_preamble_comment() == PREAMBLE
    args = dict(align=["l", "r"], caption=("Nb & co", "En"), label="tab:x")
    short = latex_table(["a", "b"], [(None, [["1", "2"]]), ("T", [["3", "4"]])], **args)
    assert short == PREAMBLE + (
        "\n\\begin{table}[ht]\n\\centering\n\\small\n\\caption{Nb \\& co / En}\\label{tab:x}\n"
        "\\begin{tabular}{l r}\n\\toprule\na & b \\\\\n\\midrule\n1 & 2 \\\\\n\\addlinespace\n"
        "\\multicolumn{2}{l}{T} \\\\\n3 & 4 \\\\\n\\bottomrule\n\\end{tabular}\n\\end{table}\n"
    )
    long = latex_table(["a", "b"], [(None, [["1", "2"]])], long=True, note="50 %", **args)
    assert long == (
        "% Generated by medvirk. Needs \\usepackage{booktabs} and \\usepackage{longtable}.\n"
        + PREAMBLE.split("\n", 1)[1]
        + "\n\\begingroup\n\\small\n\\begin{longtable}{l r}\n"
        "\\caption{Nb \\& co / En}\\label{tab:x} \\\\\n"
        "\\toprule\na & b \\\\\n\\midrule\n\\endfirsthead\n\\toprule\na & b \\\\\n\\midrule\n"
        "\\endhead\n\\bottomrule\n\\endfoot\n1 & 2 \\\\\n\\end{longtable}\n"
        "{\\footnotesize 50 \\%\\par}\n\\endgroup\n"
    )
    with pytest.raises(ValueError, match=r"^3 header cells for 2 columns$"):
        latex_table(["a", "b", "c"], [], **args)
    with pytest.raises(ValueError, match=r"^row \['1'\] has 1 cells for 2 columns$"):
        latex_table(["a", "b"], [(None, [["1"]])], **args)


@pytest.mark.parametrize(
    "value, digits, expected",
    [(3, 0, "3"), (-2.5, 1, "$-$2.5"), (-0.0004, 3, "0.000"), (0.41843, 3, "0.418"),
     (0, 2, "0.00"), ("7", 0, "7"), ("", 0, "---"), (None, 3, "---"), ("abc", 0, "---")],
)  # fmt: skip
def test_latex_number(value, digits, expected):
    from medvirk.tables import latex_number

    assert latex_number(value, digits) == expected


def test_excel_table_holds_every_cell_header_and_the_note(tmp_path):
    from openpyxl import load_workbook

    t = build_table1(COUNTS, FACTORS, CATEGORIES, PUBLISHED)
    path = tmp_path / "t.xlsx"
    write_table1_xlsx(t.assign(n_published=pd.array([5, None, 1], dtype="Int64")), path, "a\nb")
    wb = load_workbook(path)
    assert wb.sheetnames == ["Tabell 1", "Merknad"]
    ws = wb["Tabell 1"]
    assert [c.value for c in ws[1]] == [
        "Kategori-id / category id",
        "Kategori / category",
        "Category (English)",
        "Faktor-id / factor id",
        "Suksessfaktor / success factor",
        "Success factor (English)",
        "Antall eksempler (n) / examples",
        "Eksempler med kjent tilknytning / attributed examples",
        "Faktorer uten kjent eksempel / unattributed raw factors",
        "Sammenslåtte faktorer / raw factors merged",
        "Publisert antall (referanse) / published count (reference)",
    ]
    assert all(c.font.b and c.alignment.wrap_text and c.alignment.vertical == "top" for c in ws[1])
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    assert rows == [
        ["C1", "Holdninger", "Attitudes", "F2", "Tillit", "Trust", 3, 3, 0, 4, 5],
        ["C1", "Holdninger", "Attitudes", "F1", "Åpen dialog", "Open dialogue", 1, 1, 0, 1, None],
        ["C2", "Helsefremmende", "Health", "F3", "Bolig", "Housing", 1, 0, 1, 1, 1],
    ]
    assert all(type(v) is int for v in rows[0][6:])
    widths = [ws.column_dimensions[c].width for c in "ABCDEFGHIJK"]
    assert widths == [10, 28, 28, 10, 50, 50, 12, 14, 14, 14, 16]
    assert ws.freeze_panes == "A2"
    notes = wb["Merknad"]
    assert [c.value for c in notes["A"]] == ["a", "b"] and notes.column_dimensions["A"].width == 120


def test_table1_read_back_with_integer_counts(tmp_path):
    from medvirk.tables import read_table1

    path = tmp_path / "table1.csv"
    path.write_text("factor_id,n,n_published,factor\nF1,3,5,Tillit\nF2,1,,Bolig\n", "utf-8")
    table = read_table1(path)
    assert table["n"].tolist() == [3, 1] and table["n"].dtype == int
    assert (
        table["n_published"].tolist() == [5, pd.NA] and str(table["n_published"].dtype) == "Int64"
    )
    assert table["factor"].tolist() == ["Tillit", "Bolig"]


def test_table1_markdown_fills_a_shorter_first_column_and_a_factor_without_a_printed_count():
    counts = COUNTS.assign(category_id=["C1", "C2", "C2"])  # C1 holds one factor, C2 two
    factors = FACTORS.assign(category_id=["C1", "C2", "C2"])
    published = PUBLISHED[PUBLISHED["quantity_id"] != "table1_count/F2"]
    md = table1_markdown(build_table1(counts, factors, CATEGORIES, published), "T", "n")
    rows = [line for line in md.splitlines() if line.startswith("|")]
    assert rows[2:] == [
        "| Åpen dialog<br>*Open dialogue*<br>trykt / printed 1 · regenerert / regenerated 1 "
        "| Tillit (x3)<br>*Trust* |",  # F2: no printed count, its regenerated n alone
        "|  | Bolig<br>*Housing*<br>trykt / printed 1 · regenerert / regenerated 1 |",
    ]


def test_excel_counts_are_whole_numbers_even_when_read_as_decimals(tmp_path):
    from openpyxl import load_workbook

    t = build_table1(COUNTS, FACTORS, CATEGORIES).astype({"n": float, "n_examples": float})
    write_table1_xlsx(t, tmp_path / "t.xlsx", "")
    row = [c.value for c in load_workbook(tmp_path / "t.xlsx")["Tabell 1"][2]]
    assert row[6:10] == [3, 3, 0, 4] and [type(v) for v in row[6:8]] == [int, int]
