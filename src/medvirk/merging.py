"""Propose merges of similar factors and measure them against the human merge.

Method, in order:

1. Features: TF-IDF over content lemmas (see `medvirk.lemmatize`) and TF-IDF over
   character 3–5-grams within words (catches compounds: "brukerråd" ~ "brukerrådet"), each
   L2-normalised, weighted and stacked, then L2-normalised again. Cosine similarity is then
   a dot product of sparse rows. Or, with `backend` (see `medvirk.similarity`), any
   row-normalised vectors, e.g. sentence embeddings; the functions below take either.
2. Proposals: agglomerative clustering, cosine distance, average linkage, cut at a distance
   threshold. Up to `exact_limit` phrases the full pairwise distance matrix is used (exact,
   scikit-learn). Above it the matrix would not fit (50,000 phrases: 2.5e9 cells), so each
   phrase's k nearest neighbours are found exactly by blocked matrix products, one block
   pair of the upper triangle at a time (`knn_distance_graph`; approximately if asked), and
   average linkage runs on that sparse graph, joining mutual nearest clusters in vectorised
   rounds (`sparse_average_linkage`; pairs outside the graph count as distance 1): memory
   grows with n × k plus one block, not n². Timings: benchmarks/README.md.
3. Suggestions: for each phrase, the nearest codebook factors by cosine similarity (a
   phrases × factors matrix; the codebook is small).
4. Evaluation against the curated merge map: adjusted Rand index, adjusted mutual
   information, homogeneity, completeness, number of groups, misplaced factors, and a sweep
   of all of these over the distance threshold.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.cluster import hierarchy
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import (
    adjusted_mutual_info_score,
    completeness_score,
    homogeneity_score,
)
from sklearn.preprocessing import normalize

from medvirk.lemmatize import lemmatize_texts
from medvirk.notices import Notice

DEFAULT_THRESHOLD = 0.8
DEFAULT_LEMMA_WEIGHT = 0.5
EXACT_LIMIT = 5000
N_NEIGHBORS = 30


def _identity(tokens):
    return tokens


def featurize(
    texts: Sequence[str],
    lemmas: Sequence[Sequence[str]] | None = None,
    *,
    lemma_weight: float = DEFAULT_LEMMA_WEIGHT,
) -> sp.csr_matrix:
    """Sparse, row-normalised feature matrix (n_texts × n_features) for `texts`.

    `lemmas` are the content lemmas of each text (computed if not given). `lemma_weight`
    in [0, 1] is the share of the lemma block; the rest goes to character n-grams.
    """
    if not 0.0 <= lemma_weight <= 1.0:
        raise ValueError(f"lemma_weight must be between 0 and 1, got {lemma_weight}")
    texts = [str(t) for t in texts]
    if lemmas is None:
        lemmas = lemmatize_texts(texts)
    # A text with no content lemma keeps its lower-cased words so it is not an empty row.
    lemma_docs = [list(ls) or t.lower().split() for ls, t in zip(lemmas, texts, strict=True)]
    word = TfidfVectorizer(analyzer=_identity, sublinear_tf=True).fit_transform(lemma_docs)
    char = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(3, 5), lowercase=True, sublinear_tf=True
    ).fit_transform(" ".join(ls) + " " + t for ls, t in zip(lemma_docs, texts, strict=True))
    stacked = sp.hstack(
        [np.sqrt(lemma_weight) * normalize(word), np.sqrt(1 - lemma_weight) * normalize(char)]
    ).tocsr()
    return normalize(stacked)


def _backend(backend, lemma_weight: float = DEFAULT_LEMMA_WEIGHT):
    """`backend`, or the TF-IDF backend with `lemma_weight` when none is given."""
    if backend is not None:
        return backend
    from medvirk.similarity import TfidfBackend

    return TfidfBackend(lemma_weight)


def cosine_similarity_sparse(a: sp.spmatrix, b: sp.spmatrix) -> sp.csr_matrix:
    """Cosine similarity of the rows of two row-normalised sparse matrices (sparse result)."""
    return (a @ b.T).tocsr()


def cluster(
    features: sp.spmatrix,
    distance_threshold: float = DEFAULT_THRESHOLD,
    *,
    exact_limit: int = EXACT_LIMIT,
    n_neighbors: int = N_NEIGHBORS,
    neighbours: str = "exact",
    graph: sp.spmatrix | None = None,
) -> np.ndarray:
    """Group labels (0..k-1, numbered by first appearance) from average-linkage clustering.

    Up to `exact_limit` rows: the full cosine distance matrix (`average_linkage_tree`, cut
    as scikit-learn cuts). Above it:
    `sparse_average_linkage` on each row's `n_neighbors` nearest neighbours, found exactly
    or approximately (`neighbours`, see `knn_distance_graph`). Pass that `graph` to skip
    the search, e.g. in a threshold sweep.
    """
    n = features.shape[0]
    if n == 0:
        return np.array([], dtype=int)
    if n == 1:
        return np.array([0])
    if n > exact_limit:
        if graph is None:
            graph = knn_distance_graph(features, n_neighbors, neighbours=neighbours)
        return sparse_average_linkage(graph, distance_threshold)
    return cut_tree(average_linkage_tree(features), distance_threshold)


def average_linkage_tree(features: sp.spmatrix) -> tuple[np.ndarray, np.ndarray]:
    """The merges of average-linkage clustering on the full cosine distance matrix of the rows
    of `features` (at least two): `children` (merge i joins the two nodes in row i; nodes
    below n are rows, node n + i is merge i) and each merge's distance, as scipy's `linkage`
    gives them. This is the tree scikit-learn's AgglomerativeClustering(metric="precomputed",
    linkage="average") builds, so cutting it (`cut_tree`) gives its groups; built once, it
    can be cut at any number of thresholds (a threshold sweep, cross-validation).
    """
    sim = (features @ features.T).toarray()
    dist = np.clip(1.0 - sim, 0.0, None)
    np.fill_diagonal(dist, 0.0)
    i, j = np.triu_indices(dist.shape[0], k=1)
    out = hierarchy.linkage(dist[i, j], method="average")
    return out[:, :2].astype(int), out[:, 2]


def cut_tree(tree: tuple[np.ndarray, np.ndarray], distance_threshold: float) -> np.ndarray:
    """Group labels (numbered by first appearance) of `tree` cut at `distance_threshold`.

    As scikit-learn cuts: the number of groups is 1 + the number of merges at a distance of at
    least the threshold, and the groups are what the merges before those join (the last
    merges are undone, in order).
    """
    children, distances = tree
    n = len(children) + 1
    applied = n - 1 - int(np.count_nonzero(distances >= distance_threshold))
    top = np.arange(2 * n - 1)
    # From the last applied merge down: each node takes the group of the merge above it.
    for m in range(applied - 1, -1, -1):
        top[children[m]] = top[n + m]
    return renumber(top[:n])


def knn_distance_graph(
    features: sp.spmatrix,
    n_neighbors: int = N_NEIGHBORS,
    *,
    neighbours: str = "exact",
    block: int = 2048,
) -> sp.csr_matrix:
    """Sparse symmetric n × n matrix of cosine distances from each row to its nearest neighbours.

    `neighbours="exact"`: each row's `n_neighbors` nearest rows, exactly; ties go to the
    smaller row number. Similarities are computed in float32 by dense matrix products (BLAS)
    over blocks of the upper triangle (each block serves its rows and its columns); columns
    that few rows have are multiplied sparse instead, so memory stays bounded however many
    features there are. Every row keeps the candidates within the float32 rounding bound of
    its k-th best, and these are re-scored in float64 before the k nearest are taken, so the
    result is the exact float64 top k. `neighbours="approximate"`: the frequent (dense)
    columns are first reduced to `APPROXIMATE_DIMENSIONS` by a truncated SVD, and each
    row's `APPROXIMATE_CANDIDATES` × k nearest by that estimate are re-scored exactly;
    less work, but a row can miss a true neighbour (benchmarks/README.md has the time saved
    and the agreement with the exact groups).

    An edge (i, j) is kept when either row has the other among its nearest; zero distances
    are stored as 1e-12 so duplicates keep their edge.
    """
    if neighbours not in NEIGHBOUR_METHODS:
        raise ValueError(f"neighbours must be one of {NEIGHBOUR_METHODS}, got {neighbours!r}")
    features = sp.csr_matrix(features, dtype=np.float64, copy=True)
    features.sum_duplicates()  # canonical: sorted column indices, each cell once
    n = features.shape[0]
    k = min(n_neighbors, n - 1)
    if k < 1:
        return sp.csr_matrix((n, n))
    dense, rest = _split_columns(features)
    if neighbours == "exact":
        # Bound on the float32 error of a dot product of two unit rows, twice (a candidate
        # and the k-th best can both be off).
        margin, n_candidates = 2.0 * (dense.shape[1] + 8) * _UNIT_ROUNDOFF_32, k
    else:
        dense = _reduced_features(dense, APPROXIMATE_DIMENSIONS)
        margin, n_candidates = 0.0, min(APPROXIMATE_CANDIDATES * k, n - 1)
    rows, cols = _candidate_neighbours(dense, rest, n_candidates, margin=margin, block=block)
    # Re-score each distinct pair once, exactly, then keep each row's k nearest.
    lo, hi = np.minimum(rows, cols), np.maximum(rows, cols)
    pair, inverse = np.unique(lo * n + hi, return_inverse=True)
    sims = _exact_similarities(features, pair // n, pair % n)
    order = np.lexsort((cols, -sims[inverse], rows))
    rank = np.arange(len(rows)) - np.searchsorted(rows[order], rows[order])
    chosen = np.unique(inverse[order][rank < k])
    lo, hi = pair[chosen] // n, pair[chosen] % n
    dist = np.clip(1.0 - sims[chosen], 1e-12, 1.0)
    return sp.csr_matrix(
        (np.concatenate([dist, dist]), (np.concatenate([lo, hi]), np.concatenate([hi, lo]))),
        shape=(n, n),
    )


NEIGHBOUR_METHODS = ("exact", "approximate")
# The approximate search: dimensions of the truncated SVD, and candidates per neighbour
# re-scored exactly.
APPROXIMATE_DIMENSIONS = 64
APPROXIMATE_CANDIDATES = 3
_UNIT_ROUNDOFF_32 = 2.0**-24
# Columns that at least this share of rows have are multiplied dense, up to this many bytes.
_DENSE_SHARE = 1 / 64
_DENSE_BYTES = 1 << 30
# Re-scoring: bytes of float64 feature rows held dense at once, products per chunk.
_RESCORE_BYTES = 64 << 20
_RESCORE_PRODUCTS = 1 << 20


def _split_columns(features: sp.csr_matrix) -> tuple[np.ndarray, sp.csr_matrix | None]:
    """The feature columns many rows have, as a dense float32 array, and the rest, sparse.

    Dense products pay for every cell; sparse ones for each pair of rows sharing a column,
    so a column goes dense when at least `_DENSE_SHARE` of the rows have it (most often
    first), as long as the dense array stays under `_DENSE_BYTES`.
    """
    n, d = features.shape
    df = np.bincount(features.indices, minlength=d)
    by_df = np.argsort(-df, kind="stable")
    n_dense = min(int((df >= _DENSE_SHARE * n).sum()), _DENSE_BYTES // (4 * max(n, 1)))
    dense_cols = np.sort(by_df[:n_dense])
    dense = features[:, dense_cols].astype(np.float32).toarray()
    if n_dense == d:
        return dense, None
    rest = features[:, np.sort(by_df[n_dense:])]
    return dense, rest


def _reduced_features(dense: np.ndarray, dimensions: int) -> np.ndarray:
    """`dense` projected on its first `dimensions` right singular vectors (float32), so that
    dot products of the projected rows approximate those of the rows."""
    from sklearn.decomposition import TruncatedSVD

    if dimensions >= min(dense.shape):
        return dense
    return TruncatedSVD(dimensions, random_state=0).fit_transform(dense).astype(np.float32)


class _Candidates:
    """Candidate neighbours of one block of rows, pruned to those that can still be among
    each row's k nearest: a candidate is kept while its similarity is at least the row's
    k-th best so far minus `margin` (`floor`)."""

    def __init__(self, n_rows: int, k: int, margin: float):
        self.k, self.margin = k, np.float32(margin)
        self.floor = np.full(n_rows, -np.inf, dtype=np.float32)
        self.parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self.added = 0

    def add(self, rows: np.ndarray, cols: np.ndarray, sims: np.ndarray) -> None:
        self.parts.append((rows, cols, sims))
        self.added += len(rows)
        if self.added > 4 * self.k * len(self.floor):
            self.prune()

    def prune(self) -> None:
        rows, cols, sims = (np.concatenate(p) for p in zip(*self.parts, strict=True))
        order = np.argsort(rows.astype(np.uint64) << 32 | _descending_key(sims))
        rows, cols, sims = rows[order], cols[order], sims[order]
        start = np.searchsorted(rows, np.arange(len(self.floor)))
        full = np.diff(np.append(start, len(rows))) >= self.k
        kth = np.full(len(self.floor), -np.inf, dtype=np.float32)
        kth[full] = sims[start[full] + self.k - 1]
        self.floor = np.maximum(self.floor, kth - self.margin)
        keep = sims >= self.floor[rows]
        self.parts = [(rows[keep], cols[keep], sims[keep])]
        self.added = 0


def _descending_key(values: np.ndarray) -> np.ndarray:
    """uint64 keys of float32 values that sort in descending order of the values."""
    bits = values.astype(np.float32).view(np.uint32).astype(np.uint64)
    ascending = np.where(bits >> 31 == 1, bits ^ 0xFFFFFFFF, bits | 0x80000000)
    return 0xFFFFFFFF - ascending


def _candidate_neighbours(
    dense: np.ndarray, rest: sp.csr_matrix | None, k: int, *, margin: float, block: int
) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (row, col), row != col, sorted by row, holding for each row every col whose
    similarity is within `margin` of the row's k-th largest: similarity is the dot product
    of `dense` rows plus that of `rest` rows (when given)."""
    n = dense.shape[0]
    starts = range(0, n, block)
    blocks = [_Candidates(min(block, n - s), k, margin) for s in starts]

    def similarities(i0: int, j0: int) -> np.ndarray:
        s = dense[i0 : i0 + block] @ dense[j0 : j0 + block].T
        if rest is not None:
            p = (rest[i0 : i0 + block] @ rest[j0 : j0 + block].T).tocoo()
            s[p.row, p.col] += p.data.astype(np.float32)
        return s

    def add(to: _Candidates, s: np.ndarray, keep: np.ndarray, i0: int, j0: int, by_row: bool):
        r, c = np.divmod(np.flatnonzero(keep), s.shape[1])
        sims = s[r, c]
        r, c = r.astype(np.int32), c.astype(np.int32)
        if by_row:
            to.add(r, c + j0, sims)
        else:
            to.add(c, r + i0, sims)

    # Each block with itself first: its k-th best is a first floor for its rows.
    for b, i0 in zip(blocks, starts, strict=True):
        s = similarities(i0, i0)
        np.fill_diagonal(s, -np.inf)
        if s.shape[1] > k:
            b.floor = np.partition(s, s.shape[1] - k, axis=1)[:, -k] - b.margin
        keep = s >= b.floor[:, None]
        np.fill_diagonal(keep, False)
        add(b, s, keep, i0, i0, by_row=True)
    # Then each pair of blocks once: its rows' candidates, then its columns'.
    for bi, i0 in enumerate(starts):
        for bj in range(bi + 1, len(blocks)):
            j0 = starts[bj]
            s = similarities(i0, j0)
            add(blocks[bi], s, s >= blocks[bi].floor[:, None], i0, j0, by_row=True)
            add(blocks[bj], s, s >= blocks[bj].floor[None, :], i0, j0, by_row=False)
    rows, cols = [], []
    for b, i0 in zip(blocks, starts, strict=True):
        b.prune()
        r, c, _ = b.parts[0]
        rows.append(r.astype(np.int64) + i0)
        cols.append(c.astype(np.int64))
    return np.concatenate(rows), np.concatenate(cols)


def _exact_similarities(features: sp.csr_matrix, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Dot products of `features` rows `rows[p]` and `cols[p]` in float64 (`rows` sorted).

    Each is the sum of the products over the columns both rows have, in column order, so
    it is the same for (i, j) and (j, i) and equal for identical rows. A strip of rows is
    held dense (at most `_RESCORE_BYTES`); the pairs are taken a chunk at a time, each
    chunk's `cols` rows expanded to `_RESCORE_PRODUCTS` products at most.
    """
    if not features.has_canonical_format:
        features = features.copy()
        features.sum_duplicates()
    n, d = features.shape
    height = max(1, min(n, _RESCORE_BYTES // (8 * max(d, 1))))
    expanded = np.cumsum(np.diff(features.indptr)[cols])
    cuts = np.concatenate(
        [
            np.searchsorted(rows, np.arange(0, n, height)),
            np.searchsorted(
                expanded, np.arange(0, expanded[-1] if len(rows) else 0, _RESCORE_PRODUCTS)
            ),
            [len(rows)],
        ]
    )
    cuts = np.unique(cuts)
    out = np.zeros(len(rows))
    # One dense buffer for the strips: only a strip's own cells are written and cleared.
    strip = np.zeros((min(height, n), d))
    strip_start, cells = -1, (np.array([], dtype=int), np.array([], dtype=int))
    for s, e in zip(cuts[:-1], cuts[1:], strict=True):
        i0 = rows[s] // height * height
        if i0 != strip_start:
            strip[cells] = 0.0
            part = features[i0 : i0 + height].tocoo()
            cells = (part.row, part.col)
            strip[cells] = part.data
            strip_start = i0
        other = features[cols[s:e]]
        owner = np.repeat(np.arange(e - s), np.diff(other.indptr))
        products = other.data * strip[rows[s:e][owner] - i0, other.indices]
        shared = products != 0
        out[s:e] = _segment_sums(products[shared], owner[shared], e - s)
    return out


def _segment_sums(values: np.ndarray, segment: np.ndarray, n_segments: int) -> np.ndarray:
    """Sum of `values` per `segment` (sorted ids 0..n_segments-1), 0 for empty segments."""
    out = np.zeros(n_segments)
    if len(values):
        starts = np.flatnonzero(np.diff(segment, prepend=-1))
        out[segment[starts]] = np.add.reduceat(values, starts)
    return out


def sparse_average_linkage(graph: sp.spmatrix, distance_threshold: float) -> np.ndarray:
    """Average-linkage clustering cut at `distance_threshold`, from a sparse distance graph.

    Pairs without an edge count as distance 1, the largest cosine distance between
    non-negative TF-IDF vectors, so a cluster pair never looks closer than it is; with
    every pair in the graph this is exact average linkage. Clusters are joined in rounds:
    every two clusters that are each other's nearest (ties to the smaller cluster number)
    and within the threshold are joined at once. Average linkage is reducible (joining two
    clusters never brings a third closer than it was to one of them), so this gives the
    same groups as joining the closest pair one at a time; each round is a few vectorised
    passes over the edges. A cluster with no neighbour within the threshold is set aside
    for good, with its edges.
    """
    graph = sp.csr_matrix(graph)
    n = graph.shape[0]
    upper = sp.triu(graph, k=1).tocoo()
    u, v = upper.row.astype(np.int64), upper.col.astype(np.int64)
    total = upper.data.astype(np.float64)  # sum of the known distances between two clusters
    count = np.ones(len(u))  # number of known pairs between them
    size = np.ones(n)
    cluster_of = np.arange(n)
    while len(u):
        pairs = size[u] * size[v]
        link = (total + (pairs - count)) / pairs
        ends, others = np.concatenate([u, v]), np.concatenate([v, u])
        links = np.concatenate([link, link])
        best = np.full(n, np.inf)
        np.minimum.at(best, ends, links)
        tied = links == best[ends]
        nearest = np.full(n, n, dtype=np.int64)
        np.minimum.at(nearest, ends[tied], others[tied])
        alive = best <= distance_threshold
        a = np.flatnonzero(alive)
        a = a[(nearest[a] > a) & (nearest[nearest[a]] == a)]
        if len(a) == 0:
            break
        b = nearest[a]
        new_id = np.arange(n)
        new_id[b] = a
        size[a] += size[b]
        cluster_of = new_id[cluster_of]
        # A cluster with no linkage within the threshold never joins again: the linkage
        # to a union of two clusters is a weighted mean of linkages that are all above it.
        keep = alive[u] & alive[v]
        u, v, total, count = new_id[u[keep]], new_id[v[keep]], total[keep], count[keep]
        outer = u != v
        lo, hi = np.minimum(u, v)[outer], np.maximum(u, v)[outer]
        total_m = sp.csr_matrix((total[outer], (lo, hi)), shape=(n, n))
        count_m = sp.csr_matrix((count[outer], (lo, hi)), shape=(n, n))
        coo = total_m.tocoo()
        u, v = coo.row.astype(np.int64), coo.col.astype(np.int64)
        total, count = total_m.data, count_m.data
    return renumber(cluster_of)


def neighbour_notices(n_items: int, neighbours: str) -> list[Notice]:
    """A run-summary notice when the approximate neighbour search shaped the proposals
    (`neighbours="approximate"` and more than `EXACT_LIMIT` items); none otherwise."""
    if neighbours != "approximate" or n_items <= EXACT_LIMIT:
        return []
    return [
        Notice(
            effect="agreement",
            step="propose_merges",
            kind="approximate_neighbours",
            file="",
            where="",
            nb=(
                f"De nærmeste naboene til {n_items} faktorer ble funnet tilnærmet "
                "(merge.neighbours: approximate): de foreslåtte gruppene, evalueringen mot "
                "lesernes sammenslåing og terskelsøket kan avvike fra et eksakt søk. "
                "Sett merge.neighbours: exact for eksakte grupper."
            ),
            en=(
                f"The nearest neighbours of {n_items} factors were found approximately "
                "(merge.neighbours: approximate): the proposed groups, their evaluation against "
                "the readers' merge and the threshold sweep can differ from an exact search. "
                "Set merge.neighbours: exact for exact groups."
            ),
        )
    ]


def renumber(labels: Sequence[int]) -> np.ndarray:
    """Relabel groups 0, 1, 2... in order of first appearance (stable across runs)."""
    mapping: dict = {}
    return np.array([mapping.setdefault(lab, len(mapping)) for lab in labels], dtype=int)


def propose_groups(
    items: pd.DataFrame,
    distance_threshold: float = DEFAULT_THRESHOLD,
    *,
    lemma_weight: float = DEFAULT_LEMMA_WEIGHT,
    features: sp.spmatrix | None = None,
    neighbours: str = "exact",
    graph: sp.spmatrix | None = None,
    tree: tuple[np.ndarray, np.ndarray] | None = None,
    id_column: str = "raw_factor_id",
    text_column: str = "text",
    backend=None,
) -> pd.DataFrame:
    """One row per item with its proposed group and the group's representative label.

    Columns: group_id (G001...), `id_column`, `text_column`, group_size, representative
    (the member text closest to the group centroid), similarity_to_centroid. Pass
    `features` (from `featurize` or `backend.vectors`) and, above `EXACT_LIMIT` items, the
    nearest-neighbour `graph` (from `knn_distance_graph`) to skip recomputing them, e.g. in a
    threshold sweep; likewise, up to `EXACT_LIMIT` items, the `tree` of
    `average_linkage_tree`; `backend` (`medvirk.similarity`) makes the features (default: TF-IDF).
    `neighbours` (exact or approximate) says how that graph is searched when not given.
    """
    texts = items[text_column].astype(str).tolist()
    if features is None:
        features = _backend(backend, lemma_weight).vectors(texts)
    if tree is not None:
        labels = cut_tree(tree, distance_threshold)
    else:
        labels = cluster(features, distance_threshold, neighbours=neighbours, graph=graph)
    out = pd.DataFrame({id_column: items[id_column].to_numpy(), text_column: texts})
    out["group"] = labels
    sims = np.zeros(len(texts))
    reps: dict[int, str] = {}
    for group, idx in out.groupby("group").indices.items():
        centroid = normalize(sp.csr_matrix(features[idx].mean(axis=0)))
        s = (features[idx] @ centroid.T).toarray().ravel()
        sims[idx] = s
        reps[group] = texts[idx[int(np.argmax(s))]]
    out["similarity_to_centroid"] = sims.round(4)
    out["representative"] = out["group"].map(reps)
    out["group_size"] = out.groupby("group")[id_column].transform("size")
    width = max(3, len(str(len(reps))))
    out["group_id"] = ["G" + str(g + 1).zfill(width) for g in out["group"]]
    cols = ["group_id", id_column, text_column, "group_size", "representative"]
    out = out[cols + ["similarity_to_centroid"]].sort_values(["group_id", id_column])
    return out.reset_index(drop=True)


def suggest_codebook_factors(
    phrases: pd.DataFrame,
    codebook: pd.DataFrame,
    *,
    top_k: int = 3,
    lemma_weight: float = DEFAULT_LEMMA_WEIGHT,
    id_column: str = "raw_factor_id",
    text_column: str = "text",
    codebook_text_column: str = "codebook_text",
    backend=None,
) -> pd.DataFrame:
    """The `top_k` nearest codebook factors for each phrase, with cosine similarity.

    `codebook` has factor_id, label_nb and `codebook_text_column` (the text that stands
    for the factor, e.g. its label plus the raw texts merged into it) or `exemplars` (those
    texts as a list, see `codebook_texts`). `backend` (`medvirk.similarity`, default TF-IDF)
    scores each phrase against each factor: TF-IDF fits codebook and phrases together and
    compares with the joined text; embeddings take the nearest exemplar. Only an n_phrases
    × n_factors matrix is built. Long format: one row per phrase × rank; ties go to the
    factor listed first.
    """
    cols = [id_column, text_column, "rank", "factor_id", "label_nb", "similarity"]
    if phrases.empty or codebook.empty:
        return pd.DataFrame(columns=cols)
    if "exemplars" in codebook.columns:
        exemplars = [list(e) for e in codebook["exemplars"]]
    else:
        exemplars = [[t] for t in codebook[codebook_text_column].astype(str)]
    ph_texts = phrases[text_column].astype(str).tolist()
    sim = _backend(backend, lemma_weight).factor_similarity(ph_texts, exemplars)
    k = min(top_k, len(exemplars))
    idx = np.argsort(-sim, axis=1, kind="stable")[:, :k]
    rows = pd.DataFrame(
        {
            id_column: np.repeat(phrases[id_column].to_numpy(), k),
            text_column: np.repeat(ph_texts, k),
            "rank": np.tile(np.arange(1, k + 1), len(ph_texts)),
            "factor_id": codebook["factor_id"].to_numpy()[idx.ravel()],
            "label_nb": codebook["label_nb"].to_numpy()[idx.ravel()],
            "similarity": np.take_along_axis(sim, idx, axis=1).ravel().round(4),
        }
    )
    return rows[cols]


SUGGESTION_COLUMNS = [
    "source",
    "raw_factor_id",
    "example_id",
    "coder",
    "text",
    "n_coders",
    "n_examples",
    "rank",
    "factor_id",
    "label_nb",
    "similarity",
]
SOURCE_RAW = "raw_factor"
SOURCE_CODER = "coder_sheet"


def same_factor_key(texts: Sequence[str]) -> list[str]:
    """A key per text under which near-identical wordings count as the same factor: the
    distinct content lemmas in sorted order ("Felles mål" ~ "felles målene"), or the
    lower-cased words when a text has no content lemma."""
    texts = [str(t) for t in texts]
    return [
        " ".join(sorted(set(ls))) or " ".join(t.lower().split())
        for ls, t in zip(lemmatize_texts(texts), texts, strict=True)
    ]


def suggestion_table(
    unmapped: pd.DataFrame,
    codebook: pd.DataFrame,
    free_text: pd.DataFrame | None = None,
    *,
    top_k: int = 3,
    lemma_weight: float = DEFAULT_LEMMA_WEIGHT,
    backend=None,
) -> pd.DataFrame:
    """Nearest codebook factors for raw factors the merge map leaves unmapped and for the
    free-text factors coders wrote in their sheets, one row per phrase × rank.

    `unmapped` has raw_factor_id, text (and example_id if known); `free_text` has
    example_id, coder, text (see `medvirk.codings.free_text_factors`). `source` says where a
    phrase came from (`raw_factor` or `coder_sheet`). For coders' factors, `n_coders` and
    `n_examples` count the coders and examples that named the same factor (same content
    lemmas, see `same_factor_key`), so a factor several coders found independently stands
    out. E-mail addresses and phone numbers in free text are replaced by placeholders.
    The two sources are searched separately, so the raw factors' suggestions do not depend
    on what coders wrote. Sorted by source, raw factor, example, coder, text and rank.
    """
    from medvirk.privacy import scrub_text

    parts = []
    if not unmapped.empty:
        raw = suggest_codebook_factors(
            unmapped, codebook, top_k=top_k, lemma_weight=lemma_weight, backend=backend
        ).drop(columns="text")
        examples = unmapped.get("example_id", pd.Series("", index=unmapped.index))
        phrases = unmapped.assign(example_id=examples.fillna(""))[
            ["raw_factor_id", "example_id", "text"]
        ]
        parts.append(phrases.merge(raw, on="raw_factor_id").assign(source=SOURCE_RAW))
    if free_text is not None and not free_text.empty:
        phrases = free_text[["example_id", "coder", "text"]].astype(str)
        phrases = phrases.assign(text=phrases["text"].map(scrub_text)).drop_duplicates()
        phrases = phrases.reset_index(drop=True).assign(phrase_id=lambda d: d.index)
        key = pd.Series(same_factor_key(phrases["text"].tolist()), index=phrases.index)
        phrases["n_coders"] = phrases.groupby(key)["coder"].transform("nunique")
        phrases["n_examples"] = phrases.groupby(key)["example_id"].transform("nunique")
        near = suggest_codebook_factors(
            phrases,
            codebook,
            top_k=top_k,
            lemma_weight=lemma_weight,
            id_column="phrase_id",
            backend=backend,
        ).drop(columns="text")
        parts.append(phrases.merge(near, on="phrase_id").assign(source=SOURCE_CODER))
    if not parts:
        return pd.DataFrame(columns=SUGGESTION_COLUMNS)
    out = pd.concat(parts, ignore_index=True).reindex(columns=SUGGESTION_COLUMNS)
    for col in ("raw_factor_id", "example_id", "coder"):
        out[col] = out[col].map(lambda v: "" if pd.isna(v) else str(v))
    out[["n_coders", "n_examples"]] = out[["n_coders", "n_examples"]].astype("Int64")
    out = out.sort_values(["source", "raw_factor_id", "example_id", "coder", "text", "rank"])
    return out.reset_index(drop=True)


def codebook_texts(factors: pd.DataFrame, assignments: pd.DataFrame | None = None) -> pd.DataFrame:
    """Codebook factors with the text that stands for each: label plus merged raw texts
    (`codebook_text`), and the same texts as a list (`exemplars`: the label, then each raw
    text the merge map puts under the factor, in the merge map's order)."""
    out = factors[["factor_id", "label_nb"]].copy()
    merged: dict = {}
    if assignments is not None and not assignments.empty:
        merged = _mapped(assignments).groupby("factor_id")["text"].agg(lambda s: list(map(str, s)))
    out["exemplars"] = [
        [str(label), *merged.get(f, [])]
        for f, label in zip(out["factor_id"], out["label_nb"], strict=True)
    ]
    out["codebook_text"] = [" ".join(e).strip() for e in out["exemplars"]]
    return out[["factor_id", "label_nb", "codebook_text", "exemplars"]]


def unmapped_raw_factors(assignments: pd.DataFrame | None) -> pd.DataFrame:
    """Raw factors the merge map puts under no factor; none when the study has no raw factors."""
    if assignments is None:
        return pd.DataFrame(columns=["raw_factor_id", "example_id", "text"])
    return assignments[assignments["factor_id"] == ""]


def _mapped(human: pd.DataFrame) -> pd.DataFrame:
    """Rows the human merge assigned to a factor (factor_id neither missing nor empty)."""
    keep = human["factor_id"].notna() & (human["factor_id"].astype(str).str.strip() != "")
    return human[keep]


def suggestion_accuracy(
    human: pd.DataFrame, factors: pd.DataFrame, *, backend=None
) -> dict[str, float]:
    """Share of mapped raw factors whose human factor is the nearest (top 1) or among the
    three nearest (top 3) codebook labels. Only the labels stand for the codebook here, so
    no raw text is compared with itself."""
    mapped = _mapped(human)
    if mapped.empty:
        return {"suggestion_top1_accuracy": float("nan"), "suggestion_top3_accuracy": float("nan")}
    sug = suggest_codebook_factors(mapped, codebook_texts(factors), top_k=3, backend=backend)
    truth = mapped.set_index("raw_factor_id")["factor_id"]
    hit = sug["factor_id"].to_numpy() == sug["raw_factor_id"].map(truth).to_numpy()
    sug = sug.assign(hit=hit)
    top1 = sug[sug["rank"] == 1]["hit"].mean()
    top3 = sug.groupby("raw_factor_id")["hit"].any().mean()
    return {"suggestion_top1_accuracy": float(top1), "suggestion_top3_accuracy": float(top3)}


def contingency(human: Sequence, proposed: Sequence) -> np.ndarray:
    """Counts of items per (human group, proposed group): a dense rows x columns table."""
    _, a = np.unique(np.asarray(human), return_inverse=True)
    _, b = np.unique(np.asarray(proposed), return_inverse=True)
    if not len(a):
        return np.zeros((0, 0), dtype=np.int64)
    shape = (a.max() + 1, b.max() + 1)
    return np.bincount(a * shape[1] + b, minlength=shape[0] * shape[1]).reshape(shape)


def adjusted_rand_index(human: Sequence, proposed: Sequence) -> float:
    """Adjusted Rand index of `proposed` against `human` groups (Hubert & Arabie 1985), by
    counting pairs of items: the same arithmetic as scikit-learn's `adjusted_rand_score`
    (pair counts as exact integers, then one division), without its input checks, which
    cost more than the index where a sweep scores hundreds of groupings."""
    table = contingency(human, proposed).astype(np.int64)
    n = int(table.sum())
    if n == 0:
        return 1.0
    cells, rows, cols = table.ravel(), table.sum(axis=1), table.sum(axis=0)
    same_both = int((cells**2).sum()) - n  # ordered pairs together in both (2 x tp)
    same_human = int((rows**2).sum()) - n
    same_proposed = int((cols**2).sum()) - n
    tp = same_both
    fn = same_human - same_both  # together in human only
    fp = same_proposed - same_both  # together in the proposal only
    tn = n * n - fp - fn - (tp + n)  # apart in both (n^2 less the rest and the n self-pairs)
    if fn == 0 and fp == 0:
        return 1.0
    return 2.0 * (tp * tn - fn * fp) / ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn))


def grouping_scores(human: Sequence, proposed: Sequence) -> dict[str, float]:
    """ARI, AMI, homogeneity and completeness of `proposed` against `human` groups."""
    return {
        "adjusted_rand_index": adjusted_rand_index(human, proposed),
        "adjusted_mutual_information": float(adjusted_mutual_info_score(human, proposed)),
        "homogeneity": float(homogeneity_score(human, proposed)),
        "completeness": float(completeness_score(human, proposed)),
        "n_groups_proposed": float(len(set(proposed))),
        "n_groups_human": float(len(set(human))),
    }


def misplaced_factors(
    proposed: pd.DataFrame, human: pd.DataFrame, *, id_column: str = "raw_factor_id"
) -> pd.DataFrame:
    """Items whose human factor differs from the majority human factor of their group.

    `proposed` has group_id and `id_column`; `human` has `id_column`, text and factor_id.
    Ties for the majority go to the smallest factor_id, so the table is reproducible.
    """
    merged = proposed[["group_id", id_column]].merge(
        human[[id_column, "text", "factor_id"]], on=id_column, how="inner"
    )
    majority = (
        merged.groupby(["group_id", "factor_id"])
        .size()
        .rename("n")
        .reset_index()
        .sort_values(["group_id", "n", "factor_id"], ascending=[True, False, True])
        .drop_duplicates("group_id")
        .set_index("group_id")["factor_id"]
    )
    merged["group_majority_factor_id"] = merged["group_id"].map(majority)
    wrong = merged[merged["factor_id"] != merged["group_majority_factor_id"]]
    return wrong.rename(columns={"factor_id": "human_factor_id"}).sort_values(id_column)[
        [id_column, "text", "human_factor_id", "group_id", "group_majority_factor_id"]
    ]


def n_misplaced(human: Sequence, proposed: Sequence) -> int:
    """How many items `misplaced_factors` lists: in each proposed group, the items whose human
    factor is not the group's most frequent one (whichever of tied factors it names, as many
    items remain)."""
    table = contingency(human, proposed)
    if not table.size:
        return 0
    return int(table.sum() - table.max(axis=0).sum())


def evaluate(
    proposed: pd.DataFrame,
    human: pd.DataFrame,
    *,
    distance_threshold: float | None = None,
    factors: pd.DataFrame | None = None,
    id_column: str = "raw_factor_id",
) -> pd.DataFrame:
    """Evaluation table (metric, value) of a proposal against the human merge.

    Only items the human merge mapped to a factor are compared. With `factors` (the
    codebook), the top-1/top-3 accuracy of codebook suggestions is added.
    """
    mapped = _mapped(human)
    both = mapped[[id_column, "factor_id"]].merge(
        proposed[[id_column, "group_id"]], on=id_column, how="inner"
    )
    scores = grouping_scores(both["factor_id"].tolist(), both["group_id"].tolist())
    scores["n_factors_evaluated"] = float(len(both))
    scores["n_misplaced"] = float(n_misplaced(both["factor_id"], both["group_id"]))
    if factors is not None:
        scores.update(suggestion_accuracy(human, factors))
    if distance_threshold is not None:
        scores["distance_threshold"] = float(distance_threshold)
    return pd.DataFrame({"metric": list(scores), "value": [round(v, 4) for v in scores.values()]})


def threshold_sweep(
    items: pd.DataFrame,
    human: pd.DataFrame,
    thresholds: Sequence[float],
    *,
    lemma_weight: float = DEFAULT_LEMMA_WEIGHT,
    neighbours: str = "exact",
    id_column: str = "raw_factor_id",
    backend=None,
) -> pd.DataFrame:
    """One row per threshold with every evaluation metric as a column. The features, and
    above `EXACT_LIMIT` items the nearest-neighbour graph, are computed once for all."""
    features = _backend(backend, lemma_weight).vectors(items["text"].astype(str).tolist())
    graph = tree = None
    if len(items) > EXACT_LIMIT:
        graph = knn_distance_graph(features, neighbours=neighbours)
    elif len(items) > 1:
        tree = average_linkage_tree(features)
    rows = []
    for t in thresholds:
        # Only the groups are scored, so their representatives are not looked for here.
        labels = cut_tree(tree, t) if tree is not None else cluster(features, t, graph=graph)
        proposed = pd.DataFrame({id_column: items[id_column].to_numpy(), "group_id": labels})
        ev = evaluate(proposed, human, id_column=id_column).set_index("metric")["value"]
        rows.append({"distance_threshold": round(float(t), 4), **ev.to_dict()})
    return pd.DataFrame(rows)


def choose_threshold(sweep: pd.DataFrame, n_groups_target: float | None = None) -> float:
    """The threshold with the highest ARI; ties go to the number of groups nearest the
    human count (or `n_groups_target`), then to the smaller threshold."""
    target = n_groups_target if n_groups_target is not None else sweep["n_groups_human"].iloc[0]
    ranked = sweep.assign(
        _gap=(sweep["n_groups_proposed"] - target).abs(),
    ).sort_values(
        ["adjusted_rand_index", "_gap", "distance_threshold"], ascending=[False, True, True]
    )
    return float(ranked["distance_threshold"].iloc[0])


def sweep_figure(sweep: pd.DataFrame, configured: float, title: str):
    """ARI and AMI against the distance threshold, the configured threshold marked, and the
    number of proposed groups against the human count on a second axis. Labels are Bokmål
    with English after a slash, as in the other figures (`medvirk.figures`)."""
    import matplotlib.pyplot as plt

    from medvirk.figures import STYLE

    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(8.5, 5.0))
        t = sweep["distance_threshold"]
        ax.plot(
            t,
            sweep["adjusted_rand_index"],
            "o-",
            color="black",
            label="Justert Rand-indeks / adjusted Rand index (ARI)",
        )
        ax.plot(
            t,
            sweep["adjusted_mutual_information"],
            "s--",
            color="0.45",
            label="Justert gjensidig informasjon / adjusted mutual information (AMI)",
        )
        ax.axvline(
            configured,
            color="0.2",
            linestyle=":",
            lw=1.5,
            label=f"Valgt terskel / configured threshold ({configured:g})",
        )
        ax.set_xlabel(
            "Avstandsterskel (cosinusavstand, 0–1) / distance threshold (cosine distance, 0–1)"
        )
        ax.set_ylabel(
            "Samsvar med manuell sammenslåing (1 = lik) /\n"
            "agreement with the manual merge (1 = identical)"
        )
        ax.set_title(title, loc="left")
        ax.set_ylim(min(0.0, float(sweep["adjusted_rand_index"].min())), 1.0)
        ax.grid(True, color="0.9")
        ax2 = ax.twinx()
        ax2.spines["right"].set_visible(True)
        ax2.plot(
            t,
            sweep["n_groups_proposed"],
            "^-",
            color="0.6",
            lw=1,
            label="Antall foreslåtte grupper / number of proposed groups",
        )
        human = sweep["n_groups_human"].iloc[0]
        ax2.axhline(
            human,
            color="0.6",
            lw=0.8,
            linestyle="-.",
            label=f"Manuelle grupper / groups in the manual merge ({human:g})",
        )
        ax2.set_ylabel("Antall grupper / number of groups")
        h1, l1 = ax.get_legend_handles_labels()
        h2, l2 = ax2.get_legend_handles_labels()
        ax2.legend(h1 + h2, l1 + l2, loc="center left", fontsize=7, framealpha=0.95)
    return fig


# Bokmål / English names of the evaluation metrics, for the LaTeX table.
METRIC_LABELS = {
    "adjusted_rand_index": "Justert Rand-indeks / adjusted Rand index (ARI)",
    "adjusted_rand_index_sd": "ARI, standardavvik mellom halvdelene / ARI, SD over the halves",
    "adjusted_mutual_information": "Justert gjensidig informasjon / adjusted mutual information (AMI)",
    "homogeneity": "Homogenitet / homogeneity",
    "completeness": "Fullstendighet / completeness",
    "n_groups_proposed": "Foreslåtte grupper / proposed groups",
    "n_groups_human": "Lesernes grupper / the readers' groups",
    "n_factors_evaluated": "Råfaktorer vurdert / raw factors evaluated",
    "n_heldout_halves": "Halvdeler holdt utenfor / held-out halves",
    "n_misplaced": "Feilplasserte råfaktorer / misplaced raw factors",
    "suggestion_top1_accuracy": "Nærmeste kodebokfaktor riktig, topp 1 / nearest codebook factor right, top 1",
    "suggestion_top3_accuracy": "Riktig blant de tre nærmeste / right among the three nearest, top 3",
    "distance_threshold": "Avstandsterskel / distance threshold",
}
# How each row of evaluation.csv was measured (column `evaluation`), Bokmål / English.
EVALUATION_LABELS = {
    "cross_validated": "kryssvalidert / cross-validated",
    "labels_only": "bare etiketter / labels only",
    "in_sample_configured": "valgt terskel, samme data / configured, in-sample",
}
BACKEND_LABELS = {"tfidf": "TF-IDF", "embedding": "Setningsvektorer / embeddings"}


def _digits(metric: str, value) -> int:
    """Decimals for a LaTeX cell: a count that is a whole number as an integer, else 2."""
    number = pd.to_numeric(value, errors="coerce")
    whole = not pd.isna(number) and float(number).is_integer()
    return 0 if metric.startswith("n_") and whole else 2


def evaluation_latex(evaluation: pd.DataFrame, study: str, used: str = "tfidf") -> str:
    """The merge evaluation (metric, evaluation, one column per backend) as a LaTeX table;
    counts as integers, a backend that could not run as ---."""
    from medvirk.tables import latex_escape, latex_number, latex_table

    backends = [c for c in evaluation.columns if c in BACKEND_LABELS]
    blocks = []
    for how, part in evaluation.groupby("evaluation", sort=False):
        rows = [
            [latex_escape(METRIC_LABELS.get(metric, metric))]
            + [latex_number(row[b], _digits(metric, row[b])) for b in backends]
            for metric, (_, row) in zip(part["metric"], part.iterrows(), strict=True)
        ]
        blocks.append((latex_escape(EVALUATION_LABELS.get(how, how)), rows))
    return latex_table(
        [r"Mål / \textit{metric}"] + [latex_escape(BACKEND_LABELS[b]) for b in backends],
        blocks,
        align=[r"p{0.55\linewidth}"] + ["r"] * len(backends),
        caption=(
            "Foreslått sammenslåing mot lesernes",
            f"proposed merge against the readers' merge ({study})",
        ),
        label=f"tab:{study}-merge-evaluation",
        note=(
            "Kryssvalidert: terskelen velges på en tilfeldig halvdel av råfaktorene og måles på "
            "den andre / cross-validated: the threshold is chosen on a random half of the raw "
            "factors and scored on the other. ARI og AMI / ARI and AMI: 1 = identisk / "
            f"identical, 0 = tilfeldig / chance. Forslagene bruker / the proposals use: {used}."
        ),
    )
