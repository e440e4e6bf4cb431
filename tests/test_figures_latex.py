"""Figures draw from their tables; LaTeX output escapes what LaTeX needs escaped."""

import pandas as pd

from medvirk import studydata
from medvirk.figures import example_factor_heatmap, ladder_figure, save_figure
from medvirk.tables import latex_escape, table1_latex


def test_latex_escape_keeps_norwegian_letters():
    assert latex_escape("Tillit & åpen dialog 25% _x_") == r"Tillit \& åpen dialog 25\% \_x\_"


def test_table1_latex_has_one_row_per_factor():
    table = pd.DataFrame(
        {
            "category_id": ["C1", "C2"],
            "category": ["Konkrete tips", "Holdninger"],
            "category_en": ["Tips", "Attitudes"],
            "factor_id": ["F01", "F08"],
            "factor": ["Få brukerne tidlig inn", "Jobbe mot brukerens egne mål"],
            "factor_en": ["Involve early", "Own goals"],
            "n": [7, 7],
            "n_published": pd.array([14, pd.NA], dtype="Int64"),
        }
    )
    tex = table1_latex(table, "Tabell 1")
    assert r"F01 & Få brukerne tidlig inn \newline \textit{Involve early} & 7 & 14 \\" in tex
    assert r"F08 & Jobbe mot brukerens egne mål \newline \textit{Own goals} & 7 &  \\" in tex
    assert tex.count(r"\multicolumn{4}") == 2


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
    assert any(t.get_text() == "undefined" for t in ax.texts)
