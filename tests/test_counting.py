"""Merge map and counting on small hand-made tables, where every number can be checked by eye."""

import numpy as np
import pandas as pd
import pytest

from medvirk.counting import count_factors, example_factor_matrix
from medvirk.mergemap import apply_merge_map


def _tables():
    raw = pd.DataFrame(
        {
            "raw_factor_id": ["R001", "R002", "R003", "R004", "R005", "R006"],
            "position": [1, 2, 3, 4, 5, 6],
            "text": [
                "Åpen dialog",
                "Ydmyk og åpen dialog",
                "Bolig",
                "Åpen dialog",
                "Individuell plan",
                "Tillit",
            ],
            "example_id": ["E01", "E01", "E02", "", "E02", ""],
            "attribution": ["stated", "inferred", "inferred", "unknown", "inferred", "unknown"],
        }
    )
    mm = pd.DataFrame(
        {
            "raw_factor_id": ["R006", "R005", "R004", "R003", "R002", "R001"],
            "factor_id": ["F2", "", "F1", "F3", "F1", "F1"],
            "rule": [
                "same_notion",
                "instrument",
                "same_wording",
                "same_wording",
                "same_notion",
                "same_wording",
            ],
            "reason": ["", "IP is an instrument", "", "", "", ""],
        }
    )
    factors = pd.DataFrame(
        {"factor_id": ["F1", "F2", "F3", "F4"], "category_id": ["C1", "C1", "C2", "C2"]}
    )
    return raw, mm, factors


def test_merge_map_assigns_each_raw_factor_in_published_order():
    raw, mm, factors = _tables()
    a = apply_merge_map(raw, mm, factors)
    assert a["raw_factor_id"].tolist() == ["R001", "R002", "R003", "R004", "R005", "R006"]
    assert a["factor_id"].tolist() == ["F1", "F1", "F3", "F1", "", "F2"]
    assert a["category_id"].tolist() == ["C1", "C1", "C2", "C1", "", "C1"]


def test_two_raw_factors_of_one_example_count_once():
    raw, mm, factors = _tables()
    a = apply_merge_map(raw, mm, factors)
    m = example_factor_matrix(a)
    assert m.to_dict("records") == [
        {"example_id": "E01", "factor_id": "F1", "raw_factor_ids": "R001 R002"},
        {"example_id": "E02", "factor_id": "F3", "raw_factor_ids": "R003"},
    ]


def test_counts_add_unattributed_raw_factors_and_keep_unused_factors():
    raw, mm, factors = _tables()
    a = apply_merge_map(raw, mm, factors)
    c = count_factors(example_factor_matrix(a), a, factors).set_index("factor_id")
    assert c.loc["F1", ["n_examples", "n_unattributed", "n", "n_raw_factors"]].tolist() == [
        1,
        1,
        2,
        3,
    ]
    assert c.loc["F2", ["n_examples", "n_unattributed", "n"]].tolist() == [0, 1, 1]
    assert c.loc["F3", "n"] == 1
    assert c.loc["F4", ["n", "n_raw_factors"]].tolist() == [0, 0]


def test_ladder_placements_count_the_consensus_placement_per_cell():
    from medvirk.consensus import consensus_ladder
    from medvirk.counting import ladder_placements

    codings = pd.DataFrame(
        [
            ("E01", "a", "3", "B", ""),
            ("E01", "b", "3", "B", ""),
            ("E01", "c", "4", "B", ""),  # outvoted
            ("E02", "a", "2", "A", ""),
            ("E02", "b", "4", "C", ""),  # tie: the lower step wins
            ("E03", "a", "", "A", ""),  # no step: not placed
            ("E04", "a", "3", "b", ""),  # level written in lower case
        ],
        columns=["example_id", "coder", "ladder_step", "ladder_level", "other_factors"],
    )
    placed = consensus_ladder(codings)
    assert ladder_placements(placed).values.tolist() == [[2, "A", 1], [3, "B", 2]]
    assert ladder_placements(placed.iloc[2:3]).empty
    # the meeting moves E02 to 4C: the figure follows the consensus, not the coders' majority
    decisions = pd.DataFrame(
        [("E02", "ladder_step", 4, 7), ("E02", "ladder_level", "C", 8)],
        columns=["example_id", "factor_id", "decision", "row"],
    )
    moved = ladder_placements(consensus_ladder(codings, decisions))
    assert moved.values.tolist() == [[3, "B", 2], [4, "C", 1]]


def test_real_coders_count_their_consensus_without_the_readers_unattributed_finds():
    from medvirk.counting import count_factors

    consensus = pd.DataFrame({"example_id": ["E01", "E02"], "factor_id": ["F01", "F01"]})
    assignments = pd.DataFrame(
        {"raw_factor_id": ["R1", "R2"], "example_id": ["E01", ""], "factor_id": ["F01", "F01"]}
    )
    factors = pd.DataFrame({"factor_id": ["F01", "F02"], "category_id": ["C1", "C1"]})
    with_readers = count_factors(consensus, assignments, factors).set_index("factor_id")
    coders_only = count_factors(consensus, assignments, factors, False).set_index("factor_id")
    assert with_readers.loc["F01", ["n", "n_unattributed"]].tolist() == [3, 1]
    assert coders_only.loc["F01", ["n", "n_unattributed"]].tolist() == [2, 0]
    assert coders_only.loc["F01", "n_raw_factors"] == 2


# --- Whole tables against hand-made ones (values, order, types) ----------------------------------


def test_count_table_whole_with_integer_columns_whatever_the_input_index():
    from medvirk.counting import count_factors

    presence = pd.DataFrame(
        {"example_id": ["E02", "E01", "E02"], "factor_id": ["F1", "F1", "F3"]}, index=[7, 3, 5]
    )
    assignments = pd.DataFrame(
        {
            "raw_factor_id": ["R1", "R2", "R3", "R4", "R5"],
            "example_id": ["E01", "", "", "E02", ""],
            "factor_id": ["F1", "F1", "F2", "F3", ""],  # R5: merged into no factor
        }
    )
    factors = pd.DataFrame(
        {"factor_id": ["F1", "F2", "F3", "F4"], "category_id": ["C1", "C1", "C2", "C2"]},
        index=[10, 11, 12, 13],
    )
    expected = pd.DataFrame(
        {
            "factor_id": ["F1", "F2", "F3", "F4"],
            "category_id": ["C1", "C1", "C2", "C2"],
            "n_examples": [2, 0, 1, 0],  # F1 in E01 and E02
            "n_unattributed": [1, 1, 0, 0],  # R2, R3
            "n": [3, 1, 1, 0],
            "n_raw_factors": [2, 1, 1, 0],  # R1 R2 | R3 | R4
        }
    )
    pd.testing.assert_frame_equal(count_factors(presence, assignments, factors), expected)
    # a round coded from its forms: no raw factors, n = n_examples
    no_raw = expected.assign(n_unattributed=0, n_raw_factors=0, n=[2, 0, 1, 0])
    pd.testing.assert_frame_equal(count_factors(presence, None, factors), no_raw)
    coders_only = expected.assign(n_unattributed=0, n=[2, 0, 1, 0])
    pd.testing.assert_frame_equal(count_factors(presence, assignments, factors, False), coders_only)


def test_example_factor_matrix_is_sorted_by_example_and_factor():
    assignments = pd.DataFrame(
        {
            "raw_factor_id": ["R9", "R1", "R5", "R2", "R7"],
            "example_id": ["E02", "E02", "E01", "E02", ""],
            "factor_id": ["F2", "F1", "F3", "F2", "F1"],
        }
    )
    expected = pd.DataFrame(
        {
            "example_id": ["E01", "E02", "E02"],
            "factor_id": ["F3", "F1", "F2"],
            "raw_factor_ids": ["R5", "R1", "R2 R9"],
        }
    )
    pd.testing.assert_frame_equal(example_factor_matrix(assignments), expected)


def test_ladder_placements_types_and_an_unreadable_step():
    from medvirk.counting import ladder_placements

    placed = pd.DataFrame(
        {
            "example_id": ["E01", "E02", "E03", "E01"],
            "ladder_step": ["2", "trinn to", 3, "2"],  # E02: no step to read; E01 twice
            "ladder_level": [" a", "B", "C", "A"],
        }
    )
    expected = pd.DataFrame({"step": [2, 3], "level": ["A", "C"], "n": [1, 1]})
    pd.testing.assert_frame_equal(ladder_placements(placed), expected)
    empty = ladder_placements(placed.assign(ladder_level=""))
    assert list(empty.columns) == ["step", "level", "n"] and empty.empty
    assert (empty["step"].dtype, empty["n"].dtype) == (np.dtype(int), np.dtype(int))


def test_factor_counts_read_back_as_integers(tmp_path):
    from medvirk.counting import read_factor_counts

    path = tmp_path / "factor_counts.csv"
    path.write_text("factor_id,category_id,n_examples,n,label\nF1,C1,2,3,x\nF2,C1,0,0,y\n")
    counts = read_factor_counts(path)
    assert counts["n"].tolist() == [3, 0] and counts["n"].dtype == np.dtype(int)
    assert counts["n_examples"].dtype == np.dtype(int)
    assert counts["label"].tolist() == ["x", "y"] and counts["factor_id"].tolist() == ["F1", "F2"]


def test_presence_source_labels():
    from medvirk.counting import SIMULATED_CONSENSUS, presence_inputs, presence_source_label

    assert presence_source_label("curated") == (
        "kuratorenes fordeling",
        "the curators' attribution",
    )
    assert presence_source_label("consensus") == ("kodernes konsensus", "the coders' consensus")
    assert presence_source_label("consensus", simulated=True) == SIMULATED_CONSENSUS
    assert presence_source_label("curated", simulated=True)[1] == "the curators' attribution"
    with pytest.raises(ValueError, match="unknown presence source 'published'"):
        presence_source_label("published")
    assert presence_inputs("s", True) == {
        "source": "consensus",
        "presence": "data/processed/s/consensus_factors.csv",
        "counts": "data/processed/s/consensus_factor_counts.csv",
    }
    assert presence_inputs("s", False)["counts"] == "data/processed/s/factor_counts.csv"
