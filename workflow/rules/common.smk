"""Shared settings and input functions for all rules."""

from medvirk.provenance import front_page_facts

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
        ],
        study=STUDY,
    )


# Facts for the report's front page (workflow/report/workflow.rst). Added after the config was
# validated, so it is not a user setting.
config["report_facts"] = front_page_facts(STUDY, config)
