"""The quick paths of the merge evaluation give what scikit-learn gives (issue 14).

A threshold sweep and the cross-validation score hundreds of groupings of the same rows, so
the rows are clustered once (`average_linkage_tree`) and the tree cut at each threshold
(`cut_tree`), and the adjusted Rand index and the misplaced count are computed by counting,
without scikit-learn's input checks. Each is checked here against the slow way: scikit-learn's
AgglomerativeClustering and adjusted_rand_score, `misplaced_factors`, and a hand count.
"""

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.cluster import AgglomerativeClustering
from sklearn.metrics import adjusted_rand_score
from sklearn.preprocessing import normalize

from medvirk.merging import (
    adjusted_rand_index,
    average_linkage_tree,
    cluster,
    cut_tree,
    misplaced_factors,
    n_misplaced,
    renumber,
)

labelings = st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6)), min_size=1, max_size=60)


def test_adjusted_rand_index_by_hand():
    # human {a,b,c} {d}; proposed {a,b} {c,d}. Unordered pairs: 6. Together in human: ab ac bc
    # (3); in the proposal: ab cd (2); in both: ab (1). Expected pairs together in both under
    # chance: 3*2/6 = 1. ARI = (1 - 1) / ((3 + 2)/2 - 1) = 0.
    assert adjusted_rand_index(list("xxxy"), [1, 1, 2, 2]) == pytest.approx(0.0, abs=1e-15)
    # Identical partitions under other names: 1; every item alone in both: 1 (no pair to miss).
    assert adjusted_rand_index(list("aabbc"), [7, 7, 3, 3, 9]) == 1.0
    assert adjusted_rand_index([1, 2, 3], ["x", "y", "z"]) == 1.0


@settings(max_examples=300, deadline=None)
@given(labelings)
def test_adjusted_rand_index_is_scikit_learns_to_the_bit(pairs):
    human, proposed = zip(*pairs, strict=True)
    assert adjusted_rand_index(human, proposed) == adjusted_rand_score(human, proposed)


@settings(max_examples=300, deadline=None)
@given(labelings)
def test_n_misplaced_counts_what_misplaced_factors_lists(pairs):
    human, proposed = zip(*pairs, strict=True)
    ids = [f"R{i:03d}" for i in range(len(pairs))]
    listed = misplaced_factors(
        pd.DataFrame({"group_id": proposed, "raw_factor_id": ids}),
        pd.DataFrame({"raw_factor_id": ids, "text": ids, "factor_id": [f"F{h}" for h in human]}),
    )
    assert n_misplaced(human, proposed) == len(listed)


def test_n_misplaced_by_hand():
    # Group 1 holds F1 F1 F2 (one misplaced), group 2 F3 F4 (a tie: one misplaced either way).
    assert n_misplaced(["F1", "F1", "F2", "F3", "F4"], [1, 1, 1, 2, 2]) == 2
    assert n_misplaced([], []) == 0


def _sklearn_groups(features, threshold):
    dist = np.clip(1.0 - (features @ features.T).toarray(), 0.0, None)
    np.fill_diagonal(dist, 0.0)
    model = AgglomerativeClustering(
        n_clusters=None, metric="precomputed", linkage="average", distance_threshold=threshold
    )
    return renumber(model.fit_predict(dist))


@pytest.mark.parametrize("seed", range(20))
def test_one_tree_cut_anywhere_gives_scikit_learns_groups(seed):
    rng = np.random.default_rng(seed)
    n, d = int(rng.integers(2, 70)), int(rng.integers(2, 15))
    dense = np.abs(rng.normal(size=(n, d))) * (rng.random((n, d)) < 0.5) + 1e-3
    if seed % 4 == 0:  # repeated rows: distances tie
        dense[n // 2 :] = dense[: n - n // 2]
    features = sp.csr_matrix(normalize(dense))
    tree = average_linkage_tree(features)
    for t in [0.0, 1e-9, *np.sort(rng.random(8)), tree[1].max(), 1.0, 1.5]:
        expected = _sklearn_groups(features, float(t))
        assert cut_tree(tree, float(t)).tolist() == expected.tolist()
        assert cluster(features, float(t)).tolist() == expected.tolist()


def test_cut_tree_by_hand():
    # Rows 0 and 1 identical, row 2 orthogonal to both: one merge at distance 0, one at 1.
    features = sp.csr_matrix(np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]]))
    tree = average_linkage_tree(features)
    assert tree[1].tolist() == [0.0, 1.0]
    assert cut_tree(tree, 0.0).tolist() == [0, 1, 2]  # a merge at the threshold is not made
    assert cut_tree(tree, 0.5).tolist() == [0, 0, 1]
    assert cut_tree(tree, 1.0 + 1e-9).tolist() == [0, 0, 0]
