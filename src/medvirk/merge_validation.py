"""The merge proposals of each similarity backend, measured honestly against the human merge.

The proposals need one setting, the distance at which average linkage stops merging. Choosing it
on the same raw factors it is then scored on gives a best case, not an estimate. Here it is
chosen by cross-validation: the mapped raw factors are split at random into two halves; on one
half the threshold with the highest adjusted Rand index (ARI) is chosen, and the other half is
clustered with it and scored (ARI, AMI, homogeneity, completeness, groups); then the halves
swap. This is repeated over `repeats` seeded splits, and the held-out scores are averaged.

The candidate thresholds are the 2.5 %, 5 %, ... 100 % quantiles of the pairwise cosine
distances of all the raw factors: the same rank-based grid for every backend, whatever the
scale of its distances (sentence embeddings crowd into a narrow band). The grid and the
vectors use the texts only, never the human groups. TF-IDF is fitted on all the raw factors'
texts (its vocabulary and weights see the held-out half's words, not its groups).

Nearest-factor accuracy (top 1 / top 3) compares each raw factor with the codebook's labels
only, so it has no setting to choose and no raw text is compared with itself.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from medvirk.merging import (
    _mapped,
    adjusted_rand_index,
    average_linkage_tree,
    cluster,
    cut_tree,
    grouping_scores,
    suggestion_accuracy,
)
from medvirk.similarity import BACKENDS

CV_METRICS = (
    "adjusted_rand_index",
    "adjusted_mutual_information",
    "homogeneity",
    "completeness",
    "n_groups_proposed",
    "n_groups_human",
)
N_QUANTILES = 40


def distance_grid(features, n: int = N_QUANTILES) -> np.ndarray:
    """Candidate thresholds: the k/n quantiles (k = 1..n) of the pairwise cosine distances of
    the rows of `features` (row-normalised), rounded to 4 decimals, without repeats."""
    sim = (features @ features.T).toarray() if hasattr(features, "toarray") else None
    if sim is None:
        sim = np.asarray(features @ features.T)
    upper = np.triu_indices(sim.shape[0], k=1)
    dist = np.clip(1.0 - sim[upper], 0.0, None)
    if not dist.size:
        return np.array([1.0])
    qs = np.quantile(dist, np.arange(1, n + 1) / n)
    # A threshold just above the largest distance joins everything; the quantile 1.0 equals it.
    return np.unique(np.round(qs, 4))


def sweep_grid(backend: str, step: float) -> np.ndarray:
    """Thresholds of the in-sample sweep (threshold_sweep.csv): step, 2*step, ..., 1 for
    TF-IDF; for embeddings, whose distances crowd into 0.05-0.3, steps of step/5 up to 0.5."""
    if backend == "embedding":
        fine = step / 5
        return np.round(np.arange(fine, 0.5 + fine / 2, fine), 4)
    return np.round(np.arange(step, 1.0 + step / 2, step), 4)


def _best_threshold(features, labels: np.ndarray, grid: np.ndarray) -> float:
    """The threshold of `grid` with the highest ARI on these rows; ties go to the group count
    nearest the human one, then to the smaller threshold. The rows are clustered once and the
    tree cut at each threshold (the groups `cluster` gives at that threshold)."""
    n_human = len(set(labels))
    tree = average_linkage_tree(features) if features.shape[0] > 1 else None
    best = None
    for t in grid:
        groups = cluster(features, float(t)) if tree is None else cut_tree(tree, float(t))
        ari = adjusted_rand_index(labels, groups)
        key = (-round(ari, 12), abs(len(set(groups)) - n_human), float(t))
        if best is None or key < best[0]:
            best = (key, float(t))
    return best[1]


def cross_validated_splits(
    features, labels, *, repeats: int = 5, seed: int = 2016, grid: np.ndarray | None = None
) -> pd.DataFrame:
    """One row per held-out half: the repeat, the half scored, the threshold chosen on the
    other half and the scores of the held-out half (`CV_METRICS`)."""
    labels = np.asarray(labels)
    n = len(labels)
    grid = distance_grid(features) if grid is None else grid
    rng = np.random.default_rng(seed)
    rows = []
    for r in range(repeats):
        order = rng.permutation(n)
        halves = (np.sort(order[: n // 2]), np.sort(order[n // 2 :]))
        for h in (0, 1):
            train, test = halves[1 - h], halves[h]
            t = _best_threshold(features[train], labels[train], grid)
            scores = grouping_scores(labels[test], cluster(features[test], t))
            rows.append({"repeat": r + 1, "half": h + 1, "distance_threshold": t, **scores})
    return pd.DataFrame(rows)


def backend_evaluation(
    assignments: pd.DataFrame,
    factors: pd.DataFrame,
    backend,
    *,
    repeats: int = 5,
    seed: int = 2016,
) -> tuple[dict[str, float], pd.DataFrame]:
    """Cross-validated merge scores and nearest-factor accuracy of one backend.

    Returns (metrics, splits): the held-out means of `CV_METRICS`, the median threshold chosen,
    the number of held-out halves and of raw factors, top-1/top-3 accuracy; and the table of
    every held-out half.
    """
    mapped = _mapped(assignments).reset_index(drop=True)
    features = backend.vectors(mapped["text"].astype(str).tolist())
    splits = cross_validated_splits(
        features, mapped["factor_id"].to_numpy(), repeats=repeats, seed=seed
    )
    metrics = {m: float(splits[m].mean()) for m in CV_METRICS}
    metrics["adjusted_rand_index_sd"] = float(splits["adjusted_rand_index"].std(ddof=1))
    metrics["distance_threshold"] = float(splits["distance_threshold"].median())
    metrics["n_heldout_halves"] = float(len(splits))
    metrics["n_factors_evaluated"] = float(len(mapped))
    metrics.update(suggestion_accuracy(assignments, factors, backend=backend))
    return metrics, splits


# The rows of evaluation.csv, in order: (metric, how it was measured).
EVALUATION_ROWS = (
    ("adjusted_rand_index", "cross_validated"),
    ("adjusted_rand_index_sd", "cross_validated"),
    ("adjusted_mutual_information", "cross_validated"),
    ("homogeneity", "cross_validated"),
    ("completeness", "cross_validated"),
    ("n_groups_proposed", "cross_validated"),
    ("n_groups_human", "cross_validated"),
    ("distance_threshold", "cross_validated"),
    ("n_heldout_halves", "cross_validated"),
    ("n_factors_evaluated", "cross_validated"),
    ("suggestion_top1_accuracy", "labels_only"),
    ("suggestion_top3_accuracy", "labels_only"),
)
CONFIGURED_ROWS = (*CV_METRICS, "n_misplaced", "distance_threshold")


def evaluation_table(
    measured: dict[str, dict[str, float] | None],
    configured: pd.DataFrame | None = None,
    used: str = "tfidf",
) -> pd.DataFrame:
    """evaluation.csv: one row per metric, one column per backend, side by side.

    `measured` maps each backend to its `backend_evaluation` metrics (None: it could not run
    here, its column stays empty). `configured` (metric, value) is the proposal in
    proposed_groups.csv (backend `used`, the configured threshold), scored on all raw factors:
    in-sample, marked so in the column `evaluation`.
    """
    rows = []
    for metric, how in EVALUATION_ROWS:
        row = {"metric": metric, "evaluation": how}
        for name in BACKENDS:
            values = measured.get(name)
            row[name] = None if values is None else round(values[metric], 4)
        rows.append(row)
    if configured is not None:
        values = configured.set_index("metric")["value"]
        for metric in CONFIGURED_ROWS:
            if metric in values.index:
                row = {"metric": metric, "evaluation": "in_sample_configured"}
                row.update({name: (values[metric] if name == used else None) for name in BACKENDS})
                rows.append(row)
    return pd.DataFrame(rows, columns=["metric", "evaluation", *BACKENDS])
