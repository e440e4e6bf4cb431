"""Alpha by factor, pooled and by category, and kappas (rule agreement)."""

import sys

import pandas as pd

from medvirk.agreement import agreement_by_factor, agreement_pooled, kappas

sys.stderr = open(snakemake.log[0], "w")  # noqa: F821, SIM115
sm = snakemake  # noqa: F821

codings = pd.read_csv(sm.input.codings)
source = "SIMULATED" if sm.params.simulated else "coders"
outputs = {
    sm.output.by_factor: agreement_by_factor(codings, sm.params.replicates, sm.params.seed),
    sm.output.pooled: agreement_pooled(
        codings, pd.read_csv(sm.input.factors), sm.params.replicates, sm.params.seed
    ),
    sm.output.kappas: kappas(codings),
}
for path, table in outputs.items():
    table.insert(0, "data_source", source)
    table.to_csv(path, index=False)
