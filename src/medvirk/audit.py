"""Reproduction audit: every number the report gives about its analysis, next to what the workflow computes.

Status per quantity:
  match          the workflow regenerates the published number from the study's files
  differs        it computes a different number; the explanation says why
  not_derivable  the published material does not hold what the number rests on
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

AUDIT_COLUMNS = [
    "quantity_id",
    "quantity",
    "published",
    "regenerated",
    "status",
    "source",
    "explanation",
]


@dataclass(frozen=True)
class StudyFacts:
    """What the workflow has computed for a study; the audit only reads it."""

    examples: pd.DataFrame
    assignments: pd.DataFrame
    factor_counts: (
        pd.DataFrame
    )  # factor_id, category_id, n, n_examples, n_unattributed, n_raw_factors
    ladder: pd.DataFrame


# Why a quantity cannot be regenerated, for the quantities of the embedded study that have no
# resolver (or whose curated column a study leaves out).
NOT_DERIVABLE = {
    "n_readers": "The report names three readers but publishes no per-reader factor lists, only the consensus. "
    "Agreement between readers can be measured only once per-coder codings exist.",
    "examples_with_patient_stories": "examples.csv has no column patient_story, the curators' reading of which "
    "presented examples tell a patient's story (ch. 2 gives the number without naming them).",
    "examples_individual_plan_central": "Ch. 4 gives the number without naming the examples. The report names "
    "one example that uses an individual plan (the HIV clinic, E33, in ch. 3 and ch. 4); appendix 3 lists "
    "«Individuell plan» twice (R012, R018), which the curators' attribution places in E33 and E34 by inference. "
    "No published text names a third example, and none says which of them call it central, so at most two of "
    "the three can be identified.",
    "examples_hverdagsmestring": "examples.csv has no column everyday_mastery, the curators' reading of which "
    "examples work from hverdagsmestring (ch. 4 gives the number without naming them).",
}

# Quantities counted from a curated reading of the report (a column of examples.csv): what it is.
CURATED_READINGS = {
    "examples_with_patient_stories": (
        "patient_story",
        "of the presented examples, the curators' reading of ch. 3 finds a patient's or user's story "
        "in",
    ),
    "examples_hverdagsmestring": (
        "everyday_mastery",
        "the curators' reading of appendix 2 finds hverdagsmestring, hverdagsrehabilitering or "
        "hjemmerehabilitering named in the title or aim of",
    ),
}


def _by_prefix(prefix: str, fn: Callable[[str], int]) -> Callable[[str], int]:
    def resolve(quantity_id: str) -> int:
        return fn(quantity_id.removeprefix(prefix))

    return resolve


def _count_yes(examples: pd.DataFrame, column: str) -> Callable[[str], int]:
    return lambda q: int((examples[column] == "yes").sum())


def _resolvers(f: StudyFacts) -> dict[str, Callable[[str], int]]:
    mapped = f.assignments[f.assignments["factor_id"] != ""]
    counts = f.factor_counts.set_index("factor_id")
    presented = f.examples[f.examples["presented_in_report"] == "yes"]
    readings = {
        q: _count_yes(f.examples, column)
        for q, (column, _) in CURATED_READINGS.items()
        if column in f.examples.columns
    }
    return readings | {
        "n_examples": lambda q: len(f.examples),
        "examples_by_municipality/": _by_prefix(
            "examples_by_municipality/", lambda m: int((f.examples["municipality"] == m).sum())
        ),
        "examples_by_institution/": _by_prefix(
            "examples_by_institution/", lambda m: int((f.examples["institution"] == m).sum())
        ),
        "n_raw_factors": lambda q: len(f.assignments),
        "n_merged_factors": lambda q: mapped["factor_id"].nunique(),
        "n_categories": lambda q: mapped["category_id"].nunique(),
        "factors_by_category/": _by_prefix(
            "factors_by_category/",
            lambda c: mapped.loc[mapped["category_id"] == c, "factor_id"].nunique(),
        ),
        "table1_count/": _by_prefix("table1_count/", lambda fid: int(counts.loc[fid, "n"])),
        "table1_sum": lambda q: int(f.factor_counts["n"].sum()),
        "n_examples_presented": lambda q: len(presented),
        "examples_presented_by_level/": _by_prefix(
            "examples_presented_by_level/", lambda lv: int((presented["level"] == lv).sum())
        ),
        "ladder_steps": lambda q: f.ladder["step"].nunique(),
        "ladder_levels": lambda q: f.ladder["level"].nunique(),
    }


def _explain(
    quantity_id: str, published: int, regenerated: int, f: StudyFacts, table1_sum: int
) -> str:
    n_raw = len(f.assignments)
    n_mapped = int((f.assignments["factor_id"] != "").sum())
    if quantity_id.startswith("table1_count/"):
        fid = quantity_id.split("/", 1)[1]
        c = f.factor_counts.set_index("factor_id").loc[fid]
        unattributed = int(c["n_unattributed"])
        text = (
            f"{int(c['n_raw_factors'])} raw factor(s) of appendix 3 merged into {fid} by the curated "
            f"merge map: {int(c['n_examples'])} distinct example(s) by the curators' attribution, "
            f"{unattributed} raw factor(s) without an attributed example, counted as one example each "
            "(an assumption)."
        )
        if published == regenerated:
            return text + " Regenerated count equals the published one."
        if published > regenerated:
            return text + (
                " The published count is higher: the readers counted from the full forms, the films and "
                "their consensus meeting, which the report does not publish; Table 1's counts add up to "
                f"{table1_sum} mentions against the {n_raw} raw factors of appendix 3 ({n_mapped} mapped "
                "to a Table 1 factor)."
            )
        lower = (
            " The published count is lower: the curated merge map may put raw factors here that the "
            "readers merged elsewhere"
        )
        if unattributed:
            lower += (
                f", and each of the {unattributed} unattributed raw factor(s) counts as an example of its "
                "own, which over-counts where one came from an example already counted or two came from "
                "the same example"
            )
        return text + lower + "."
    if quantity_id == "table1_sum":
        return (
            f"Table 1's counts add up to {published} mentions, but appendix 3 lists only {n_raw} raw "
            f"factors, {n_mapped} of which the curated merge map puts in a Table 1 factor, and each counts "
            f"at most once: at most {n_mapped} mentions can be regenerated from the published material; the "
            "remainder rests on material the report does not publish. It also argues against the "
            "assumption that appendix 3 lists a factor once per example it was found in, under which "
            "each unattributed raw factor is counted as one example."
        )
    if quantity_id in CURATED_READINGS:
        column, reading = CURATED_READINGS[quantity_id]
        ids = ", ".join(f.examples.loc[f.examples[column] == "yes", "example_id"])
        return (
            f"Counted from examples.csv, column {column}: {reading} {ids or 'no example'}. The report "
            "gives the number without naming the examples, so this is a reading, not a transcription; "
            "the study's README gives the rule and its assumptions."
        )
    if (
        quantity_id.startswith("examples_presented_by_level/")
        or quantity_id == "n_examples_presented"
    ):
        return "Counted from examples.csv, where the level of the five examples presented in ch. 3 is recorded."
    if published == regenerated:
        return "Regenerated from the study's files."
    return "The study's files give a different number; check the curated inputs."


def build_audit(published: pd.DataFrame, facts: StudyFacts) -> pd.DataFrame:
    """One row per published quantity with the regenerated value, a status and an explanation."""
    resolvers = _resolvers(facts)
    table1_sum = int(
        published.loc[published["quantity_id"].str.startswith("table1_count/"), "published"]
        .astype(int)
        .sum()
    )
    rows = []
    for rec in published.to_dict("records"):
        q, pub = rec["quantity_id"], int(rec["published"])
        resolver = resolvers.get(q) or next(
            (fn for key, fn in resolvers.items() if key.endswith("/") and q.startswith(key)), None
        )
        if resolver is None:
            reason = NOT_DERIVABLE.get(
                q, "The workflow has no rule for regenerating this quantity."
            )
            rows.append([q, rec["label"], pub, pd.NA, "not_derivable", rec["source"], reason])
            continue
        regen = int(resolver(q))
        status = "match" if regen == pub else "differs"
        explanation = _explain(q, pub, regen, facts, table1_sum)
        rows.append([q, rec["label"], pub, regen, status, rec["source"], explanation])
    out = pd.DataFrame(rows, columns=AUDIT_COLUMNS)
    out["regenerated"] = out["regenerated"].astype("Int64")
    return out


def audit_markdown(audit: pd.DataFrame, study: str) -> str:
    """The audit for reviewers: a summary by status, then every quantity."""
    counts = audit["status"].value_counts()
    lines = [
        f"# Reproduksjonsrevisjon / reproduction audit — {study}",
        "",
        "Every number the report gives about its analysis, next to the number this workflow computes "
        "from the study's files. *match*: regenerated; *differs*: a different number, explained; "
        "*not_derivable*: the published material does not hold what the number rests on.",
        "",
        f"**{counts.get('match', 0)} match, {counts.get('differs', 0)} differ, "
        f"{counts.get('not_derivable', 0)} not derivable** (of {len(audit)} quantities).",
        "",
        "| Størrelse / quantity | Publisert / published | Regenerert / regenerated | Status | Kilde / source | Forklaring / explanation |",
        "|---|---:|---:|---|---|---|",
    ]
    for r in audit.itertuples(index=False):
        regen = "—" if pd.isna(r.regenerated) else str(r.regenerated)
        lines.append(
            f"| {r.quantity} | {r.published} | {regen} | {r.status} | {r.source} | {r.explanation} |"
        )
    lines.append("")
    return "\n".join(lines)


def audit_latex(audit: pd.DataFrame, study: str) -> str:
    """The audit as a LaTeX longtable for papers: quantity, published, regenerated, status, why."""
    from medvirk.tables import latex_escape, latex_number, latex_table

    counts = audit["status"].value_counts()
    rows = [
        [
            latex_escape(r.quantity),
            latex_number(r.published),
            latex_number(r.regenerated),
            latex_escape(r.status),
            latex_escape(r.explanation),
        ]
        for r in audit.itertuples(index=False)
    ]
    return latex_table(
        [
            r"Størrelse / \textit{quantity}",
            "Publisert",
            "Regenerert",
            "Status",
            r"Forklaring / \textit{explanation}",
        ],
        [(None, rows)],
        align=[r"p{0.28\linewidth}", "r", "r", "l", r"p{0.38\linewidth}"],
        caption=(
            "Reproduksjonsrevisjon: publiserte tall mot tallene arbeidsflyten regenererer",
            f"reproduction audit: published numbers against the regenerated ones ({study})",
        ),
        label=f"tab:{study}-audit",
        note=(
            f"{counts.get('match', 0)} match, {counts.get('differs', 0)} differs, "
            f"{counts.get('not_derivable', 0)} not_derivable (av / of {len(audit)}). "
            "match: regenerert / regenerated; differs: et annet tall, forklart / a different "
            "number, explained; not_derivable: det publiserte materialet har ikke det tallet "
            "bygger på / the published material does not hold what the number rests on."
        ),
        long=True,
    )
