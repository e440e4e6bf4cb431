# A new round from forms: the examples to code come from the ingested forms, the factors from its
# codebook. A curated study (the 2016 one) has its examples and raw factors in data/raw/.
if FROM_FORMS:

    rule examples_from_forms:
        input:
            ingested="data/processed/{study}/examples_ingested.csv",
        output:
            examples=report(
                "data/processed/{study}/examples.csv",
                caption="../report/examples_from_forms.rst",
                category="Data",
            ),
        log:
            "results/{study}/logs/examples_from_forms.log",
        conda:
            "../envs/medvirk.yaml"
        script:
            "../scripts/examples_from_forms.py"

    rule validate_codebook:
        input:
            categories="data/raw/{study}/codebook/categories.csv",
            factors="data/raw/{study}/codebook/factors.csv",
        output:
            categories="data/processed/{study}/categories.csv",
            factors="data/processed/{study}/factors.csv",
        log:
            "results/{study}/logs/validate_codebook.log",
        conda:
            "../envs/medvirk.yaml"
        script:
            "../scripts/validate_codebook.py"

else:

    rule validate_inputs:
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
        log:
            "results/{study}/logs/validate_inputs.log",
        conda:
            "../envs/medvirk.yaml"
        script:
            "../scripts/validate_inputs.py"
