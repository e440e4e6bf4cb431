"""Agreement tables worked by hand, column by column.

Every expected number here is computed in the comments from the marks (Krippendorff's alpha
from the coincidence matrix, Gwet's AC1 and p_a from Gwet 2014, ch. 2 and 4), or by the
`krippendorff` package, never copied from medvirk's output.
"""

import warnings

import numpy as np
import pandas as pd
import pytest

from medvirk import agreement
from tests.test_agreement import K2011_ALPHA, k2011_long, ladder_table, rare_grid

# Three coders, five examples, two factors. F01 (a, b, c; "-": did not code the example):
#   E01  1 1 1    unanimous present
#   E02  1 0 0    split
#   E03  0 0 0    unanimous absent
#   E04  0 0 -    unanimous absent (two coders)
#   E05  1 - -    one coder only: not pairable
# F02 is coded once: coder a, E01, present.
F01 = {"a": [1, 1, 0, 0, 1], "b": [1, 0, 0, 0, None], "c": [1, 0, 0, None, None]}


def worked_grid() -> pd.DataFrame:
    rows = [
        {"example_id": f"E0{e + 1}", "coder": coder, "factor_id": "F01", "present": mark}
        for coder, marks in F01.items()
        for e, mark in enumerate(marks)
        if mark is not None
    ]
    rows.append({"example_id": "E01", "coder": "a", "factor_id": "F02", "present": 1})
    return pd.DataFrame(rows)


# F01 by hand. Values (absent, present) per pairable example: E01 (0, 3), E02 (2, 1),
# E03 (3, 0), E04 (2, 0): n = 11 pairable values, n_absent = 7, n_present = 4. Only E02
# disagrees: o_01 = o_10 = 2 * 1 / (3 - 1) = 1.
# alpha = 1 - (n - 1) * (o_01 + o_10) / (2 n_0 n_1) = 1 - 10 * 2 / 56 = 9/14.
# p_a (agreeing pairs per pairable example): 1, 1/3, 1, 1 -> 10/3 / 4 = 5/6.
# AC1: pi_present over the 5 examples anyone coded: (1 + 1/3 + 0 + 0 + 1) / 5 = 7/15;
# p_e = 2 * 7/15 * 8/15 = 112/225; AC1 = (5/6 - 112/225) / (1 - 112/225) = 151/226.
F01_ALPHA, F01_PA, F01_AC1 = 9 / 14, 5 / 6, 151 / 226
# Every factor: F02 adds one coded example (pi_present 1): pi = (7/3 + 1) / 6 = 5/9,
# p_e = 2 * 5/9 * 4/9 = 40/81, AC1 = (5/6 - 40/81) / (41/81) = 55/82; p_a and alpha as F01's.
ALL_AC1 = 55 / 82

COLUMNS_BY_FACTOR = [
    "factor_id", "alpha", "ci_low", "ci_high", "ac1", "ac1_ci_low", "ac1_ci_high",
    "observed_agreement", "prevalence", "status", "q_below_667", "q_below_800", "replicates",
    "replicates_used", "replicates_dropped", "ac1_replicates_used", "ac1_replicates_dropped",
    "n_units", "n_coders", "n_pairable", "unanimous_agreement", "level", "reason", "note_nb",
    "note_en", "n_marked",
]  # fmt: skip


def test_by_factor_every_column_by_hand():
    out = agreement.agreement_by_factor(worked_grid(), replicates=0)
    assert list(out.columns) == COLUMNS_BY_FACTOR
    f01, f02 = out.to_dict("records")
    assert f01 == {
        "factor_id": "F01",
        "alpha": pytest.approx(F01_ALPHA),
        "ci_low": None,
        "ci_high": None,
        "ac1": pytest.approx(F01_AC1),
        "ac1_ci_low": None,
        "ac1_ci_high": None,
        "observed_agreement": pytest.approx(F01_PA),
        "prevalence": pytest.approx(5 / 12),  # 5 marks in 12 coded cells
        "status": "unreliable",  # 9/14 = .643 < .667
        "q_below_667": None,
        "q_below_800": None,
        "replicates": 0,
        "replicates_used": 0,
        "replicates_dropped": 0,
        "ac1_replicates_used": 0,
        "ac1_replicates_dropped": 0,
        "n_units": 5,  # examples anyone coded
        "n_coders": 3,
        "n_pairable": 11,  # pairable values
        "unanimous_agreement": pytest.approx(3 / 4),  # E01, E03, E04 of 4 pairable
        "level": "nominal",
        "reason": "",
        "note_nb": "",  # AC1 .668 < .800: no rare-marks sentence
        "note_en": "",
        "n_marked": 5,
    }
    assert f02["factor_id"] == "F02" and f02["status"] == "undefined"
    assert f02["reason"] == (
        "no example was coded by two or more coders, so no values can be paired"
    )
    assert pd.isna([f02["alpha"], f02["ac1"], f02["observed_agreement"]]).all()
    assert pd.isna(f02["unanimous_agreement"])  # no pairable example to be unanimous in
    assert f02["prevalence"] == 1.0  # its one coded cell is marked
    assert (f02["n_units"], f02["n_pairable"], f02["n_marked"]) == (1, 0, 1)


def test_pooled_and_categories_by_hand():
    # The codebook lists the factors in another order, and a factor nobody coded.
    factors = pd.DataFrame({"factor_id": ["F03", "F02", "F01"], "category_id": ["C1", "C2", "C1"]})
    out = agreement.agreement_pooled(worked_grid(), factors, replicates=0)
    assert list(out.columns[:3]) == ["scope", "name", "n_factors"]
    assert list(out.columns[3:]) == [c for c in COLUMNS_BY_FACTOR[1:] if c != "n_marked"]
    rows = {r["name"]: r for r in out.to_dict("records")}
    assert list(rows) == ["all", "C1", "C2"]
    assert [rows[n]["scope"] for n in rows] == ["pooled", "category", "category"]
    assert [rows[n]["n_factors"] for n in rows] == [2, 1, 1]
    everything = rows["all"]
    assert everything["alpha"] == pytest.approx(F01_ALPHA)  # F02 has nothing pairable
    assert everything["ac1"] == pytest.approx(ALL_AC1)
    assert everything["observed_agreement"] == pytest.approx(F01_PA)
    assert everything["prevalence"] == pytest.approx(6 / 13)
    assert (everything["n_units"], everything["n_pairable"], everything["n_coders"]) == (6, 11, 3)
    assert everything["unanimous_agreement"] == pytest.approx(3 / 4)
    c1 = rows["C1"]  # F01 alone
    assert (c1["alpha"], c1["ac1"]) == (pytest.approx(F01_ALPHA), pytest.approx(F01_AC1))
    assert c1["n_coders"] == 3 and c1["status"] == "unreliable"
    assert rows["C2"]["status"] == "undefined" and rows["C2"]["prevalence"] == 1.0


def test_leaving_each_coder_out_by_hand():
    factors = pd.DataFrame({"factor_id": ["F01", "F02"], "category_id": ["C1", "C2"]})
    out = agreement.agreement_without_coder(worked_grid(), factors)
    assert list(out.columns) == [
        "scope", "name", "coder_left_out", "n_coders", "alpha", "alpha_all", "alpha_change",
        "ac1", "ac1_all", "observed_agreement", "observed_agreement_all", "status", "reason",
    ]  # fmt: skip
    assert list(zip(out["scope"], out["name"], out["coder_left_out"], strict=True)) == [
        (scope, name, coder)
        for coder in "abc"
        for scope, name in [("pooled", "all"), ("category", "C1"), ("category", "C2"),
                            ("factor", "F01"), ("factor", "F02")]
    ]  # fmt: skip
    assert (out["n_coders"] == 2).all()
    f01 = out[out["name"] == "F01"].set_index("coder_left_out")
    # Without a, F01 holds E01 (0, 2), E02 (2, 0), E03 (2, 0): no disagreement, alpha = 1;
    # every pair agrees (p_a = 1) and AC1 = 1.
    # Without b: E01 (0, 2), E02 (1, 1), E03 (2, 0); n = 6, n_0 = n_1 = 3, o_01 = o_10 = 1:
    # alpha = 1 - 5 * 2 / 18 = 4/9. p_a = (1 + 0 + 1) / 3 = 2/3; pi_present over E01-E05
    # (a alone codes E04, E05) = (1 + 1/2 + 0 + 0 + 1) / 5 = 1/2: AC1 = (2/3 - 1/2) / (1/2) = 1/3.
    # Without c: E01 (0, 2), E02 (1, 1), E03 (2, 0), E04 (2, 0); n = 8, n_0 = 5, n_1 = 3:
    # alpha = 1 - 7 * 2 / 30 = 8/15. p_a = 3/4, pi_present 1/2: AC1 = 1/2.
    expected = {"a": (1.0, 1.0, 1.0), "b": (4 / 9, 1 / 3, 2 / 3), "c": (8 / 15, 1 / 2, 3 / 4)}
    for coder, (alpha, ac1, observed) in expected.items():
        row = f01.loc[coder]
        assert row["alpha"] == pytest.approx(alpha)
        assert row["alpha_all"] == pytest.approx(F01_ALPHA)
        assert row["alpha_change"] == pytest.approx(alpha - F01_ALPHA)
        assert row["ac1"] == pytest.approx(ac1) and row["ac1_all"] == pytest.approx(F01_AC1)
        assert row["observed_agreement"] == pytest.approx(observed)
        assert row["observed_agreement_all"] == pytest.approx(F01_PA)
        assert row["reason"] == ""
    assert list(f01["status"]) == ["reliable", "unreliable", "unreliable"]
    # Every factor without b: F02's one cell (a, E01, present) joins the coded examples:
    # pi_present = (5/2 + 1) / 6 = 7/12, p_e = 2 * 7/12 * 5/12 = 35/72,
    # AC1 = (2/3 - 35/72) / (37/72) = 13/37. Without a, F02 has no coder left: AC1 = 1.
    pooled = out[out["scope"] == "pooled"].set_index("coder_left_out")
    assert pooled["ac1"].tolist() == pytest.approx([1.0, 13 / 37, 19 / 37])
    assert pooled["ac1_all"].tolist() == pytest.approx([ALL_AC1] * 3)
    f02 = out[out["name"] == "F02"]
    assert (f02["status"] == "undefined").all() and f02["alpha_change"].isna().all()
    assert f02["alpha_all"].isna().all() and f02["ac1"].isna().all()


def test_leaving_one_of_two_coders_out_leaves_nothing_to_compare():
    two = worked_grid().query("coder != 'c'")
    out = agreement.agreement_without_coder(two)
    assert list(out["scope"]) == ["pooled", "factor", "factor"] * 2
    assert (out["reason"] == "only one coder is left: nothing to compare").all()
    assert (out["status"] == "undefined").all() and (out["n_coders"] == 1).all()
    assert out["alpha"].isna().all() and out["ac1"].isna().all()
    assert out["observed_agreement"].isna().all()
    # with both coders, F01 is E01 (0, 2), E02 (1, 1), E03 (2, 0), E04 (2, 0): alpha 8/15
    assert out.loc[out["name"] == "F01", "alpha_all"].tolist() == pytest.approx([8 / 15] * 2)


def test_worked_alpha_agrees_with_the_krippendorff_package():
    import krippendorff

    reliability = np.array([[np.nan if m is None else m for m in marks] for marks in F01.values()])
    expected = krippendorff.alpha(reliability_data=reliability, level_of_measurement="nominal")
    assert expected == pytest.approx(F01_ALPHA)


def test_kappas_every_column_by_hand():
    out = agreement.kappas(worked_grid(), replicates=0)
    assert list(out.columns) == [
        "statistic", "coder_a", "coder_b", "n_cells", "n_cells_left_out", "observed_agreement",
        "kappa", "ci_low", "ci_high", "band", "ac1", "weights", "replicates", "replicates_used",
        "replicates_dropped", "reason",
    ]  # fmt: skip
    assert list(out.index) == [0, 1, 2, 3]
    assert list(out["statistic"]) == ["cohen"] * 3 + ["fleiss"]
    ab = out.iloc[0].to_dict()
    # a and b both coded F01 in E01-E04: a 1 1 0 0, b 1 0 0 0. p_o = 3/4; a marks 1/2, b 1/4:
    # p_e = 1/2 * 1/4 + 1/2 * 3/4 = 1/2, kappa = (3/4 - 1/2) / (1/2) = 1/2. AC1 for two coders:
    # pi = (1/2 + 1/4) / 2 = 3/8, p_e = 2 * 3/8 * 5/8 = 15/32, AC1 = (3/4 - 15/32) / (17/32) = 9/17.
    # Cells only one of them coded: F01 E05 and F02 E01 (a).
    assert ab == {
        "statistic": "cohen", "coder_a": "a", "coder_b": "b", "n_cells": 4,
        "n_cells_left_out": 2, "observed_agreement": pytest.approx(3 / 4),
        "kappa": pytest.approx(1 / 2), "ci_low": None, "ci_high": None, "band": "moderate",
        "ac1": pytest.approx(9 / 17), "weights": "identity", "replicates": 0,
        "replicates_used": 0, "replicates_dropped": 0, "reason": "",
    }  # fmt: skip
    fleiss = out.iloc[3].to_dict()
    # Fleiss' kappa over the 4 cells two or more coded (Gwet's generalisation): p_a = 5/6 as
    # for F01; pi_present over the 6 coded cells = (1 + 1/3 + 0 + 0 + 1 + 1) / 6 = 5/9,
    # p_e = (5/9)^2 + (4/9)^2 = 41/81, kappa = (5/6 - 41/81) / (40/81) = 53/80.
    assert fleiss == {
        "statistic": "fleiss", "coder_a": "all", "coder_b": "all", "n_cells": 4,
        "n_cells_left_out": 2, "observed_agreement": pytest.approx(F01_PA),
        "kappa": pytest.approx(53 / 80), "ci_low": None, "ci_high": None,
        "band": "substantial", "ac1": pytest.approx(ALL_AC1), "weights": "identity",
        "replicates": 0, "replicates_used": 0, "replicates_dropped": 0, "reason": "",
    }  # fmt: skip


def test_weights_given_are_the_bootstrap_even_without_replicates():
    """Weights of one for every example are a single resample equal to the data: its CI is
    the point estimate, whatever ``replicates`` says."""
    grid = worked_grid()
    ones = np.ones((1, 5))
    by_factor = agreement.agreement_by_factor(grid, replicates=0, weights=ones).iloc[0]
    pooled = agreement.agreement_pooled(grid, replicates=0, weights=ones).iloc[0]
    for row in (by_factor, pooled):
        assert row["ci_low"] == row["ci_high"] == pytest.approx(F01_ALPHA)
        assert row["replicates"] == 1 and row["replicates_used"] == 1
    assert by_factor["ac1_ci_low"] == by_factor["ac1_ci_high"] == pytest.approx(F01_AC1)
    assert pooled["ac1_ci_low"] == pooled["ac1_ci_high"] == pytest.approx(ALL_AC1)
    for replicates in (0, 50):  # weights given win over replicates and seed
        kappas = agreement.kappas(grid, replicates=replicates, weights=ones)
        assert kappas["ci_low"].tolist() == pytest.approx(kappas["kappa"].tolist())
        assert kappas["ci_high"].tolist() == pytest.approx(kappas["kappa"].tolist())
        assert (kappas["replicates"] == 1).all()
    row = agreement.agreement_by_factor(grid, replicates=50, weights=ones).iloc[0]
    assert row["replicates"] == 1 and row["ci_low"] == pytest.approx(F01_ALPHA)


def _gwet_ac1(counts: np.ndarray) -> float:
    """Gwet's AC1 for (absent, present) counts per cell, from the textbook formulas (Gwet 2014,
    with missing ratings): p_a over cells with two or more ratings, pi over rated cells."""
    m = counts.sum(axis=1)
    two, one = counts[m >= 2], counts[m >= 1]
    if not len(two):
        return np.nan
    p_a = np.mean((two * (two - 1)).sum(axis=1) / (two.sum(axis=1) * (two.sum(axis=1) - 1)))
    pi = (one / one.sum(axis=1, keepdims=True)).mean(axis=0)
    p_e = (pi * (1 - pi)).sum() / (2 - 1)
    return (p_a - p_e) / (1 - p_e) if p_e < 1 else np.nan


def test_ac1_ci_is_the_percentiles_of_the_textbook_ac1_on_the_same_resampled_examples():
    grid = worked_grid()
    marks = grid.pivot_table(
        index=["factor_id", "example_id"], columns="coder", values="present", aggfunc="first"
    )
    cells = {  # example -> (absent, present) counts of its F01 and F02 cells
        e: np.array(
            [[(marks.loc[(f, e)] == 0).sum(), (marks.loc[(f, e)] == 1).sum()]
             if (f, e) in marks.index else [0, 0] for f in ("F01", "F02")]
        )
        for e in ["E01", "E02", "E03", "E04", "E05"]
    }  # fmt: skip
    weights = agreement.bootstrap_weights(5, 200, seed=11)
    reps = np.array(
        [
            _gwet_ac1(np.concatenate([np.repeat(cells[e], int(k), axis=0)
                                      for e, k in zip(cells, w, strict=True)]))
            for w in weights
        ]
    )  # fmt: skip
    used = reps[np.isfinite(reps)]
    pooled = agreement.agreement_pooled(grid, replicates=200, seed=11).iloc[0]
    assert pooled["ac1"] == pytest.approx(_gwet_ac1(np.concatenate(list(cells.values()))))
    assert [pooled["ac1_ci_low"], pooled["ac1_ci_high"]] == pytest.approx(
        np.percentile(used, [2.5, 97.5])
    )
    assert pooled["ac1_replicates_used"] == len(used)
    assert pooled["ac1_replicates_dropped"] == 200 - len(used)


def test_results_do_not_depend_on_the_block_size(monkeypatch):
    """Factors are summed in blocks to bound memory; one factor per block gives the same."""
    grid = worked_grid()
    factors = pd.DataFrame({"factor_id": ["F01", "F02"], "category_id": ["C1", "C1"]})
    whole = (
        agreement.agreement_by_factor(grid, 50, 1),
        agreement.agreement_pooled(grid, factors, 50, 1),
        agreement.agreement_without_coder(grid, factors),
    )
    monkeypatch.setattr(agreement, "BLOCK_CELLS", 5)  # 5 examples: one factor per block
    assert [list(b) for b in agreement._blocks(np.zeros((2, 5, 3)))] == [[0], [1]]
    blocked = (
        agreement.agreement_by_factor(grid, 50, 1),
        agreement.agreement_pooled(grid, factors, 50, 1),
        agreement.agreement_without_coder(grid, factors),
    )
    for a, b in zip(whole, blocked, strict=True):
        pd.testing.assert_frame_equal(a, b)


def test_more_factors_than_examples():
    import krippendorff

    # 2 coders, 2 examples, 4 factors: a 1 0 1 0 / 0 0 1 1, b 1 0 0 0 / 0 0 1 1
    a, b = [[1, 0, 1, 0], [0, 0, 1, 1]], [[1, 0, 0, 0], [0, 0, 1, 1]]
    grid = pd.DataFrame(
        [
            {"example_id": f"E{e}", "coder": c, "factor_id": f"F{f}", "present": m[e][f]}
            for c, m in (("a", a), ("b", b))
            for e in range(2)
            for f in range(4)
        ]
    )
    out = agreement.agreement_pooled(grid, replicates=0).iloc[0]
    expected = krippendorff.alpha(
        reliability_data=[sum(a, []), sum(b, [])], level_of_measurement="nominal"
    )
    assert out["alpha"] == pytest.approx(expected) and out["n_units"] == 8


RARE = "Alfa er lav selv om koderne er enige i {o} av de parvise sammenligningene: bare {s} av "
RARE_EN = "Alpha is low although the coders agree in {o} of pairwise comparisons: only {s} of the "


def test_the_rare_marks_sentence_word_for_word_and_its_thresholds():
    note = agreement.rare_marks_note
    row = {"alpha": 0.3, "ac1": 0.9412, "prevalence": 0.04, "observed_agreement": 0.95}
    assert note(row) == (
        RARE.format(o="95 %", s="4 %") + "cellene er markert, og med så sjeldne markeringer "
        "trekker noen få uenigheter alfa ned. AC1, som tåler dette, er 0.941.",
        RARE_EN.format(o="95%", s="4%") + "cells are marked, and with marks this rare a few "
        "disagreements pull alpha down. AC1, which is robust to this, is 0.941.",
    )
    nearly_all = {**row, "prevalence": 0.9}
    assert note(nearly_all) == (
        RARE.format(o="95 %", s="10 %") + "cellene er umarkert, og når nesten alt er markert, "
        "trekker noen få uenigheter alfa ned. AC1, som tåler dette, er 0.941.",
        RARE_EN.format(o="95%", s="10%") + "cells are left unmarked, and when nearly "
        "everything is marked a few disagreements pull alpha down. AC1, which is robust to "
        "this, is 0.941.",
    )
    # alpha below .667, AC1 from .800, at most 20 % marked or at most 20 % left unmarked
    for change, has_note in [
        ({"alpha": 0.6669}, True), ({"alpha": 0.667}, False),
        ({"ac1": 0.8}, True), ({"ac1": 0.7999}, False),
        ({"prevalence": 0.2}, True), ({"prevalence": 0.2001}, False),
        ({"prevalence": 0.8}, True), ({"prevalence": 0.7999}, False),
        ({"prevalence": 1.0}, True),
        ({"alpha": None}, False), ({"ac1": np.nan}, False), ({"prevalence": None}, False),
        ({"observed_agreement": np.nan}, False), ({"observed_agreement": None}, False),
    ]:  # fmt: skip
        nb, en = note({**row, **change})
        assert (bool(nb), bool(en)) == (has_note, has_note), change
        if not has_note:
            assert (nb, en) == ("", "")
    assert note({}) == ("", "")


# --- Long tables: alpha, AC1, BP, Fleiss, percent --------------------------------------------


# Three coders, four units, nominal:  u1: x x x   u2: x y x   u3: y y -   u4: x - -
# p_a (agreeing pairs per unit with two or more ratings): u1 1, u2 1/3, u3 1 -> 7/9.
# pi over the 4 rated units: x (1 + 2/3 + 0 + 1) / 4 = 2/3, y 1/3.
# AC1: p_e = 2 * 2/3 * 1/3 = 4/9, AC1 = (7/9 - 4/9) / (5/9) = 3/5.
# With a third category z nobody used: p_e = (2/9 + 2/9 + 0) / 2 = 2/9, AC1 = 5/7.
# Brennan-Prediger: p_e = 1/2, BP = (7/9 - 1/2) / (1/2) = 5/9.
# Fleiss: p_e = (2/3)^2 + (1/3)^2 = 5/9, kappa = (7/9 - 5/9) / (4/9) = 1/2.
def four_units(x="x", y="y") -> pd.DataFrame:
    rows = [("u1", "a", x), ("u1", "b", x), ("u1", "c", x), ("u2", "a", x), ("u2", "b", y),
            ("u2", "c", x), ("u3", "a", y), ("u3", "b", y), ("u4", "a", x)]  # fmt: skip
    return pd.DataFrame(rows, columns=["unit", "coder", "value"])


def _coefficient(coefficient, value, chance, band, name=None, weights="identity", **kw):
    return {
        "coefficient": coefficient, "name": name or coefficient, "value": pytest.approx(value),
        "ci_low": None, "ci_high": None, "n_units": 4, "n_pairable_units": 3, "n_coders": 3,
        "level": kw.get("level", "nominal"), "weights": weights,
        "observed_agreement": pytest.approx(7 / 9), "chance_agreement": pytest.approx(chance),
        "replicates": 0, "replicates_used": 0, "replicates_dropped": 0, "band": band,
        "status": "defined", "reason": "",
    }  # fmt: skip


def test_every_coefficient_of_a_long_table_by_hand():
    data = four_units()
    result = {
        c: agreement.coefficient_with_ci(data, c, replicates=0)
        for c in ("ac1", "bp", "fleiss", "percent")
    }
    assert result["ac1"] == _coefficient("ac1", 3 / 5, 4 / 9, "moderate", "AC1")
    assert result["bp"] == _coefficient("bp", 5 / 9, 1 / 2, "moderate")
    assert result["fleiss"] == _coefficient("fleiss", 1 / 2, 5 / 9, "moderate")
    assert result["percent"] == _coefficient("percent", 7 / 9, 0, "")
    with_z = agreement.coefficient_with_ci(data, "ac1", replicates=0, categories=["x", "y", "z"])
    assert with_z == _coefficient("ac1", 5 / 7, 2 / 9, "substantial", "AC1")
    # Percent agreement counts exact agreement at every level; AC1 there is AC2.
    numbers = four_units(1, 2)
    percent = agreement.coefficient_with_ci(numbers, "percent", "ordinal", replicates=0)
    assert percent == _coefficient("percent", 7 / 9, 0, "", level="ordinal")
    ac2 = agreement.coefficient_with_ci(numbers, "ac1", "ordinal", replicates=0)
    assert (ac2["name"], ac2["weights"]) == ("AC2", "ordinal")


def test_the_percent_ci_is_the_percentiles_of_the_mean_agreement_of_resampled_units():
    weights = agreement.bootstrap_weights(4, 150, seed=2)  # over u1-u4, sorted
    agree = np.array([1, 1 / 3, 1, 0])  # u4 has no pair: it weighs nothing
    pairable = np.array([1, 1, 1, 0])
    with np.errstate(invalid="ignore"):
        reps = (weights @ agree) / (weights @ pairable)
    used = reps[np.isfinite(reps)]
    out = agreement.coefficient_with_ci(four_units(), "percent", replicates=150, seed=2)
    assert [out["ci_low"], out["ci_high"]] == pytest.approx(np.percentile(used, [2.5, 97.5]))
    assert (out["replicates"], out["replicates_used"]) == (150, len(used))
    assert out["replicates_dropped"] == 150 - len(used)
    one = agreement.coefficient_with_ci(four_units(), "percent", replicates=1, seed=2)
    (w,) = agreement.bootstrap_weights(4, 1, seed=2)
    assert one["ci_low"] == one["ci_high"] == pytest.approx((w @ agree) / (w @ pairable))


def test_coefficients_say_why_they_are_undefined():
    alone = pd.DataFrame({"unit": [1, 2], "coder": ["a", "b"], "value": ["x", "y"]})
    out = agreement.coefficient_with_ci(alone, "ac1", replicates=10)
    assert out["reason"] == "no unit was coded by two or more coders, so no values can be paired"
    assert (out["status"], out["band"], out["value"]) == ("undefined", "undefined", None)
    same = pd.DataFrame({"unit": [1, 1], "coder": ["a", "b"], "value": ["x", "x"]})
    assert agreement.coefficient_with_ci(same, "bp", replicates=0)["reason"] == (
        "every rating is the same value: with a single category the coefficient is undefined"
    )
    empty = pd.DataFrame({"unit": [], "coder": [], "value": []})
    nothing = agreement.coefficient_with_ci(empty, "ac1", replicates=10, categories=[1, 2])
    assert (nothing["n_units"], nothing["replicates"], nothing["value"]) == (0, 0, None)


def test_unknown_coefficients_and_levels_are_named_with_the_known_ones():
    data = four_units()
    with pytest.raises(ValueError) as err:
        agreement.coefficient_with_ci(data, "kappa")
    assert str(err.value) == (
        "unknown coefficient 'kappa'; use one of ('alpha', 'ac1', 'bp', 'fleiss', 'percent')"
    )
    levels = "use one of ('nominal', 'ordinal', 'interval', 'ratio')"
    for call in (
        lambda: agreement.coefficient_with_ci(data, "ac1", "nominale"),
        lambda: agreement.alpha_from_counts(np.array([[1, 1]]), np.array([1, 2]), "nominale"),
        lambda: agreement.alpha_unit_stats(np.array([[1, 1]]), np.array([1, 2]), "nominale"),
        lambda: agreement._delta(np.array([1, 2]), "nominale"),
    ):
        with pytest.raises(ValueError) as err:
            call()
        assert str(err.value) == f"unknown level of measurement 'nominale'; {levels}"


def test_alpha_through_coefficient_with_ci_is_alpha_with_ci():
    data = four_units()
    out = agreement.coefficient_with_ci(data, "alpha", replicates=60, seed=5, minimums=(0.5,))
    res = agreement.alpha_with_ci(data, replicates=60, seed=5, minimums=(0.5,))
    assert out == {"coefficient": "alpha", "value": res.alpha, **res.as_dict()}
    assert "q_below_500" in out and "q_below_667" not in out


# counts: units x values (1, 2). Pairable: u1 (2, 0), u2 (1, 1), u3 (0, 2); u4 has no value,
# u5 one. n = 6, n_1 = n_2 = 3, o_12 = o_21 = 1: alpha = 1 - 5 * 2 / (2 * 9) = 4/9.
COUNTS = np.array([[2, 0], [1, 1], [0, 2], [0, 0], [1, 0]])


def test_alpha_from_counts_every_field_by_hand():
    res = agreement.alpha_from_counts(COUNTS, np.array([1, 2]), replicates=0, n_coders=2)
    assert res == agreement.AlphaResult(
        pytest.approx(4 / 9), None, None, 4, 2, 6, "nominal", 0, "unreliable", "", 0, 0,
        {"q_below_667": None, "q_below_800": None},
    )  # fmt: skip
    # one replicate: the CI is that resample's alpha, by the krippendorff package
    import krippendorff

    one = agreement.alpha_from_counts(COUNTS, np.array([1, 2]), replicates=1, seed=2)
    (w,) = agreement.bootstrap_weights(5, 1, seed=2)  # u1, u2 twice, u3, u5
    drawn = np.repeat(COUNTS, w.astype(int), axis=0)
    expected = krippendorff.alpha(value_counts=drawn, level_of_measurement="nominal")
    assert one.ci_low == one.ci_high == pytest.approx(expected)
    # by hand: u1 (2, 0), u2 twice (1, 1), u3 (0, 2): n = 8, n_1 = n_2 = 4, o_12 = o_21 = 2,
    # alpha = 1 - 7 * 4 / (2 * 16) = 1/8
    assert expected == pytest.approx(1 / 8)
    assert (one.replicates, one.replicates_used, one.n_coders) == (1, 1, 0)
    assert one.q == {"q_below_667": float(expected < 0.667), "q_below_800": float(expected < 0.8)}


def test_undefined_alpha_names_the_one_value_as_written():
    res = agreement.alpha_from_counts(
        np.array([[2, 0], [1, 0], [0, 1]]), np.array([3, 5]), n_coders=7, level="interval"
    )
    assert res == agreement.AlphaResult(
        None, None, None, 3, 7, 2, "interval", 0, "undefined",
        "every pairable value is 3: without any variation alpha is undefined",
        q={"q_below_667": None, "q_below_800": None},
    )  # fmt: skip
    words = pd.DataFrame({"unit": [1, 1, 2], "coder": ["a", "b", "a"], "value": ["x", "x", "y"]})
    assert agreement.alpha_with_ci(words).reason == (
        "every pairable value is 'x': without any variation alpha is undefined"
    )
    # a value given once among the pairable ones is variation enough:
    # (1, 1) and (2, 0): n = 4, n_1 = 3, n_2 = 1, o_12 = 1: alpha = 1 - 3 * 2 / 6 = 0
    once = agreement.alpha_from_counts(np.array([[1, 1], [2, 0]]), np.array([1, 2]))
    assert (once.alpha, once.status, once.reason) == (pytest.approx(0.0), "unreliable", "")


@pytest.mark.parametrize("level", ["interval", "ratio"])
def test_interval_and_ratio_alpha_do_not_depend_on_the_unit_of_measurement(level):
    """Krippendorff (2011), section C, in hundredths: the published alpha stays."""
    small = k2011_long().assign(value=lambda t: t["value"] / 100)
    assert (
        round(agreement.alpha_with_ci(small, level, replicates=0).alpha, 3) == (K2011_ALPHA[level])
    )


def test_ratio_alpha_with_zeros_as_the_krippendorff_package_and_without_numpy_warnings():
    import krippendorff

    coders = np.array([[0, 0, 1, 2, 0, 3, 0], [0, 1, 1, 2, 0, 2, 0]], dtype=float)
    long = pd.DataFrame(
        [{"unit": u, "coder": c, "value": coders[c, u]} for c in range(2) for u in range(7)]
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = agreement.alpha_with_ci(long, "ratio", replicates=200, seed=1)
    expected = krippendorff.alpha(reliability_data=coders, level_of_measurement="ratio")
    assert res.alpha == pytest.approx(expected)


def test_undefined_replicates_and_factors_raise_no_numpy_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        by_factor = agreement.agreement_by_factor(worked_grid(), replicates=100, seed=1)
        rare = agreement.agreement_by_factor(rare_grid(), replicates=200, seed=1)
        counts = np.array([[2, 0], [0, 2], [1, 0], [1, 0], [2, 0]])
        res = agreement.alpha_from_counts(counts, np.array([0, 1]), replicates=200, seed=1)
    assert by_factor.loc[1, "status"] == "undefined"
    assert rare.loc[0, "replicates_dropped"] > 0 and res.replicates_dropped > 0


def test_stacked_counts_give_the_stacked_unit_statistics():
    """The per-unit functions take (..., values): a stack of tables is a stack of results."""
    first = np.array([[2, 1, 0], [0, 1, 1], [1, 1, 1], [0, 0, 2]])  # 4 units, 3 values
    second = np.array([[0, 3, 0], [1, 0, 0], [0, 2, 2], [1, 1, 0]])
    stack = np.stack([first, second])
    domain = np.array([1, 2, 3])
    for level in agreement.LEVELS:
        stats = agreement.alpha_unit_stats(stack, domain, level)
        np.testing.assert_allclose(stats[1], agreement.alpha_unit_stats(second, domain, level))
    ratings = np.array([[[0, 1, -1], [2, 2, 2]], [[1, -1, -1], [0, 0, 1]]])
    counts = agreement.counts_from_ratings(ratings, 3)
    assert counts.tolist() == [[[1, 1, 0], [0, 0, 3]], [[0, 1, 0], [2, 1, 0]]]


# --- The ladder ---------------------------------------------------------------------------------


def test_the_ladder_level_ac1_counts_the_level_nobody_chose():
    # Levels: E1 A/A, E2 B/A, E3 B/B, E4 A/-. p_a = (1 + 0 + 1) / 3 = 2/3; pi over the 4
    # placed examples: A (1 + 1/2 + 0 + 1) / 4 = 5/8, B 3/8, C 0. With the three levels of the
    # sheet: p_e = (2 * 5/8 * 3/8) / 2 = 15/64, AC1 = (2/3 - 15/64) / (49/64) = 83/147
    # (with only the two used: p_e = 15/32 and AC1 = 19/51).
    data = ladder_table([1, 1, 2, 2, 3, 3, 4, None], ["A", "A", "B", "A", "B", "B", "A", None])
    out = agreement.agreement_ladder(data, replicates=0, minimums=(0.5,))
    assert list(out.columns) == [
        "variable", "alpha", "ci_low", "ci_high", "n_units", "n_coders", "n_pairable", "level",
        "replicates", "status", "reason", "replicates_used", "replicates_dropped",
        "q_below_500", "ac1", "ac1_name", "ac1_ci_low", "ac1_ci_high", "observed_agreement",
        "weights", "ac1_replicates_used", "ac1_replicates_dropped",
    ]  # fmt: skip
    level = out.set_index("variable").loc["ladder_level"]
    assert level["ac1"] == pytest.approx(83 / 147) and level["ac1_name"] == "AC1"
    assert level["observed_agreement"] == pytest.approx(2 / 3)
    assert level["weights"] == "identity"
    # Steps: E1 1/1, E2 2/2, E3 3/3, E4 4/-: every pair agrees, alpha 1, AC2's p_a 1.
    step = out.set_index("variable").loc["ladder_step"]
    assert (step["alpha"], step["ac1"], step["weights"]) == (1.0, 1.0, "ordinal")


def test_each_ladder_variable_stands_alone():
    only_level = ladder_table([None] * 8, ["A", "A", "B", "A", "B", "B", "A", None])
    out = agreement.agreement_ladder(only_level, replicates=0)
    assert list(out["variable"]) == ["ladder_step", "ladder_level"]
    assert list(out["status"]) == ["undefined", "unreliable"]
    no_step = only_level.drop(columns="ladder_step")
    assert list(agreement.agreement_ladder(no_step, replicates=0)["variable"]) == ["ladder_level"]
    pairs = agreement.ladder_pairs(no_step, replicates=0)
    assert list(pairs["variable"]) == ["ladder_level"]
    one_coder_steps = ladder_table([1, None, 2, None, 3, None, 4, None], list("AABABBAA"))
    pairs = agreement.ladder_pairs(one_coder_steps, replicates=0)
    assert list(pairs["variable"]) == ["ladder_level"] and list(pairs.columns[:3]) == [
        "variable", "coder_a", "coder_b",
    ]  # fmt: skip
    both = agreement.ladder_pairs(ladder_table([1, 1, 2, 2, 3, 3, 4, 4], list("AABABBAA")), 0)
    assert list(both["variable"]) == ["ladder_step", "ladder_level"]
    assert list(both.index) == [0, 1]
    empty = agreement.ladder_pairs(no_step.drop(columns="ladder_level"))
    assert list(empty.columns) == ["variable", "coder_a", "coder_b", "n_cells", "kappa"]


# --- Defaults, seeds, the bootstrap draws -----------------------------------------------------


def test_defaults_are_1000_replicates_seed_0_and_both_minimums():
    """Every function's defaults, one by one: the same as saying 1000 replicates, seed 0 and
    q for .667 and .800 (the workflow's configuration says so explicitly)."""
    grid, long, steps = (
        worked_grid(),
        four_units(),
        ladder_table([1, 1, 2, 3, 4, 4, 3, 3], list("AABBCBAA")),
    )
    ratings, domain, _, coders = agreement.rating_matrix(long)
    counts, values, _ = agreement.value_counts(long)
    assert agreement.DEFAULT_MINIMUMS == (0.667, 0.8)
    pairs = [
        (agreement.alpha_with_ci(long), agreement.alpha_with_ci(long, "nominal", 1000, 0)),
        (agreement.alpha_from_counts(counts, values),
         agreement.alpha_from_counts(counts, values, "nominal", 1000, 0, n_coders=0)),
        (agreement.coefficient_with_ci(long),
         agreement.coefficient_with_ci(long, "alpha", "nominal", 1000, 0)),
        (agreement.pairwise(ratings, coders, domain),
         agreement.pairwise(ratings, coders, domain, "identity", 1000, 0)),
        (agreement.pairs_for_long(long), agreement.pairs_for_long(long, "nominal", 1000, 0)),
        (agreement.agreement_by_factor(grid), agreement.agreement_by_factor(grid, 1000, 0)),
        (agreement.agreement_pooled(grid), agreement.agreement_pooled(grid, None, 1000, 0)),
        (agreement.kappas(grid), agreement.kappas(grid, 1000, 0)),
        (agreement.agreement_ladder(steps), agreement.agreement_ladder(steps, 1000, 0)),
        (agreement.ladder_pairs(steps), agreement.ladder_pairs(steps, 1000, 0)),
    ]  # fmt: skip
    for default, explicit in pairs:
        if isinstance(default, pd.DataFrame):
            pd.testing.assert_frame_equal(default, explicit)
        else:
            assert default == explicit
    assert agreement.alpha_with_ci(long).replicates == 1000
    assert agreement.alpha_from_counts(counts, values).n_coders == 0
    assert agreement.pairwise(ratings, coders, domain)["weights"].tolist() == ["identity"] * 3


def test_a_different_seed_draws_other_resamples():
    grid, long = worked_grid(), k2011_long()
    steps = pd.DataFrame(  # 12 examples placed by a and b
        {
            "example_id": [f"E{e:02d}" for e in range(12)] * 2,
            "coder": ["a"] * 12 + ["b"] * 12,
            "ladder_step": [1, 2, 3, 4, 1, 2, 3, 4, 2, 3, 1, 4, 1, 3, 3, 4, 2, 2, 3, 3, 2, 4, 1, 4],
            "ladder_level": list("ABCABCABCABC" + "ABBACCABCBBC"),
        }
    )
    for call in (
        lambda s: agreement.alpha_with_ci(long, "nominal", 200, s).ci_low,
        lambda s: agreement.coefficient_with_ci(long, "ac1", "nominal", 200, s)["ci_low"],
        lambda s: agreement.pairs_for_long(long, "nominal", 200, s)["ci_low"].tolist(),
        lambda s: agreement.agreement_pooled(grid, None, 200, s).loc[0, "ci_low"],
        lambda s: agreement.kappas(grid, 200, s)["ci_low"].tolist(),
        lambda s: agreement.agreement_ladder(steps, 200, s)["ac1_ci_low"].tolist(),
        lambda s: agreement.ladder_pairs(steps, 200, s)["ci_low"].tolist(),
    ):
        assert pd.Series(call(3)).equals(pd.Series(call(3)))
        assert not pd.Series(call(3)).equals(pd.Series(call(4)))


def test_bootstrap_draws_are_numpys_integers_a_hundred_replicates_at_a_time():
    """Reproducibility of published CIs: replicate r counts how often each cluster is among
    n draws of numpy's Generator(seed).integers(0, n), drawn 100 replicates at a time."""
    rng = np.random.default_rng(3)
    expected = np.concatenate(
        [
            np.array([np.bincount(row, minlength=7) for row in rng.integers(0, 7, (rows, 7))])
            for rows in (100, 100, 50)
        ]
    )
    np.testing.assert_array_equal(agreement.bootstrap_weights(7, 250, seed=3), expected)


def test_the_bootstrap_summary_of_nothing_and_of_one_replicate():
    assert agreement.bootstrap_summary(None, (0.5,), prefix="x_") == {
        "x_ci_low": None, "x_ci_high": None, "x_replicates": 0, "x_replicates_used": 0,
        "x_replicates_dropped": 0, "q_below_500": None,
    }  # fmt: skip
    one = agreement.bootstrap_summary(np.array([0.5]), (0.5, 0.6))
    assert one == {
        "ci_low": 0.5, "ci_high": 0.5, "replicates": 1, "replicates_used": 1,
        "replicates_dropped": 0, "q_below_500": 0.0, "q_below_600": 1.0,  # .5 is not below .5
    }  # fmt: skip


def test_a_cluster_bootstrap_of_alpha_resamples_whole_clusters():
    """Units 0-1 form cluster 0, units 2-4 cluster 1, unit 5 cluster 2: a replicate drawing a
    cluster k times holds each of its units k times (krippendorff on that table)."""
    import krippendorff

    counts = np.array([[2, 0], [1, 1], [0, 2], [2, 0], [1, 1], [0, 2]])
    clusters = np.array([0, 0, 1, 1, 1, 2])
    weights = agreement.bootstrap_weights(3, 30, seed=5)
    ours = agreement.alphas_by_weights(counts, np.array([0, 1]), "nominal", weights, clusters)
    for w, a in zip(weights, ours, strict=True):
        table = np.repeat(counts, w[clusters].astype(int), axis=0)
        pairable = table[table.sum(axis=1) >= 2]
        if (pairable.sum(axis=0) > 0).sum() < 2:
            assert np.isnan(a)
        else:
            assert a == pytest.approx(krippendorff.alpha(value_counts=pairable))
    res = agreement.alpha_from_counts(
        counts, np.array([0, 1]), replicates=30, seed=5, clusters=clusters
    )
    used = ours[np.isfinite(ours)]
    assert [res.ci_low, res.ci_high] == pytest.approx(np.percentile(used, [2.5, 97.5]))
    # a fourth cluster without units weighs nothing
    four = np.hstack([weights, np.full((30, 1), 2.0)])
    np.testing.assert_allclose(
        agreement.alphas_by_weights(counts, np.array([0, 1]), "nominal", four, clusters), ours
    )
    given = agreement.alpha_from_counts(
        counts, np.array([0, 1]), clusters=clusters, weights=np.ones((1, 3))
    )
    assert given.ci_low == given.ci_high == pytest.approx(given.alpha) and given.replicates == 1


# --- Pairs, unanimity, Fleiss from counts, duplicated rows -------------------------------------


def test_pairs_with_one_replicate_and_their_reasons():
    long = four_units()
    ratings, domain, _, coders = agreement.rating_matrix(long)
    one = agreement.pairwise(ratings, coders, domain, replicates=1, seed=0)
    assert (one["replicates"] == 1).all() and one["ci_low"].notna().any()
    # a and c rated u1 and u2, both x: no variation (b's pairs have some)
    assert one["reason"].tolist() == [
        "",
        "both coders gave the same value to every unit: kappa is undefined",
        "",
    ]
    pairs = agreement.pairs_for_long(long, replicates=20)
    assert (pairs["replicates"] == 20).all() and pairs["ci_low"].notna().any()
    same = pd.DataFrame({"unit": [1, 1, 2, 2], "coder": ["a", "b"] * 2, "value": ["x"] * 4})
    assert agreement.pairs_for_long(same, replicates=0).loc[0, "reason"] == (
        "both coders gave the same value to every unit: kappa is undefined"
    )


def test_presence_reasons_word_for_word():
    nobody = agreement.agreement_by_factor(worked_grid().assign(present=0), replicates=0).set_index(
        "factor_id"
    )
    assert nobody.loc["F01", "reason"] == (
        "every coder marked it absent everywhere: without any variation alpha is undefined"
    )
    everybody = agreement.agreement_by_factor(worked_grid().assign(present=1), replicates=0)
    assert everybody.loc[0, "reason"] == (
        "every coder marked it present everywhere: without any variation alpha is undefined"
    )
    # undefined alpha, but every pairable example is unanimous: E01-E04 of F01
    assert everybody.loc[0, "unanimous_agreement"] == 1.0
    assert nobody.loc["F01", "unanimous_agreement"] == 1.0
    kappas = agreement.kappas(worked_grid().assign(present=1), replicates=0)
    assert kappas.loc[3, "reason"] == (
        "every coder gave the same mark to every cell: kappa is undefined"
    )


def test_unanimity_of_a_single_pairable_example():
    one = worked_grid().query("example_id == 'E02' and coder != 'c'")  # a 1, b 0: split
    assert agreement.agreement_by_factor(one, replicates=0).loc[0, "unanimous_agreement"] == 0.0
    same = worked_grid().query("example_id == 'E03'")  # all three absent
    assert agreement.agreement_by_factor(same, replicates=0).loc[0, "unanimous_agreement"] == 1.0


def test_unanimity_and_fleiss_count_units_with_two_coders():
    # (1, 1) split, (2, 0) unanimous: one of two pairable units
    assert agreement.percent_agreement(np.array([[1, 1], [2, 0]])) == 0.5
    # Fleiss with two raters per unit: (2, 0), (1, 1), (0, 2): p_a = (1 + 0 + 1) / 3 = 2/3,
    # pi = (1/2, 1/2), p_e = 1/2, kappa = (2/3 - 1/2) / (1/2) = 1/3
    kappa, reason = agreement.fleiss_kappa(np.array([[2, 0], [1, 1], [0, 2]]))
    assert kappa == pytest.approx(1 / 3) and reason == ""


def test_duplicated_rows_are_numbered_as_in_a_spreadsheet():
    long = pd.DataFrame(
        {"unit": [3, 3, 4, 3], "coder": ["a", "b", "a", "a"], "value": [1, 2, 1, 2]}
    )
    dups = agreement.duplicate_rows(long)
    assert dups.to_dict("records") == [{"row": 5, "first_row": 2, "unit": 3, "coder": "a"}]
    none = agreement.duplicate_rows(long.iloc[:3])
    assert none.empty and list(none.columns) == ["row", "first_row", "unit", "coder"]
    with pytest.raises(ValueError) as err:
        agreement.alpha_with_ci(long)
    assert str(err.value) == (
        "row 5 repeats unit 3 and coder 'a' of row 2 (1 such rows): each coder gives one value "
        "per unit"
    )
    renamed = long.rename(columns={"unit": "case", "coder": "rater", "value": "mark"})
    with pytest.raises(ValueError, match="row 5 repeats unit 3 and coder 'a' of row 2"):
        agreement.alpha_with_ci(renamed, unit="case", coder="rater", value="mark")
    res = agreement.alpha_with_ci(renamed.iloc[:3], unit="case", coder="rater", value="mark")
    assert (res.n_units, res.n_coders) == (2, 2)
