rule figure_factor_counts:
    input:
        table1="results/{study}/tables/table1.csv",
    output:
        png=report(
            "results/{study}/figures/factor_counts.png",
            caption="../report/factor_counts.rst",
            category="Figures",
        ),
        svg="results/{study}/figures/factor_counts.svg",
    log:
        "results/{study}/logs/figure_factor_counts.log",
    conda:
        "../envs/medvirk.yaml"
    script:
        "../scripts/figure_factor_counts.py"


rule figure_examples_by_municipality:
    input:
        examples="data/processed/{study}/examples.csv",
        published="data/processed/{study}/published_numbers.csv",
    output:
        png=report(
            "results/{study}/figures/examples_by_municipality.png",
            caption="../report/examples_by_municipality.rst",
            category="Figures",
        ),
        svg="results/{study}/figures/examples_by_municipality.svg",
    log:
        "results/{study}/logs/figure_examples_by_municipality.log",
    conda:
        "../envs/medvirk.yaml"
    script:
        "../scripts/figure_examples_by_municipality.py"


rule figure_ladder:
    input:
        ladder="data/processed/{study}/ladder.csv",
        placements=ladder_consensus,
    output:
        png=report(
            "results/{study}/figures/ladder.png",
            caption="../report/ladder.rst",
            category="Figures",
        ),
        svg="results/{study}/figures/ladder.svg",
    log:
        "results/{study}/logs/figure_ladder.log",
    conda:
        "../envs/medvirk.yaml"
    script:
        "../scripts/figure_ladder.py"


rule figure_example_factor_heatmap:
    input:
        presence=table1_presence,
        examples="data/processed/{study}/examples.csv",
        table1="results/{study}/tables/table1.csv",
    output:
        png=report(
            "results/{study}/figures/example_factor_heatmap.png",
            caption="../report/example_factor_heatmap.rst",
            category="Figures",
        ),
        svg="results/{study}/figures/example_factor_heatmap.svg",
    log:
        "results/{study}/logs/figure_example_factor_heatmap.log",
    conda:
        "../envs/medvirk.yaml"
    params:
        source=PRESENCE_SOURCE,
        simulated=CODING["simulate"],
    script:
        "../scripts/figure_example_factor_heatmap.py"


rule figure_agreement_forest:
    input:
        by_factor="results/{study}/agreement/alpha_by_factor.csv",
        pooled="results/{study}/agreement/alpha_pooled.csv",
        factors="data/processed/{study}/factors.csv",
        categories="data/processed/{study}/categories.csv",
    output:
        png=report(
            "results/{study}/figures/agreement_forest.png",
            caption="../report/agreement_forest.rst",
            category="Coding and agreement",
        ),
        svg="results/{study}/figures/agreement_forest.svg",
    log:
        "results/{study}/logs/figure_agreement_forest.log",
    conda:
        "../envs/medvirk.yaml"
    script:
        "../scripts/figure_agreement_forest.py"
