"""Consensus example x factor matrix from codings and the meeting's decisions (rule consensus)."""

import sys

import pandas as pd

from medvirk.consensus import consensus_factors, consensus_matrix, read_decisions

sys.stderr = open(snakemake.log[0], "w")  # noqa: F821, SIM115
sm = snakemake  # noqa: F821

codings = pd.read_csv(sm.input.codings)
decisions = read_decisions(sm.input.decisions[0]) if sm.input.decisions else None
matrix = consensus_matrix(codings, decisions, sm.params.policy)
if "data_source" in codings.columns:
    matrix["data_source"] = codings["data_source"].iloc[0]
matrix.to_csv(sm.output.matrix, index=False)
consensus_factors(matrix).to_csv(sm.output.factors, index=False)
