"""The merge proposals' sparse clustering as it was before issue 14, kept as a reference.

Brute-force exact nearest neighbours over sparse rows (`csr_matmat`, then `argpartition` on
each row) and a pure-Python heap over the kNN graph for average linkage. Too slow at 50,000
phrases (minutes), but simple: tests and `benchmarks/merge_scale.py` check that
`medvirk.merging` gives the same groups.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from medvirk.merging import renumber


def knn_distance_graph(
    features: sp.spmatrix, n_neighbors: int = 30, *, max_cells: int = 10_000_000
) -> sp.csr_matrix:
    """Sparse n × n matrix of cosine distances from each row to its nearest neighbours.

    Exact brute-force search on row-normalised sparse rows, a block of rows at a time, so
    at most `max_cells` similarities are held at once and no n × n matrix is ever built.
    The result is symmetric; zero distances are stored as 1e-12 so duplicates keep their
    edge.
    """
    features = sp.csr_matrix(features)
    n = features.shape[0]
    k = min(n_neighbors, n - 1)
    block = max(1, max_cells // max(n, 1))
    rows, cols, dists = [], [], []
    transposed = features.T.tocsc()
    for start in range(0, n, block):
        stop = min(n, start + block)
        sim = (features[start:stop] @ transposed).toarray()
        sim[np.arange(stop - start), np.arange(start, stop)] = -np.inf  # not its own neighbour
        idx = np.argpartition(-sim, k - 1, axis=1)[:, :k]
        rows.append(np.repeat(np.arange(start, stop), k))
        cols.append(idx.ravel())
        dists.append(1.0 - np.take_along_axis(sim, idx, axis=1).ravel())
    d = np.clip(np.concatenate(dists), 1e-12, 1.0)
    g = sp.csr_matrix((d, (np.concatenate(rows), np.concatenate(cols))), shape=(n, n))
    return g.maximum(g.T).tocsr()


def sparse_average_linkage(graph: sp.spmatrix, distance_threshold: float) -> np.ndarray:
    """Average-linkage clustering cut at `distance_threshold`, from a sparse distance graph.

    Pairs without an edge count as distance 1, the largest cosine distance between
    non-negative TF-IDF vectors, so a cluster pair never looks closer than it is; with
    every pair in the graph this is exact average linkage.
    Merges are taken cheapest first from a heap; cluster neighbourhoods are merged
    smaller-into-larger, so time grows about as edges × log(edges).
    """
    import heapq

    graph = sp.coo_matrix(graph)
    n = graph.shape[0]
    size = [1] * n
    # For each live cluster: neighbour -> [sum of known distances, number of known pairs].
    links: list[dict[int, list[float]] | None] = [{} for _ in range(n)]
    for i, j, d in zip(graph.row.tolist(), graph.col.tolist(), graph.data.tolist(), strict=True):
        if i < j:
            links[i][j] = [d, 1]
            links[j][i] = [d, 1]

    def linkage(a: int, b: int, total: float, count: float) -> float:
        pairs = size[a] * size[b]
        return (total + (pairs - count)) / pairs

    heap = [
        (linkage(i, j, t, c), i, j)
        for i in range(n)
        for j, (t, c) in links[i].items()
        if i < j and linkage(i, j, t, c) <= distance_threshold
    ]
    heapq.heapify(heap)
    parent = list(range(n))
    while heap:
        dist_ab, a, b = heapq.heappop(heap)
        if links[a] is None or links[b] is None or b not in links[a]:
            continue
        t, c = links[a][b]
        if abs(linkage(a, b, t, c) - dist_ab) > 1e-12:
            continue  # stale entry
        if len(links[a]) < len(links[b]):
            a, b = b, a
        # merge b into a
        del links[a][b]
        del links[b][a]
        for k, (tk, ck) in links[b].items():
            links[k].pop(b)
            entry = links[a].setdefault(k, [0.0, 0])
            entry[0] += tk
            entry[1] += ck
            links[k][a] = entry
        links[b] = None
        parent[b] = a
        size[a] += size[b]
        for k, (tk, ck) in links[a].items():
            d = linkage(a, k, tk, ck)
            if d <= distance_threshold:
                heapq.heappush(heap, (d, min(a, k), max(a, k)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    return renumber([root(i) for i in range(n)])
