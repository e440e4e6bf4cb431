"""How far independent coders agree: alpha, AC1, kappas, each with a bootstrap CI, and flags.

Krippendorff's alpha is the main measure. Beside it stand the observed agreement, the share of
cells marked (prevalence) and Gwet's AC1, which stays high when coders agree on marks that are
rare, where alpha and kappa fall (the prevalence problem of kappa-type coefficients). Pairwise
Cohen's kappa and Fleiss' kappa come with Landis & Koch's bands; see
:mod:`medvirk.chance_corrected` for the formulas besides alpha.

Every coefficient is computed from sums over units of per-unit quantities (alpha: each unit's
contribution to the coincidence matrix). The point estimate sums every unit once; a bootstrap
replicate resamples units (or clusters of units, e.g. all factors of one example) and weights
the same sums by how often each was drawn, so 1,000 replicates are one matrix product and
point estimate and replicates come from one code path per coefficient. Alpha agrees with the
`krippendorff` package to rounding (a test checks it).

Alpha is *undefined* when no unit was coded by two coders or when every pairable value is
the same (a factor nobody, or everybody, marked). Such results carry ``status="undefined"``
and a ``reason`` in words; they are never reported as a silent nan or as 1. A bootstrap
replicate in which a coefficient is undefined is dropped from its CI and its q, and counted
(``replicates_used``, ``replicates_dropped``), never silently.

>>> import pandas as pd
>>> long = pd.DataFrame({"unit": [1, 1, 2, 2, 3, 3], "coder": list("ababab"),
...                      "value": ["x", "x", "y", "y", "x", "y"]})
>>> round(alpha_with_ci(long, "nominal", replicates=0).alpha, 3)
0.444
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from itertools import combinations

import numpy as np
import pandas as pd

from medvirk import chance_corrected as cc

LEVELS = ("nominal", "ordinal", "interval", "ratio")
RELIABLE = 0.800
TENTATIVE = 0.667
# Krippendorff's q is reported for each of these smallest acceptable alphas by default.
DEFAULT_MINIMUMS = (TENTATIVE, RELIABLE)
# When alpha is below TENTATIVE while AC1 reaches RELIABLE and at most this share of cells is
# marked (or at most this share left blank), the table says in words that alpha is low because
# marks are rare, not because coders disagree.
RARE_SHARE = 0.20
COEFFICIENTS = ("alpha", "ac1", "bp", "fleiss", "percent")


def q_column(minimum: float) -> str:
    """Column name of Krippendorff's q for a smallest acceptable alpha: .667 -> q_below_667."""
    return f"q_below_{round(minimum * 1000):03d}"


@dataclass(frozen=True)
class AlphaResult:
    """Alpha for one variable with its bootstrap CI and what it rests on."""

    alpha: float | None
    ci_low: float | None
    ci_high: float | None
    n_units: int
    n_coders: int
    n_pairable: int
    level: str
    replicates: int
    status: str
    reason: str
    replicates_used: int = 0
    replicates_dropped: int = 0
    q: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        out = asdict(self)
        out.update(out.pop("q"))
        return out


def flag(alpha: float | None) -> str:
    """Krippendorff's (2004) conventions: >= .800 reliable, >= .667 tentative."""
    if alpha is None or not np.isfinite(alpha):
        return "undefined"
    if alpha >= RELIABLE:
        return "reliable"
    if alpha >= TENTATIVE:
        return "tentative"
    return "unreliable"


def value_counts(
    long: pd.DataFrame,
    level: str = "nominal",
    unit: str = "unit",
    coder: str = "coder",
    value: str = "value",
) -> tuple[np.ndarray, np.ndarray, pd.Index]:
    """Units x values table of how many coders gave each value; rows follow sorted units.

    Returns (counts, domain, units). For ordinal, interval and ratio data the values must be
    numbers, and the domain is sorted numerically.
    """
    data = long[[unit, coder, value]].dropna(subset=[value])
    if level != "nominal":
        data = data.assign(**{value: pd.to_numeric(data[value])})
    table = pd.crosstab(data[unit], data[value]).sort_index(axis=1)
    return table.to_numpy(dtype=np.int64), table.columns.to_numpy(), table.index


def rating_matrix(
    long: pd.DataFrame,
    level: str = "nominal",
    unit: str = "unit",
    coder: str = "coder",
    value: str = "value",
    categories: list | None = None,
) -> tuple[np.ndarray, np.ndarray, list, list]:
    """Units x coders matrix of value indices into the sorted domain (-1: not rated).

    Returns (ratings, domain, units, coders); units and coders sorted, units without any
    rating left out. The domain is the values given, or every possible one if ``categories``
    lists them (AC1's chance agreement counts the categories). One row per (unit, coder) is
    expected (see :func:`duplicate_rows`).
    """
    data = long[[unit, coder, value]].dropna(subset=[value])
    if level != "nominal":
        data = data.assign(**{value: pd.to_numeric(data[value])})
    domain = np.sort(data[value].unique())
    if categories is not None:
        unknown = sorted(set(domain.tolist()) - set(categories), key=str)
        if unknown:
            raise ValueError(f"value {unknown[0]!r} is not one of {list(categories)}")
        domain = np.sort(np.asarray(categories))
    units = sorted(data[unit].unique())
    coders = sorted(data[coder].unique())
    ratings = np.full((len(units), len(coders)), -1, dtype=np.int64)
    ratings[pd.Index(units).get_indexer(data[unit]), pd.Index(coders).get_indexer(data[coder])] = (
        np.searchsorted(domain, data[value].to_numpy())
    )
    return ratings, domain, units, coders


def counts_from_ratings(ratings: np.ndarray, q: int) -> np.ndarray:
    """(..., coders) value indices (-1 missing) -> (..., q) how many coders gave each value."""
    ratings = np.asarray(ratings)
    return np.stack([(ratings == k).sum(axis=-1) for k in range(q)], axis=-1)


def duplicate_rows(long: pd.DataFrame, unit: str = "unit", coder: str = "coder") -> pd.DataFrame:
    """Rows that repeat an earlier (unit, coder): ``row`` and ``first_row`` as a spreadsheet
    numbers them (header row 1), with the unit and the coder."""
    dup = long.duplicated(subset=[unit, coder], keep="first")
    if not dup.any():
        return pd.DataFrame(columns=["row", "first_row", unit, coder])
    positions = pd.Series(np.arange(len(long)), index=long.index)
    first = positions.groupby([long[unit], long[coder]]).transform("min")
    return pd.DataFrame(
        {
            "row": positions[dup].to_numpy() + 2,
            "first_row": first[dup].to_numpy() + 2,
            unit: long.loc[dup, unit].to_numpy(),
            coder: long.loc[dup, coder].to_numpy(),
        }
    )


def plain_value(value):
    """A cell's value as Python shows it to people: 3, 'B' (not np.int64(3))."""
    return value.item() if hasattr(value, "item") else value


def _check_one_value_per_coder(long: pd.DataFrame, unit: str, coder: str) -> None:
    dups = duplicate_rows(long, unit, coder)
    if len(dups):
        first = dups.iloc[0]
        raise ValueError(
            f"row {first['row']} repeats unit {plain_value(first[unit])!r} and coder {plain_value(first[coder])!r} of row "
            f"{first['first_row']} ({len(dups)} such rows): each coder gives one value per unit"
        )


# --- Alpha from sums of per-unit coincidences --------------------------------------------------


def _delta(domain: np.ndarray, level: str) -> np.ndarray:
    """The difference function for interval/ratio/nominal (ordinal depends on marginals)."""
    if level == "nominal":
        return 1.0 - np.eye(len(domain))
    v = domain.astype(float)
    diff = v[:, None] - v[None, :]
    if level == "interval":
        return diff**2
    if level == "ratio":
        total = v[:, None] + v[None, :]
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(total == 0, 0.0, (diff / total) ** 2)
    raise ValueError(f"unknown level of measurement {level!r}; use one of {LEVELS}")


def _ordinal_delta(marginals: np.ndarray) -> np.ndarray:
    """Ordinal differences for marginals (..., values) -> (..., V, V)."""
    cum = np.cumsum(marginals, axis=-1)
    lo_cum, hi_cum = cum[..., :, None], cum[..., None, :]
    n_c, n_k = marginals[..., :, None], marginals[..., None, :]
    # For c <= k: sum_{g=c..k} n_g - (n_c + n_k)/2 = cum_k - cum_c + (n_c - n_k)/2. For c > k
    # the same expression is the negative of delta(k, c)'s root, and its square is delta(k, c).
    return ((hi_cum - lo_cum) + (n_c - n_k) / 2) ** 2


def alpha_unit_stats(counts: np.ndarray, domain: np.ndarray, level: str) -> np.ndarray:
    """Per-unit quantities whose sums give alpha: (..., k).

    Each pairable unit (two or more values) contributes n_uc n_uk / (m_u - 1) to the
    coincidence matrix: for nominal, interval and ratio data only its delta-weighted total is
    kept (one column), for ordinal data the whole V x V contribution (the ordinal metric depends
    on the marginals). The last V columns are the unit's values, which sum to the marginals.
    """
    if level not in LEVELS:
        raise ValueError(f"unknown level of measurement {level!r}; use one of {LEVELS}")
    counts = np.asarray(counts, dtype=float)
    m = counts.sum(axis=-1)
    pairable = m >= 2
    counts = np.where(pairable[..., None], counts, 0.0)
    scale = np.where(pairable, m - 1, 1.0)
    if level == "ordinal":
        outer = counts[..., :, None] * counts[..., None, :]
        idx = np.arange(counts.shape[-1])
        outer[..., idx, idx] -= counts
        contrib = (outer / scale[..., None, None]).reshape(counts.shape[:-1] + (-1,))
        return np.concatenate([contrib, counts], axis=-1)
    delta = _delta(np.asarray(domain), level)
    per_unit = ((counts @ delta) * counts).sum(axis=-1) / scale
    return np.concatenate([per_unit[..., None], counts], axis=-1)


def alpha_from_sums(sums: np.ndarray, domain: np.ndarray, level: str) -> np.ndarray:
    """Alpha = 1 - (n - 1) sum(o_ck delta_ck) / sum(n_c n_k delta_ck) from summed unit stats."""
    sums = np.asarray(sums, dtype=float)
    v = len(domain)
    marg = sums[..., -v:]
    n = marg.sum(axis=-1)
    if level == "ordinal":
        coinc = sums[..., : v * v].reshape(sums.shape[:-1] + (v, v))
        delta = _ordinal_delta(marg)
        observed = (coinc * delta).sum(axis=(-2, -1))
        expected = np.einsum("...c,...ck,...k->...", marg, delta, marg)
    else:
        observed = sums[..., 0]
        expected = np.einsum("...c,ck,...k->...", marg, _delta(np.asarray(domain), level), marg)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(expected > 0, 1.0 - (n - 1) * observed / expected, np.nan)


def _undefined_reason(counts: np.ndarray, domain: np.ndarray) -> str:
    pairable = counts[counts.sum(axis=1) >= 2]
    if len(pairable) == 0:
        return "no unit was coded by two or more coders, so no values can be paired"
    used = pairable.sum(axis=0) > 0
    if used.sum() < 2:
        only = plain_value(domain[used][0])  # a pairable unit has a value: one is used
        return f"every pairable value is {only!r}: without any variation alpha is undefined"
    return ""


# --- The bootstrap: replicate sums are weighted sums over clusters ----------------------------


def bootstrap_weights(n_clusters: int, replicates: int, seed: int) -> np.ndarray:
    """How often each cluster is drawn in each of `replicates` resamples (seeded)."""
    rng = np.random.default_rng(seed)
    out = np.empty((replicates, n_clusters))
    # Each replicate draws n_clusters clusters with replacement; counting the draws is a
    # multinomial sample, done a hundred replicates at a time to keep memory small.
    for start in range(0, replicates, 100):
        rows = min(100, replicates - start)
        draws = rng.integers(0, n_clusters, size=(rows, n_clusters))
        flat = (np.arange(rows)[:, None] * n_clusters + draws).ravel()
        out[start : start + rows] = np.bincount(flat, minlength=rows * n_clusters).reshape(
            rows, n_clusters
        )
    return out


def cluster_sums(per_unit: np.ndarray, clusters: np.ndarray | None, n_clusters: int) -> np.ndarray:
    """(units, k) -> (clusters, k): the per-unit quantities summed within each cluster."""
    per_unit = np.asarray(per_unit, dtype=float)
    if clusters is None:
        return per_unit
    clusters = np.asarray(clusters)
    return np.stack(
        [np.bincount(clusters, per_unit[:, j], n_clusters) for j in range(per_unit.shape[1])],
        axis=1,
    ).reshape(n_clusters, per_unit.shape[1])


def alphas_by_weights(
    counts: np.ndarray,
    domain: np.ndarray,
    level: str,
    weights: np.ndarray,
    clusters: np.ndarray | None = None,
) -> np.ndarray:
    """Alpha for each row of weights (replicates x clusters); unit weight 1 is the plain alpha.

    ``clusters`` maps each unit to a cluster (0..C-1) that is resampled as a whole.
    """
    stats = alpha_unit_stats(counts, domain, level)
    return alpha_from_sums(weights @ cluster_sums(stats, clusters, weights.shape[1]), domain, level)


def bootstrap_summary(
    replicates: np.ndarray | None, minimums: tuple[float, ...] = (), prefix: str = ""
) -> dict:
    """Percentile 95% CI, replicates drawn / used / dropped, and q per smallest acceptable value.

    Replicates where the coefficient is undefined (nan) are dropped from CI and q and counted.
    q (Krippendorff 2004) is the share of used replicates below the minimum.
    """
    out = {
        f"{prefix}ci_low": None,
        f"{prefix}ci_high": None,
        f"{prefix}replicates": 0,
        f"{prefix}replicates_used": 0,
        f"{prefix}replicates_dropped": 0,
    }
    out.update({q_column(m): None for m in minimums})
    if replicates is None or len(replicates) == 0:
        return out
    finite = replicates[np.isfinite(replicates)]
    out[f"{prefix}replicates"] = len(replicates)
    out[f"{prefix}replicates_used"] = len(finite)
    out[f"{prefix}replicates_dropped"] = len(replicates) - len(finite)
    if len(finite):
        low, high = np.percentile(finite, [2.5, 97.5])
        out[f"{prefix}ci_low"], out[f"{prefix}ci_high"] = float(low), float(high)
        for m in minimums:
            out[q_column(m)] = float(np.mean(finite < m))
    return out


def _drawn(boot: dict) -> dict:
    """The replicates drawn, used and dropped of a :func:`bootstrap_summary`."""
    return {k: boot[k] for k in ("replicates", "replicates_used", "replicates_dropped")}


def _value(x) -> float | None:
    x = float(x)
    return x if np.isfinite(x) else None


def alpha_from_counts(
    counts: np.ndarray,
    domain: np.ndarray,
    level: str = "nominal",
    replicates: int = 1000,
    seed: int = 0,
    clusters: np.ndarray | None = None,
    n_coders: int = 0,
    weights: np.ndarray | None = None,
    minimums: tuple[float, ...] = DEFAULT_MINIMUMS,
) -> AlphaResult:
    """Alpha and percentile bootstrap 95% CI from a units x values table."""
    if level not in LEVELS:
        raise ValueError(f"unknown level of measurement {level!r}; use one of {LEVELS}")
    counts = np.asarray(counts)
    domain = np.asarray(domain)
    m = counts.sum(axis=1)
    n_units = int((m > 0).sum())
    n_pairable = int(m[m >= 2].sum())
    reason = _undefined_reason(counts, domain)
    if reason:
        return AlphaResult(
            None, None, None, n_units, n_coders, n_pairable, level, 0, "undefined", reason,
            q={q_column(v): None for v in minimums},
        )  # fmt: skip
    stats = alpha_unit_stats(counts, domain, level)
    alpha = float(alpha_from_sums(stats.sum(axis=0), domain, level))
    reps = None
    if replicates > 0:
        n_clusters = len(counts) if clusters is None else int(np.max(clusters)) + 1
        if weights is None:
            weights = bootstrap_weights(n_clusters, replicates, seed)
        reps = alpha_from_sums(weights @ cluster_sums(stats, clusters, n_clusters), domain, level)
    boot = bootstrap_summary(reps, minimums)
    return AlphaResult(
        alpha, boot["ci_low"], boot["ci_high"], n_units, n_coders, n_pairable, level,
        boot["replicates"], flag(alpha), "", boot["replicates_used"], boot["replicates_dropped"],
        {q_column(v): boot[q_column(v)] for v in minimums},
    )  # fmt: skip


def alpha_with_ci(
    long: pd.DataFrame,
    level: str = "nominal",
    replicates: int = 1000,
    seed: int = 0,
    unit: str = "unit",
    coder: str = "coder",
    value: str = "value",
    minimums: tuple[float, ...] = DEFAULT_MINIMUMS,
) -> AlphaResult:
    """Alpha with a bootstrap CI for a long table with one row per unit x coder value."""
    _check_one_value_per_coder(long, unit, coder)
    counts, domain, _ = value_counts(long, level, unit, coder, value)
    n_coders = int(long.dropna(subset=[value])[coder].nunique())
    return alpha_from_counts(
        counts, domain, level, replicates, seed, n_coders=n_coders, minimums=minimums
    )


# --- Any coefficient for a long table (the command line) ----------------------------------------


def coefficient_with_ci(
    long: pd.DataFrame,
    coefficient: str = "alpha",
    level: str = "nominal",
    replicates: int = 1000,
    seed: int = 0,
    unit: str = "unit",
    coder: str = "coder",
    value: str = "value",
    minimums: tuple[float, ...] = DEFAULT_MINIMUMS,
    categories: list | None = None,
) -> dict:
    """One coefficient with its bootstrap 95% CI (units resampled) for a long table.

    ``coefficient``: alpha (Krippendorff), ac1 (Gwet's AC1; AC2 with the weights of ``level``:
    ordinal, quadratic for interval, ratio), bp (Brennan–Prediger, same weights), fleiss
    (Fleiss' kappa as Gwet generalises it to missing ratings, same weights) or percent (the share of
    agreeing coder pairs per unit, averaged over units; exact agreement). Returns a dict with
    ``coefficient`` and ``value``; alpha keeps the keys of :class:`AlphaResult`.
    ``categories`` lists every possible value where some may be unused (see rating_matrix).
    """
    if coefficient not in COEFFICIENTS:
        raise ValueError(f"unknown coefficient {coefficient!r}; use one of {COEFFICIENTS}")
    if coefficient == "alpha":
        res = alpha_with_ci(long, level, replicates, seed, unit, coder, value, minimums)
        return {"coefficient": "alpha", "value": res.alpha, **res.as_dict()}
    _check_one_value_per_coder(long, unit, coder)
    if level not in LEVELS:
        raise ValueError(f"unknown level of measurement {level!r}; use one of {LEVELS}")
    ratings, domain, _, coders = rating_matrix(long, level, unit, coder, value, categories)
    kind = "identity" if coefficient == "percent" else cc.LEVEL_WEIGHTS[level]
    w = cc.agreement_weights(domain, kind)
    counts = counts_from_ratings(ratings, len(domain))
    m = counts.sum(axis=1)
    stats = cc.gwet_unit_stats(counts, w)
    compute = {
        "ac1": lambda s: cc.ac1_from_sums(s, w),
        "bp": lambda s: cc.bp_from_sums(s, w),
        "fleiss": lambda s: cc.fleiss_from_sums(s, w),
        "percent": cc.observed_from_sums,
    }[coefficient]
    chance = {
        "ac1": lambda s: cc.ac1_chance(s, w),
        "bp": lambda s: np.asarray(cc.bp_chance(w)),
        "fleiss": lambda s: cc.fleiss_chance(s, w),
        "percent": lambda s: np.asarray(0.0),
    }[coefficient]
    total = stats.sum(axis=0)
    point = _value(compute(total))
    reps = None
    if replicates > 0 and len(stats):
        reps = compute(bootstrap_weights(len(stats), replicates, seed) @ stats)
    reason = ""
    if point is None:
        reason = _coefficient_reason(counts)
    name = {"ac1": "AC1" if kind == "identity" else "AC2"}.get(coefficient, coefficient)
    boot = bootstrap_summary(reps)
    return {
        "coefficient": coefficient,
        "name": name,
        "value": point,
        "ci_low": boot["ci_low"],
        "ci_high": boot["ci_high"],
        "n_units": int((m >= 1).sum()),
        "n_pairable_units": int((m >= 2).sum()),
        "n_coders": len(coders),
        "level": level,
        "weights": kind,
        "observed_agreement": _value(cc.observed_from_sums(total)),
        "chance_agreement": _value(chance(total)),
        **_drawn(boot),
        "band": "" if coefficient == "percent" else cc.landis_koch(point),
        "status": "undefined" if point is None else "defined",
        "reason": reason,
    }


def _coefficient_reason(counts: np.ndarray) -> str:
    m = counts.sum(axis=1)
    if not (m >= 2).any():
        return "no unit was coded by two or more coders, so no values can be paired"
    return "every rating is the same value: with a single category the coefficient is undefined"


# --- Pairs of coders ------------------------------------------------------------------------------


def pairwise(
    ratings: np.ndarray,
    coders: list,
    domain: np.ndarray,
    kind: str = "identity",
    replicates: int = 1000,
    seed: int = 0,
    clusters: np.ndarray | None = None,
    weights: np.ndarray | None = None,
) -> pd.DataFrame:
    """Each pair of coders on the units both rated: agreement, Cohen's kappa with CI, AC1.

    ``ratings`` is units x coders of value indices (-1: not rated); ``kind`` names the
    agreement weights (identity: Cohen's kappa and AC1; ordinal, linear, quadratic: weighted
    kappa and AC2). The bootstrap resamples ``clusters`` of units (default: each unit) with
    ``weights`` if given. Kappa's band is Landis & Koch's (1977).
    """
    w = cc.agreement_weights(domain, kind)
    q = len(domain)
    n_clusters = len(ratings) if clusters is None else int(np.max(clusters)) + 1
    if replicates > 0 and weights is None:
        weights = bootstrap_weights(n_clusters, replicates, seed)
    rows = []
    for a, b in combinations(range(len(coders)), 2):
        per_cluster = cc.pair_tables(ratings[:, a], ratings[:, b], q, clusters, n_clusters)
        total = per_cluster.sum(axis=0)
        kappa = _value(cc.cohen_from_sums(total, w))
        boot = bootstrap_summary(
            None if weights is None else cc.cohen_from_sums(weights @ per_cluster, w)
        )
        n = int(total.sum())
        one = int(((ratings[:, a] >= 0) != (ratings[:, b] >= 0)).sum())
        reason = ""
        if n == 0:
            reason = "the two coders have no unit in common"
        elif kappa is None:
            reason = "both coders gave the same value to every unit: kappa is undefined"
        rows.append(
            {
                "coder_a": coders[a],
                "coder_b": coders[b],
                "n_cells": n,
                "n_cells_left_out": one,
                "observed_agreement": _value(cc.pair_observed_from_sums(total, w)),
                "kappa": kappa,
                "ci_low": boot["ci_low"],
                "ci_high": boot["ci_high"],
                "band": cc.landis_koch(kappa),
                "ac1": _value(cc.pair_ac1_from_sums(total, w)),
                "weights": kind,
                **_drawn(boot),
                "reason": reason,
            }
        )
    return pd.DataFrame(rows)


def pairs_for_long(
    long: pd.DataFrame,
    level: str = "nominal",
    replicates: int = 1000,
    seed: int = 0,
    unit: str = "unit",
    coder: str = "coder",
    value: str = "value",
    categories: list | None = None,
) -> pd.DataFrame:
    """:func:`pairwise` for a long table unit, coder, value (weights from ``level``)."""
    _check_one_value_per_coder(long, unit, coder)
    ratings, domain, _, coders = rating_matrix(long, level, unit, coder, value, categories)
    return pairwise(ratings, coders, domain, cc.LEVEL_WEIGHTS[level], replicates, seed)


# --- Presence/absence coding: per factor, pooled, per category ---------------------------------


def _presence_cube(codings: pd.DataFrame) -> tuple[np.ndarray, list, list, list]:
    """factor x example x coder array of 0/1 (nan where a coder did not code an example)."""
    factors = sorted(codings["factor_id"].unique())
    examples = sorted(codings["example_id"].unique())
    coders = sorted(codings["coder"].unique())
    cube = np.full((len(factors), len(examples), len(coders)), np.nan)
    fi = pd.Index(factors).get_indexer(codings["factor_id"])
    ei = pd.Index(examples).get_indexer(codings["example_id"])
    ci = pd.Index(coders).get_indexer(codings["coder"])
    cube[fi, ei, ci] = codings["present"].to_numpy(dtype=float)
    return cube, factors, examples, coders


@dataclass(frozen=True)
class Presence:
    """The tidy presence grid as a factor x example x coder array (nan: not coded)."""

    cube: np.ndarray
    factors: list
    examples: list
    coders: list

    @classmethod
    def of(cls, codings: pd.DataFrame | Presence) -> Presence:
        return codings if isinstance(codings, Presence) else cls(*_presence_cube(codings))

    def weights(self, replicates: int, seed: int) -> np.ndarray | None:
        """The seeded bootstrap draws of examples (None for no bootstrap)."""
        return bootstrap_weights(len(self.examples), replicates, seed) if replicates else None


def _binary_counts(cube: np.ndarray) -> np.ndarray:
    """(..., coders) presence -> (..., 2) counts of absent, present."""
    present = np.nansum(cube, axis=-1)
    coded = np.sum(~np.isnan(cube), axis=-1)
    return np.stack([coded - present, present], axis=-1)


BINARY = np.array([0, 1])
IDENTITY2 = np.eye(2)
# Columns of the presence statistics: alpha's (observed disagreement, pairable absent and
# present values), Gwet's (p_a terms, pairable units, shares absent/present, rated units),
# unanimous units, present marks, coded cells.
ALPHA, GWET, UNANIMOUS, MARKED, CODED = slice(0, 3), slice(3, 8), 8, 9, 10
# Factors are processed in blocks of about this many example x factor cells, so memory stays
# flat however many factors and examples there are.
BLOCK_CELLS = 200_000


def _presence_stats(counts: np.ndarray) -> np.ndarray:
    """Per-cell sums behind alpha, AC1, unanimity and prevalence: (..., 2) -> (..., 11)."""
    m = counts.sum(axis=-1)
    unanimous = (m >= 2) & ((counts[..., 0] == 0) | (counts[..., 1] == 0))
    return np.concatenate(
        [
            alpha_unit_stats(counts, BINARY, "nominal"),
            cc.gwet_unit_stats(counts, IDENTITY2),
            unanimous[..., None],
            counts[..., 1:2],
            m[..., None],
        ],
        axis=-1,
        dtype=float,
    )


def _example_stats(
    cube: np.ndarray, factor_idx: np.ndarray, keep: np.ndarray | None = None
) -> np.ndarray:
    """Presence statistics of some factors, examples first: (examples, factors, 11).

    ``keep`` selects coders (all by default).
    """
    part = cube[factor_idx] if keep is None else cube[factor_idx][:, :, keep]
    return _presence_stats(_binary_counts(part.transpose(1, 0, 2)))


def _blocks(cube: np.ndarray):
    """Factor indices in blocks of about BLOCK_CELLS example x factor cells."""
    n_factors, n_examples = cube.shape[:2]
    size = max(1, BLOCK_CELLS // max(n_examples, 1))
    for start in range(0, n_factors, size):
        yield np.arange(start, min(start + size, n_factors))


def _presence_figures(sums: np.ndarray) -> dict[str, np.ndarray]:
    """alpha, ac1, observed, unanimous and prevalence from summed presence stats (..., 11)."""
    gwet = sums[..., GWET]
    with np.errstate(divide="ignore", invalid="ignore"):
        return {
            "alpha": alpha_from_sums(sums[..., ALPHA], BINARY, "nominal"),
            "ac1": cc.ac1_from_sums(gwet, IDENTITY2),
            "observed_agreement": cc.observed_from_sums(gwet),
            "unanimous_agreement": np.where(
                gwet[..., 1] > 0, sums[..., UNANIMOUS] / gwet[..., 1], np.nan
            ),
            "prevalence": np.where(
                sums[..., CODED] > 0, sums[..., MARKED] / sums[..., CODED], np.nan
            ),
        }


def _presence_reason(sums: np.ndarray) -> str:
    """Why alpha is undefined, from summed presence stats; "" when it is defined."""
    absent, present = sums[1], sums[2]
    if absent + present == 0:
        return "no example was coded by two or more coders, so no values can be paired"
    if present == 0:
        return "every coder marked it absent everywhere: without any variation alpha is undefined"
    if absent == 0:
        return "every coder marked it present everywhere: without any variation alpha is undefined"
    return ""


def rare_marks_note(row: dict) -> tuple[str, str]:
    """One plain sentence (Bokmål, English) where alpha is low because marks are rare.

    Applies when alpha is below .667 while AC1 is at least .800 and at most RARE_SHARE of the
    cells are marked (or at most RARE_SHARE left blank); otherwise two empty strings.
    """
    alpha, ac1, prev = row.get("alpha"), row.get("ac1"), row.get("prevalence")
    observed = row.get("observed_agreement")
    if any(x is None or pd.isna(x) for x in (alpha, ac1, prev, observed)):
        return "", ""
    if not (alpha < TENTATIVE and ac1 >= RELIABLE):
        return "", ""
    if prev <= RARE_SHARE:
        share, what_nb, what_en = prev, "markert", "marked"
        why_nb = "med så sjeldne markeringer"
        why_en = "with marks this rare"
    elif prev >= 1 - RARE_SHARE:
        share, what_nb, what_en = 1 - prev, "umarkert", "left unmarked"
        why_nb = "når nesten alt er markert,"
        why_en = "when nearly everything is marked"
    else:
        return "", ""
    nb = (
        f"Alfa er lav selv om koderne er enige i {_pct_nb(observed)} av de parvise "
        f"sammenligningene: bare {_pct_nb(share)} av cellene er {what_nb}, og {why_nb} trekker "
        f"noen få uenigheter alfa ned. AC1, som tåler dette, er {ac1:.3f}."
    )
    en = (
        f"Alpha is low although the coders agree in {observed:.0%} of pairwise comparisons: "
        f"only {share:.0%} of the cells are {what_en}, and {why_en} a few disagreements pull "
        f"alpha down. AC1, which is robust to this, is {ac1:.3f}."
    )
    return nb, en


def _pct_nb(share: float) -> str:
    return f"{share:.0%}".replace("%", " %")


def _estimate_rows(
    point: np.ndarray,
    reps: np.ndarray | None,
    n_coders: int,
    minimums: tuple[float, ...],
) -> list[dict]:
    """One row per scope from summed presence stats: point (S, 11), replicates (R, S, 11)."""
    figures = _presence_figures(point)
    boots = None if reps is None else _presence_figures(reps)
    rows = []
    for s in range(len(point)):
        reason = _presence_reason(point[s])
        alpha = None if reason else _value(figures["alpha"][s])
        boot = bootstrap_summary(
            None if boots is None or reason else boots["alpha"][:, s], minimums
        )
        ac1 = bootstrap_summary(None if boots is None else boots["ac1"][:, s], prefix="ac1_")
        row = {
            "alpha": alpha,
            "ci_low": boot["ci_low"],
            "ci_high": boot["ci_high"],
            "ac1": _value(figures["ac1"][s]),
            "ac1_ci_low": ac1["ac1_ci_low"],
            "ac1_ci_high": ac1["ac1_ci_high"],
            "observed_agreement": _value(figures["observed_agreement"][s]),
            "prevalence": _value(figures["prevalence"][s]),
            "status": "undefined" if reason else flag(alpha),
            **{q_column(v): boot[q_column(v)] for v in minimums},
            **_drawn(boot),
            "ac1_replicates_used": ac1["ac1_replicates_used"],
            "ac1_replicates_dropped": ac1["ac1_replicates_dropped"],
            "n_units": int(point[s, GWET][-1]),
            "n_coders": n_coders,
            "n_pairable": int(point[s, ALPHA][1:].sum()),
            "unanimous_agreement": _value(figures["unanimous_agreement"][s]),
            "level": "nominal",
            "reason": reason,
        }
        row["note_nb"], row["note_en"] = rare_marks_note(row)
        rows.append(row)
    return rows


def _replicate_sums(weights: np.ndarray | None, stats: np.ndarray) -> np.ndarray | None:
    """(examples, scopes, k) -> (replicates, scopes, k) weighted by how often each was drawn."""
    if weights is None:
        return None
    return (weights @ stats.reshape(len(stats), -1)).reshape(len(weights), *stats.shape[1:])


def agreement_by_factor(
    codings: pd.DataFrame | Presence,
    replicates: int = 1000,
    seed: int = 0,
    minimums: tuple[float, ...] = DEFAULT_MINIMUMS,
    weights: np.ndarray | None = None,
) -> pd.DataFrame:
    """Alpha, AC1, observed agreement and prevalence of each factor over the examples.

    ``codings`` is the tidy grid example_id, coder, factor_id, present (0/1). Every factor
    uses the same seeded resamples of examples, so their CIs are comparable.
    """
    data = Presence.of(codings)
    cube, factors, coders = data.cube, data.factors, data.coders
    weights = data.weights(replicates, seed) if weights is None else weights
    rows = []
    for idx in _blocks(cube):
        stats = _example_stats(cube, idx)
        block = _estimate_rows(
            stats.sum(axis=0), _replicate_sums(weights, stats), len(coders), minimums
        )
        for i, row in zip(idx, block, strict=True):
            row["factor_id"] = factors[i]
            row["n_marked"] = int(np.nansum(cube[i]))
        rows += block
    return _first(pd.DataFrame(rows), ["factor_id"])


def _scopes(factor_ids: list, factors: pd.DataFrame | None) -> list[tuple[str, str, np.ndarray]]:
    scopes = [("pooled", "all", np.arange(len(factor_ids)))]
    if factors is not None:
        category = factors.set_index("factor_id")["category_id"].reindex(factor_ids)
        for cat in sorted(category.dropna().unique()):
            scopes.append(("category", cat, np.flatnonzero((category == cat).to_numpy())))
    return scopes


def _factor_sums(cube: np.ndarray, drop_coder: int | None = None) -> np.ndarray:
    """Presence statistics of each factor summed over the examples: (factors, 11).

    ``drop_coder`` leaves that coder's codings out.
    """
    keep = np.arange(cube.shape[2]) != (-1 if drop_coder is None else drop_coder)
    return np.concatenate([_example_stats(cube, idx, keep).sum(axis=0) for idx in _blocks(cube)])


def _scope_stats(cube: np.ndarray, scopes: list) -> np.ndarray:
    """Presence statistics summed over each scope's factors: (examples, scopes, 11)."""
    member = np.zeros((len(scopes), cube.shape[0]))
    for s, (_, _, idx) in enumerate(scopes):
        member[s, idx] = 1
    out = np.zeros((cube.shape[1], len(scopes), 11))
    for idx in _blocks(cube):
        out += np.einsum("efk,sf->esk", _example_stats(cube, idx), member[:, idx])
    return out


def agreement_pooled(
    codings: pd.DataFrame | Presence,
    factors: pd.DataFrame | None = None,
    replicates: int = 1000,
    seed: int = 0,
    minimums: tuple[float, ...] = DEFAULT_MINIMUMS,
    weights: np.ndarray | None = None,
) -> pd.DataFrame:
    """Alpha, AC1, observed agreement and prevalence over all example x factor cells, and per
    category if ``factors`` maps them.

    The bootstrap resamples whole examples (all their factor cells together), because cells
    of one example are not independent.
    """
    data = Presence.of(codings)
    weights = data.weights(replicates, seed) if weights is None else weights
    scopes = _scopes(data.factors, factors)
    stats = _scope_stats(data.cube, scopes)
    n_coders = len(data.coders)
    rows = _estimate_rows(stats.sum(axis=0), _replicate_sums(weights, stats), n_coders, minimums)
    for (scope, name, idx), row in zip(scopes, rows, strict=True):
        row.update({"scope": scope, "name": name, "n_factors": len(idx)})
    return _first(pd.DataFrame(rows), ["scope", "name", "n_factors"])


def _first(table: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    return table[columns + [c for c in table.columns if c not in columns]]


def agreement_without_coder(
    codings: pd.DataFrame | Presence, factors: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Alpha, AC1 and observed agreement with each coder left out: pooled, per category and per
    factor, beside the figure with every coder (``alpha_all``) and the change.

    A coder whose removal raises alpha clearly is the one the others disagree with most.
    Point estimates only (no bootstrap).
    """
    data = Presence.of(codings)
    cube, coders = data.cube, data.coders
    scopes = _scopes(data.factors, factors) + [
        ("factor", f, np.array([i])) for i, f in enumerate(data.factors)
    ]
    member = np.zeros((len(scopes), len(data.factors)))
    for s, (_, _, idx) in enumerate(scopes):
        member[s, idx] = 1
    everyone = member @ _factor_sums(cube)
    base = _presence_figures(everyone)
    rows = []
    for c, coder in enumerate(coders):
        sums = member @ _factor_sums(cube, drop_coder=c)
        figures = _presence_figures(sums)
        for s, (scope, name, _) in enumerate(scopes):
            reason = (
                "only one coder is left: nothing to compare"
                if len(coders) < 3
                else _presence_reason(sums[s])
            )
            alpha = None if reason else _value(figures["alpha"][s])
            alpha_all = None if _presence_reason(everyone[s]) else _value(base["alpha"][s])
            rows.append(
                {
                    "scope": scope,
                    "name": name,
                    "coder_left_out": coder,
                    "n_coders": len(coders) - 1,
                    "alpha": alpha,
                    "alpha_all": alpha_all,
                    "alpha_change": None if None in (alpha, alpha_all) else alpha - alpha_all,
                    "ac1": None if len(coders) < 3 else _value(figures["ac1"][s]),
                    "ac1_all": _value(base["ac1"][s]),
                    "observed_agreement": (
                        None if len(coders) < 3 else _value(figures["observed_agreement"][s])
                    ),
                    "observed_agreement_all": _value(base["observed_agreement"][s]),
                    "status": "undefined" if reason else flag(alpha),
                    "reason": reason,
                }
            )
    return pd.DataFrame(rows)


def percent_agreement(counts: np.ndarray) -> float | None:
    """Share of pairable units on which every coder gave the same value (unanimity)."""
    counts = np.asarray(counts)
    m = counts.sum(axis=1)
    pairable = counts[m >= 2]
    if len(pairable) == 0:
        return None
    return float(((pairable > 0).sum(axis=1) == 1).mean())


def fleiss_kappa(counts: np.ndarray) -> tuple[float | None, str]:
    """Fleiss' kappa from a units x categories table (Gwet's generalisation to missing ratings:
    with every unit fully rated, Fleiss' 1971 kappa)."""
    counts = np.asarray(counts, dtype=float)
    if not (counts.sum(axis=1) >= 2).any():
        return None, "no unit was rated by two or more raters"
    w = np.eye(counts.shape[1])
    kappa = _value(cc.fleiss_from_sums(cc.gwet_unit_stats(counts, w).sum(axis=0), w))
    if kappa is None:
        return None, "every rater gave the same mark to every unit: kappa is undefined"
    return kappa, ""


def kappas(
    codings: pd.DataFrame | Presence,
    replicates: int = 1000,
    seed: int = 0,
    weights: np.ndarray | None = None,
) -> pd.DataFrame:
    """Pairwise Cohen's kappa and Fleiss' kappa over all example x factor cells, with bootstrap
    95% CIs (whole examples resampled) and Landis & Koch's bands.

    Each pair's row also gives its observed agreement (share of cells both coders marked alike)
    and AC1. Cohen's kappa uses the cells both coders coded; Fleiss' kappa (and AC1 beside it)
    the cells two or more coders coded, as Gwet (2014) generalises it to missing codings.
    ``n_cells`` counts the cells used, ``n_cells_left_out`` the coded cells that could not be.
    """
    data = Presence.of(codings)
    cube, coders = data.cube, data.coders
    n_f, n_e, n_c = cube.shape
    ratings = np.where(np.isnan(cube), -1, cube).astype(np.int8).reshape(-1, n_c)
    clusters = np.tile(np.arange(n_e), n_f)
    weights = data.weights(replicates, seed) if weights is None else weights
    pairs = pairwise(ratings, coders, BINARY, "identity", replicates, seed, clusters, weights)
    pairs.insert(0, "statistic", "cohen")
    stats = _scope_stats(cube, _scopes(data.factors, None))[:, 0]  # examples x 11, all factors
    total = stats.sum(axis=0)
    gwet = stats[:, GWET]
    kappa = _value(cc.fleiss_from_sums(total[GWET], IDENTITY2))
    boot = bootstrap_summary(
        None if weights is None else cc.fleiss_from_sums(weights @ gwet, IDENTITY2)
    )
    pairable, rated = int(total[GWET][1]), int(total[GWET][-1])
    reason = ""
    if pairable == 0:
        reason = "no cell was coded by two or more coders"
    elif kappa is None:
        reason = "every coder gave the same mark to every cell: kappa is undefined"
    fleiss = {
        "statistic": "fleiss",
        "coder_a": "all",
        "coder_b": "all",
        "n_cells": pairable,
        "n_cells_left_out": rated - pairable,
        "observed_agreement": _value(cc.observed_from_sums(total[GWET])),
        "kappa": kappa,
        "ci_low": boot["ci_low"],
        "ci_high": boot["ci_high"],
        "band": cc.landis_koch(kappa),
        "ac1": _value(cc.ac1_from_sums(total[GWET], IDENTITY2)),
        "weights": "identity",
        **_drawn(boot),
        "reason": reason,
    }
    return pd.concat([pairs, pd.DataFrame([fleiss])], ignore_index=True)


# The ladder's variables: column, level of measurement, every possible value (the coding
# sheet's drop-downs), so that AC1/AC2 count unused steps or levels too.
LADDER_VARIABLES = (
    ("ladder_step", "ordinal", [1, 2, 3, 4]),
    ("ladder_level", "nominal", ["A", "B", "C"]),
)


def agreement_ladder(
    ladder: pd.DataFrame,
    replicates: int = 1000,
    seed: int = 0,
    minimums: tuple[float, ...] = DEFAULT_MINIMUMS,
) -> pd.DataFrame:
    """Ordinal alpha and AC2 (ordinal weights) on the ladder step (1-4); nominal alpha and AC1
    on the level (A/B/C). Same seeded resamples of examples for both coefficients.

    ``ladder`` has example_id, coder, ladder_step, ladder_level; blanks are missing values.
    """
    rows = []
    for column, level, categories in LADDER_VARIABLES:
        if column not in ladder.columns:
            continue
        data = ladder[["example_id", "coder", column]].dropna()
        if data.empty:
            rows.append(
                {"variable": column, "status": "undefined", "reason": "nobody filled it in"}
            )
            continue
        res = alpha_with_ci(data, level, replicates, seed, "example_id", "coder", column, minimums)
        ac = coefficient_with_ci(
            data, "ac1", level, replicates, seed, "example_id", "coder", column, minimums,
            categories,
        )  # fmt: skip
        rows.append(
            {
                "variable": column,
                **res.as_dict(),
                "ac1": ac["value"],
                "ac1_name": ac["name"],
                "ac1_ci_low": ac["ci_low"],
                "ac1_ci_high": ac["ci_high"],
                "observed_agreement": ac["observed_agreement"],
                "weights": ac["weights"],
                "ac1_replicates_used": ac["replicates_used"],
                "ac1_replicates_dropped": ac["replicates_dropped"],
            }
        )
    return pd.DataFrame(rows)


def rests_on_simulation(*tables: pd.DataFrame) -> bool:
    """True when any row of the agreement tables says data_source SIMULATED."""
    sources = pd.concat([t.get("data_source", pd.Series(dtype=str)) for t in tables])
    return bool((sources.astype(str) == "SIMULATED").any())


def ladder_pairs(ladder: pd.DataFrame, replicates: int = 1000, seed: int = 0) -> pd.DataFrame:
    """Each pair of coders on the ladder: weighted kappa and AC2 (ordinal weights) on the step,
    Cohen's kappa and AC1 on the level, with bootstrap CIs over the examples both placed."""
    tables = []
    for column, level, categories in LADDER_VARIABLES:
        if column not in ladder.columns:
            continue
        data = ladder[["example_id", "coder", column]].dropna()
        if data["coder"].nunique() < 2:
            continue
        table = pairs_for_long(
            data, level, replicates, seed, "example_id", "coder", column, categories
        )
        table.insert(0, "variable", column)
        tables.append(table)
    if not tables:
        return pd.DataFrame(columns=["variable", "coder_a", "coder_b", "n_cells", "kappa"])
    return pd.concat(tables, ignore_index=True)


# --- What the workflow writes: tables and notices ----------------------------------------------


def as_minimums(value) -> tuple[float, ...]:
    """coding.alpha_minimum (one number or a list) as a sorted tuple of distinct minimums."""
    values = value if isinstance(value, list | tuple) else [value]
    minimums = tuple(sorted({float(v) for v in values}))
    names = [q_column(m) for m in minimums]
    if len(set(names)) < len(names):
        raise ValueError(f"alpha minimums {list(minimums)} differ by less than .001")
    return minimums


def _row_place(row: dict) -> tuple[str, str]:
    """Where a row is, in Bokmål and English (F15, alle / all, C2, a–b, ladder_step)."""
    if row.get("factor_id"):
        return str(row["factor_id"]), str(row["factor_id"])
    if row.get("scope") == "pooled":
        return "alle faktorer", "all factors"
    if row.get("scope") == "category":
        return str(row["name"]), str(row["name"])
    if row.get("statistic") == "fleiss":
        return "Fleiss", "Fleiss"
    var = f" {row['variable']}" if row.get("variable") else ""
    if row.get("coder_a"):
        pair = f"{row['coder_a']}–{row['coder_b']}{var}"
        return pair, pair
    return var.strip(), var.strip()


def replicate_notices(table: pd.DataFrame, file: str, step: str) -> list:
    """One notice per table and coefficient whose bootstrap dropped replicates (the figure was
    undefined in a resample), naming each row with how many of how many replicates it used."""
    from medvirk.notices import Notice

    notices = []
    coefficient = "kappa" if "kappa" in table.columns else "alpha"
    for prefix, name in (("", coefficient), ("ac1_", "AC1")):
        column = f"{prefix}replicates_dropped"
        if column not in table.columns:
            continue
        dropped = pd.to_numeric(table[column], errors="coerce").fillna(0).astype(int)
        hit = table[dropped > 0]
        if hit.empty:
            continue
        places = [_row_place(row) for row in hit.to_dict("records")]
        counts = [f"{int(row[column])}/{int(row['replicates'])}" for row in hit.to_dict("records")]
        listing_nb = ", ".join(f"{nb} {n}" for (nb, _), n in zip(places, counts, strict=True))
        listing_en = ", ".join(f"{en} {n}" for (_, en), n in zip(places, counts, strict=True))
        notices.append(
            Notice(
                "agreement",
                step,
                "bootstrap_replicates_dropped",
                file,
                f"{name}: " + ", ".join(en for _, en in places),
                f"Bootstrap-trekninger der {name.replace('alpha', 'alfa')} ikke er definert (for lite variasjon i de "
                f"trukne eksemplene), er utelatt fra konfidensintervallet og q: {listing_nb} "
                f"(utelatt/trukket; kolonnen {prefix}replicates_used viser hvor mange som er "
                "brukt).",
                f"Bootstrap replicates in which {name} is undefined (too little variation in the "
                f"resampled examples) were left out of the confidence interval and q: "
                f"{listing_en} (dropped/drawn; column {prefix}replicates_used gives how many "
                "were used).",
            )
        )
    return notices


def agreement_tables(
    codings: pd.DataFrame,
    factors: pd.DataFrame | None,
    replicates: int,
    seed: int,
    minimums: tuple[float, ...],
    data_source: str,
    files: dict[str, str],
) -> tuple[dict[str, pd.DataFrame], list]:
    """Every agreement table of the presence coding, and the notices about them.

    Tables: by_factor, pooled, kappas, without_coder (each starts with ``data_source``).
    ``files`` names the output file of each table, for the notices.
    """
    data = Presence.of(codings)
    weights = data.weights(replicates, seed)
    tables = {
        "by_factor": agreement_by_factor(data, replicates, seed, minimums, weights),
        "pooled": agreement_pooled(data, factors, replicates, seed, minimums, weights),
        "kappas": kappas(data, replicates, seed, weights),
        "without_coder": agreement_without_coder(data, factors),
    }
    for table in tables.values():
        table.insert(0, "data_source", data_source)
    notices = []
    for name in ("by_factor", "pooled", "kappas"):
        notices += replicate_notices(tables[name], files.get(name, ""), "agreement")
    return tables, notices


def ladder_tables(
    ladder: pd.DataFrame,
    replicates: int,
    seed: int,
    minimums: tuple[float, ...],
    files: dict[str, str],
) -> tuple[dict[str, pd.DataFrame], list]:
    """The ladder's alpha and AC2 (``alpha``) and its coder pairs (``pairs``), with notices."""
    tables = {
        "alpha": agreement_ladder(ladder, replicates, seed, minimums),
        "pairs": ladder_pairs(ladder, replicates, seed),
    }
    notices = []
    for name, table in tables.items():
        notices += replicate_notices(table, files.get(name, ""), "ladder_agreement")
    return tables, notices


def agreement_latex(
    by_factor: pd.DataFrame,
    pooled: pd.DataFrame,
    factors: pd.DataFrame,
    categories: pd.DataFrame,
    study: str,
) -> str:
    """Agreement as a compact LaTeX table: pooled, then each category and its factors.

    Alpha with its bootstrap 95% CI and status, AC1, the observed agreement and the share of
    cells marked, from ``alpha_by_factor.csv`` and ``alpha_pooled.csv``; if any row rests on
    simulated coders (``data_source`` SIMULATED), caption and note say so.
    """
    from medvirk.tables import latex_escape, latex_number, latex_table

    def percent(value) -> str:
        number = pd.to_numeric(value, errors="coerce")
        return "---" if pd.isna(number) else latex_number(100 * number, 0)

    def cells(ident: str, name: str, r: dict) -> list[str]:
        lo, hi = latex_number(r.get("ci_low"), 3), latex_number(r.get("ci_high"), 3)
        ci = "---" if "---" in (lo, hi) else f"{lo}, {hi}"
        return [
            ident,
            name,
            latex_number(r.get("alpha"), 3),
            ci,
            latex_escape(r.get("status")),
            latex_number(r.get("ac1"), 3),
            percent(r.get("observed_agreement")),
            percent(r.get("prevalence")),
        ]

    rows = {r["factor_id"]: r for r in by_factor.to_dict("records")}
    scopes = {(r["scope"], r["name"]): r for r in pooled.to_dict("records")}
    labels = dict(zip(factors["factor_id"], factors["label_nb"], strict=True))
    blocks = []
    if ("pooled", "all") in scopes:
        name = r"\textbf{Alle faktorer} / \textit{all factors}"
        blocks.append((None, [cells("", name, scopes[("pooled", "all")])]))
    cats = categories.assign(order=categories["published_order"].astype(int)).sort_values("order")
    for cat in cats.to_dict("records"):
        cid = cat["category_id"]
        in_cat = [f for f in factors.loc[factors["category_id"] == cid, "factor_id"] if f in rows]
        if ("category", cid) not in scopes and not in_cat:
            continue
        block = []
        if ("category", cid) in scopes:
            name = rf"\textbf{{{latex_escape(cat['label_nb'])}}} / \textit{{{latex_escape(cat['label_en'])}}}"
            block.append(cells(latex_escape(cid), name, scopes[("category", cid)]))
        block += [cells(latex_escape(f), latex_escape(labels[f]), rows[f]) for f in in_cat]
        blocks.append((None, block))
    simulated = rests_on_simulation(by_factor, pooled)
    note = (
        "Krippendorffs alfa (nominal, til stede / ikke til stede) med bootstrap 95 % KI / "
        "Krippendorff's alpha (nominal, presence/absence) with bootstrap 95% CI. reliable: "
        "alpha >= .800, tentative: >= .667; undefined: ingen eller alle markerte faktoren / "
        "nobody or everybody marked the factor. AC1: Gwets AC1 / Gwet's AC1. Enighet: andel "
        "parvise sammenligninger der koderne er enige / agreement: share of pairwise "
        "comparisons on which the coders agree. Merket: andel celler markert / marked: share "
        "of cells marked. Lav alfa med høy enighet og AC1 når få celler er markert, skyldes "
        "sjeldne markeringer, ikke uenighet / low alpha beside high agreement and AC1 when few "
        "cells are marked comes from rare marks, not from disagreement."
    )
    caption = ("Samsvar mellom kodere", f"inter-coder agreement ({study})")
    if simulated:
        caption = ("SIMULATED: " + caption[0], caption[1] + ", simulated coders")
        note = (
            "SIMULATED: koderne er simulert fra kuratorenes fordeling; tallene viser "
            "metoden, ikke kodingens pålitelighet / the coders are simulated from the curators' "
            "attribution; the numbers show the method, not the reliability of the coding. " + note
        )
    return latex_table(
        [
            "Id",
            r"Omfang / \textit{scope}",
            r"$\alpha$",
            r"95\,\% KI / \textit{CI}",
            "Status",
            "AC1",
            r"Enighet / \textit{agr.} (\%)",
            r"Merket / \textit{marked} (\%)",
        ],
        blocks,
        align=["l", r"p{0.3\linewidth}", "r", "l", "l", "r", "r", "r"],
        caption=caption,
        label=f"tab:{study}-agreement",
        note=note,
    )
