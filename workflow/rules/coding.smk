# Coders work independently: one workbook per coder, and all codings as one tidy grid.
# (A study coded only in a QDA program may list no coders: then there are no sheets to write.)
if CODING["coders"]:

    rule coding_sheets:
        input:
            examples="data/processed/{study}/examples.csv",
            factors="data/processed/{study}/factors.csv",
            categories="data/processed/{study}/categories.csv",
        output:
            sheets=expand(
                "results/{{study}}/coding_sheets/{coder}.xlsx", coder=CODING["coders"]
            ),
        log:
            # one per sheet, as each coder's sheet is a step of its own
            expand(
                "results/{{study}}/logs/coding_sheets/{coder}.log",
                coder=CODING["coders"],
            ),
        conda:
            "../envs/medvirk.yaml"
        params:
            coders=CODING["coders"],
        script:
            "../scripts/coding_sheets.py"


rule machine_coding:
    input:
        examples="data/processed/{study}/examples.csv",
        factors="data/processed/{study}/factors.csv",
        assignments=factor_assignments,
        reference=machine_reference,
    output:
        codings="data/processed/{study}/machine_codings.csv",
    log:
        "results/{study}/logs/machine_coding.log",
    conda:
        "../envs/medvirk.yaml"
    # One core, so that it runs beside merge_proposals on two (embeddings do not depend on the
    # number of threads).
    threads: 1
    params:
        backend=BACKEND,
        lemma_weight=config["merge"]["lemma_weight"],
        cache="data/processed/{study}/embeddings",
    script:
        "../scripts/machine_coding.py"


if CODING["simulate"]:

    rule simulate_codings:
        input:
            example_factors="data/processed/{study}/example_factors.csv",
            examples="data/processed/{study}/examples.csv",
            factors="data/processed/{study}/factors.csv",
            machine=machine_codings,
        output:
            codings="data/processed/{study}/codings.csv",
            decisions="data/processed/{study}/simulated_decisions.csv",
        log:
            "results/{study}/logs/simulate_codings.log",
        conda:
            "../envs/medvirk.yaml"
        params:
            coders=CODING["coders"],
            rate=CODING["disagreement_rate"],
            seed=CODING["seed"],
        script:
            "../scripts/simulate_codings.py"

else:

    rule read_codings:
        input:
            codings=coding_files,
            qdpx=qdpx_files,
            folder=codings_folder_files,
            form_ids=form_ids_record,
            mapping=qdpx_mapping,
            contacts=private_contacts,
            examples="data/processed/{study}/examples.csv",
            factors="data/processed/{study}/factors.csv",
            categories="data/processed/{study}/categories.csv",
            machine=machine_codings,
        output:
            codings="data/processed/{study}/codings.csv",
            ladder="data/processed/{study}/ladder_codings.csv",
            notices="data/processed/{study}/notices/read_codings.csv",
            qdpx_problems=report(
                "results/{study}/coding/qdpx_problems.csv",
                caption="../report/qdpx_problems.rst",
                category="Coding and agreement",
            ),
        log:
            "results/{study}/logs/read_codings.log",
        conda:
            "../envs/medvirk.yaml"
        params:
            coders=CODING["coders"],
            match_sources_by=CODING["match_sources_by"],
            schema=CODING["qdpx_schema"],
            strict=STRICT,
            exclude_users=CODING["exclude_users"],
            scrub=SCRUB,
        script:
            "../scripts/read_codings.py"
