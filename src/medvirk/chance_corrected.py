"""Chance-corrected agreement besides alpha: Gwet's AC1/AC2, Brennan–Prediger, kappas.

The formulas are those of Gwet, K. L. (2014), *Handbook of Inter-Rater Reliability*, 4th ed.,
as his R package irrCAC implements them (``gwet.ac1.raw``, ``bp.coeff.raw``,
``pa.coeff.raw``, ``fleiss.kappa.raw``): any number of raters, missing ratings allowed,
optional agreement weights for ordered categories. Cohen's kappa (weighted or not) is computed
from each pair's contingency table.

Every coefficient is a function of *sums over units* of per-unit quantities. ``*_unit_stats``
computes those quantities once; ``*_from_sums`` turns sums into the coefficient. The point
estimate is the plain sum over units; a bootstrap replicate is a weighted sum (how often each
unit, or cluster of units, was drawn), so all replicates are one matrix product and the point
estimate and its replicates come from the same code. ``*_from_sums`` accept any leading
dimensions (replicates, factors, ...) and give nan where the coefficient is undefined.

>>> import numpy as np
>>> counts = np.array([[2, 0], [2, 0], [1, 1], [0, 2]])  # 4 units, 2 raters, absent/present
>>> w = agreement_weights(np.array([0, 1]), "identity")
>>> sums = gwet_unit_stats(counts, w).sum(axis=0)
>>> round(float(observed_from_sums(sums)), 3), round(float(ac1_from_sums(sums, w)), 3)
(0.75, 0.529)
"""

from __future__ import annotations

import numpy as np

WEIGHTS = ("identity", "ordinal", "linear", "quadratic", "ratio")
# The agreement weights that fit each level of measurement, as Gwet (2014, ch. 3) names them.
LEVEL_WEIGHTS = {
    "nominal": "identity",
    "ordinal": "ordinal",
    "interval": "quadratic",
    "ratio": "ratio",
}
# Landis, J. R. & Koch, G. G. (1977). The measurement of observer agreement for categorical
# data. Biometrics 33, 159-174: their benchmarks for kappa (upper bound of each band).
LANDIS_KOCH = (
    (0.0, "poor"),
    (0.20, "slight"),
    (0.40, "fair"),
    (0.60, "moderate"),
    (0.80, "substantial"),
    (1.0, "almost_perfect"),
)


def agreement_weights(domain: np.ndarray, kind: str = "identity") -> np.ndarray:
    """Agreement weights w_kl (1 on the diagonal) over the sorted categories in ``domain``.

    identity: unweighted. ordinal: 1 - d(d+1)/(q(q-1)) with d the distance in ranks and q the
    number of categories. linear and quadratic use the values (ranks for text categories):
    1 - |x_k - x_l| / range and 1 - (x_k - x_l)^2 / range^2. ratio: 1 - ((x_k - x_l) /
    (x_k + x_l))^2 / ((max - min) / (max + min))^2. As irrCAC's ``*.weights`` functions.
    """
    q = len(domain)
    if kind not in WEIGHTS:
        raise ValueError(f"unknown weights {kind!r}; use one of {WEIGHTS}")
    if kind == "identity" or q < 2:
        return np.eye(q)
    ranks = np.arange(q, dtype=float)
    if kind == "ordinal":
        d = np.abs(ranks[:, None] - ranks[None, :])
        return 1.0 - d * (d + 1) / (q * (q - 1))
    try:
        x = np.asarray(domain, dtype=float)
    except (TypeError, ValueError):
        x = ranks
    span = x.max() - x.min()
    diff = x[:, None] - x[None, :]
    if kind == "linear":
        return 1.0 - np.abs(diff) / span
    if kind == "quadratic":
        return 1.0 - diff**2 / span**2
    total = x[:, None] + x[None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(total == 0, 0.0, diff / total)
    return 1.0 - ratio**2 / ((x.max() - x.min()) / (x.max() + x.min())) ** 2


def landis_koch(kappa: float | None) -> str:
    """Landis & Koch's (1977) band for a kappa: poor < 0 <= slight <= .20 < fair <= .40 ..."""
    if kappa is None or not np.isfinite(kappa):
        return "undefined"
    if kappa < 0:
        return "poor"
    for upper, band in LANDIS_KOCH[1:]:
        if kappa <= upper + 1e-12:
            return band
    return LANDIS_KOCH[-1][1]


# --- Gwet's framework: observed agreement, AC1/AC2, Brennan-Prediger -------------------------


def gwet_unit_stats(counts: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Per-unit quantities behind p_a and pi_k: (units, q + 3).

    Columns: r_i (r*_i - 1) summed over categories / (r_i (r_i - 1)) for units with two or more
    ratings, 1 for such units, r_ik / r_i for each category k (units with a rating), 1 for
    units with a rating. r*_ik = sum_l w_kl r_il.
    """
    counts = np.asarray(counts, dtype=float)
    m = counts.sum(axis=-1)
    two = m >= 2
    one = m >= 1
    weighted = counts @ np.asarray(weights, dtype=float).T
    with np.errstate(divide="ignore", invalid="ignore"):
        pa_unit = np.where(two, (counts * (weighted - 1)).sum(axis=-1) / (m * (m - 1)), 0.0)
        shares = np.where(one[..., None], counts / np.where(one, m, 1.0)[..., None], 0.0)
    return np.concatenate(
        [pa_unit[..., None], two[..., None], shares, one[..., None]], axis=-1
    ).astype(float)


def _split(sums: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """p_a and pi (..., q) from summed Gwet unit statistics; nan where undefined."""
    sums = np.asarray(sums, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        pa = np.where(sums[..., 1] > 0, sums[..., 0] / sums[..., 1], np.nan)
        pi = sums[..., 2:-1] / sums[..., -1:]
    return pa, pi


def observed_from_sums(sums: np.ndarray) -> np.ndarray:
    """Observed (percent) agreement p_a: the share of agreeing rater pairs, averaged over units.

    With weights, partial agreement counts (Gwet's weighted percent agreement).
    """
    return _split(sums)[0]


def _corrected(pa: np.ndarray, pe: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(pe < 1 - 1e-12, (pa - pe) / (1 - pe), np.nan)


def ac1_chance(sums: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Gwet's chance agreement: T_w / (q (q - 1)) * sum_k pi_k (1 - pi_k)."""
    _, pi = _split(sums)
    q = pi.shape[-1]
    if q < 2:
        return np.full(pi.shape[:-1], np.nan)
    return np.sum(weights) / (q * (q - 1)) * (pi * (1 - pi)).sum(axis=-1)


def ac1_from_sums(sums: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Gwet's AC1 (identity weights) or AC2 (other weights) from summed unit statistics."""
    return _corrected(observed_from_sums(sums), ac1_chance(sums, weights))


def bp_chance(weights: np.ndarray) -> float:
    """Brennan–Prediger chance agreement: T_w / q^2 (1/q unweighted)."""
    q = len(weights)
    return float(np.sum(weights) / q**2) if q >= 2 else float("nan")


def bp_from_sums(sums: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Brennan & Prediger's (1981) coefficient from summed unit statistics."""
    return _corrected(observed_from_sums(sums), np.asarray(bp_chance(weights)))


# --- Fleiss' kappa, generalised to missing ratings (Gwet 2014) --------------------------------


def fleiss_chance(sums: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Fleiss' chance agreement sum_kl w_kl pi_k pi_l (pi_k: share of ratings in k)."""
    _, pi = _split(sums)
    return np.einsum("...k,kl,...l->...", pi, weights, pi)


def fleiss_from_sums(sums: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Fleiss' (1971) kappa from summed :func:`gwet_unit_stats`.

    As Gwet (2014) generalises it (irrCAC's ``fleiss.kappa.raw``): units with a missing rating
    count, p_a over the units with two or more ratings, pi_k the share of each unit's ratings in
    k averaged over units; with every unit fully rated this is Fleiss' kappa exactly. Other
    weights than the identity give the weighted version.
    """
    return _corrected(observed_from_sums(sums), fleiss_chance(sums, weights))


# --- Cohen's kappa: one pair of raters, from its contingency table ----------------------------


def pair_tables(
    a: np.ndarray,
    b: np.ndarray,
    q: int,
    clusters: np.ndarray | None = None,
    n_clusters: int | None = None,
) -> np.ndarray:
    """The q x q contingency table of a pair of raters, flattened: one per cluster of units.

    ``a`` and ``b`` hold category indices 0..q-1, or -1 for a missing rating; a unit counts
    where both rated it. Without ``clusters`` each unit is its own cluster (one-hot rows).
    """
    a, b = np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64)
    if clusters is None:
        clusters, n_clusters = np.arange(len(a)), len(a)
    both = (a >= 0) & (b >= 0)
    cell = np.asarray(clusters, dtype=np.int64)[both] * (q * q) + a[both] * q + b[both]
    return np.bincount(cell, minlength=n_clusters * q * q).reshape(n_clusters, q * q).astype(float)


def cohen_from_sums(sums: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Cohen's kappa (weighted with agreement weights w_kl) from summed contingency tables.

    kappa_w = (sum w p_kl - sum w p_k. p_.l) / (1 - sum w p_k. p_.l); identity weights give
    Cohen's (1960) kappa, other weights Cohen's (1968) weighted kappa.
    """
    p, n = _pair_table(sums, len(weights))
    po = (p * weights).sum(axis=(-2, -1))
    pe = np.einsum("...k,kl,...l->...", p.sum(axis=-1), weights, p.sum(axis=-2))
    return np.where(n > 0, _corrected(po, pe), np.nan)


def _pair_table(sums: np.ndarray, q: int) -> tuple[np.ndarray, np.ndarray]:
    sums = np.asarray(sums, dtype=float)
    table = sums.reshape(sums.shape[:-1] + (q, q))
    n = table.sum(axis=(-2, -1))
    with np.errstate(divide="ignore", invalid="ignore"):
        return table / n[..., None, None], n


def pair_observed_from_sums(sums: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Observed agreement of a pair: the (weighted) share of units on which they agree."""
    p, n = _pair_table(sums, len(weights))
    return np.where(n > 0, (p * weights).sum(axis=(-2, -1)), np.nan)


def pair_ac1_from_sums(sums: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Gwet's AC1/AC2 of a pair from its contingency table (the units both rated).

    Equals :func:`ac1_from_sums` on those units: pi_k = (p_k. + p_.k) / 2.
    """
    q = len(weights)
    p, n = _pair_table(sums, q)
    if q < 2:
        return np.full(n.shape, np.nan)
    pi = (p.sum(axis=-1) + p.sum(axis=-2)) / 2
    pe = np.sum(weights) / (q * (q - 1)) * (pi * (1 - pi)).sum(axis=-1)
    po = (p * weights).sum(axis=(-2, -1))
    return np.where(n > 0, _corrected(po, pe), np.nan)
