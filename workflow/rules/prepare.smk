# The study's own files, checked and made ready for every later step. A curated study (the 2016
# one) has its examples and raw factors in data/raw/: they are checked, each raw factor is
# assigned to its merged factor by the curated merge map, and the factors are counted, so that
# Table 1 never waits for the text comparisons. A new round from forms takes its examples from
# the ingested forms and its factors from its codebook.
if FROM_FORMS:

    rule prepare:
        input:
            ingested="data/processed/{study}/examples_ingested.csv",
            categories="data/raw/{study}/codebook/categories.csv",
            factors="data/raw/{study}/codebook/factors.csv",
        output:
            examples=report(
                "data/processed/{study}/examples.csv",
                caption="../report/examples_from_forms.rst",
                category="Data",
            ),
            categories="data/processed/{study}/categories.csv",
            factors="data/processed/{study}/factors.csv",
        log:
            **step_logs("examples_from_forms", "validate_codebook"),
        conda:
            "../envs/medvirk.yaml"
        script:
            "../scripts/prepare_forms.py"

else:

    rule prepare:
        input:
            examples="data/raw/{study}/examples.csv",
            raw_factors="data/raw/{study}/raw_factors.csv",
            categories="data/raw/{study}/codebook/categories.csv",
            factors="data/raw/{study}/codebook/factors.csv",
            merge_map="data/raw/{study}/codebook/merge_map.csv",
            published="data/raw/{study}/published_numbers.csv",
            ladder="data/raw/{study}/ladder.csv",
        output:
            examples=report(
                "data/processed/{study}/examples.csv",
                caption="../report/examples.rst",
                category="Data",
            ),
            raw_factors="data/processed/{study}/raw_factors.csv",
            categories="data/processed/{study}/categories.csv",
            factors="data/processed/{study}/factors.csv",
            merge_map="data/processed/{study}/merge_map.csv",
            published="data/processed/{study}/published_numbers.csv",
            ladder="data/processed/{study}/ladder.csv",
            assignments="data/processed/{study}/factor_assignments.csv",
            example_factors="data/processed/{study}/example_factors.csv",
            counts="data/processed/{study}/factor_counts.csv",
        log:
            **step_logs("validate_inputs", "apply_merge_map", "count_factors"),
        conda:
            "../envs/medvirk.yaml"
        script:
            "../scripts/prepare.py"
