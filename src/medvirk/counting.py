"""Count in how many examples each merged factor was identified."""

from __future__ import annotations

import pandas as pd

from medvirk.studyfiles import presence_inputs as presence_inputs


def example_factor_matrix(assignments: pd.DataFrame) -> pd.DataFrame:
    """Long example × factor table: one row per (example, factor) in which the factor was identified.

    Only raw factors attributed to an example (stated or inferred) take part; `raw_factor_ids`
    lists the raw factors behind each cell.
    """
    known = assignments[(assignments["factor_id"] != "") & (assignments["example_id"] != "")]
    grouped = (
        known.groupby(["example_id", "factor_id"], sort=True)["raw_factor_id"]
        .agg(lambda s: " ".join(sorted(s)))
        .reset_index(name="raw_factor_ids")
    )
    return grouped[["example_id", "factor_id", "raw_factor_ids"]]


def count_factors(
    example_factors: pd.DataFrame,
    assignments: pd.DataFrame | None,
    factors: pd.DataFrame,
    include_unattributed: bool = True,
) -> pd.DataFrame:
    """Per codebook factor: examples in which it was identified, plus what could not be attributed.

    n_examples     distinct examples in the example × factor table
    n_unattributed raw factors merged into this factor whose example the material does not give
    n              n_examples + n_unattributed. Assumption: each unattributed raw factor stands
                   for one further example, as it would if appendix 3 listed a factor once per
                   example it was found in (the same wording does recur across examples). Table 1's
                   115 mentions against the 90 raw factors mapped to a Table 1 factor argue
                   against that reading, so n may be off either way: too high where an
                   unattributed raw factor came from an example already counted, too low where it
                   stands for several examples.
    n_raw_factors  raw factors merged into this factor

    A new round coded from its forms has no raw factors (`assignments` None): n = n_examples.
    Real coders who coded every example count from their own consensus, not the 2016 readers'
    unattributed finds: `include_unattributed=False` gives n_unattributed 0 and n = n_examples.
    """
    if assignments is None:
        assignments = pd.DataFrame(columns=["raw_factor_id", "example_id", "factor_id"])
    mapped = assignments[assignments["factor_id"] != ""]
    n_examples = example_factors.groupby("factor_id")["example_id"].nunique()
    n_unattr = mapped[mapped["example_id"] == ""].groupby("factor_id").size()
    n_raw = mapped.groupby("factor_id").size()
    out = factors[["factor_id", "category_id"]].copy()
    out["n_examples"] = out["factor_id"].map(n_examples).fillna(0).astype(int)
    out["n_unattributed"] = (
        out["factor_id"].map(n_unattr).fillna(0).astype(int) if include_unattributed else 0
    )
    out["n"] = out["n_examples"] + out["n_unattributed"]
    out["n_raw_factors"] = out["factor_id"].map(n_raw).fillna(0).astype(int)
    return out.reset_index(drop=True)


COUNT_COLUMNS = ("n", "n_examples", "n_unattributed", "n_raw_factors")


def read_factor_counts(path) -> pd.DataFrame:
    """Read a factor-counts table written by the workflow, with its counts as integers."""
    from medvirk.io import read_csv

    counts = read_csv(path)
    return counts.astype({col: int for col in COUNT_COLUMNS if col in counts.columns})


# Where an example x factor presence comes from, in Bokmål and English (captions, notes, titles).
# "curated": the curators' attribution of appendix 3's raw factors to examples, our reading of the
# 2016 report, which prints no such attribution (data/raw/fhi2016/README.md). It is neither what
# the report printed nor a consensus of coders.
PRESENCE_SOURCES = {
    "consensus": ("kodernes konsensus", "the coders' consensus"),
    "curated": ("kuratorenes fordeling", "the curators' attribution"),
}
# Simulated coders' consensus equals the curators' attribution by construction
# (simulation.curated_decisions): say both.
SIMULATED_CONSENSUS = (
    "de simulerte kodernes konsensus (lik kuratorenes fordeling)",
    "the simulated coders' consensus (equal to the curators' attribution)",
)


def presence_source_label(source: str, simulated: bool = False) -> tuple[str, str]:
    """(Bokmål, English) words for a presence source: "consensus" or "curated".

    The consensus of simulated coders is named as such, with what it equals.
    """
    if source not in PRESENCE_SOURCES:
        raise ValueError(f"unknown presence source {source!r}; use one of {list(PRESENCE_SOURCES)}")
    if source == "consensus" and simulated:
        return SIMULATED_CONSENSUS
    return PRESENCE_SOURCES[source]


def ladder_placements(placed: pd.DataFrame) -> pd.DataFrame:
    """How many examples sit in each cell of the participation ladder (columns step, level, n).

    ``placed`` is the consensus placement, one row per example (example_id, ladder_step,
    ladder_level: ``consensus_ladder.csv``, where the meeting's decision or else most of the
    coders put it). An example without both a step and a level is in no cell.
    """
    rows = placed.assign(
        step=pd.to_numeric(placed["ladder_step"], errors="coerce"),
        level=placed["ladder_level"].astype(str).str.strip().str.upper(),
    )
    rows = rows[rows["step"].notna() & rows["level"].isin(["A", "B", "C"])]
    if rows.empty:
        return pd.DataFrame({"step": pd.Series(dtype=int), "level": [], "n": pd.Series(dtype=int)})
    rows = rows.drop_duplicates("example_id").assign(step=lambda t: t["step"].astype(int))
    counts = rows.groupby(["step", "level"]).size().reset_index(name="n")
    return counts.sort_values(["step", "level"]).reset_index(drop=True)
