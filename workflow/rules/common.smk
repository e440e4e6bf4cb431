"""Shared settings and input functions for all rules."""

STUDY = config["study"]


def final_outputs():
    """Everything `rule all` asks for, for the configured study."""
    return []


# --- Independent coding and agreement (coding.smk, agreement.smk) ---
from pathlib import Path

CODING = config.get("coding", {})


def coding_files(wildcards):
    """The configured coders' files that exist in data/raw/<study>/codings/.

    A coder without a file is reported by the read_codings script in plain words.
    """
    folder = Path("data/raw") / wildcards.study / "codings"
    candidates = [
        folder / f"{c}.{s}" for c in CODING["coders"] for s in ("xlsx", "csv")
    ]
    return [str(p) for p in candidates if p.exists()]


def consensus_decisions(wildcards):
    """The consensus meeting's decisions: data/raw/<study>/consensus.xlsx|csv if there are any.

    With simulated coders the 2016 meeting's outcome, the published attribution, decides.
    """
    if CODING["simulate"]:
        return [f"data/processed/{wildcards.study}/simulated_decisions.csv"]
    for suffix in ("xlsx", "csv"):
        path = Path("data/raw") / wildcards.study / f"consensus.{suffix}"
        if path.exists():
            return [str(path)]
    return []
