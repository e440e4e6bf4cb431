"""Benchmark: agreement at scale (not run by `make test`).

    .venv/bin/python benchmarks/bench_agreement.py [--examples 10000] [--coders 5]
        [--factors 100] [--replicates 1000]

Simulates coders, then times each part of what the workflow's agreement step computes
(`agreement.agreement_tables`): alpha, AC1, observed agreement and prevalence per factor and
pooled / per category (each with a bootstrap CI), the kappas with their CIs, and alpha with
each coder left out. Reports wall time and peak resident memory.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import time

import numpy as np
import pandas as pd

from medvirk import agreement
from medvirk.simulation import simulate_codings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=10_000)
    parser.add_argument("--coders", type=int, default=5)
    parser.add_argument("--factors", type=int, default=100)
    parser.add_argument("--replicates", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=0.1)
    args = parser.parse_args()

    rng = np.random.default_rng(1)
    examples = [f"E{i:05d}" for i in range(args.examples)]
    factors = [f"F{i:03d}" for i in range(args.factors)]
    truth = rng.random((args.examples, args.factors)) < 0.15
    e, f = np.nonzero(truth)
    attribution = pd.DataFrame(
        {"example_id": np.array(examples)[e], "factor_id": np.array(factors)[f]}
    )
    codebook = pd.DataFrame(
        {"factor_id": factors, "category_id": [f"C{i % 4 + 1}" for i in range(args.factors)]}
    )

    timings = {}
    t0 = time.perf_counter()
    coders = [f"c{i + 1}" for i in range(args.coders)]
    codings = simulate_codings(attribution, examples, factors, coders, args.rate, seed=1)
    timings["simulate"] = time.perf_counter() - t0

    # The parts of agreement.agreement_tables, which builds the grid and the draws once.
    t0 = time.perf_counter()
    data = agreement.Presence.of(codings)
    weights = data.weights(args.replicates, seed=1)
    timings["grid and bootstrap draws"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    by_factor = agreement.agreement_by_factor(data, args.replicates, 1, weights=weights)
    timings["by factor (alpha, AC1)"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    pooled = agreement.agreement_pooled(data, codebook, args.replicates, 1, weights=weights)
    timings["pooled + by category"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    agreement.kappas(data, args.replicates, 1, weights=weights)
    timings["kappas (CIs)"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    agreement.agreement_without_coder(data, codebook)
    timings["alpha without each coder"] = time.perf_counter() - t0

    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{args.examples} examples x {args.coders} coders x {args.factors} factors "
        f"({len(codings):,} cells), {args.replicates} bootstrap replicates per coefficient"
    )
    for name, seconds in timings.items():
        print(f"  {name:<28} {seconds:8.1f} s")
    print(f"  {'total':<28} {sum(timings.values()):8.1f} s")
    print(f"  peak resident memory         {peak_mib:8.0f} MiB")
    print(
        f"  machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, numpy {np.__version__}"
    )
    print(
        f"  pooled alpha {pooled.loc[0, 'alpha']:.3f} "
        f"[{pooled.loc[0, 'ci_low']:.3f}, {pooled.loc[0, 'ci_high']:.3f}], "
        f"AC1 {pooled.loc[0, 'ac1']:.3f}; median factor alpha {by_factor['alpha'].median():.3f}"
    )


if __name__ == "__main__":
    main()
