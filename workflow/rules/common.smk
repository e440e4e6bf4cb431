"""Shared settings and input functions for all rules."""

import os

from medvirk.forms import submission_files

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


def study_outputs(study=STUDY):
    """Every table and report of the study (all that the privacy scan checks)."""
    return ingest_outputs(study)


def scanned_files(wildcards):
    """Outputs under data/processed/ and results/ that the privacy scan must read."""
    return [
        f
        for f in study_outputs(wildcards.study)
        if f.startswith(("data/processed/", "results/"))
    ]


def final_outputs():
    """Everything `rule all` asks for, for the configured study."""
    outputs = study_outputs()
    if has_forms():
        outputs.append(f"results/{STUDY}/privacy/leak_scan.txt")
    return outputs
