# The consensus (with the disagreements for the meeting and the Table 1 counts from it), and the
# agreement between the coders.


rule consensus:
    input:
        codings="data/processed/{study}/codings.csv",
        decisions=consensus_decisions,
        lookalikes=consensus_lookalikes,
        ladder=coders_sheet_extras,
        factors="data/processed/{study}/factors.csv",
        assignments=factor_assignments,
    output:
        matrix="data/processed/{study}/consensus_matrix.csv",
        consensus_factors="data/processed/{study}/consensus_factors.csv",
        ladder="data/processed/{study}/consensus_ladder.csv",
        notices="data/processed/{study}/notices/consensus.csv",
        xlsx=report(
            "results/{study}/agreement/disagreements.xlsx",
            caption="../report/disagreements.rst",
            category="Coding and agreement",
        ),
        digest="data/processed/{study}/disagreements.sha256",
        counts="data/processed/{study}/consensus_factor_counts.csv",
    log:
        **step_logs("consensus", "disagreements", "count_consensus"),
    conda:
        "../envs/medvirk.yaml"
    params:
        policy=CODING["majority_policy"],
        simulated=CODING["simulate"],
    script:
        "../scripts/consensus.py"


# Agreement of the coders, as tables, LaTeX, HTML and its forest plot; with real coders, on the
# ladder too; with the machine coder, every coder and the machine against the consensus.
AGREEMENT_STEPS = [
    "agreement",
    "agreement_latex",
    "agreement_html",
    "figure_agreement_forest",
]
AGREEMENT_OUTPUTS = {
    "by_factor": report(
        "results/{study}/agreement/alpha_by_factor.csv",
        caption="../report/alpha_by_factor.rst",
        category="Coding and agreement",
    ),
    "pooled": report(
        "results/{study}/agreement/alpha_pooled.csv",
        caption="../report/alpha_pooled.rst",
        category="Coding and agreement",
    ),
    "kappas": report(
        "results/{study}/agreement/kappas.csv",
        caption="../report/kappas.rst",
        category="Coding and agreement",
    ),
    "without_coder": report(
        "results/{study}/agreement/alpha_without_coder.csv",
        caption="../report/alpha_without_coder.rst",
        category="Coding and agreement",
    ),
    "notices": "data/processed/{study}/notices/agreement.csv",
    "tex": report(
        "results/{study}/agreement/agreement.tex",
        caption="../report/agreement_latex.rst",
        category="Coding and agreement",
    ),
    "html": report(
        "results/{study}/agreement/agreement.html",
        caption="../report/agreement_html.rst",
        category="Coding and agreement",
    ),
    "forest_png": report(
        "results/{study}/figures/agreement_forest.png",
        caption="../report/agreement_forest.rst",
        category="Coding and agreement",
    ),
    "forest_svg": "results/{study}/figures/agreement_forest.svg",
}
if not CODING["simulate"]:
    AGREEMENT_STEPS.append("ladder_agreement")
    AGREEMENT_OUTPUTS |= {
        "ladder_alpha": report(
            "results/{study}/agreement/alpha_ladder.csv",
            caption="../report/alpha_ladder.rst",
            category="Coding and agreement",
        ),
        "ladder_pairs": report(
            "results/{study}/agreement/ladder_pairs.csv",
            caption="../report/ladder_pairs.rst",
            category="Coding and agreement",
        ),
        "ladder_notices": "data/processed/{study}/notices/ladder_agreement.csv",
    }
if MACHINE:
    AGREEMENT_STEPS += ["coders_vs_consensus", "machine_coder_html"]
    AGREEMENT_OUTPUTS |= {
        "machine_table": report(
            "results/{study}/agreement/coders_vs_consensus.csv",
            caption="../report/coders_vs_consensus.rst",
            category="Coding and agreement",
        ),
        "machine_notices": "data/processed/{study}/notices/coders_vs_consensus.csv",
        "machine_html": report(
            "results/{study}/agreement/machine_coder.html",
            caption="../report/machine_coder_html.rst",
            category="Coding and agreement",
            labels={"table": "Maskinkoderen mot konsensus / the machine coder"},
        ),
    }


rule agreement:
    input:
        codings="data/processed/{study}/codings.csv",
        factors="data/processed/{study}/factors.csv",
        categories="data/processed/{study}/categories.csv",
        ladder=coders_sheet_extras,
        consensus=machine_consensus,
    output:
        **AGREEMENT_OUTPUTS,
    log:
        **step_logs(*AGREEMENT_STEPS),
    conda:
        "../envs/medvirk.yaml"
    params:
        replicates=CODING["bootstrap_replicates"],
        seed=CODING["seed"],
        simulated=CODING["simulate"],
        alpha_minimum=CODING["alpha_minimum"],
        backend=BACKEND,
    script:
        "../scripts/agreement.py"
