"""Shared settings and input functions for all rules."""

import os
from pathlib import Path

from medvirk.counting import presence_inputs
from medvirk.forms import submission_files
from medvirk.provenance import front_page_facts

STUDY = config["study"]
# `--config strict=true` arrives as the string "true"; the schema allows both spellings.
STRICT = str(config["strict"]).lower() == "true"
# coding.simulate "auto": simulated coders only for a study without a codings/ folder, such as the
# embedded 2016 study, which published only its consensus. `medvirk new-study` creates codings/,
# so new studies are coded by real coders.
if str(config["coding"]["simulate"]).lower() == "auto":
    config["coding"]["simulate"] = not os.path.isdir(f"data/raw/{STUDY}/codings")
else:
    config["coding"]["simulate"] = str(config["coding"]["simulate"]).lower() == "true"


def has_forms(study=STUDY):
    """True when the study receives submitted forms (data/raw/<study>/forms/ exists)."""
    return os.path.isdir(f"data/raw/{study}/forms")


def has_codings(study=STUDY):
    """True when at least one coder's file (.xlsx, .csv, .qdpx) is in data/raw/<study>/codings/.

    The .qdpx mapping file and notes such as a README do not count.
    """
    folder = f"data/raw/{study}/codings"
    return os.path.isdir(folder) and any(
        not name.startswith(".")
        and name != "qdpx_mapping.csv"
        and name.lower().endswith((".xlsx", ".csv", ".qdpx"))
        for name in os.listdir(folder)
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


# The curated files of a study like the embedded 2016 one, beside its codebook.
CURATED_INPUTS = [
    "examples.csv",
    "raw_factors.csv",
    "published_numbers.csv",
    "ladder.csv",
]


def from_forms(study=STUDY):
    """True for a new round: submitted forms and none of the curated files.

    Its examples come from the ingested forms, its factors from the coders' consensus. A study
    with any curated file runs on them all, so a missing one is named by validate_inputs.
    """
    return has_forms(study) and not any(
        os.path.isfile(f"data/raw/{study}/{name}") for name in CURATED_INPUTS
    )


FROM_FORMS = from_forms()


# Inputs that only a curated study has; a new round from forms goes without them.
def published_numbers(wildcards):
    """The published numbers (n_published in Table 1); a new round has none."""
    if from_forms(wildcards.study):
        return []
    return [f"data/processed/{wildcards.study}/published_numbers.csv"]


def factor_assignments(wildcards):
    """Raw factor -> merged factor (n_unattributed, n_raw_factors); a new round has no raw factors."""
    if from_forms(wildcards.study):
        return []
    return [f"data/processed/{wildcards.study}/factor_assignments.csv"]


def curated_outputs(study=STUDY):
    """What needs the curated files: the audit of the published numbers (published_numbers.csv),
    the merge proposals measured against the readers' merge (raw_factors.csv, merge_map.csv),
    the ladder (ladder.csv) and the examples by municipality (a column forms do not have).
    """
    if from_forms(study):
        return []
    return [
        "results/{study}/figures/examples_by_municipality.png",
        "results/{study}/figures/ladder.png",
        "results/{study}/reproduction/audit.csv",
        "results/{study}/reproduction/audit.md",
        "results/{study}/reproduction/audit.tex",
        "results/{study}/merge/proposed_groups.csv",
        "results/{study}/merge/evaluation.csv",
        "results/{study}/merge/evaluation.tex",
        "results/{study}/merge/misplaced_factors.csv",
        "results/{study}/merge/threshold_sweep.csv",
        "results/{study}/merge/threshold_sweep.png",
    ]


def wants_analysis(study=STUDY):
    """True when Table 1 can be made: from the curated files, or from the coders' consensus.

    A new round from forms needs codings (and coding.enabled); until then it ingests its
    forms and writes the coding sheets.
    """
    if from_forms(study):
        return CODING["enabled"] and has_codings(study)
    return True


def coding_sheets(study=STUDY):
    """One coding sheet per configured coder, for a new round as soon as its forms are in."""
    if not CODING["enabled"]:
        return []
    return [f"results/{study}/coding_sheets/{coder}.xlsx" for coder in CODING["coders"]]


def sheets_to_send(wildcards):
    """The coding sheets next_steps.md tells the researcher to send out (none unless coding is on)."""
    return coding_sheets(wildcards.study)


def analysis_outputs(study=STUDY):
    """Table 1, figures, export, suggestions, agreement and what the curated files allow."""
    examples = [f"data/processed/{study}/examples.csv"] if from_forms(study) else []
    if not wants_analysis(study):
        return examples + (coding_sheets(study) if from_forms(study) else [])
    return examples + expand(
        [
            "results/{study}/tables/table1.csv",
            "results/{study}/tables/table1.md",
            "results/{study}/tables/table1.xlsx",
            "results/{study}/tables/table1.tex",
            "results/{study}/figures/factor_counts.png",
            "results/{study}/figures/example_factor_heatmap.png",
            "results/{study}/export/{study}.qdpx",
            "results/{study}/export/codebook.qdc",
            "results/{study}/merge/suggestions.csv",
        ]
        + curated_outputs(study)
        + (coding_outputs() if CODING["enabled"] else []),
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


def notice_steps(study=STUDY):
    """The steps that write notices (src/medvirk/notices.py) in this study's run.

    Each writes data/processed/<study>/notices/<step>.csv; a step added here must declare that
    file as an output.
    """
    steps = []
    if not from_forms(study):
        steps.append("propose_merges")
    return steps


def notice_files(wildcards):
    """The notice files that results/<study>/run_summary.md gathers."""
    return [
        f"data/processed/{wildcards.study}/notices/{step}.csv"
        for step in notice_steps(wildcards.study)
    ]


def final_outputs():
    """Everything `rule all` asks for, for the configured study."""
    outputs = study_outputs()
    if has_forms():
        outputs.append(f"results/{STUDY}/privacy/leak_scan.txt")
    outputs.append(f"results/{STUDY}/run_summary.md")
    return outputs


# Facts for the report's front page (workflow/report/workflow.rst). Added after the config was
# validated, so it is not a user setting.
config["report_facts"] = front_page_facts(STUDY, config)
config["report_facts"]["from_forms"] = FROM_FORMS


# --- Independent coding and agreement (coding.smk, agreement.smk) ---
CODING = config["coding"]


def coding_outputs():
    """Agreement and consensus outputs, asked for when coding is enabled."""
    outputs = [
        "results/{study}/agreement/alpha_by_factor.csv",
        "results/{study}/agreement/alpha_pooled.csv",
        "results/{study}/agreement/kappas.csv",
        "results/{study}/agreement/agreement.tex",
        "results/{study}/agreement/disagreements.xlsx",
        "results/{study}/figures/agreement_forest.png",
    ] + coding_sheets("{study}")
    ladder = (
        []
        if CODING["simulate"]
        else [
            "results/{study}/agreement/alpha_ladder.csv",
            "results/{study}/coding/qdpx_problems.csv",
        ]
    )
    return outputs + ladder


def table1_counts(wildcards):
    """Table 1 counts from the consensus of the coders when coding is enabled.

    Otherwise from the published example x factor attribution.
    """
    return presence_inputs(wildcards.study, CODING["enabled"])["counts"]


def table1_presence(wildcards):
    """The example x factor presence behind Table 1: the consensus, or the published attribution."""
    return presence_inputs(wildcards.study, CODING["enabled"])["presence"]


# "consensus" or "published": what Table 1, its LaTeX version and the heat map rest on.
PRESENCE_SOURCE = presence_inputs(STUDY, CODING["enabled"])["source"]


def coding_files(wildcards):
    """The configured coders' files that exist in data/raw/<study>/codings/.

    A coder without a file is reported by the read_codings script in plain words.
    """
    folder = Path("data/raw") / wildcards.study / "codings"
    candidates = [
        folder / f"{c}.{s}" for c in CODING["coders"] for s in ("xlsx", "csv")
    ]
    return [str(p) for p in candidates if p.exists()]


def coders_sheet_extras(wildcards):
    """What real coders wrote beside the factors: ladder step and level, and factors outside the
    codebook (ladder_codings.csv), if any.

    Simulated coders write none, so then the suggestions cover the raw factors only and the
    ladder figure shows no examples.
    """
    if CODING["enabled"] and not CODING["simulate"]:
        return [f"data/processed/{wildcards.study}/ladder_codings.csv"]
    return []


def qdpx_files(wildcards):
    """REFI-QDA projects from QDA programs: data/raw/<study>/codings/*.qdpx."""
    folder = Path("data/raw") / wildcards.study / "codings"
    return sorted(str(p) for p in folder.glob("*.qdpx"))


def qdpx_mapping(wildcards):
    """The mapping of .qdpx codes and sources onto factors and examples, if there is one."""
    path = Path("data/raw") / wildcards.study / "codings" / "qdpx_mapping.csv"
    return [str(path)] if path.exists() else []


def export_codings(wildcards):
    """What the .qdpx export shows as users: each coder and the consensus when coding is on.

    Otherwise the published example x factor attribution, as the user consensus.
    """
    # The user consensus holds the same presence Table 1 counts from.
    consensus = {"consensus": table1_presence(wildcards)}
    if CODING["enabled"]:
        return {"codings": f"data/processed/{wildcards.study}/codings.csv", **consensus}
    return consensus


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
