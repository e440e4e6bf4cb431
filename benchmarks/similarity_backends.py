"""Time cost of the two similarity backends on the embedded study (README "Similarity").

For each backend: the cross-validated merge evaluation (vectors of the 90 mapped raw factors, 10
held-out halves, nearest-factor accuracy) and the machine coder (39 examples against 28 factors,
leave-one-example-out), first with an empty embedding cache (cold), then again with the cache
the first pass filled (warm). TF-IDF has no cache: both passes compute everything.

    .venv/bin/python benchmarks/similarity_backends.py

Run it from the repository's root after `make run` (it reads data/processed/fhi2016/).
"""

from __future__ import annotations

import os
import platform
import sys
import tempfile
import time
from pathlib import Path

from medvirk.io import read_csv
from medvirk.machine_coder import machine_codings
from medvirk.merge_validation import backend_evaluation
from medvirk.similarity import embedding_availability, make_backend

PROCESSED = Path("data/processed/fhi2016")


def _machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} CPUs {cpu}, {platform.system()} {platform.release()} "
        f"{platform.machine()}, Python {platform.python_version()}"
    )


def main() -> None:
    assignments = read_csv(PROCESSED / "factor_assignments.csv")
    factors = read_csv(PROCESSED / "factors.csv")
    examples = read_csv(PROCESSED / "examples.csv")
    reference = read_csv(PROCESSED / "example_factors.csv")
    backends = ["tfidf"] + (["embedding"] if embedding_availability().ok else [])
    print(_machine())
    print("| backend | pass | merge evaluation (s) | machine coder (s) | texts embedded |")
    print("| --- | --- | ---: | ---: | ---: |")
    for name in backends:
        with tempfile.TemporaryDirectory() as cache:
            for label in ("cold", "warm"):
                backend = make_backend(name, cache_dir=cache, threads=2)
                start = time.perf_counter()
                backend_evaluation(assignments, factors, backend)
                merge = time.perf_counter() - start
                start = time.perf_counter()
                machine_codings(examples, factors, assignments, backend, reference)
                coder = time.perf_counter() - start
                embedded = getattr(backend, "computed", "—")
                print(f"| {name} | {label} | {merge:.1f} | {coder:.1f} | {embedded} |")
                sys.stdout.flush()


if __name__ == "__main__":
    main()
