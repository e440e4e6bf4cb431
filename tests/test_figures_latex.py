"""Figures draw from their tables; LaTeX output escapes what LaTeX needs escaped."""

import shutil
import subprocess

import pandas as pd
import pytest

from medvirk import studydata
from medvirk.agreement import agreement_latex
from medvirk.counting import presence_inputs
from medvirk.figures import example_factor_heatmap, ladder_figure, save_figure
from medvirk.merging import evaluation_latex
from medvirk.tables import latex_escape, latex_number, latex_table, table1_latex
from tests.conftest import need_tool


def test_latex_escape_keeps_norwegian_letters():
    assert latex_escape("Tillit & åpen dialog 25% _x_") == r"Tillit \& åpen dialog 25\% \_x\_"
    assert latex_escape("Nr. #3: Æ, Ø, Å {ok}") == r"Nr. \#3: Æ, Ø, Å \{ok\}"
    assert (
        latex_escape("alfa ≥ .800, 4 × 3 → «ok»")
        == r"alfa $\geq$ .800, 4 $\times$ 3 $\rightarrow$ «ok»"
    )


def _rows(tex: str) -> list[str]:
    """The body rows of a generated table: the lines between midrule and bottomrule."""
    body = tex.split("\\midrule\n", 1)[1].split("\\bottomrule", 1)[0]
    return [line for line in body.splitlines() if line.endswith(r" \\")]


def test_latex_table_escapes_captions_and_keeps_columns_aligned():
    tex = latex_table(
        ["A", "B", "C"],
        [("Blokk", [["x", "1", "2"], ["y", "3", "4"]]), (None, [["z", "5", "6"]])],
        align=["l", "r", "r"],
        caption=("Tabell & 50% _ #1 æøå", "table"),
        label="tab:t",
        note="Merk: 10% av #2",
    )
    assert r"\begin{tabular}{l r r}" in tex
    assert r"\caption{Tabell \& 50\% \_ \#1 æøå / table}\label{tab:t}" in tex
    assert r"{\footnotesize Merk: 10\% av \#2\par}" in tex
    assert r"\usepackage[utf8]{inputenc}" in tex.splitlines()[1] and tex.startswith("%")
    assert r"\multicolumn{3}{l}{Blokk} \\" in tex
    rows = [r for r in _rows(tex) if not r.startswith(r"\multicolumn")]
    assert rows == [r"x & 1 & 2 \\", r"y & 3 & 4 \\", r"z & 5 & 6 \\"]
    assert tex.count(r"\addlinespace") == 1


def test_latex_table_refuses_a_row_of_the_wrong_width():
    with pytest.raises(ValueError, match="2 cells for 3 columns"):
        latex_table(
            ["A", "B", "C"], [(None, [["x", "1"]])], align="lrr", caption=("a", "b"), label="t"
        )


def test_latex_table_long_repeats_the_header_on_every_page():
    tex = latex_table(
        ["A"], [(None, [["x"]])], align=["l"], caption=("a", "b"), label="t", long=True
    )
    assert r"\begin{longtable}{l}" in tex and r"\usepackage{longtable}" in tex
    assert tex.count("A \\\\") == 2 and r"\endhead" in tex


def test_latex_number_uses_a_minus_sign_and_a_dash_for_missing():
    assert latex_number("-0.0547", 3) == "$-$0.055"
    assert latex_number(-0.0001, 3) == "0.000"
    assert latex_number("", 3) == "---" and latex_number(pd.NA) == "---"
    assert latex_number(14) == "14"


TABLE1 = pd.DataFrame(
    {
        "category_id": ["C1", "C2"],
        "category": ["Konkrete tips", "Holdninger"],
        "category_en": ["Tips", "Attitudes"],
        "factor_id": ["F01", "F08"],
        "factor": ["Få brukerne tidlig inn", "Jobbe mot brukerens egne mål"],
        "factor_en": ["Involve early", "Own goals"],
        "n": [7, 3],
        "n_published": pd.array([14, pd.NA], dtype="Int64"),
    }
)


def test_table1_latex_has_one_row_per_factor_with_its_counts():
    tex = table1_latex(TABLE1, "demo")
    assert r"F01 & Få brukerne tidlig inn \newline \textit{Involve early} & 7 & 14 \\" in tex
    assert r"F08 & Jobbe mot brukerens egne mål \newline \textit{Own goals} & 3 &  \\" in tex
    assert tex.count(r"\multicolumn{4}") == 2
    assert r"\begin{tabular}{l p{0.55\linewidth} r r}" in tex
    assert "success factors by category (demo)" in tex
    assert (
        "kuratorenes fordeling / number of examples, counted from the curators' attribution" in tex
    )
    changed = TABLE1.assign(n=[9, 3])
    assert r"Involve early} & 9 & 14 \\" in table1_latex(changed, "demo")


def test_table1_latex_says_when_n_comes_from_the_consensus():
    tex = table1_latex(TABLE1, "demo", source="consensus")
    assert "kodernes konsensus / number of examples, counted from the coders' consensus" in tex
    simulated = table1_latex(TABLE1, "demo", source="consensus", simulated=True)
    assert "counted from the simulated coders' consensus (equal to the curators' attribution)" in (
        simulated
    )
    with pytest.raises(ValueError, match="unknown presence source"):
        table1_latex(TABLE1, "demo", source="guess")


def _agreement_frames(source: str):
    by_factor = pd.DataFrame(
        {
            "data_source": [source] * 3,
            "factor_id": ["F01", "F02", "F08"],
            "alpha": ["0.7123", "", "-0.05"],
            "ci_low": ["0.5", "", "-0.2"],
            "ci_high": ["0.9", "", "0.1"],
            "status": ["tentative", "undefined", "unreliable"],
            "ac1": ["0.8", "1", "0.9412"],
            "observed_agreement": ["0.85", "1", "0.946"],
            "prevalence": ["0.3", "0", "0.04"],
        }
    )
    pooled = pd.DataFrame(
        {
            "data_source": [source] * 3,
            "scope": ["pooled", "category", "category"],
            "name": ["all", "C1", "C2"],
            "alpha": ["0.61", "0.66", "0.4"],
            "ci_low": ["0.4", "0.5", "0.1"],
            "ci_high": ["0.8", "0.8", "0.6"],
            "status": ["unreliable", "unreliable", "unreliable"],
            "ac1": ["0.9", "", "0.7"],
            "observed_agreement": ["0.91", "", "0.8"],
            "prevalence": ["0.08", "", "0.2"],
        }
    )
    factors = pd.DataFrame(
        {
            "factor_id": ["F01", "F02", "F08"],
            "category_id": ["C1", "C1", "C2"],
            "label_nb": ["Åpen dialog & tillit", "Bolig_1", "Mål"],
        }
    )
    categories = pd.DataFrame(
        {
            "category_id": ["C2", "C1"],
            "label_nb": ["Holdninger", "Konkrete tips"],
            "label_en": ["Attitudes", "Tips"],
            "published_order": ["2", "1"],
        }
    )
    return by_factor, pooled, factors, categories


def test_agreement_latex_lists_pooled_then_each_category_with_its_factors():
    tex = agreement_latex(*_agreement_frames("coders"), "demo")
    assert "SIMULATED" not in tex
    assert _rows(tex) == [
        r" & \textbf{Alle faktorer} / \textit{all factors} & 0.610 & 0.400, 0.800 & unreliable"
        r" & 0.900 & 91 & 8 \\",
        r"C1 & \textbf{Konkrete tips} / \textit{Tips} & 0.660 & 0.500, 0.800 & unreliable"
        r" & --- & --- & --- \\",
        r"F01 & Åpen dialog \& tillit & 0.712 & 0.500, 0.900 & tentative & 0.800 & 85 & 30 \\",
        r"F02 & Bolig\_1 & --- & --- & undefined & 1.000 & 100 & 0 \\",
        r"C2 & \textbf{Holdninger} / \textit{Attitudes} & 0.400 & 0.100, 0.600 & unreliable"
        r" & 0.700 & 80 & 20 \\",
        r"F08 & Mål & $-$0.050 & $-$0.200, 0.100 & unreliable & 0.941 & 95 & 4 \\",
    ]
    assert r"\begin{tabular}{l p{0.3\linewidth} r l l r r r}" in tex
    assert "AC1 & Enighet / \\textit{agr.} (\\%) & Merket / \\textit{marked} (\\%)" in tex


def test_agreement_latex_flags_simulated_coders_in_the_caption():
    tex = agreement_latex(*_agreement_frames("SIMULATED"), "demo")
    assert r"\caption{SIMULATED: Samsvar mellom kodere" in tex
    assert "simulated coders" in tex
    by_factor, pooled, factors, categories = _agreement_frames("coders")
    simulated_by_factor, simulated_pooled, _, _ = _agreement_frames("SIMULATED")
    for tables in ((simulated_by_factor, pooled), (by_factor, simulated_pooled)):
        tex = agreement_latex(*tables, factors, categories, "demo")
        assert r"\caption{SIMULATED: Samsvar mellom kodere" in tex  # either table says so


# The agreement table's note, word for word: its thresholds are those of agreement.flag
# (Krippendorff 2004: reliable from .800, tentative from .667), its terms those of the columns.
AGREEMENT_NOTE = (
    r"{\footnotesize Krippendorffs alfa (nominal, til stede / ikke til stede) med bootstrap 95 \%"
    r" KI / Krippendorff's alpha (nominal, presence/absence) with bootstrap 95\% CI. reliable:"
    r" alpha >= .800, tentative: >= .667; undefined: ingen eller alle markerte faktoren / nobody"
    r" or everybody marked the factor. AC1: Gwets AC1 / Gwet's AC1. Enighet: andel parvise"
    r" sammenligninger der koderne er enige / agreement: share of pairwise comparisons on which"
    r" the coders agree. Merket: andel celler markert / marked: share of cells marked. Lav alfa"
    r" med høy enighet og AC1 når få celler er markert, skyldes sjeldne markeringer, ikke"
    r" uenighet / low alpha beside high agreement and AC1 when few cells are marked comes from"
    r" rare marks, not from disagreement.\par}"
)
SIMULATED_NOTE = (
    r"{\footnotesize SIMULATED: koderne er simulert fra kuratorenes fordeling; tallene viser"
    r" metoden, ikke kodingens pålitelighet / the coders are simulated from the curators'"
    r" attribution; the numbers show the method, not the reliability of the coding."
)


def test_agreement_latex_caption_header_and_note_word_for_word():
    tex = agreement_latex(*_agreement_frames("coders"), "demo")
    lines = tex.splitlines()
    assert (
        r"\caption{Samsvar mellom kodere / inter-coder agreement (demo)}"
        r"\label{tab:demo-agreement}"
    ) in lines
    assert (
        r"Id & Omfang / \textit{scope} & $\alpha$ & 95\,\% KI / \textit{CI} & Status & AC1 &"
        r" Enighet / \textit{agr.} (\%) & Merket / \textit{marked} (\%) \\"
    ) in lines
    assert r"\begin{tabular}{l p{0.3\linewidth} r l l r r r}" in lines
    assert AGREEMENT_NOTE in lines
    simulated = agreement_latex(*_agreement_frames("SIMULATED"), "demo").splitlines()
    assert (
        r"\caption{SIMULATED: Samsvar mellom kodere / inter-coder agreement (demo), simulated"
        r" coders}\label{tab:demo-agreement}"
    ) in simulated
    (note,) = [line for line in simulated if line.startswith(r"{\footnotesize")]
    assert note == SIMULATED_NOTE + AGREEMENT_NOTE.removeprefix(r"{\footnotesize")


def test_agreement_latex_shows_categories_only_with_rows_and_factors_without_a_category_row():
    by_factor, pooled, factors, categories = _agreement_frames("coders")
    categories = pd.concat(
        [
            categories,
            pd.DataFrame(  # a category with no factor and no row of its own: left out
                {"category_id": ["C0"], "label_nb": ["Tom"], "label_en": ["Empty"],
                 "published_order": ["0"]}
            ),
        ]
    )  # fmt: skip
    pooled = pooled[pooled["name"] != "C1"]  # C1 keeps its factors, without a row of its own
    by_factor = by_factor[by_factor["factor_id"] != "F08"]  # C2 keeps its own row
    rows = _rows(agreement_latex(by_factor, pooled, factors, categories, "demo"))
    assert [r.split(" & ")[0] for r in rows] == ["", "F01", "F02", "C2"]
    tex = agreement_latex(by_factor, pooled[pooled["scope"] != "pooled"], factors, categories, "x")
    assert [r.split(" & ")[0] for r in _rows(tex)] == ["F01", "F02", "C2"]
    assert tex.count(r"\addlinespace") == 1  # between C1's block and C2's, none before


EVALUATION = pd.DataFrame(
    {
        "metric": ["adjusted_rand_index", "n_groups_proposed", "new_metric", "n_groups_proposed"],
        "evaluation": ["cross_validated"] * 3 + ["in_sample_configured"],
        "tfidf": [0.2437, 23.8, 1.5, 48.0],
        "embedding": [None, 23.0, None, None],
    }
)


def test_merge_evaluation_latex_sets_backends_side_by_side_with_counts_as_integers():
    tex = evaluation_latex(EVALUATION, "demo", "tfidf")
    rows = [r for r in _rows(tex) if not r.startswith(r"\multicolumn")]
    assert rows == [
        r"Justert Rand-indeks / adjusted Rand index (ARI) & 0.24 & --- \\",
        r"Foreslåtte grupper / proposed groups & 23.80 & 23 \\",
        r"new\_metric & 1.50 & --- \\",
        r"Foreslåtte grupper / proposed groups & 48 & --- \\",
    ]
    assert "kryssvalidert / cross-validated" in tex and "Setningsvektorer / embeddings" in tex


def _latex_engines() -> list[str]:
    """TeX engines installed together with booktabs.sty (found by kpsewhich)."""
    if not shutil.which("kpsewhich"):
        return []
    found = subprocess.run(["kpsewhich", "booktabs.sty"], capture_output=True, text=True)
    if not found.stdout.strip():
        return []
    return [e for e in ("lualatex", "xelatex", "pdflatex") if shutil.which(e)]


LATEX_ENGINES = _latex_engines()


def compile_latex(tables: list[str], folder) -> None:
    """Compile generated tables in one article (booktabs, longtable); fail with TeX's log."""
    need_tool(LATEX_ENGINES, "a LaTeX engine (lualatex, xelatex or pdflatex with booktabs)")
    engine = LATEX_ENGINES[0]
    preamble = (
        r"\usepackage[utf8]{inputenc}\usepackage[T1]{fontenc}" if engine == "pdflatex" else ""
    )
    doc = (
        rf"\documentclass{{article}}{preamble}\usepackage{{booktabs}}\usepackage{{longtable}}"
        + "\n\\begin{document}\n"
        + "\n".join(tables)
        + "\\end{document}\n"
    )
    (folder / "t.tex").write_text(doc, encoding="utf-8")
    done = subprocess.run(
        [engine, "-interaction=nonstopmode", "-halt-on-error", "t.tex"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout[-3000:]
    assert (folder / "t.pdf").stat().st_size > 1000


def test_generated_tables_compile(tmp_path):
    compile_latex(
        [
            table1_latex(TABLE1, "demo"),
            agreement_latex(*_agreement_frames("SIMULATED"), "demo"),
            evaluation_latex(EVALUATION, "demo"),
            latex_table(
                ["A"], [(None, [["x"]])], align=["l"], caption=("å", "b"), label="t", long=True
            ),
        ],
        tmp_path,
    )


def test_presence_follows_the_consensus_only_when_coding_is_enabled():
    coded = presence_inputs("s", coding_enabled=True)
    assert coded == {
        "source": "consensus",
        "presence": "data/processed/s/consensus_factors.csv",
        "counts": "data/processed/s/consensus_factor_counts.csv",
    }
    curated = presence_inputs("s", coding_enabled=False)
    assert curated["source"] == "curated"
    assert curated["presence"] == "data/processed/s/example_factors.csv"
    assert curated["counts"] == "data/processed/s/factor_counts.csv"


def test_ladder_figure_places_every_instrument(embedded, tmp_path):
    ladder = embedded[studydata.LADDER]
    placements = pd.DataFrame({"step": [3], "level": ["B"], "n": [5]})
    fig = ladder_figure(ladder, "Stigen", placements)
    texts = " ".join(t.get_text() for t in fig.axes[0].texts)
    flat = " ".join(" ".join(t.get_text().split()) for t in fig.axes[0].texts)
    # Every instrument in Bokmål as published, with its English alongside.
    for instrument in pd.concat([ladder["instrument_nb"], ladder["instrument_en"]]):
        assert " ".join(instrument.split()) in flat, instrument
    assert "n = 5" in texts
    save_figure(fig, tmp_path / "l.png", tmp_path / "l.svg")
    assert (tmp_path / "l.png").stat().st_size > 10_000


def test_heatmap_marks_identified_cells(embedded):
    examples = embedded[studydata.EXAMPLES].head(3)
    table1 = pd.DataFrame({"factor_id": ["F01", "F02"], "category_id": ["C1", "C1"]})
    matrix = pd.DataFrame({"example_id": ["E02"], "factor_id": ["F02"]})
    fig = example_factor_heatmap(matrix, examples, table1, "t")
    grid = fig.axes[0].images[0].get_array()
    assert grid.tolist() == [[0, 0], [0, 1], [0, 0]]


def test_agreement_forest_marks_undefined_and_simulated():
    from medvirk.figures import agreement_forest

    by_factor = pd.DataFrame(
        {
            "data_source": ["SIMULATED", "SIMULATED"],
            "factor_id": ["F01", "F02"],
            "alpha": ["0.7", ""],
            "ci_low": ["0.5", ""],
            "ci_high": ["0.9", ""],
            "status": ["tentative", "undefined"],
        }
    )
    pooled = pd.DataFrame(
        {
            "data_source": ["SIMULATED"],
            "scope": ["pooled"],
            "name": ["all"],
            "alpha": ["0.6"],
            "ci_low": ["0.4"],
            "ci_high": ["0.8"],
            "status": ["unreliable"],
        }
    )
    pooled = pd.concat(
        [
            pooled,
            pooled.assign(scope="category", name="C2", alpha="0.5"),
            pooled.assign(scope="category", name="C9", alpha="0.5"),
        ]
    )
    factors = pd.DataFrame(
        {
            "factor_id": ["F01", "F02"],
            "label_nb": ["Åpen dialog", "Tillit"],
            "label_en": ["Open dialogue", None],
        }
    )
    categories = pd.DataFrame(
        {"category_id": ["C2"], "label_nb": ["Holdninger"], "label_en": ["Attitudes"]}
    )
    fig = agreement_forest(by_factor, pooled, factors, "Samsvar", categories)
    ax = fig.axes[0]
    assert ax.get_title(loc="left").startswith("SIMULATED")
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "F01 Åpen dialog\nOpen dialogue",
        "F02 Tillit",
        "Alle faktorer\nall factors (pooled)",
        "C2 Holdninger\nAttitudes",
        "Kategori / category C9",
    ]
    assert any(t.get_text() == "udefinert / undefined" for t in ax.texts)


def test_both_bar_figures_draw_published_counts_as_ticks_last_in_the_legend():
    from medvirk.figures import examples_by_municipality_figure, factor_counts_figure

    table1 = TABLE1.assign(n_published=pd.array([14, pd.NA], dtype="Int64"))
    counts = pd.DataFrame(
        {
            "municipality": ["Sola", "Ålesund"],
            "n": [5, 3],
            "n_published": pd.array([6, 3], dtype="Int64"),
        }
    )
    for fig, published, label in (
        (
            factor_counts_figure(table1, "t"),
            [14.0],
            "Publisert antall (Tabell 1) / published count",
        ),
        (
            examples_by_municipality_figure(counts, "t"),
            [6.0, 3.0],
            "Publisert (kap. 3) / published",
        ),
    ):
        ax = fig.axes[0]
        ticks = ax.collections[0].get_offsets()
        drawn = [x for x, _ in ticks.tolist() if x is not None and x == x]  # no missing count
        assert drawn == published
        assert [t.get_text() for t in ax.get_legend().get_texts()][-1] == label
    no_published = factor_counts_figure(table1.assign(n_published=pd.NA), "t")
    assert not no_published.axes[0].collections


def test_factor_bars_are_labelled_in_bokmal_with_english_below():
    from medvirk.figures import factor_counts_figure

    ax = factor_counts_figure(TABLE1, "t").axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "Få brukerne tidlig inn (F01)\nInvolve early",
        "Jobbe mot brukerens egne mål (F08)\nOwn goals",
    ]
