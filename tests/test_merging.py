import re

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from medvirk.figures import save_figure
from medvirk.merging import (
    SUGGESTION_COLUMNS,
    choose_threshold,
    cluster,
    codebook_texts,
    evaluate,
    featurize,
    grouping_scores,
    knn_distance_graph,
    misplaced_factors,
    propose_groups,
    renumber,
    same_factor_key,
    sparse_average_linkage,
    suggest_codebook_factors,
    suggestion_accuracy,
    suggestion_table,
    sweep_figure,
    threshold_sweep,
)

# Three human groups written the way coders write: inflections, compounds, word order.
HUMAN = pd.DataFrame(
    {
        "raw_factor_id": [f"R{i:03d}" for i in range(1, 10)],
        "text": [
            "Åpen dialog",
            "Ydmyk og åpen dialog",
            "Åpen dialog med brukerne",
            "Likemenn",
            "Likemenn, blir forstått på en annen måte",
            "Likemann som støtte",
            "Individuell plan",
            "Individuell plan for brukeren",
            "Individuelle planer",
        ],
        "factor_id": ["F01", "F01", "F01", "F02", "F02", "F02", "F03", "F03", "F03"],
    }
)


def test_features_are_row_normalised_and_sparse():
    x = featurize(HUMAN["text"])
    assert x.shape[0] == len(HUMAN)
    assert np.allclose(np.sqrt(x.multiply(x).sum(axis=1)).A1, 1.0)
    assert x.format == "csr"


def test_inflected_forms_are_closer_than_unrelated_texts():
    x = featurize(["Brukerne lager løsninger", "bruker lage løsning", "Bo trygt og godt"])
    sim = (x @ x.T).toarray()
    assert sim[0, 1] > 0.5 > sim[0, 2]


def test_lemma_weight_out_of_range_is_refused():
    with pytest.raises(ValueError, match="lemma_weight"):
        featurize(["a"], lemma_weight=1.5)


def test_clustering_recovers_clear_groups():
    groups = propose_groups(HUMAN, 0.8)
    scores = grouping_scores(
        HUMAN.sort_values("raw_factor_id")["factor_id"],
        groups.sort_values("raw_factor_id")["group_id"],
    )
    assert scores["adjusted_rand_index"] == pytest.approx(1.0)
    assert scores["n_groups_proposed"] == 3


def test_threshold_extremes():
    x = featurize(HUMAN["text"])
    assert len(set(cluster(x, 1e-9))) == len(HUMAN) - 0  # nothing merges
    assert len(set(cluster(x, 1.0 + 1e-9))) == 1  # everything merges


def test_groups_table_columns_and_representative_is_a_member():
    groups = propose_groups(HUMAN, 0.8)
    assert list(groups.columns[:5]) == [
        "group_id",
        "raw_factor_id",
        "text",
        "group_size",
        "representative",
    ]
    for _, g in groups.groupby("group_id"):
        assert g["representative"].iloc[0] in set(g["text"])
        assert (g["group_size"] == len(g)).all()


def test_proposals_are_deterministic():
    assert propose_groups(HUMAN, 0.8).equals(propose_groups(HUMAN, 0.8))


def test_renumber_by_first_appearance():
    assert renumber([7, 7, 3, 9, 3]).tolist() == [0, 0, 1, 2, 1]


@pytest.mark.parametrize("threshold", [0.3, 0.6, 0.8, 0.95])
def test_sparse_linkage_with_all_pairs_equals_exact(threshold):
    texts = HUMAN["text"].tolist() + ["Bo trygt og godt", "Tillit", "Vise tillit til brukeren"]
    x = featurize(texts)
    exact = cluster(x, threshold)
    sparse = cluster(x, threshold, exact_limit=0, n_neighbors=len(texts))
    assert sparse.tolist() == exact.tolist()


def test_sparse_graph_keeps_only_nearest_neighbours():
    x = featurize(HUMAN["text"])
    g = knn_distance_graph(x, n_neighbors=2)
    assert g.shape == (len(HUMAN), len(HUMAN))
    assert g.diagonal().sum() == 0
    assert (g != g.T).nnz == 0
    assert g.nnz <= 2 * 2 * len(HUMAN)


def test_sparse_linkage_never_merges_above_threshold():
    g = sp.csr_matrix(np.array([[0, 0.2, 0.9], [0.2, 0, 0.9], [0.9, 0.9, 0]]))
    assert sparse_average_linkage(g, 0.5).tolist() == [0, 0, 1]
    assert sparse_average_linkage(g, 0.95).tolist() == [0, 0, 0]
    assert sparse_average_linkage(g, 0.1).tolist() == [0, 1, 2]


def test_perfect_proposal_scores_one_and_nothing_misplaced():
    perfect = HUMAN.assign(group_id=HUMAN["factor_id"].str.replace("F", "G"))
    ev = evaluate(perfect, HUMAN).set_index("metric")["value"]
    for m in ["adjusted_rand_index", "adjusted_mutual_information", "homogeneity"]:
        assert ev[m] == pytest.approx(1.0)
    assert ev["n_misplaced"] == 0
    assert ev["n_groups_human"] == 3


def test_misplaced_factor_is_listed():
    proposal = HUMAN.assign(group_id=["G1", "G1", "G1", "G2", "G2", "G1", "G3", "G3", "G3"])
    wrong = misplaced_factors(proposal, HUMAN)
    assert wrong["raw_factor_id"].tolist() == ["R006"]
    assert wrong["group_majority_factor_id"].tolist() == ["F01"]


def test_unmapped_factors_are_left_out_of_evaluation():
    human = HUMAN.copy()
    human.loc[0, "factor_id"] = None
    ev = evaluate(propose_groups(HUMAN, 0.8), human).set_index("metric")["value"]
    assert ev["n_factors_evaluated"] == len(HUMAN) - 1


def test_sweep_and_choice(tmp_path):
    sweep = threshold_sweep(HUMAN, HUMAN, [0.05, 0.8, 0.999])
    assert sweep["distance_threshold"].tolist() == [0.05, 0.8, 0.999]
    assert choose_threshold(sweep) == 0.8
    save_figure(sweep_figure(sweep, 0.8, "Test"), tmp_path / "a.png", tmp_path / "a.svg")
    save_figure(sweep_figure(sweep, 0.8, "Test"), tmp_path / "b.png", tmp_path / "b.svg")
    assert (tmp_path / "a.png").read_bytes() == (tmp_path / "b.png").read_bytes()
    assert (tmp_path / "a.svg").read_bytes() == (tmp_path / "b.svg").read_bytes()


def test_choice_breaks_ties_by_number_of_groups():
    sweep = pd.DataFrame(
        {
            "distance_threshold": [0.3, 0.5, 0.7],
            "adjusted_rand_index": [0.4, 0.4, 0.2],
            "n_groups_proposed": [60, 30, 10],
            "n_groups_human": [28, 28, 28],
        }
    )
    assert choose_threshold(sweep) == 0.5


def test_suggestions_rank_nearest_codebook_factor_first():
    factors = pd.DataFrame(
        {
            "factor_id": ["F01", "F02", "F03"],
            "label_nb": ["Åpen dialog", "Likemenn", "Individuell plan"],
        }
    )
    cb = codebook_texts(factors, HUMAN)
    new = pd.DataFrame(
        {"raw_factor_id": ["N1", "N2"], "text": ["åpen og ærlig dialog", "likemann"]}
    )
    sug = suggest_codebook_factors(new, cb)
    assert len(sug) == 2 * 3
    top = sug[sug["rank"] == 1].set_index("raw_factor_id")["factor_id"]
    assert top.to_dict() == {"N1": "F01", "N2": "F02"}
    assert (
        sug.groupby("raw_factor_id")["similarity"].apply(lambda s: s.is_monotonic_decreasing).all()
    )


def test_no_phrases_gives_empty_suggestions():
    cb = codebook_texts(pd.DataFrame({"factor_id": ["F01"], "label_nb": ["Tillit"]}))
    assert suggest_codebook_factors(HUMAN.iloc[:0], cb).empty


def test_suggestion_accuracy_on_clear_labels():
    factors = pd.DataFrame(
        {
            "factor_id": ["F01", "F02", "F03"],
            "label_nb": ["Åpen dialog", "Likemenn", "Individuell plan"],
        }
    )
    acc = suggestion_accuracy(HUMAN, factors)
    assert acc["suggestion_top3_accuracy"] == 1.0
    assert acc["suggestion_top1_accuracy"] >= 8 / 9


def test_empty_factor_id_counts_as_unmapped():
    human = HUMAN.assign(factor_id=[""] + HUMAN["factor_id"].tolist()[1:])
    ev = evaluate(propose_groups(HUMAN, 0.8), human).set_index("metric")["value"]
    assert ev["n_factors_evaluated"] == len(HUMAN) - 1


FACTORS = pd.DataFrame(
    {
        "factor_id": ["F01", "F02", "F03"],
        "label_nb": ["Åpen dialog", "Likemenn", "Individuell plan"],
    }
)
CODERS_WROTE = pd.DataFrame(
    {
        "example_id": ["E05", "E05", "E02", "E07"],
        "coder": ["ann", "bo", "ann", "cy"],
        "text": ["Likemannsarbeid", "likemannsarbeidet", "Åpen og ærlig dialog", "Ring 912 34 567"],
    }
)


def test_coders_free_text_is_suggested_with_its_source():
    cb = codebook_texts(FACTORS, HUMAN)
    unmapped = pd.DataFrame({"raw_factor_id": ["R099"], "example_id": [""], "text": ["Likemenn"]})
    sug = suggestion_table(unmapped, cb, CODERS_WROTE, top_k=2)
    assert list(sug.columns) == SUGGESTION_COLUMNS
    assert len(sug) == 2 * (1 + len(CODERS_WROTE))
    top = sug[sug["rank"] == 1]
    coder = top[top["source"] == "coder_sheet"].set_index(["example_id", "coder"])
    assert coder.loc[("E05", "ann"), "factor_id"] == "F02"
    assert coder.loc[("E02", "ann"), "factor_id"] == "F01"
    assert (coder["raw_factor_id"] == "").all()
    raw = top[top["source"] == "raw_factor"].iloc[0]
    assert raw["raw_factor_id"] == "R099" and pd.isna(raw["n_coders"])
    # the same factor, inflected, from two coders of one example; the others named once
    assert coder.loc[("E05", "bo"), "n_coders"] == 2 and coder.loc[("E05", "bo"), "n_examples"] == 1
    assert coder.loc[("E02", "ann"), "n_coders"] == 1
    # free text can hold phone numbers and e-mail addresses; they do not reach results/
    written = " ".join(sug["text"])
    assert "912 34 567" not in written and "Ring [telefon fjernet]" in written


def test_raw_suggestions_do_not_depend_on_what_coders_wrote():
    cb = codebook_texts(FACTORS, HUMAN)
    unmapped = HUMAN.iloc[[1, 4, 8]].drop(columns="factor_id")
    alone = suggestion_table(unmapped, cb)
    both = suggestion_table(unmapped, cb, CODERS_WROTE)
    assert set(alone["source"]) == {"raw_factor"}
    pd.testing.assert_frame_equal(
        alone, both[both["source"] == "raw_factor"].reset_index(drop=True)
    )
    assert alone[["raw_factor_id", "rank"]].equals(
        alone[["raw_factor_id", "rank"]].sort_values(["raw_factor_id", "rank"])
    )


def test_suggestion_table_is_sorted_and_the_same_for_shuffled_input():
    cb = codebook_texts(FACTORS, HUMAN)
    first = suggestion_table(HUMAN.iloc[:0], cb, CODERS_WROTE)
    again = suggestion_table(HUMAN.iloc[:0], cb, CODERS_WROTE.iloc[::-1])
    pd.testing.assert_frame_equal(first, again)
    assert first["example_id"].is_monotonic_increasing
    assert suggestion_table(HUMAN.iloc[:0], cb).empty


def test_same_factor_key_joins_inflections_not_other_factors():
    keys = same_factor_key(["Felles mål", "felles målene", "Felles ansvar"])
    assert keys[0] == keys[1] != keys[2]


def test_sweep_figure_is_bokmal_with_english_and_marks_the_threshold():
    sweep = threshold_sweep(HUMAN, HUMAN, [0.4, 0.6, 0.8, 0.95])
    fig = sweep_figure(sweep, 0.6, "Foreslåtte grupper / proposed groups")
    ax, ax2 = fig.axes
    legend = [t.get_text() for t in ax2.get_legend().get_texts()]
    labels = [ax.get_xlabel(), ax.get_ylabel(), ax2.get_ylabel(), *legend]
    for label in labels:
        nb, en = re.split(r" /\s", label, maxsplit=1)
        assert nb.strip() and en.strip(), label
    assert any("terskel / configured threshold (0.6)" in t for t in legend)
    marked = [line for line in ax.get_lines() if list(line.get_xdata()) == [0.6, 0.6]]
    assert len(marked) == 1
    assert any("å" in label for label in labels)
