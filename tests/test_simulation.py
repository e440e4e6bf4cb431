"""Simulated coders: seeded, nested noise; more noise never raises alpha."""

import numpy as np
import pandas as pd
import pytest

from medvirk import agreement
from medvirk.simulation import simulate_codings

EXAMPLES = [f"E{i:02d}" for i in range(1, 40)]
FACTORS = [f"F{i:02d}" for i in range(1, 29)]


def attribution(seed=0):
    rng = np.random.default_rng(seed)
    hits = rng.random((len(EXAMPLES), len(FACTORS))) < 0.12
    e, f = np.nonzero(hits)
    return pd.DataFrame({"example_id": np.array(EXAMPLES)[e], "factor_id": np.array(FACTORS)[f]})


def test_zero_noise_reproduces_attribution_for_every_coder():
    truth = attribution()
    grid = simulate_codings(truth, EXAMPLES, FACTORS, disagreement_rate=0.0)
    for _, marks in grid[grid["present"] == 1].groupby("coder"):
        assert len(marks) == len(truth)


def test_seeded_and_byte_stable():
    a = simulate_codings(attribution(), EXAMPLES, FACTORS, disagreement_rate=0.1, seed=5)
    b = simulate_codings(attribution(), EXAMPLES, FACTORS, disagreement_rate=0.1, seed=5)
    assert a.to_csv(index=False) == b.to_csv(index=False)


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_more_noise_never_raises_alpha(seed):
    truth = attribution(seed)
    alphas = []
    for rate in [0.0, 0.02, 0.05, 0.1, 0.2, 0.35]:
        grid = simulate_codings(truth, EXAMPLES, FACTORS, disagreement_rate=rate, seed=seed)
        alphas.append(agreement.agreement_pooled(grid, replicates=0).loc[0, "alpha"])
    assert alphas[0] == pytest.approx(1.0)
    assert all(x >= y for x, y in zip(alphas, alphas[1:], strict=False))


def test_rate_out_of_range():
    with pytest.raises(ValueError):
        simulate_codings(attribution(), EXAMPLES, FACTORS, disagreement_rate=1.5)


def test_curated_decisions_make_consensus_reproduce_the_attribution():
    from medvirk.consensus import consensus_factors, consensus_matrix
    from medvirk.simulation import curated_decisions

    truth = attribution(7)
    grid = simulate_codings(truth, EXAMPLES, FACTORS, disagreement_rate=0.3, seed=7)
    decisions = curated_decisions(grid, truth)
    assert len(decisions) > 0
    facts = consensus_factors(consensus_matrix(grid, decisions))
    expected = truth.sort_values(["example_id", "factor_id"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(facts.reset_index(drop=True), expected)


def test_simulation_needs_two_coders():
    with pytest.raises(ValueError, match="at least two"):
        simulate_codings(attribution(), EXAMPLES, FACTORS, coders=["sim1"])
