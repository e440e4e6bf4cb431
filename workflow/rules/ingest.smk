# Ingest: submitted example forms (appendix 1) -> one record per submission.
# Contact details are split off into data/private/, which is never committed. Then the forms
# are checked against the record of earlier runs (changed or withdrawn forms, near-duplicates).


rule ingest_forms:
    input:
        forms=form_files,
    output:
        examples="data/processed/{study}/examples_ingested.csv",
        rejected=report(
            "results/{study}/ingest/rejected.csv",
            caption="../report/ingest_rejected.rst",
            category="Data",
        ),
        report=report(
            "results/{study}/ingest/report.csv",
            caption="../report/ingest_report.rst",
            category="Data",
        ),
        contacts="data/private/{study}/contacts.csv",
        notices="data/processed/{study}/notices/ingest_forms.csv",
        form_ids="data/processed/{study}/form_ids.csv",
        check_notices="data/processed/{study}/notices/check_forms.csv",
    log:
        **step_logs("ingest_forms", "check_forms"),
    conda:
        "../envs/medvirk.yaml"
    params:
        strict=STRICT,
        scrub=SCRUB,
        # Symbolic links and folders in forms/: listed as rejected, never read.
        refused=refused_forms,
        # which form file gave which example id, over the runs (not an output: never deleted)
        history="data/processed/{study}/form_ids_history.csv",
    script:
        "../scripts/ingest_forms.py"


rule coding_next_steps:
    input:
        examples="data/processed/{study}/examples_ingested.csv",
        rejected="results/{study}/ingest/rejected.csv",
        sheets=sheets_to_send,
    output:
        next_steps="results/{study}/ingest/next_steps.md",
    log:
        "results/{study}/logs/coding_next_steps.log",
    conda:
        "../envs/medvirk.yaml"
    params:
        coders=CODING["coders"] if CODING["enabled"] else [],
    message:
        "Study {wildcards.study}: forms ingested. Send out the coding sheets in results/{wildcards.study}/coding_sheets/; agreement and tables wait for codings in data/raw/{wildcards.study}/codings/ (what to do next: results/{wildcards.study}/ingest/next_steps.md)."
    script:
        "../scripts/coding_next_steps.py"
