"""Merge proposals above EXACT_LIMIT phrases: the nearest-neighbour search and the sparse
average linkage, against brute force and against the implementation before issue 14
(tests/merging_reference.py); and the embedded study's proposals, byte for byte."""

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.metrics import adjusted_rand_score
from sklearn.preprocessing import normalize

from medvirk import merging
from medvirk.io import read_csv, write_csv
from medvirk.mergemap import apply_merge_map
from medvirk.merging import (
    cluster,
    featurize,
    knn_distance_graph,
    propose_groups,
    sparse_average_linkage,
)
from tests import merging_reference as reference
from tests.conftest import EMBEDDED, REPO


def _features(n, d, seed, *, duplicates=0, rare_columns=0):
    """Row-normalised non-negative sparse rows; `duplicates` rows repeat earlier rows (ties);
    `rare_columns` extra columns that only two or three rows have (the sparse part)."""
    rng = np.random.default_rng(seed)
    x = rng.random((n, d)) * (rng.random((n, d)) < 0.2)
    if rare_columns:
        rare = np.zeros((n, rare_columns))
        for c in range(rare_columns):
            rare[rng.choice(n, size=rng.integers(2, 4), replace=False), c] = rng.random() + 0.5
        x = np.hstack([x, rare])
    for i in rng.choice(np.arange(1, n), size=duplicates, replace=False):
        x[i] = x[rng.integers(0, i)]
    return sp.csr_matrix(normalize(x))


def _brute_force_edges(x, k):
    """Each row's k most similar other rows, ties to the smaller row number, as a set of
    undirected edges {(i, j): distance}."""
    sim = (x @ x.T).toarray()
    np.fill_diagonal(sim, -np.inf)
    edges = {}
    for i, row in enumerate(sim):
        for j in np.lexsort((np.arange(len(row)), -row))[:k]:
            edges[min(i, j), max(i, j)] = max(1.0 - row[j], 1e-12)
    return edges


def _edges(graph):
    upper = sp.triu(graph, k=1).tocoo()
    pairs = zip(upper.row.tolist(), upper.col.tolist(), strict=True)
    return dict(zip(pairs, upper.data, strict=True))


@pytest.mark.parametrize(
    ("n", "block", "duplicates", "rare_columns"),
    [(300, 64, 0, 0), (300, 64, 40, 0), (257, 50, 30, 120), (40, 2048, 5, 10)],
)
def test_exact_neighbours_are_the_brute_force_top_k(n, block, duplicates, rare_columns):
    x = _features(n, 60, seed=n + duplicates, duplicates=duplicates, rare_columns=rare_columns)
    got = _edges(knn_distance_graph(x, 7, block=block))
    want = _brute_force_edges(x, 7)
    assert got.keys() == want.keys()
    assert np.allclose([got[e] for e in want], list(want.values()), rtol=0, atol=1e-12)


def test_rare_columns_are_multiplied_sparse_and_frequent_ones_dense():
    x = _features(257, 60, seed=1, rare_columns=120)
    dense, rest = merging._split_columns(x)
    assert dense.shape == (257, 60) and dense.dtype == np.float32
    assert rest is not None and rest.shape == (257, 120)


def test_graph_is_symmetric_and_keeps_duplicates_at_distance_zero():
    x = _features(200, 40, seed=3, duplicates=20)
    g = knn_distance_graph(x, 5, block=32)
    assert (g != g.T).nnz == 0
    assert g.diagonal().sum() == 0
    assert g.data.min() == pytest.approx(1e-12)


def test_fewer_rows_than_neighbours():
    x = _features(4, 10, seed=4)
    assert _edges(knn_distance_graph(x, 30)).keys() == _brute_force_edges(x, 3).keys()
    assert knn_distance_graph(x[:1], 30).nnz == 0


def test_unknown_neighbour_search_is_refused():
    with pytest.raises(ValueError, match="neighbours"):
        knn_distance_graph(_features(10, 5, seed=5), 3, neighbours="fast")


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("threshold", [0.3, 0.6, 0.8])
def test_linkage_equals_the_heap_reference(seed, threshold):
    x = _features(400, 30, seed=seed, duplicates=25, rare_columns=40)
    graph = reference.knn_distance_graph(x, 10)
    got = sparse_average_linkage(graph, threshold)
    assert got.tolist() == reference.sparse_average_linkage(graph, threshold).tolist()


def _phrases(n, seed=2016):
    """Short Bokmål-like factor phrases from a small vocabulary (many near-duplicates)."""
    rng = np.random.default_rng(seed)
    subjects = ["brukerne", "brukeren", "likemenn", "pårørende", "ansatte", "kommunen"]
    verbs = ["deltar i", "planlegger", "påvirker", "evaluerer", "får", "deler"]
    objects = ["tiltak", "tiltakene", "tjenester", "åpen dialog", "egne mål", "boliger", "jobb"]
    extra = ["tidlig", "sammen", "på alvor", "underveis", "", ""]
    return [
        " ".join(w for w in (rng.choice(subjects), rng.choice(verbs), rng.choice(objects)) if w)
        + " "
        + rng.choice(extra)
        for _ in range(n)
    ]


def test_groups_equal_the_pre_issue_14_groups():
    x = featurize(_phrases(1500))
    for threshold in (0.5, 0.8):
        got = cluster(x, threshold, exact_limit=0)
        want = reference.sparse_average_linkage(reference.knn_distance_graph(x, 30), threshold)
        assert got.tolist() == want.tolist()


def test_approximate_neighbours_agree_with_exact_groups():
    x = featurize(_phrases(1500, seed=7))
    exact = cluster(x, 0.8, exact_limit=0)
    approximate = cluster(x, 0.8, exact_limit=0, neighbours="approximate")
    assert adjusted_rand_score(exact, approximate) > 0.95


def test_a_given_graph_is_used_instead_of_a_search():
    x = featurize(_phrases(300))
    g = knn_distance_graph(x, 30)
    assert (
        cluster(x, 0.8, exact_limit=0, graph=g).tolist() == cluster(x, 0.8, exact_limit=0).tolist()
    )
    everything_apart = sp.csr_matrix(x.shape[:1] * 2)
    assert len(set(cluster(x, 0.8, exact_limit=0, graph=everything_apart))) == x.shape[0]


def test_embedded_study_proposals_are_unchanged(tmp_path):
    """results/fhi2016/merge/proposed_groups.csv as it was before issue 14, byte for byte."""
    items = apply_merge_map(
        read_csv(EMBEDDED / "raw_factors.csv"),
        read_csv(EMBEDDED / "codebook" / "merge_map.csv"),
        read_csv(EMBEDDED / "codebook" / "factors.csv"),
    )
    write_csv(propose_groups(items, 0.8, lemma_weight=0.5), tmp_path / "proposed_groups.csv")
    before = REPO / "tests" / "data" / "fhi2016_proposed_groups.csv"
    assert (tmp_path / "proposed_groups.csv").read_bytes() == before.read_bytes()


def test_approximate_search_is_announced_in_the_run_summary():
    (notice,) = merging.neighbour_notices(merging.EXACT_LIMIT + 1, "approximate")
    assert (notice.effect, notice.step, notice.kind) == (
        "agreement",
        "propose_merges",
        "approximate_neighbours",
    )
    assert "tilnærmet" in notice.nb and "approximately" in notice.en
    assert merging.neighbour_notices(merging.EXACT_LIMIT + 1, "exact") == []
    assert merging.neighbour_notices(merging.EXACT_LIMIT, "approximate") == []
