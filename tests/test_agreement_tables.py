"""Agreement as the workflow writes it: the minimums of q, the tables with their data source,
and the notices about bootstrap replicates left out, each message read whole."""

import pandas as pd
import pytest

from medvirk import agreement
from medvirk.notices import Notice
from tests.test_agreement import ladder_table, rare_grid


def test_minimums_are_one_number_or_a_list_sorted_without_repeats():
    assert agreement.as_minimums(0.8) == (0.8,)
    assert agreement.as_minimums("0.667") == (0.667,)
    assert agreement.as_minimums([0.8, 0.667, 0.8]) == (0.667, 0.8)
    assert agreement.as_minimums((0.9, 0.5)) == (0.5, 0.9)
    assert [type(m) for m in agreement.as_minimums([1, 0.5])] == [float, float]
    # .6667 and .667 both round to q_below_667: one column for two minimums would hide one
    with pytest.raises(ValueError) as err:
        agreement.as_minimums([0.667, 0.6667])
    assert str(err.value) == "alpha minimums [0.6667, 0.667] differ by less than .001"


def test_q_columns_name_the_minimum_in_thousandths():
    assert [agreement.q_column(m) for m in (0.667, 0.8, 0.05, 1.0)] == [
        "q_below_667",
        "q_below_800",
        "q_below_050",
        "q_below_1000",
    ]


def test_rests_on_simulation_looks_at_every_table_and_every_row():
    coders = pd.DataFrame({"data_source": ["coders", "coders"]})
    simulated = pd.DataFrame({"data_source": ["coders", "SIMULATED"]})
    assert agreement.rests_on_simulation(coders) is False
    assert agreement.rests_on_simulation(coders, simulated) is True
    assert agreement.rests_on_simulation(simulated, coders) is True
    assert agreement.rests_on_simulation(pd.DataFrame({"alpha": [0.5]}), coders) is False
    assert agreement.rests_on_simulation(pd.DataFrame({"alpha": [0.5]})) is False
    assert agreement.rests_on_simulation(pd.DataFrame({"data_source": ["simulated"]})) is False


def _nb(name: str, listing: str, prefix: str = "") -> str:
    """The notice's Bokmål sentence, written out here as the specification."""
    return (
        f"Bootstrap-trekninger der {name} ikke er definert (for lite variasjon i de trukne "
        f"eksemplene), er utelatt fra konfidensintervallet og q: {listing} (utelatt/trukket; "
        f"kolonnen {prefix}replicates_used viser hvor mange som er brukt)."
    )


def _en(name: str, listing: str, prefix: str = "") -> str:
    return (
        f"Bootstrap replicates in which {name} is undefined (too little variation in the "
        f"resampled examples) were left out of the confidence interval and q: {listing} "
        f"(dropped/drawn; column {prefix}replicates_used gives how many were used)."
    )


def test_replicate_notices_name_each_row_and_how_many_replicates_it_left_out():
    by_factor = pd.DataFrame(
        {
            "factor_id": ["F01", "F02", "F03", "F04"],
            "replicates": [300, 300, 300, 300],
            "replicates_dropped": [12, 0, None, 1],
            "ac1_replicates_dropped": [0, 3, 0, 0],
        }
    )
    alpha, ac1 = agreement.replicate_notices(by_factor, "alpha_by_factor.csv", "agreement")
    assert isinstance(alpha, Notice)
    assert (alpha.effect, alpha.step, alpha.kind, alpha.file) == (
        "agreement",
        "agreement",
        "bootstrap_replicates_dropped",
        "alpha_by_factor.csv",
    )
    assert alpha.where == "alpha: F01, F04"
    assert alpha.nb == _nb("alfa", "F01 12/300, F04 1/300")
    assert alpha.en == _en("alpha", "F01 12/300, F04 1/300")
    assert (ac1.where, ac1.step, ac1.file) == ("AC1: F02", "agreement", "alpha_by_factor.csv")
    assert ac1.nb == _nb("AC1", "F02 3/300", "ac1_")
    assert ac1.en == _en("AC1", "F02 3/300", "ac1_")


def test_replicate_notices_name_pooled_rows_in_both_languages_and_kappa_rows_by_pair():
    pooled = pd.DataFrame(
        {
            "scope": ["pooled", "category"],
            "name": ["all", "C2"],
            "replicates": [200, 200],
            "replicates_dropped": [5, 7],
        }
    )
    (notice,) = agreement.replicate_notices(pooled, "alpha_pooled.csv", "agreement")
    assert notice.where == "alpha: all factors, C2"
    assert notice.nb == _nb("alfa", "alle faktorer 5/200, C2 7/200")
    assert notice.en == _en("alpha", "all factors 5/200, C2 7/200")
    kappas = pd.DataFrame(
        {
            "statistic": ["cohen", "fleiss"],
            "coder_a": ["a", "all"],
            "coder_b": ["b", "all"],
            "kappa": [0.4, 0.5],
            "replicates": [100, 100],
            "replicates_dropped": [2, 1],
        }
    )
    (notice,) = agreement.replicate_notices(kappas, "kappas.csv", "ladder_agreement")
    assert (notice.where, notice.step) == ("kappa: a–b, Fleiss", "ladder_agreement")
    assert notice.nb == _nb("kappa", "a–b 2/100, Fleiss 1/100")
    assert notice.en == _en("kappa", "a–b 2/100, Fleiss 1/100")


def test_replicate_notices_name_ladder_rows_by_variable_and_pair():
    pairs = pd.DataFrame(
        {
            "variable": ["ladder_step", "ladder_level"],
            "coder_a": ["a", "a"],
            "coder_b": ["b", "c"],
            "kappa": [0.3, None],
            "replicates": [50, 50],
            "replicates_dropped": [4, 0],
        }
    )
    (notice,) = agreement.replicate_notices(pairs, "ladder_pairs.csv", "ladder_agreement")
    assert notice.where == "kappa: a–b ladder_step"
    assert notice.en == _en("kappa", "a–b ladder_step 4/50")
    alpha = pd.DataFrame(
        {
            "variable": ["ladder_step", "ladder_level"],
            "replicates": [50, 50],
            "replicates_dropped": [0, 3],
            "ac1_replicates_dropped": [1, 2],
        }
    )
    alpha, ac1 = agreement.replicate_notices(alpha, "ladder.csv", "ladder_agreement")
    assert alpha.where == "alpha: ladder_level"
    assert alpha.nb == _nb("alfa", "ladder_level 3/50")
    assert ac1.where == "AC1: ladder_step, ladder_level"
    assert ac1.en == _en("AC1", "ladder_step 1/50, ladder_level 2/50", "ac1_")


def test_ac1_replicates_left_out_are_told_without_alpha_ones():
    only_ac1 = pd.DataFrame(
        {"factor_id": ["F01"], "replicates": [10], "ac1_replicates_dropped": [2]}
    )
    (notice,) = agreement.replicate_notices(only_ac1, "x.csv", "agreement")
    assert notice.where == "AC1: F01"
    (notice,) = agreement.replicate_notices(only_ac1.assign(replicates_dropped=0), "x", "a")
    assert notice.where == "AC1: F01" and notice.step == "a"


def test_no_notice_when_no_replicate_was_left_out():
    table = pd.DataFrame({"factor_id": ["F01"], "replicates": [10], "replicates_dropped": [0]})
    assert agreement.replicate_notices(table, "x.csv", "agreement") == []
    assert agreement.replicate_notices(table.drop(columns="replicates_dropped"), "x", "a") == []


def test_agreement_tables_are_the_four_tables_with_their_source_and_their_notices():
    codings = rare_grid()
    factors = pd.DataFrame({"factor_id": ["F01", "F02"], "category_id": ["C1", "C2"]})
    files = {"pooled": "pooled.csv", "kappas": "kappas.csv"}  # by_factor's file not named
    tables, notices = agreement.agreement_tables(
        codings, factors, 300, 1, (0.5,), "SIMULATED", files
    )
    expected = {
        "by_factor": agreement.agreement_by_factor(codings, 300, 1, (0.5,)),
        "pooled": agreement.agreement_pooled(codings, factors, 300, 1, (0.5,)),
        "kappas": agreement.kappas(codings, 300, 1),
        "without_coder": agreement.agreement_without_coder(codings, factors),
    }
    assert list(tables) == list(expected)
    for name, table in tables.items():
        assert list(table.columns) == ["data_source", *expected[name].columns]
        assert (table["data_source"] == "SIMULATED").all()
        pd.testing.assert_frame_equal(table.drop(columns="data_source"), expected[name])
    assert "q_below_500" in tables["by_factor"] and "q_below_800" not in tables["pooled"]
    assert set(tables["pooled"]["name"]) == {"all", "C1", "C2"}
    # F01 is marked in three examples only: resamples without them leave alpha undefined
    assert notices == (
        agreement.replicate_notices(expected["by_factor"], "", "agreement")
        + agreement.replicate_notices(expected["pooled"], "pooled.csv", "agreement")
        + agreement.replicate_notices(expected["kappas"], "kappas.csv", "agreement")
    )
    assert notices and notices[0].file == "" and notices[0].step == "agreement"
    assert notices[0].where.startswith("alpha: F01")
    # C1 holds F01 alone: its resamples without E01-E03 leave alpha undefined too
    assert [n.where for n in notices if n.file == "pooled.csv"] == ["alpha: C1"]


def test_ladder_tables_are_alpha_and_pairs_with_their_notices():
    ladder = ladder_table([1, 1, 2, 3, 4, 4, 3, 3], ["A", "A", "B", "B", "C", "B", None, "A"])
    tables, notices = agreement.ladder_tables(ladder, 200, 3, (0.5,), {"pairs": "pairs.csv"})
    assert list(tables) == ["alpha", "pairs"]
    pd.testing.assert_frame_equal(
        tables["alpha"], agreement.agreement_ladder(ladder, 200, 3, (0.5,))
    )
    pd.testing.assert_frame_equal(tables["pairs"], agreement.ladder_pairs(ladder, 200, 3))
    assert notices == (
        agreement.replicate_notices(tables["alpha"], "", "ladder_agreement")
        + agreement.replicate_notices(tables["pairs"], "pairs.csv", "ladder_agreement")
    )
    # four examples: some resamples hold one value only, so replicates are left out
    assert {n.file for n in notices} == {"", "pairs.csv"}
    assert {n.step for n in notices} == {"ladder_agreement"}
