# Agreement between the coders, the disagreements for the meeting, and the consensus.


rule agreement:
    input:
        codings="data/processed/{study}/codings.csv",
        factors="data/processed/{study}/factors.csv",
    output:
        by_factor=report(
            "results/{study}/agreement/alpha_by_factor.csv",
            caption="../report/alpha_by_factor.rst",
            category="Coding and agreement",
        ),
        pooled=report(
            "results/{study}/agreement/alpha_pooled.csv",
            caption="../report/alpha_pooled.rst",
            category="Coding and agreement",
        ),
        kappas=report(
            "results/{study}/agreement/kappas.csv",
            caption="../report/kappas.rst",
            category="Coding and agreement",
        ),
        without_coder=report(
            "results/{study}/agreement/alpha_without_coder.csv",
            caption="../report/alpha_without_coder.rst",
            category="Coding and agreement",
        ),
        notices="data/processed/{study}/notices/agreement.csv",
    log:
        "results/{study}/logs/agreement.log",
    conda:
        "../envs/medvirk.yaml"
    params:
        replicates=CODING["bootstrap_replicates"],
        seed=CODING["seed"],
        simulated=CODING["simulate"],
        alpha_minimum=CODING["alpha_minimum"],
    script:
        "../scripts/agreement.py"


rule agreement_latex:
    input:
        by_factor="results/{study}/agreement/alpha_by_factor.csv",
        pooled="results/{study}/agreement/alpha_pooled.csv",
        factors="data/processed/{study}/factors.csv",
        categories="data/processed/{study}/categories.csv",
    output:
        tex=report(
            "results/{study}/agreement/agreement.tex",
            caption="../report/agreement_latex.rst",
            category="Coding and agreement",
        ),
    log:
        "results/{study}/logs/agreement_latex.log",
    conda:
        "../envs/medvirk.yaml"
    script:
        "../scripts/agreement_latex.py"


rule disagreements:
    input:
        codings="data/processed/{study}/codings.csv",
        factors="data/processed/{study}/factors.csv",
        ladder=coders_sheet_extras,
    output:
        xlsx=report(
            "results/{study}/agreement/disagreements.xlsx",
            caption="../report/disagreements.rst",
            category="Coding and agreement",
        ),
        digest="data/processed/{study}/disagreements.sha256",
    log:
        "results/{study}/logs/disagreements.log",
    conda:
        "../envs/medvirk.yaml"
    params:
        simulated=CODING["simulate"],
        policy=CODING["majority_policy"],
    script:
        "../scripts/disagreements.py"


rule consensus:
    input:
        codings="data/processed/{study}/codings.csv",
        decisions=consensus_decisions,
        lookalikes=consensus_lookalikes,
        ladder=coders_sheet_extras,
    output:
        matrix="data/processed/{study}/consensus_matrix.csv",
        factors="data/processed/{study}/consensus_factors.csv",
        ladder="data/processed/{study}/consensus_ladder.csv",
        notices="data/processed/{study}/notices/consensus.csv",
    log:
        "results/{study}/logs/consensus.log",
    conda:
        "../envs/medvirk.yaml"
    params:
        policy=CODING["majority_policy"],
    script:
        "../scripts/consensus.py"


rule count_consensus:
    input:
        consensus="data/processed/{study}/consensus_factors.csv",
        assignments=factor_assignments,
        factors="data/processed/{study}/factors.csv",
    output:
        counts="data/processed/{study}/consensus_factor_counts.csv",
    log:
        "results/{study}/logs/count_consensus.log",
    conda:
        "../envs/medvirk.yaml"
    params:
        simulated=CODING["simulate"],
    script:
        "../scripts/count_consensus.py"


if not CODING["simulate"]:

    rule ladder_agreement:
        input:
            ladder="data/processed/{study}/ladder_codings.csv",
        output:
            alpha=report(
                "results/{study}/agreement/alpha_ladder.csv",
                caption="../report/alpha_ladder.rst",
                category="Coding and agreement",
            ),
            pairs=report(
                "results/{study}/agreement/ladder_pairs.csv",
                caption="../report/ladder_pairs.rst",
                category="Coding and agreement",
            ),
            notices="data/processed/{study}/notices/ladder_agreement.csv",
        log:
            "results/{study}/logs/ladder_agreement.log",
        conda:
            "../envs/medvirk.yaml"
        params:
            replicates=CODING["bootstrap_replicates"],
            seed=CODING["seed"],
            alpha_minimum=CODING["alpha_minimum"],
        script:
            "../scripts/ladder_agreement.py"


rule coders_vs_consensus:
    input:
        codings="data/processed/{study}/codings.csv",
        consensus="data/processed/{study}/consensus_matrix.csv",
        factors="data/processed/{study}/factors.csv",
    output:
        table=report(
            "results/{study}/agreement/coders_vs_consensus.csv",
            caption="../report/coders_vs_consensus.rst",
            category="Coding and agreement",
        ),
        notices="data/processed/{study}/notices/coders_vs_consensus.csv",
    log:
        "results/{study}/logs/coders_vs_consensus.log",
    conda:
        "../envs/medvirk.yaml"
    params:
        replicates=CODING["bootstrap_replicates"],
        seed=CODING["seed"],
    script:
        "../scripts/coders_vs_consensus.py"
