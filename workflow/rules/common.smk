"""Shared settings and input functions for all rules."""

import os

from medvirk.forms import submission_files
from medvirk.provenance import front_page_facts

STUDY = config["study"]
# `--config strict=true` arrives as the string "true"; the schema allows both spellings.
STRICT = str(config["strict"]).lower() == "true"


def has_forms(study=STUDY):
    """True when the study receives submitted forms (data/raw/<study>/forms/ exists)."""
    return os.path.isdir(f"data/raw/{study}/forms")


def has_codings(study=STUDY):
    """True when at least one coder's file is in data/raw/<study>/codings/."""
    folder = f"data/raw/{study}/codings"
    return os.path.isdir(folder) and any(
        not name.startswith(".") for name in os.listdir(folder)
    )


def form_files(wildcards):
    """The submitted forms of a study, as files in data/raw/<study>/forms/."""
    return [str(p) for p in submission_files(f"data/raw/{wildcards.study}/forms")]


def ingest_outputs(study=STUDY):
    """What ingesting the forms gives, when the study has a forms folder."""
    if not has_forms(study):
        return []
    outputs = [
        f"data/processed/{study}/examples_ingested.csv",
        f"results/{study}/ingest/rejected.csv",
        f"results/{study}/ingest/report.csv",
    ]
    if not has_codings(study):
        outputs.append(f"results/{study}/ingest/next_steps.md")
    return outputs


# The curated inputs that Table 1, the figures and the audit are computed from.
ANALYSIS_INPUTS = [
    "examples.csv",
    "raw_factors.csv",
    "codebook/categories.csv",
    "codebook/factors.csv",
    "codebook/merge_map.csv",
    "published_numbers.csv",
    "ladder.csv",
]


def wants_analysis(study=STUDY):
    """True unless the study is a new round of forms with none of the analysis inputs yet.

    Such a round ingests its forms and stops there; any other study runs the analysis,
    so a missing input file is named by validate_inputs instead of silently skipped.
    """
    own_inputs = [name for name in ANALYSIS_INPUTS if not name.startswith("codebook/")]
    return not has_forms(study) or any(
        os.path.isfile(f"data/raw/{study}/{name}") for name in own_inputs
    )


def analysis_outputs(study=STUDY):
    """Table 1, figures and the reproduction audit, when their inputs exist."""
    if not wants_analysis(study):
        return []
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
            "results/{study}/export/{study}.qdpx",
            "results/{study}/export/codebook.qdc",
        ],
        study=study,
    )


def study_outputs(study=STUDY):
    """Every table and report of the study (all that the privacy scan checks)."""
    return ingest_outputs(study) + analysis_outputs(study)


def scanned_files(wildcards):
    """Outputs under data/processed/ and results/ that the privacy scan must read."""
    return [
        f
        for f in study_outputs(wildcards.study)
        if f.startswith(("data/processed/", "results/"))
    ]


wildcard_constraints:
    study="[A-Za-z0-9][A-Za-z0-9_-]*",


def final_outputs():
    """Everything `rule all` asks for, for the configured study."""
    outputs = study_outputs()
    if has_forms():
        outputs.append(f"results/{STUDY}/privacy/leak_scan.txt")
    return outputs


# Facts for the report's front page (workflow/report/workflow.rst). Added after the config was
# validated, so it is not a user setting.
config["report_facts"] = front_page_facts(STUDY, config)
