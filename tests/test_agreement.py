"""Agreement: published values (Krippendorff 2011), properties, and the undefined policy."""

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medvirk import agreement
from medvirk.cli import main

# Krippendorff (2011) "Computing Krippendorff's alpha-reliability", section C:
# 4 observers x 12 units, with missing values (None).
K2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]
K2011_ALPHA = {"nominal": 0.743, "ordinal": 0.815, "interval": 0.849, "ratio": 0.797}


def k2011_long() -> pd.DataFrame:
    rows = [
        {"unit": f"u{u + 1:02d}", "coder": observer, "value": v}
        for observer, values in zip("ABCD", K2011, strict=True)
        for u, v in enumerate(values)
        if v is not None
    ]
    return pd.DataFrame(rows)


@pytest.mark.parametrize("level", agreement.LEVELS)
def test_krippendorff_2011_published_values(level):
    res = agreement.alpha_with_ci(k2011_long(), level, replicates=200, seed=1)
    assert round(res.alpha, 3) == K2011_ALPHA[level]
    assert res.ci_low <= res.alpha <= res.ci_high
    assert (res.n_units, res.n_coders, res.n_pairable) == (12, 4, 40)


@pytest.mark.parametrize("level", agreement.LEVELS)
def test_krippendorff_2011_through_the_command_line(level, tmp_path, capsys):
    path = tmp_path / "k2011.csv"
    k2011_long().to_csv(path, index=False)
    assert main(["agreement", str(path), "--level", level, "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert round(out["alpha"], 3) == K2011_ALPHA[level]
    assert out["n_units"] == 12 and out["n_coders"] == 4
    assert out["ci_low"] <= out["ci_high"]


def test_command_line_text_output_names_the_numbers(tmp_path, capsys):
    path = tmp_path / "k2011.csv"
    k2011_long().to_csv(path, index=False)
    assert main(["agreement", str(path), "--level", "nominal", "--replicates", "100"]) == 0
    out = capsys.readouterr().out
    assert "0.743" in out and "95% CI" in out and "12 units" in out


def test_command_line_explains_missing_columns(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    pd.DataFrame({"unit": [1], "rater": ["a"], "value": [1]}).to_csv(path, index=False)
    assert main(["agreement", str(path)]) == 2
    err = capsys.readouterr().err
    assert "coder" in err and str(path) in err


@pytest.mark.parametrize("level", agreement.LEVELS)
def test_vectorised_replicate_equals_package_at_unit_weights(level):
    counts, domain, _ = agreement.value_counts(k2011_long(), level)
    ones = np.ones((1, len(counts)))
    ours = agreement.alphas_by_weights(counts, domain, level, ones)[0]
    assert ours == pytest.approx(agreement.alpha_with_ci(k2011_long(), level, 0).alpha)


@pytest.mark.parametrize("level", agreement.LEVELS)
def test_vectorised_bootstrap_equals_package_on_resamples(level):
    import krippendorff

    counts, domain, _ = agreement.value_counts(k2011_long(), level)
    weights = agreement.bootstrap_weights(len(counts), 5, seed=3)
    ours = agreement.alphas_by_weights(counts, domain, level, weights)
    kdomain = np.arange(len(domain)) if level in ("nominal", "ordinal") else domain
    for w, a in zip(weights, ours, strict=True):
        resampled = np.repeat(counts, w.astype(int), axis=0)
        pairable = resampled[resampled.sum(axis=1) >= 2]
        if (pairable.sum(axis=0) > 0).sum() < 2:
            assert np.isnan(a)
            continue
        expected = krippendorff.alpha(
            value_counts=pairable, value_domain=kdomain, level_of_measurement=level
        )
        assert a == pytest.approx(expected)


def test_bootstrap_is_seeded():
    a = agreement.alpha_with_ci(k2011_long(), "interval", 300, seed=7)
    b = agreement.alpha_with_ci(k2011_long(), "interval", 300, seed=7)
    assert (a.ci_low, a.ci_high) == (b.ci_low, b.ci_high)


def grid(marks: dict[str, list[list[int]]]) -> pd.DataFrame:
    """coder -> examples x factors 0/1 list -> tidy codings grid."""
    rows = []
    for coder, table in marks.items():
        for e, row in enumerate(table):
            for f, present in enumerate(row):
                rows.append(
                    {
                        "example_id": f"E{e + 1:02d}",
                        "coder": coder,
                        "factor_id": f"F{f + 1:02d}",
                        "present": present,
                    }
                )
    return pd.DataFrame(rows)


def test_factor_nobody_or_everybody_marked_is_undefined_with_reason():
    table = [[0, 1, 1], [0, 1, 0], [0, 1, 1], [0, 1, 0]]
    other = [[0, 1, 1], [0, 1, 1], [0, 1, 0], [0, 1, 0]]
    out = agreement.agreement_by_factor(grid({"a": table, "b": other}), replicates=50)
    by = out.set_index("factor_id")
    assert by.loc["F01", "status"] == "undefined"
    assert "absent" in by.loc["F01", "reason"]
    assert by.loc["F02", "status"] == "undefined"
    assert "present" in by.loc["F02", "reason"]
    assert by.loc["F01", "alpha"] is None or pd.isna(by.loc["F01", "alpha"])
    assert by.loc["F03", "status"] != "undefined"
    assert by.loc["F03", "reason"] == ""


def test_flags():
    assert agreement.flag(0.81) == "reliable"
    assert agreement.flag(0.800) == "reliable"
    assert agreement.flag(0.7) == "tentative"
    assert agreement.flag(0.5) == "unreliable"
    assert agreement.flag(None) == "undefined"


def test_pooled_and_category_rows():
    table = [[1, 0, 1], [0, 1, 0], [1, 1, 0], [0, 0, 1]]
    other = [[1, 0, 1], [0, 1, 1], [1, 0, 0], [0, 0, 1]]
    factors = pd.DataFrame({"factor_id": ["F01", "F02", "F03"], "category_id": ["C1", "C1", "C2"]})
    out = agreement.agreement_pooled(grid({"a": table, "b": other}), factors, replicates=100)
    assert list(out["name"]) == ["all", "C1", "C2"]
    assert list(out["n_factors"]) == [3, 2, 1]
    assert out.loc[0, "n_units"] == 12


def test_kappas_match_hand_computation():
    a = [[1, 0], [1, 0], [0, 1], [0, 0]]
    b = [[1, 0], [0, 0], [0, 1], [0, 1]]
    out = agreement.kappas(grid({"a": a, "b": b}))
    cohen = out[out["statistic"] == "cohen"].iloc[0]
    # 8 cells, agree on 6: po = .75; marginals a: 3/8 ones, b: 3/8 ones -> pe = .53125
    assert cohen["kappa"] == pytest.approx((0.75 - 0.53125) / (1 - 0.53125))
    assert set(out["statistic"]) == {"cohen", "fleiss"}


def test_fleiss_kappa_wikipedia_example():
    # Fleiss (1971) worked example as on Wikipedia: 10 subjects, 14 raters, 5 categories.
    counts = [
        [0, 0, 0, 0, 14],
        [0, 2, 6, 4, 2],
        [0, 0, 3, 5, 6],
        [0, 3, 9, 2, 0],
        [2, 2, 8, 1, 1],
        [7, 7, 0, 0, 0],
        [3, 2, 6, 3, 0],
        [2, 5, 3, 2, 2],
        [6, 5, 2, 1, 0],
        [0, 2, 2, 3, 7],
    ]
    kappa, reason = agreement.fleiss_kappa(np.array(counts))
    assert round(kappa, 3) == 0.210 and reason == ""


presence = st.lists(st.lists(st.integers(0, 1), min_size=3, max_size=3), min_size=4, max_size=12)


@settings(max_examples=40, deadline=None)
@given(presence)
def test_perfect_agreement_gives_one_or_undefined(table):
    out = agreement.agreement_pooled(grid({"a": table, "b": table, "c": table}), replicates=20)
    row = out.iloc[0]
    if row["status"] == "undefined":
        assert row["reason"]
    else:
        assert row["alpha"] == pytest.approx(1.0)
        assert row["ci_low"] == pytest.approx(1.0)


@settings(max_examples=40, deadline=None)
@given(presence, presence, st.permutations(["a", "b", "c"]))
def test_coder_order_does_not_matter(t1, t2, order):
    n = min(len(t1), len(t2))
    marks = {"a": t1[:n], "b": t2[:n], "c": t1[:n]}
    renamed = {new: marks[old] for new, old in zip(["a", "b", "c"], order, strict=True)}
    x = agreement.agreement_pooled(grid(marks), replicates=30, seed=2)
    y = agreement.agreement_pooled(grid(renamed), replicates=30, seed=2)
    pd.testing.assert_frame_equal(x, y)


def ladder_table(steps: list, levels: list) -> pd.DataFrame:
    """Coders a and b place examples E1-E4 on the ladder (values alternate a, b)."""
    return pd.DataFrame(
        {
            "example_id": ["E1", "E1", "E2", "E2", "E3", "E3", "E4", "E4"],
            "coder": ["a", "b"] * 4,
            "ladder_step": steps,
            "ladder_level": levels,
        }
    )


def test_ladder_step_is_ordinal_and_level_nominal():
    ladder = ladder_table([1, 1, 2, 3, 4, 4, 3, 3], ["A", "A", "B", "B", "C", "B", None, "A"])
    out = agreement.agreement_ladder(ladder, replicates=50).set_index("variable")
    assert out.loc["ladder_step", "level"] == "ordinal"
    assert out.loc["ladder_level", "level"] == "nominal"
    assert out.loc["ladder_level", "n_units"] == 4
    assert 0 < out.loc["ladder_step", "alpha"] < 1


def test_command_line_says_undefined_in_words(tmp_path, capsys):
    path = tmp_path / "same.csv"
    pd.DataFrame({"unit": [1, 1, 2, 2], "coder": ["a", "b"] * 2, "value": [3] * 4}).to_csv(
        path, index=False
    )
    assert main(["agreement", str(path), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["alpha"] is None and out["status"] == "undefined" and "variation" in out["reason"]
    assert main(["agreement", str(path)]) == 0
    assert "undefined" in capsys.readouterr().out


# --- q, replicates used and dropped, notices -----------------------------------------------------


def test_q_is_the_share_of_used_replicates_below_each_minimum():
    res = agreement.alpha_with_ci(k2011_long(), "nominal", 400, seed=5)
    counts, domain, _ = agreement.value_counts(k2011_long())
    reps = agreement.alphas_by_weights(
        counts, domain, "nominal", agreement.bootstrap_weights(len(counts), 400, 5)
    )
    used = reps[np.isfinite(reps)]
    assert res.replicates == 400
    assert res.replicates_used == len(used) and res.replicates_dropped == 400 - len(used)
    assert res.q == {
        "q_below_667": pytest.approx(np.mean(used < 0.667)),
        "q_below_800": pytest.approx(np.mean(used < 0.800)),
    }
    assert 0 < res.q["q_below_667"] < res.q["q_below_800"] < 1
    custom = agreement.alpha_with_ci(k2011_long(), "nominal", 400, seed=5, minimums=(0.5,))
    assert list(custom.as_dict())[-1] == "q_below_500"


def test_bootstrap_weights_draw_every_cluster_set_once_per_replicate():
    w = agreement.bootstrap_weights(7, 50, seed=1)
    assert w.shape == (50, 7) and (w.sum(axis=1) == 7).all() and (w >= 0).all()
    assert (w == agreement.bootstrap_weights(7, 50, seed=1)).all()
    assert not (w == agreement.bootstrap_weights(7, 50, seed=2)).all()


def rare_grid() -> pd.DataFrame:
    """3 coders, 40 examples; F01 marked in E01 by all and in E02, E03 by one coder only."""
    marks = {c: [[0, 0] for _ in range(40)] for c in "abc"}
    for c in "abc":
        marks[c][0][0] = 1
    marks["a"][1][0] = marks["b"][2][0] = 1
    for e in range(40):  # F02: half marked, coders disagree often
        for i, c in enumerate("abc"):
            marks[c][e][1] = int((e + i * (e % 3 == 0)) % 2 == 0)
    return grid(marks)


def test_rare_marks_get_one_plain_sentence_and_the_replicates_dropped_a_notice():
    out = agreement.agreement_by_factor(rare_grid(), replicates=300, seed=1).set_index("factor_id")
    f01 = out.loc["F01"]
    assert f01["alpha"] < agreement.TENTATIVE and f01["ac1"] >= agreement.RELIABLE
    assert f01["alpha"] == pytest.approx(1 - 119 * 4 / (2 * 115 * 5))  # by hand
    assert f01["prevalence"] == pytest.approx(5 / 120)
    assert f01["observed_agreement"] == pytest.approx((38 + 2 / 3) / 40)
    assert "bare 4 % av cellene er markert" in f01["note_nb"]
    assert "only 4% of the cells are marked" in f01["note_en"]
    assert out.loc["F02", "note_en"] == ""  # marks are common there: no such sentence
    assert f01["replicates_dropped"] > 0  # resamples without E01-E03 have no variation
    assert f01["replicates_used"] + f01["replicates_dropped"] == 300
    notices = agreement.replicate_notices(out.reset_index(), "alpha_by_factor.csv", "agreement")
    assert len(notices) == 1
    notice = notices[0]
    assert notice.effect == "agreement" and notice.file == "alpha_by_factor.csv"
    assert f"F01 {f01['replicates_dropped']}/300" in notice.en and "alfa" in notice.nb
    assert "F02" not in notice.where


def test_a_coder_the_others_disagree_with_shows_when_left_out():
    table = [[1, 0], [0, 1], [1, 1], [0, 0], [1, 0], [0, 1]]
    odd = [[1 - x for x in row] for row in table]
    codings = grid({"a": table, "b": table, "c": odd})
    out = agreement.agreement_without_coder(codings).query("scope == 'pooled'")
    by = out.set_index("coder_left_out")
    assert by.loc["c", "alpha"] == pytest.approx(1.0) and by.loc["c", "alpha_change"] > 0.5
    assert by.loc["a", "alpha_change"] < 0
    assert by.loc["a", "alpha_all"] == pytest.approx(
        agreement.agreement_pooled(codings, replicates=0).loc[0, "alpha"]
    )
    two = agreement.agreement_without_coder(grid({"a": table, "b": table}))
    assert (two["status"] == "undefined").all() and "one coder" in two["reason"].iloc[0]


def test_kappas_count_the_cells_they_use_and_carry_bands_and_cis():
    a = [[1, 0], [1, 0], [0, 1], [0, 0]]
    b = [[1, 0], [0, 0], [0, 1], [0, 1]]
    c = [[1, 0], [1, 0], [0, 1], [0, 0]]
    codings = grid({"a": a, "b": b, "c": c})
    codings = codings[~((codings["coder"] == "c") & (codings["example_id"] == "E04"))]
    out = agreement.kappas(codings, replicates=100, seed=1).set_index(["coder_a", "coder_b"])
    assert out.loc[("a", "b"), "n_cells"] == 8 and out.loc[("a", "b"), "n_cells_left_out"] == 0
    assert out.loc[("a", "c"), "n_cells"] == 6 and out.loc[("a", "c"), "n_cells_left_out"] == 2
    assert out.loc[("a", "c"), "kappa"] == pytest.approx(1.0)
    assert out.loc[("a", "c"), "band"] == "almost_perfect"
    fleiss = out.loc[("all", "all")]
    assert fleiss["n_cells"] == 8 and fleiss["n_cells_left_out"] == 0  # E04 still has a and b
    assert fleiss["ci_low"] <= fleiss["kappa"] <= fleiss["ci_high"]
    assert set(out["band"]) <= {"poor", "slight", "fair", "moderate", "substantial",
                                "almost_perfect"}  # fmt: skip


def test_ladder_gets_ac2_and_weighted_kappa_for_pairs_on_the_full_scale():
    ladder = ladder_table([2, 2, 2, 3, 3, 3, 3, 2], ["A", "A", "B", "B", "B", "B", None, "A"])
    alpha = agreement.agreement_ladder(ladder, replicates=50).set_index("variable")
    assert alpha.loc["ladder_step", "ac1_name"] == "AC2"
    assert alpha.loc["ladder_level", "ac1_name"] == "AC1"
    pairs = agreement.ladder_pairs(ladder, replicates=50).set_index("variable")
    step = pairs.loc["ladder_step"]
    assert step["weights"] == "ordinal" and step["n_cells"] == 4
    # steps 1-4 all count though only 2 and 3 are used: a step apart weighs 5/6
    assert step["observed_agreement"] == pytest.approx((1 + 5 / 6 + 1 + 5 / 6) / 4)
    assert pairs.loc["ladder_level", "n_cells"] == 3
    with pytest.raises(ValueError, match="not one of"):
        agreement.ladder_pairs(ladder.assign(ladder_level="D"))


# --- The command line: coefficients, pairs, duplicated rows ---------------------------------


def test_command_line_gives_every_coefficient_with_value_and_ci(tmp_path, capsys):
    path = tmp_path / "k2011.csv"
    k2011_long().to_csv(path, index=False)
    for coefficient, value in (("alpha", 0.743), ("ac1", 0.775), ("bp", 0.773),
                               ("fleiss", 0.761), ("percent", 0.818)):  # fmt: skip
        args = ["agreement", str(path), "--coefficient", coefficient, "--replicates", "200"]
        assert main([*args, "--format", "json"]) == 0
        out = json.loads(capsys.readouterr().out)
        assert out["coefficient"] == coefficient and round(out["value"], 3) == value
        assert out["ci_low"] <= out["value"] <= out["ci_high"]
        assert out["replicates_used"] + out["replicates_dropped"] == 200
        assert main(args) == 0
        assert f"{value:.3f}" in capsys.readouterr().out
    assert main(["agreement", str(path), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {"alpha", "ci_low", "ci_high", "n_units", "n_coders", "q_below_800"} <= set(out)
    assert out["alpha"] == out["value"]


def test_command_line_prints_the_pairs(tmp_path, capsys):
    path = tmp_path / "k2011.csv"
    k2011_long().to_csv(path, index=False)
    assert main(["agreement", str(path), "--pairs", "--replicates", "50"]) == 0
    out = capsys.readouterr().out
    assert "coder pairs" in out and "almost_perfect" in out
    assert main(["agreement", str(path), "--pairs", "--format", "json", "--replicates", "50"]) == 0
    pairs = json.loads(capsys.readouterr().out)["pairs"]
    assert len(pairs) == 6 and {"kappa", "ci_low", "band", "ac1", "n_cells"} <= set(pairs[0])


def test_a_duplicated_row_stops_the_command_naming_the_row(tmp_path, capsys):
    table = k2011_long()
    extra = table.iloc[[5]].assign(value=9)  # observer A rates unit u06 a second time
    path = tmp_path / "dup.csv"
    pd.concat([table, extra], ignore_index=True).to_csv(path, index=False)
    assert main(["agreement", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}, row {len(table) + 2}" in err and "row 7" in err
    assert "'u06'" in err and "--duplicates" in err
    assert main(["agreement", str(path), "--duplicates", "first", "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert round(json.loads(captured.out)["alpha"], 3) == 0.743  # the second rating left out
    assert f"left out rows {len(table) + 2}" in captured.err
    assert main(["agreement", str(path), "--duplicates", "last", "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert (
        round(json.loads(captured.out)["alpha"], 3) != 0.743 and "left out rows 7" in captured.err
    )
    with pytest.raises(ValueError, match="repeats unit"):
        agreement.alpha_with_ci(pd.concat([table, extra]))


def test_command_line_names_a_row_without_unit_or_coder(tmp_path, capsys):
    path = tmp_path / "blank.csv"
    path.write_text("unit,coder,value\n1,a,x\n1,,y\n", encoding="utf-8")
    assert main(["agreement", str(path)]) == 2
    assert "row 3" in capsys.readouterr().err


def test_command_line_says_why_ac1_is_undefined(tmp_path, capsys):
    path = tmp_path / "same.csv"
    pd.DataFrame({"unit": [1, 1, 2, 2], "coder": ["a", "b"] * 2, "value": [3] * 4}).to_csv(
        path, index=False
    )
    assert main(["agreement", str(path), "--coefficient", "ac1", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["value"] is None and out["status"] == "undefined" and "single" in out["reason"]
    assert main(["agreement", str(path), "--coefficient", "percent", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["value"] == 1.0


# --- CIs, flags and undefined branches, each against a value worked out apart from medvirk ------


def test_percentile_ci_by_hand():
    # numpy's default percentile interpolates linearly between the sorted values x_0..x_{n-1}
    # at position p/100 * (n - 1). 41 values 0..40: 2.5 % -> x_1 = 1, 97.5 % -> x_39 = 39.
    out = agreement.bootstrap_summary(np.arange(41.0))
    assert (out["ci_low"], out["ci_high"]) == (1.0, 39.0)
    # 11 values 0..10: positions .25 and 9.75, between neighbours one apart.
    out = agreement.bootstrap_summary(np.arange(11.0)[::-1], minimums=(3.5,))
    assert (out["ci_low"], out["ci_high"]) == (0.25, 9.75)
    assert out["q_below_3500"] == pytest.approx(4 / 11)  # 0, 1, 2, 3 of 11 are below 3.5
    # an undefined replicate (nan) is dropped and counted, not sorted in
    out = agreement.bootstrap_summary(np.array([np.nan, *range(41)], dtype=float))
    assert (out["ci_low"], out["ci_high"]) == (1.0, 39.0)
    assert (out["replicates"], out["replicates_used"], out["replicates_dropped"]) == (42, 41, 1)
    assert agreement.bootstrap_summary(np.array([np.nan, np.nan]))["ci_low"] is None
    assert agreement.bootstrap_summary(None)["replicates"] == 0


def _krippendorff_or_nan(counts: np.ndarray, level: str, domain: np.ndarray) -> float:
    import krippendorff

    pairable = counts[counts.sum(axis=1) >= 2]
    if (pairable.sum(axis=0) > 0).sum() < 2:
        return np.nan
    kdomain = np.arange(len(domain)) if level in ("nominal", "ordinal") else domain
    return krippendorff.alpha(
        value_counts=pairable, value_domain=kdomain, level_of_measurement=level
    )


@pytest.mark.parametrize("level", agreement.LEVELS)
def test_unit_bootstrap_ci_is_the_percentiles_of_krippendorff_on_the_same_resamples(level):
    counts, domain, _ = agreement.value_counts(k2011_long(), level)
    weights = agreement.bootstrap_weights(len(counts), 120, seed=4)
    reps = np.array(
        [
            _krippendorff_or_nan(np.repeat(counts, w.astype(int), axis=0), level, domain)
            for w in weights
        ]
    )
    used = np.sort(reps[np.isfinite(reps)])
    res = agreement.alpha_with_ci(k2011_long(), level, 120, seed=4)
    # 2.5th and 97.5th percentile of the used replicates, by the rule above
    lo, hi = (p / 100 * (len(used) - 1) for p in (2.5, 97.5))
    expected = [used[int(x)] + (x - int(x)) * (used[int(x) + 1] - used[int(x)]) for x in (lo, hi)]
    assert [res.ci_low, res.ci_high] == pytest.approx(expected)
    assert res.replicates_used == len(used) and res.replicates_dropped == 120 - len(used)


def test_cluster_bootstrap_resamples_whole_examples_as_krippendorff_sees_them():
    """agreement_pooled draws examples with all their factor cells: each drawn copy of an
    example adds its cells as units again; krippendorff on that table, replicate by replicate,
    gives the CI."""
    a = [[1, 0, 1], [0, 1, 0], [1, 1, 0], [0, 0, 1], [1, 0, 0], [0, 1, 1]]
    b = [[1, 0, 0], [0, 1, 0], [1, 0, 0], [0, 1, 1], [1, 0, 1], [0, 1, 1]]
    c = [[1, 1, 1], [0, 1, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0], [1, 1, 1]]
    codings = grid({"a": a, "b": b, "c": c})
    weights = agreement.bootstrap_weights(6, 150, seed=9)
    per_example = [  # example -> its 3 cells as rows of (absent, present) counts
        np.array([[3 - sum(m[e][f] for m in (a, b, c)), sum(m[e][f] for m in (a, b, c))]
                  for f in range(3)])
        for e in range(6)
    ]  # fmt: skip
    reps = []
    for w in weights:
        table = np.concatenate([np.repeat(per_example[e], int(k), axis=0) for e, k in enumerate(w)])
        reps.append(_krippendorff_or_nan(table, "nominal", np.array([0, 1])))
    reps = np.array(reps)
    out = agreement.agreement_pooled(codings, replicates=150, seed=9).iloc[0]
    used = reps[np.isfinite(reps)]
    assert out["replicates_used"] == len(used)
    assert [out["ci_low"], out["ci_high"]] == pytest.approx(np.percentile(used, [2.5, 97.5]))
    assert out["alpha"] == pytest.approx(
        _krippendorff_or_nan(np.concatenate(per_example), "nominal", np.array([0, 1]))
    )
    assert out["q_below_800"] == pytest.approx(np.mean(used < 0.8))


def test_kappa_cis_are_the_percentiles_of_scikit_learn_on_the_same_resampled_examples():
    from sklearn.metrics import cohen_kappa_score

    a = [[1, 0], [1, 0], [0, 1], [0, 0], [1, 1], [0, 0], [1, 0]]
    b = [[1, 0], [0, 0], [0, 1], [0, 1], [1, 1], [0, 0], [1, 1]]
    weights = agreement.bootstrap_weights(7, 100, seed=2)
    reps = []
    for w in weights:
        drawn = [e for e, k in enumerate(w) for _ in range(int(k))]
        x = [a[e][f] for e in drawn for f in range(2)]
        y = [b[e][f] for e in drawn for f in range(2)]
        reps.append(cohen_kappa_score(x, y) if len(set(x + y)) > 1 else np.nan)
    used = np.array([r for r in reps if np.isfinite(r)])
    out = agreement.kappas(grid({"a": a, "b": b}), replicates=100, seed=2)
    cohen = out[out["statistic"] == "cohen"].iloc[0]
    assert cohen["kappa"] == pytest.approx(
        cohen_kappa_score(sum(a, []), sum(b, []))  # every cell once
    )
    assert [cohen["ci_low"], cohen["ci_high"]] == pytest.approx(np.percentile(used, [2.5, 97.5]))
    assert cohen["replicates_used"] == len(used)


def test_percent_agreement_on_a_hand_made_table():
    counts = np.array(
        [
            [2, 0],  # both absent: unanimous
            [1, 1],  # split
            [0, 3],  # three present: unanimous
            [1, 0],  # one coder only: not pairable, left out
            [2, 1],  # split
        ]
    )
    assert agreement.percent_agreement(counts) == pytest.approx(2 / 4)
    assert agreement.percent_agreement(np.array([[0, 3], [4, 0]])) == 1.0
    assert agreement.percent_agreement(np.array([[1, 0], [0, 1]])) is None  # nothing pairable


def test_flags_at_both_thresholds():
    """Krippendorff (2004): alpha >= .800 reliable; .667 <= alpha < .800 tentative."""
    assert (agreement.RELIABLE, agreement.TENTATIVE) == (0.800, 0.667)
    assert agreement.flag(0.800) == "reliable"
    assert agreement.flag(0.7999) == "tentative"
    assert agreement.flag(0.667) == "tentative"
    assert agreement.flag(0.6669) == "unreliable"
    assert agreement.flag(0.61) == "unreliable"
    assert agreement.flag(-0.2) == "unreliable"
    assert agreement.flag(float("nan")) == "undefined"
    assert agreement.flag(None) == "undefined"


def test_alpha_without_any_pairable_unit_is_undefined_in_words():
    counts = np.array([[1, 0], [0, 1], [1, 0]])  # every unit coded by one coder
    res = agreement.alpha_from_counts(counts, np.array([0, 1]), replicates=50)
    assert (res.alpha, res.ci_low, res.ci_high, res.status) == (None, None, None, "undefined")
    assert res.reason == "no unit was coded by two or more coders, so no values can be paired"
    assert res.q == {"q_below_667": None, "q_below_800": None}
    assert (res.n_units, res.n_pairable, res.replicates) == (3, 0, 0)
    # the same in the presence coding: coder a coded E01-E02, coder b E03-E04
    codings = grid({"a": [[1], [0], [1], [0]], "b": [[1], [1], [0], [0]]})
    codings = codings[(codings["coder"] == "a") == codings["example_id"].isin(["E01", "E02"])]
    row = agreement.agreement_by_factor(codings, replicates=20).iloc[0]
    assert row["status"] == "undefined" and row["alpha"] is None
    assert row["reason"].startswith("no example was coded by two or more coders")
    kappas = agreement.kappas(codings, replicates=20).set_index("statistic")
    assert kappas.loc["cohen", "reason"] == "the two coders have no unit in common"
    assert kappas.loc["fleiss", "reason"] == "no cell was coded by two or more coders"
    assert kappas["kappa"].isna().all()


def test_kappa_is_undefined_when_every_mark_is_the_same():
    same = [[0, 0], [0, 0], [0, 0]]
    out = agreement.kappas(grid({"a": same, "b": same}), replicates=20).set_index("statistic")
    assert out.loc["cohen", "kappa"] is None or pd.isna(out.loc["cohen", "kappa"])
    assert "same value to every unit" in out.loc["cohen", "reason"]
    assert out.loc["cohen", "band"] == "undefined"
    assert "same mark to every cell" in out.loc["fleiss", "reason"]
    assert agreement.fleiss_kappa(np.array([[2, 0], [3, 0]])) == (
        None,
        "every rater gave the same mark to every unit: kappa is undefined",
    )
    assert agreement.fleiss_kappa(np.array([[1, 0], [0, 1]])) == (
        None,
        "no unit was rated by two or more raters",
    )


def test_a_ladder_nobody_filled_in_is_undefined():
    ladder = ladder_table([1, 2, 2, 2, 3, 3, 4, 4], [None] * 8)
    out = agreement.agreement_ladder(ladder, replicates=20).set_index("variable")
    assert out.loc["ladder_level", "status"] == "undefined"
    assert out.loc["ladder_level", "reason"] == "nobody filled it in"
    assert out.loc["ladder_step", "status"] != "undefined"
    pairs = agreement.ladder_pairs(ladder, replicates=20)
    assert set(pairs["variable"]) == {"ladder_step"}  # no pairs for a level nobody chose
    empty = agreement.ladder_pairs(ladder.drop(columns=["ladder_step", "ladder_level"]))
    assert empty.empty and "kappa" in empty.columns
