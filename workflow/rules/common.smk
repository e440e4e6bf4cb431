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
            "results/{study}/figures/factor_counts.png",
            "results/{study}/figures/examples_by_municipality.png",
            "results/{study}/reproduction/audit.csv",
            "results/{study}/reproduction/audit.md",
            "results/{study}/merge/proposed_groups.csv",
            "results/{study}/merge/evaluation.csv",
            "results/{study}/merge/misplaced_factors.csv",
            "results/{study}/merge/suggestions.csv",
            "results/{study}/merge/threshold_sweep.csv",
            "results/{study}/merge/threshold_sweep.png",
        ],
        study=STUDY,
    )
