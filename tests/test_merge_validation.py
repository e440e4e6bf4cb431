"""Cross-validated merge evaluation: the threshold never sees the half it is scored on."""

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from medvirk.merge_validation import (
    EVALUATION_ROWS,
    backend_evaluation,
    cross_validated_splits,
    distance_grid,
    evaluation_table,
    sweep_grid,
)
from medvirk.merging import evaluate, evaluation_latex, propose_groups
from medvirk.similarity import TfidfBackend
from tests.test_merging import FACTORS, HUMAN


def _blobs(n_groups=6, per=6, seed=1):
    """Well separated groups of unit vectors with their labels."""
    rng = np.random.default_rng(seed)
    centres = np.eye(n_groups * 2)[:n_groups]
    rows, labels = [], []
    for g in range(n_groups):
        for _ in range(per):
            v = centres[g] + 0.01 * rng.random(n_groups * 2)
            rows.append(v / np.linalg.norm(v))
            labels.append(f"F{g}")
    return sp.csr_matrix(np.array(rows)), np.array(labels)


def test_grid_is_rank_based_and_covers_the_distances():
    x, _ = _blobs()
    grid = distance_grid(x)
    dist = 1 - (x @ x.T).toarray()[np.triu_indices(x.shape[0], 1)]
    assert grid.max() == pytest.approx(dist.max(), abs=1e-4)
    assert (np.diff(grid) > 0).all() and len(grid) <= 40
    assert distance_grid(sp.csr_matrix(np.ones((1, 3)))).tolist() == [1.0]


def test_clear_groups_are_found_on_held_out_halves():
    x, labels = _blobs()
    splits = cross_validated_splits(x, labels, repeats=3, seed=7)
    assert len(splits) == 6 and set(splits["half"]) == {1, 2}
    assert splits["adjusted_rand_index"].min() == pytest.approx(1.0)


def test_threshold_is_chosen_without_the_scored_halfs_labels():
    x, labels = _blobs()
    first = cross_validated_splits(x, labels, repeats=1, seed=3)
    # scramble the labels of the half scored first (half 1): the threshold chosen for it, on
    # half 2, must not change, while its score does
    order = np.random.default_rng(3).permutation(len(labels))
    scored = np.sort(order[: len(labels) // 2])
    scrambled = labels.copy()
    scrambled[scored] = np.random.default_rng(0).permutation(labels[scored])
    second = cross_validated_splits(x, scrambled, repeats=1, seed=3)
    assert second.loc[0, "distance_threshold"] == first.loc[0, "distance_threshold"]
    assert second.loc[0, "adjusted_rand_index"] < first.loc[0, "adjusted_rand_index"]


def test_evaluation_table_sets_backends_side_by_side():
    human = HUMAN.assign(factor_id=HUMAN["factor_id"])
    metrics, splits = backend_evaluation(human, FACTORS, TfidfBackend(), repeats=2, seed=1)
    assert len(splits) == 4 and metrics["n_factors_evaluated"] == len(human)
    configured = evaluate(propose_groups(human, 0.8), human, distance_threshold=0.8)
    table = evaluation_table({"tfidf": metrics, "embedding": None}, configured, "tfidf")
    assert list(table.columns) == ["metric", "evaluation", "tfidf", "embedding"]
    cv = table[table["evaluation"] == "cross_validated"]
    assert len(cv) + 2 == len(EVALUATION_ROWS)
    assert table["embedding"].isna().all()  # could not run: empty, never made up
    in_sample = table[table["evaluation"] == "in_sample_configured"].set_index("metric")
    assert in_sample.loc["distance_threshold", "tfidf"] == 0.8
    tex = evaluation_latex(table, "s", "tfidf")
    assert "kryssvalidert / cross-validated" in tex and "---" in tex


def test_sweep_grid_fits_each_backends_scale():
    assert sweep_grid("tfidf", 0.05)[[0, -1]].tolist() == [0.05, 1.0]
    fine = sweep_grid("embedding", 0.05)
    assert fine[0] == pytest.approx(0.01) and fine[-1] == pytest.approx(0.5)


def test_splits_are_reproducible():
    x, labels = _blobs(seed=4)
    a = cross_validated_splits(x, labels, repeats=2, seed=11)
    b = cross_validated_splits(x, labels, repeats=2, seed=11)
    pd.testing.assert_frame_equal(a, b)
