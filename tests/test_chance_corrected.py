"""AC1/AC2, Brennan–Prediger, Fleiss and Cohen: published values, and one code path each.

Published values come from Gwet's *Handbook of Inter-Rater Reliability* (4th ed., 2014) data
sets as his R package irrCAC and its Python port document them:

- irrCAC (R), vignette "Weighted Chance-corrected Agreement Coefficients" (K. L. Gwet, 2019,
  github.com/kgwet/irrCAC, vignettes/weighting.Rmd): quadratic weights on ``cac.raw4raters``,
  ``cont3x3abstractors`` and ``distrib.6raters``.
- irrCAC (Python, github.com/afergadis/irrCAC): the doctest of ``irrCAC/raw.py`` and the notebooks
  ``docs/source/usage/usage_raw_data.ipynb`` and ``usage_table_data.ipynb`` (unweighted
  values), and its tests ``test/unit/irrCAC/raw/test_gwet.py`` and ``test_bp.py`` (ordinal
  weights, ``raw_5observers``).
"""

import doctest
import json
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medvirk import agreement, chance_corrected
from medvirk.chance_corrected import agreement_weights
from medvirk.cli import main
from tests.test_agreement import k2011_long

# Gwet (2014), p. 120 (irrCAC's cac.raw4raters): 4 raters, 12 units, 5 categories, every rater
# missing some units. It is the data of Krippendorff (2011), section C, which test_agreement uses
# for alpha. (irrCAC's Python copy puts unit 12's single rating under rater 3 instead of rater 2;
# the coefficients over all raters do not depend on which rater gave it.)
RAW4RATERS = {
    # (coefficient, level): (value, observed agreement p_a, chance agreement p_e, digits)
    ("ac1", "nominal"): (0.77544, 0.81818, 0.19032, 5),  # raw.py doctest, notebook
    ("bp", "nominal"): (0.773, 0.818, 0.200, 3),  # test_bp.py
    ("fleiss", "nominal"): (0.76117, 0.81818, 0.23872, 5),  # raw.py doctest, notebook
    ("percent", "nominal"): (0.81818, 0.81818, 0.0, 5),  # = p_a of the above
    ("ac1", "ordinal"): (0.899, 0.968, 0.685, 3),  # test_gwet.py, ordinal weights
    ("bp", "ordinal"): (0.886, 0.968, 0.720, 3),  # test_bp.py, ordinal weights
    ("ac1", "interval"): (0.914, 0.9753788, 0.7137044, 3),  # R vignette, quadratic weights
    ("bp", "interval"): (0.90152, 0.9753788, 0.75, 5),  # R vignette, quadratic weights
    ("fleiss", "interval"): (0.86494, 0.9753788, 0.8177083, 5),  # R vignette, quadratic
}


@pytest.mark.parametrize(("coefficient", "level"), sorted(RAW4RATERS))
def test_gwet_handbook_4_raters_with_missing_ratings(coefficient, level):
    value, pa, pe, digits = RAW4RATERS[(coefficient, level)]
    res = agreement.coefficient_with_ci(k2011_long(), coefficient, level, replicates=0)
    assert round(res["value"], digits) == value
    assert round(res["observed_agreement"], min(digits, 7)) == round(pa, min(digits, 7))
    assert round(res["chance_agreement"], min(digits, 7)) == round(pe, min(digits, 7))
    assert (res["n_units"], res["n_pairable_units"], res["n_coders"]) == (12, 11, 4)


# Gwet (2014), 5 observers x 15 units on a 0-3 scale, some missing (irrCAC's raw_5observers).
FIVE_OBSERVERS = [
    [1, 1, 2, None, 0, 0, 1, 1, 2, 2, None, 0, 1, 3, 1],
    [1, 1, 3, 0, 0, 0, 0, None, 2, 1, 1, 0, 2, 3, 1],
    [2, 0, 3, 0, 0, 0, 2, 2, 2, 1, 0, 0, 2, 2, 1],
    [None, 1, 3, None, None, None, None, 0, None, 1, 0, 0, 2, 2, None],
    [2, None, None, 0, 0, 0, 1, None, 2, None, None, None, None, 3, 1],
]


def _long(columns: list[list]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"unit": u, "coder": f"r{r}", "value": v}
            for r, values in enumerate(columns)
            for u, v in enumerate(values)
            if v is not None
        ]
    )


def test_gwet_handbook_5_observers_with_missing_ratings():
    data = _long(FIVE_OBSERVERS)
    ac1 = agreement.coefficient_with_ci(data, "ac1", replicates=0)
    bp = agreement.coefficient_with_ci(data, "bp", replicates=0)
    # irrCAC test_gwet.py / test_bp.py, raw_5observers: AC1 .497 (pa .616, pe .236), BP .487.
    assert (round(ac1["value"], 3), round(ac1["observed_agreement"], 3)) == (0.497, 0.616)
    assert round(ac1["chance_agreement"], 3) == 0.236
    assert (round(bp["value"], 3), round(bp["chance_agreement"], 3)) == (0.487, 0.250)


# Gwet (2014): 100 pregnant women classified by 2 abstractors (Ectopic, AIU, NIU); rows are
# abstractor 1, columns abstractor 2 (irrCAC's cont3x3abstractors).
ABSTRACTORS = [[13, 0, 0], [0, 20, 7], [0, 4, 56]]


def _abstractors_long() -> pd.DataFrame:
    rows, unit = [], 0
    for a, row in enumerate(ABSTRACTORS):
        for b, n in enumerate(row):
            for _ in range(n):
                rows += [
                    {"unit": unit, "coder": "a1", "value": a + 1},
                    {"unit": unit, "coder": "a2", "value": b + 1},
                ]
                unit += 1
    return pd.DataFrame(rows)


def test_gwet_handbook_two_abstractors():
    data = _abstractors_long()
    # usage_table_data.ipynb: AC1 .84933 (pe .26992), BP .835, percent .89, Cohen .79641.
    ac1 = agreement.coefficient_with_ci(data, "ac1", replicates=0)
    assert round(ac1["value"], 5) == 0.84933 and round(ac1["chance_agreement"], 5) == 0.26992
    assert round(agreement.coefficient_with_ci(data, "bp", replicates=0)["value"], 3) == 0.835
    assert agreement.coefficient_with_ci(data, "percent", replicates=0)["value"] == pytest.approx(
        0.89
    )
    pair = agreement.pairs_for_long(data, replicates=0).iloc[0]
    assert round(pair["kappa"], 5) == 0.79641
    assert pair["observed_agreement"] == pytest.approx(0.89)
    assert round(pair["ac1"], 5) == 0.84933
    # R vignette, quadratic weights: kappa .8921569, AC2 .9402369, BP .9175.
    quadratic = agreement.pairs_for_long(data, "interval", replicates=0).iloc[0]
    assert round(quadratic["kappa"], 7) == 0.8921569
    assert round(quadratic["ac1"], 7) == 0.9402369
    bp = agreement.coefficient_with_ci(data, "bp", "interval", replicates=0)["value"]
    assert round(bp, 4) == 0.9175


# Fleiss (1971): 6 psychiatrists, 15 patients, 5 diagnoses, as counts per category
# (irrCAC's distrib.6raters).
SIX_RATERS = np.array(
    [
        [0, 0, 0, 6, 0],
        [0, 3, 0, 0, 3],
        [0, 1, 4, 0, 1],
        [0, 0, 0, 0, 6],
        [0, 3, 0, 3, 0],
        [2, 0, 4, 0, 0],
        [0, 0, 4, 0, 2],
        [2, 0, 3, 1, 0],
        [2, 0, 0, 4, 0],
        [0, 0, 0, 0, 6],
        [1, 0, 0, 5, 0],
        [1, 1, 0, 4, 0],
        [0, 3, 3, 0, 0],
        [1, 0, 0, 5, 0],
        [0, 2, 0, 3, 1],
    ]
)


def test_fleiss_1971_six_raters_weighted_as_in_the_irrcac_vignette():
    w = agreement_weights(np.arange(1, 6), "quadratic")
    sums = chance_corrected.gwet_unit_stats(SIX_RATERS, w).sum(axis=0)
    assert round(float(chance_corrected.ac1_from_sums(sums, w)), 7) == 0.4837438
    assert round(float(chance_corrected.bp_from_sums(sums, w)), 7) == 0.4177778
    assert round(float(chance_corrected.fleiss_from_sums(sums, w)), 7) == 0.2511909


def test_weights_as_the_irrcac_vignette_prints_them():
    categories = np.array([1, 2, 3])
    assert agreement_weights(categories, "ordinal")[0].round(7).tolist() == [1, 0.6666667, 0]
    assert agreement_weights(categories, "quadratic")[0].tolist() == [1, 0.75, 0]
    assert agreement_weights(categories, "linear")[0].tolist() == [1, 0.5, 0]
    assert agreement_weights(categories, "identity").tolist() == np.eye(3).tolist()
    ladder = agreement_weights(np.array([1, 2, 3, 4]), "ordinal")[0]
    assert ladder.tolist() == pytest.approx([1, 5 / 6, 0.5, 0])
    with pytest.raises(ValueError, match="unknown weights"):
        agreement_weights(categories, "cubic")


def test_landis_and_koch_bands():
    bands = [chance_corrected.landis_koch(k) for k in (-0.1, 0, 0.2, 0.21, 0.4, 0.6, 0.8, 0.81)]
    assert bands == [
        "poor",
        "slight",
        "slight",
        "fair",
        "fair",
        "moderate",
        "substantial",
        "almost_perfect",
    ]
    assert chance_corrected.landis_koch(None) == "undefined"


ratings = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), min_size=2, max_size=40)


@settings(max_examples=60, deadline=None)
@given(
    ratings, st.sampled_from([("identity", None), ("linear", "linear"), ("quadratic", "quadratic")])
)
def test_cohen_kappa_from_tables_equals_scikit_learn(pairs, weights):
    from sklearn.metrics import cohen_kappa_score

    ours_kind, sklearn_kind = weights
    a, b = (np.array(x) for x in zip(*pairs, strict=True))
    domain = np.unique(np.concatenate([a, b]))
    # scikit-learn weighs by the distance of the labels' ranks, so the weights get ranks too
    w = agreement_weights(np.arange(len(domain)), ours_kind)
    ia, ib = np.searchsorted(domain, a), np.searchsorted(domain, b)
    sums = chance_corrected.pair_tables(ia, ib, len(domain)).sum(axis=0)
    ours = chance_corrected.cohen_from_sums(sums, w)
    with np.errstate(divide="ignore", invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scikit-learn warns when kappa is undefined
        theirs = cohen_kappa_score(a, b, weights=sklearn_kind)
    if np.isfinite(theirs) and len(domain) > 1:
        assert float(ours) == pytest.approx(theirs, abs=1e-12)
    else:
        assert np.isnan(ours)


# --- One code path per coefficient -------------------------------------------------------------


def _grid_and_long(seed: int = 3):
    """One factor coded by 4 coders over 30 examples (some not coded), as grid and long table."""
    rng = np.random.default_rng(seed)
    truth = rng.random(30) < 0.2
    rows = []
    for c in range(4):
        marks = np.where(rng.random(30) < 0.1, ~truth, truth)
        for e in range(30):
            if rng.random() < 0.1:
                continue  # this coder did not code this example
            rows.append(
                {"example_id": f"E{e:02d}", "coder": f"c{c}", "factor_id": "F01",
                 "present": int(marks[e])}
            )  # fmt: skip
    grid = pd.DataFrame(rows)
    long = grid.rename(columns={"example_id": "unit", "present": "value"})
    return grid, long[["unit", "coder", "value"]]


def test_alpha_ac1_and_kappas_of_the_workflow_equal_those_of_the_command_line(tmp_path, capsys):
    grid, long = _grid_and_long()
    by_factor = agreement.agreement_by_factor(grid, replicates=0).iloc[0]
    pooled = agreement.agreement_pooled(grid, replicates=0).iloc[0]
    path = tmp_path / "long.csv"
    long.to_csv(path, index=False)
    values = {}
    for coefficient in ("alpha", "ac1", "percent", "fleiss"):
        assert main(["agreement", str(path), "--coefficient", coefficient, "--replicates", "0",
                     "--format", "json"]) == 0  # fmt: skip
        values[coefficient] = json.loads(capsys.readouterr().out)["value"]
    for row in (by_factor, pooled):
        assert row["alpha"] == pytest.approx(values["alpha"], abs=1e-14)
        assert row["ac1"] == pytest.approx(values["ac1"], abs=1e-14)
        assert row["observed_agreement"] == pytest.approx(values["percent"], abs=1e-14)
    import krippendorff

    counts, domain, _ = agreement.value_counts(long)
    assert values["alpha"] == pytest.approx(
        krippendorff.alpha(value_counts=counts, level_of_measurement="nominal"), abs=1e-12
    )
    kappas = agreement.kappas(grid, replicates=0)
    fleiss = kappas.set_index("statistic").loc["fleiss"]
    assert fleiss["kappa"] == pytest.approx(values["fleiss"], abs=1e-14)
    assert fleiss["ac1"] == pytest.approx(values["ac1"], abs=1e-14)
    pairs = agreement.pairs_for_long(long, replicates=0)
    cohen = kappas[kappas["statistic"] == "cohen"].reset_index(drop=True)
    for column in ("coder_a", "coder_b", "n_cells", "kappa", "observed_agreement", "ac1"):
        assert cohen[column].tolist() == pytest.approx(pairs[column].tolist(), abs=1e-14)


def test_a_pairs_ac1_is_ac1_on_the_units_both_rated():
    _, long = _grid_and_long(5)
    wide = long.pivot(index="unit", columns="coder", values="value")
    both = wide[["c0", "c1"]].dropna().reset_index().melt(id_vars="unit", var_name="coder")
    direct = agreement.coefficient_with_ci(both, "ac1", replicates=0)["value"]
    pair = agreement.pairs_for_long(long, replicates=0).iloc[0]
    assert (pair["coder_a"], pair["coder_b"]) == ("c0", "c1")
    assert pair["ac1"] == pytest.approx(direct, abs=1e-14)
    assert pair["n_cells"] == len(both) // 2


def test_point_estimates_are_the_bootstrap_at_unit_weights():
    counts, domain, _ = agreement.value_counts(k2011_long())
    w = np.eye(len(domain))
    stats = chance_corrected.gwet_unit_stats(counts, w)
    ones = np.ones((1, len(stats)))
    point = agreement.coefficient_with_ci(k2011_long(), "ac1", replicates=0)["value"]
    assert chance_corrected.ac1_from_sums(ones @ stats, w)[0] == pytest.approx(point, abs=1e-15)


def test_module_examples_are_right():
    for module in (agreement, chance_corrected):
        result = doctest.testmod(module)
        assert result.attempted > 0 and result.failed == 0, module.__name__
