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


NOT_DERIVABLE = {
    "n_readers": "The report names three readers but publishes no per-reader factor lists, only the consensus. "
    "Agreement between readers can be measured only once per-coder codings exist.",
    "examples_with_patient_stories": "Which presented examples contain patient stories is a judgement the report "
    "makes in prose; the dataset does not encode it.",
    "examples_individual_plan_central": "Instruments (virkemidler) were identified per example, but the report "
    "publishes only the ladder (Figure 4), not which example uses which instrument. Appendix 3 names "
    "«Individuell plan» twice, as a raw factor, and those rows are mapped to no factor because IP is an instrument.",
    "examples_hverdagsmestring": "Which examples work from everyday mastery (hverdagsmestring) is not listed per "
    "example; titles and aims in appendix 2 do not settle it.",
}


def _by_prefix(prefix: str, fn: Callable[[str], int]) -> Callable[[str], int]:
    def resolve(quantity_id: str) -> int:
        return fn(quantity_id.removeprefix(prefix))

    return resolve


def _resolvers(f: StudyFacts) -> dict[str, Callable[[str], int]]:
    mapped = f.assignments[f.assignments["factor_id"] != ""]
    counts = f.factor_counts.set_index("factor_id")
    presented = f.examples[f.examples["presented_in_report"] == "yes"]
    return {
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


def _explain(quantity_id: str, published: int, regenerated: int, f: StudyFacts) -> str:
    if quantity_id.startswith("table1_count/"):
        fid = quantity_id.split("/", 1)[1]
        c = f.factor_counts.set_index("factor_id").loc[fid]
        text = (
            f"{int(c['n_raw_factors'])} raw factor(s) of appendix 3 merged into {fid}: "
            f"{int(c['n_examples'])} distinct example(s) known, {int(c['n_unattributed'])} raw factor(s) "
            f"without a known example (counted as one example each)."
        )
        if published == regenerated:
            return text + " Regenerated count equals the published one."
        return text + (
            " The published count is higher: the readers counted from the full forms, films and their "
            "consensus meeting, and appendix 3 lists 97 factors against 115 mentions in Table 1."
            if published > regenerated
            else " The published count is lower: the merge map puts more examples' factors here than the readers did."
        )
    if quantity_id == "table1_sum":
        mapped = int((f.assignments["factor_id"] != "").sum())
        return (
            f"Table 1's counts add up to {published} mentions, but appendix 3 lists only {len(f.assignments)} raw "
            f"factors, {mapped} of which map to a Table 1 factor. At most {mapped} mentions can be regenerated "
            "from the published material; the remainder rests on material the report does not publish."
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
    rows = []
    for rec in published.to_dict("records"):
        q, pub = rec["quantity_id"], int(rec["published"])
        resolver = resolvers.get(q) or next(
            (fn for key, fn in resolvers.items() if key.endswith("/") and q.startswith(key)), None
        )
        if q in NOT_DERIVABLE or resolver is None:
            reason = NOT_DERIVABLE.get(
                q, "The workflow has no rule for regenerating this quantity."
            )
            rows.append([q, rec["label"], pub, pd.NA, "not_derivable", rec["source"], reason])
            continue
        regen = int(resolver(q))
        status = "match" if regen == pub else "differs"
        rows.append(
            [q, rec["label"], pub, regen, status, rec["source"], _explain(q, pub, regen, facts)]
        )
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
