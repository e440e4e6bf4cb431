# The figures, drawn in one job (matplotlib is loaded once). Table 1's bars and the example x
# factor heat map for every study; the examples by municipality and the ladder for a curated
# study. (The agreement's forest plot is drawn by rule agreement, so that these do not wait for
# its bootstrap.)
FIGURE_STEPS = ["figure_factor_counts", "figure_example_factor_heatmap"]
FIGURE_OUTPUTS = {
    "factor_counts_png": report(
        "results/{study}/figures/factor_counts.png",
        caption="../report/factor_counts.rst",
        category="Figures",
    ),
    "factor_counts_svg": "results/{study}/figures/factor_counts.svg",
    "heatmap_png": report(
        "results/{study}/figures/example_factor_heatmap.png",
        caption="../report/example_factor_heatmap.rst",
        category="Figures",
    ),
    "heatmap_svg": "results/{study}/figures/example_factor_heatmap.svg",
}
if not FROM_FORMS:
    FIGURE_STEPS += ["figure_examples_by_municipality", "figure_ladder"]
    FIGURE_OUTPUTS |= {
        "municipality_png": report(
            "results/{study}/figures/examples_by_municipality.png",
            caption="../report/examples_by_municipality.rst",
            category="Figures",
        ),
        "municipality_svg": "results/{study}/figures/examples_by_municipality.svg",
        "ladder_png": report(
            "results/{study}/figures/ladder.png",
            caption="../report/ladder.rst",
            category="Figures",
        ),
        "ladder_svg": "results/{study}/figures/ladder.svg",
    }


rule figures:
    input:
        unpack(figure_inputs),
    output:
        **FIGURE_OUTPUTS,
    log:
        **step_logs(*FIGURE_STEPS),
    conda:
        "../envs/medvirk.yaml"
    params:
        source=PRESENCE_SOURCE,
        simulated=CODING["simulate"],
    script:
        "../scripts/figures.py"
