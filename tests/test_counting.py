"""Merge map and counting on small hand-made tables, where every number can be checked by eye."""

import pandas as pd

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
