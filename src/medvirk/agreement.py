"""How far independent coders agree: Krippendorff's alpha with bootstrap CIs, kappas, flags.

The point estimate of alpha comes from the `krippendorff` package. The bootstrap resamples
units (or clusters of units, e.g. all factors of one example) and computes alpha for every
replicate at once from per-unit coincidence contributions, so 1,000 replicates cost one
matrix product instead of 1,000 calls to `krippendorff.alpha`.

Alpha is *undefined* when no unit was coded by two coders or when every pairable value is
the same (a factor nobody, or everybody, marked). Such results carry ``status="undefined"``
and a ``reason`` in words; they are never reported as a silent nan or as 1.

>>> import pandas as pd
>>> long = pd.DataFrame({"unit": [1, 1, 2, 2, 3, 3], "coder": list("ababab"),
...                      "value": ["x", "x", "y", "y", "x", "y"]})
>>> round(alpha_with_ci(long, "nominal", replicates=0).alpha, 3)
0.444
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from itertools import combinations

import numpy as np
import pandas as pd

LEVELS = ("nominal", "ordinal", "interval", "ratio")
RELIABLE = 0.800
TENTATIVE = 0.667


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

    def as_dict(self) -> dict:
        return asdict(self)


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
    """Ordinal differences for each row of marginals (replicates x values) -> (R, V, V)."""
    cum = np.cumsum(marginals, axis=-1)
    lo_cum, hi_cum = cum[:, :, None], cum[:, None, :]
    n_c, n_k = marginals[:, :, None], marginals[:, None, :]
    idx = np.arange(marginals.shape[-1])
    sign = np.where(idx[:, None] <= idx[None, :], 1.0, -1.0)
    # For c <= k: sum_{g=c..k} n_g - (n_c + n_k)/2 = cum_k - cum_c + (n_c - n_k)/2; symmetric.
    return (sign * (hi_cum - lo_cum) + sign * (n_c - n_k) / 2) ** 2


def _undefined_reason(counts: np.ndarray, domain: np.ndarray) -> str:
    pairable = counts[counts.sum(axis=1) >= 2]
    if len(pairable) == 0:
        return "no unit was coded by two or more coders, so no values can be paired"
    used = pairable.sum(axis=0) > 0
    if used.sum() < 2:
        only = domain[used][0] if used.any() else None
        only = only.item() if hasattr(only, "item") else only
        return f"every pairable value is {only!r}: without any variation alpha is undefined"
    return ""


def alphas_by_weights(
    counts: np.ndarray,
    domain: np.ndarray,
    level: str,
    weights: np.ndarray,
    clusters: np.ndarray | None = None,
) -> np.ndarray:
    """Alpha for each row of weights (replicates x clusters); unit weight 1 is the plain alpha.

    Each unit contributes its coincidences n_u n_u' / (m_u - 1) to the coincidence matrix; a
    resample is a weighted sum of these contributions, so all replicates are one product.
    ``clusters`` maps each unit to a cluster (0..C-1) that is resampled as a whole.
    """
    counts = np.asarray(counts, dtype=float)
    m = counts.sum(axis=1)
    keep = m >= 2
    counts, m = counts[keep], m[keep]
    clusters = np.arange(len(keep))[keep] if clusters is None else np.asarray(clusters)[keep]
    n_clusters = weights.shape[1]

    def by_cluster(per_unit: np.ndarray) -> np.ndarray:
        out = np.zeros((n_clusters,) + per_unit.shape[1:])
        np.add.at(out, clusters, per_unit)
        return out

    marg = weights @ by_cluster(counts)  # (R, V) coincidence marginals n_c
    n = marg.sum(axis=1)
    if level == "ordinal":
        outer = counts[:, :, None] * counts[:, None, :]
        idx = np.arange(counts.shape[1])
        outer[:, idx, idx] -= counts
        contrib = (outer / (m - 1)[:, None, None]).reshape(len(counts), -1)
        coinc = (weights @ by_cluster(contrib)).reshape(len(weights), *outer.shape[1:])
        delta = _ordinal_delta(marg)
        observed = (coinc * delta).sum(axis=(1, 2))
        expected = np.einsum("rc,rck,rk->r", marg, delta, marg)
    else:
        delta = _delta(np.asarray(domain), level)
        per_unit = ((counts @ delta) * counts).sum(axis=1) / (m - 1)
        observed = weights @ by_cluster(per_unit)
        expected = ((marg @ delta) * marg).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(expected > 0, 1.0 - (n - 1) * observed / expected, np.nan)


def bootstrap_weights(n_clusters: int, replicates: int, seed: int) -> np.ndarray:
    """How often each cluster is drawn in each of `replicates` resamples (seeded)."""
    rng = np.random.default_rng(seed)
    draws = rng.multinomial(n_clusters, np.full(n_clusters, 1.0 / n_clusters), size=replicates)
    return draws.astype(float)


def alpha_from_counts(
    counts: np.ndarray,
    domain: np.ndarray,
    level: str = "nominal",
    replicates: int = 1000,
    seed: int = 0,
    clusters: np.ndarray | None = None,
    n_coders: int = 0,
    weights: np.ndarray | None = None,
) -> AlphaResult:
    """Alpha (krippendorff package) and percentile bootstrap 95% CI from a units x values table."""
    import krippendorff

    if level not in LEVELS:
        raise ValueError(f"unknown level of measurement {level!r}; use one of {LEVELS}")
    counts = np.asarray(counts)
    m = counts.sum(axis=1)
    n_units = int((m > 0).sum())
    n_pairable = int(m[m >= 2].sum())
    reason = _undefined_reason(counts, np.asarray(domain))
    if reason:
        return AlphaResult(
            None, None, None, n_units, n_coders, n_pairable, level, 0, "undefined", reason
        )
    pairable = counts[m >= 2]
    kdomain = np.arange(len(domain)) if level in ("nominal", "ordinal") else domain.astype(float)
    alpha = float(
        krippendorff.alpha(value_counts=pairable, value_domain=kdomain, level_of_measurement=level)
    )
    ci_low = ci_high = None
    if replicates > 0:
        if clusters is None:
            clusters = np.arange(len(counts))
        n_clusters = int(np.max(clusters)) + 1
        if weights is None:
            weights = bootstrap_weights(n_clusters, replicates, seed)
        reps = alphas_by_weights(counts, domain, level, weights, clusters)
        reps = reps[np.isfinite(reps)]
        if len(reps):
            ci_low, ci_high = (float(q) for q in np.percentile(reps, [2.5, 97.5]))
    return AlphaResult(
        alpha, ci_low, ci_high, n_units, n_coders, n_pairable, level, replicates, flag(alpha), ""
    )


def alpha_with_ci(
    long: pd.DataFrame,
    level: str = "nominal",
    replicates: int = 1000,
    seed: int = 0,
    unit: str = "unit",
    coder: str = "coder",
    value: str = "value",
) -> AlphaResult:
    """Alpha with a bootstrap CI for a long table with one row per unit x coder value."""
    counts, domain, _ = value_counts(long, level, unit, coder, value)
    n_coders = int(long.dropna(subset=[value])[coder].nunique())
    return alpha_from_counts(counts, domain, level, replicates, seed, n_coders=n_coders)


def percent_agreement(counts: np.ndarray) -> float | None:
    """Share of pairable units on which every coder gave the same value."""
    counts = np.asarray(counts)
    m = counts.sum(axis=1)
    pairable = counts[m >= 2]
    if len(pairable) == 0:
        return None
    return float(((pairable > 0).sum(axis=1) == 1).mean())


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


def _binary_counts(cube: np.ndarray) -> np.ndarray:
    """(..., coders) presence -> (..., 2) counts of absent, present."""
    present = np.nansum(cube, axis=-1)
    coded = np.sum(~np.isnan(cube), axis=-1)
    return np.stack([coded - present, present], axis=-1)


def _presence_reason(result: AlphaResult) -> str:
    return (
        result.reason.replace(
            "every pairable value is 0", "every coder marked it absent everywhere"
        )
        .replace("every pairable value is 1", "every coder marked it present everywhere")
        .replace("np.float64(0.0)", "0")
    )


def _row(scope: dict, result: AlphaResult, counts: np.ndarray) -> dict:
    row = dict(scope)
    row.update(result.as_dict())
    row["percent_agreement"] = percent_agreement(counts)
    if row["status"] == "undefined":
        row["reason"] = _presence_reason(result)
    return row


def agreement_by_factor(
    codings: pd.DataFrame, replicates: int = 1000, seed: int = 0
) -> pd.DataFrame:
    """Nominal alpha on presence/absence over examples, one row per factor.

    ``codings`` is the tidy grid example_id, coder, factor_id, present (0/1). Every factor
    uses the same seeded resamples of examples, so their CIs are comparable.
    """
    cube, factors, examples, coders = _presence_cube(codings)
    counts = _binary_counts(cube)
    domain = np.array([0, 1])
    weights = bootstrap_weights(len(examples), replicates, seed) if replicates else None
    rows = []
    for i, factor in enumerate(factors):
        res = alpha_from_counts(
            counts[i], domain, "nominal", replicates, seed, n_coders=len(coders), weights=weights
        )
        row = _row({"factor_id": factor}, res, counts[i])
        row["n_marked"] = int(counts[i][:, 1].sum())
        rows.append(row)
    return pd.DataFrame(rows)


def agreement_pooled(
    codings: pd.DataFrame,
    factors: pd.DataFrame | None = None,
    replicates: int = 1000,
    seed: int = 0,
) -> pd.DataFrame:
    """Alpha over all example x factor cells, and per category if ``factors`` maps them.

    The bootstrap resamples whole examples (all their factor cells together), because cells
    of one example are not independent.
    """
    cube, factor_ids, examples, coders = _presence_cube(codings)
    counts = _binary_counts(cube)  # (F, E, 2)
    domain = np.array([0, 1])
    weights = bootstrap_weights(len(examples), replicates, seed) if replicates else None
    scopes = [("pooled", "all", np.arange(len(factor_ids)))]
    if factors is not None:
        category = factors.set_index("factor_id")["category_id"].reindex(factor_ids)
        for cat in sorted(category.dropna().unique()):
            scopes.append(("category", cat, np.flatnonzero((category == cat).to_numpy())))
    rows = []
    for scope, name, idx in scopes:
        sub = counts[idx].reshape(-1, 2)
        clusters = np.tile(np.arange(len(examples)), len(idx))
        res = alpha_from_counts(
            sub, domain, "nominal", replicates, seed, clusters, len(coders), weights
        )
        rows.append(_row({"scope": scope, "name": name, "n_factors": len(idx)}, res, sub))
    return pd.DataFrame(rows)


def fleiss_kappa(counts: np.ndarray) -> tuple[float | None, str]:
    """Fleiss' kappa from a units x categories table; only units rated by all raters count."""
    counts = np.asarray(counts, dtype=float)
    m = counts.sum(axis=1)
    raters = m.max() if len(m) else 0
    full = counts[m == raters]
    if raters < 2 or len(full) == 0:
        return None, "fewer than two raters per unit"
    p_j = full.sum(axis=0) / (len(full) * raters)
    p_e = float((p_j**2).sum())
    if np.isclose(p_e, 1.0):
        return None, "every rater gave the same mark to every unit: kappa is undefined"
    p_i = ((full**2).sum(axis=1) - raters) / (raters * (raters - 1))
    return float((p_i.mean() - p_e) / (1 - p_e)), ""


def kappas(codings: pd.DataFrame) -> pd.DataFrame:
    """Pairwise Cohen's kappa (scikit-learn) and Fleiss' kappa over all example x factor cells."""
    from sklearn.metrics import cohen_kappa_score

    cube, _, _, coders = _presence_cube(codings)
    flat = cube.reshape(-1, len(coders))
    rows = []
    for a, b in combinations(range(len(coders)), 2):
        both = ~np.isnan(flat[:, a]) & ~np.isnan(flat[:, b])
        x, y = flat[both, a], flat[both, b]
        kappa, reason = None, ""
        if len(x) == 0:
            reason = "the two coders have no example in common"
        elif len(np.unique(np.concatenate([x, y]))) < 2:
            reason = "both coders gave the same mark to every cell: kappa is undefined"
        else:
            kappa = float(cohen_kappa_score(x, y))
        rows.append(_kappa_row("cohen", coders[a], coders[b], kappa, reason, int(both.sum())))
    fk, reason = fleiss_kappa(_binary_counts(flat))
    rows.append(_kappa_row("fleiss", "all", "all", fk, reason, len(flat)))
    return pd.DataFrame(rows)


def _kappa_row(kind, a, b, kappa, reason, n) -> dict:
    status = "undefined" if kappa is None else flag(kappa)
    return {
        "statistic": kind,
        "coder_a": a,
        "coder_b": b,
        "kappa": kappa,
        "n_cells": n,
        "status": status,
        "reason": reason,
    }


def agreement_ladder(ladder: pd.DataFrame, replicates: int = 1000, seed: int = 0) -> pd.DataFrame:
    """Ordinal alpha on the ladder step (1-4) and nominal alpha on the level (A/B/C).

    ``ladder`` has example_id, coder, ladder_step, ladder_level; blanks are missing values.
    """
    rows = []
    for column, level in (("ladder_step", "ordinal"), ("ladder_level", "nominal")):
        if column not in ladder.columns:
            continue
        data = ladder[["example_id", "coder", column]].dropna()
        if data.empty:
            rows.append(
                {"variable": column, "status": "undefined", "reason": "nobody filled it in"}
            )
            continue
        res = alpha_with_ci(data, level, replicates, seed, "example_id", "coder", column)
        rows.append({"variable": column, **res.as_dict()})
    return pd.DataFrame(rows)


def rests_on_simulation(*tables: pd.DataFrame) -> bool:
    """True when any row of the agreement tables says data_source SIMULATED."""
    sources = pd.concat([t.get("data_source", pd.Series(dtype=str)) for t in tables])
    return bool((sources.astype(str) == "SIMULATED").any())


def agreement_latex(
    by_factor: pd.DataFrame,
    pooled: pd.DataFrame,
    factors: pd.DataFrame,
    categories: pd.DataFrame,
    study: str,
) -> str:
    """Agreement as a compact LaTeX table: pooled alpha, then each category and its factors.

    Alpha and its bootstrap 95% CI come from ``alpha_by_factor.csv`` and ``alpha_pooled.csv``;
    if any row rests on simulated coders (``data_source`` SIMULATED), caption and note say so.
    """
    from medvirk.tables import latex_escape, latex_number, latex_table

    def cells(ident: str, name: str, r: dict) -> list[str]:
        lo, hi = latex_number(r.get("ci_low"), 3), latex_number(r.get("ci_high"), 3)
        ci = "---" if "---" in (lo, hi) else f"{lo}, {hi}"
        return [ident, name, latex_number(r.get("alpha"), 3), ci, latex_escape(r.get("status"))]

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
        "nobody or everybody marked the factor."
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
        ["Id", r"Omfang / \textit{scope}", r"$\alpha$", r"95\,\% KI / \textit{CI}", "Status"],
        blocks,
        align=["l", r"p{0.5\linewidth}", "r", "l", "l"],
        caption=caption,
        label=f"tab:{study}-agreement",
        note=note,
    )
