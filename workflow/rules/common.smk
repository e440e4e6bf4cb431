"""Shared settings and input functions for all rules."""

STUDY = config["study"]


wildcard_constraints:
    study="[A-Za-z0-9][A-Za-z0-9_-]*",


def final_outputs():
    """Everything `rule all` asks for, for the configured study."""
    return expand(
        [
            "results/{study}/tables/table1.csv",
            "results/{study}/tables/table1.md",
            "results/{study}/tables/table1.xlsx",
            "results/{study}/tables/table1.tex",
            "results/{study}/figures/factor_counts.png",
            "results/{study}/figures/examples_by_municipality.png",
            "results/{study}/figures/ladder.png",
            "results/{study}/figures/example_factor_heatmap.png",
            "results/{study}/reproduction/audit.csv",
            "results/{study}/reproduction/audit.md",
        ]
        + (coding_outputs() if CODING["enabled"] else []),
        study=STUDY,
    )


# --- Independent coding and agreement (coding.smk, agreement.smk) ---
from pathlib import Path

CODING = config["coding"]


def coding_outputs():
    """Agreement and consensus outputs, asked for when coding is enabled."""
    outputs = [
        "results/{study}/agreement/alpha_by_factor.csv",
        "results/{study}/agreement/alpha_pooled.csv",
        "results/{study}/agreement/kappas.csv",
        "results/{study}/agreement/disagreements.xlsx",
    ] + [f"results/{{study}}/coding_sheets/{coder}.xlsx" for coder in CODING["coders"]]
    ladder = (
        [] if CODING["simulate"] else ["results/{study}/agreement/alpha_ladder.csv"]
    )
    return outputs + ladder


def table1_counts(wildcards):
    """Table 1 counts from the consensus of the coders when coding is enabled.

    Otherwise from the published example x factor attribution.
    """
    if CODING["enabled"]:
        return f"data/processed/{wildcards.study}/consensus_factor_counts.csv"
    return f"data/processed/{wildcards.study}/factor_counts.csv"


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
