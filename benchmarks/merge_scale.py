"""Time and peak memory of merge proposals and codebook suggestions at 1k, 10k and 50k phrases,
and agreement of the groups with the pre-issue-14 algorithm and with the approximate search.

Not run by `make test`. Run from the repository root:

    .venv/bin/python benchmarks/merge_scale.py                 # 1000 10000 50000
    .venv/bin/python benchmarks/merge_scale.py 10000 50000 --repeat 3 --approximate
    .venv/bin/python benchmarks/merge_scale.py 50000 --reference-up-to 50000  # slow: minutes

Each run of each size is a fresh Python process, so the peak resident memory (ru_maxrss) of
that process is the peak of that run alone; `process_s` is that process's wall time from
start to exit, imports included. Phrases are synthetic but Norwegian-like: random short
combinations of Bokmål words and their inflections as they occur in coder-written success
factors ("Brukerne involveres tidlig i planlegging av tjenester"). A fixed seed makes the
phrases the same on every run.

Agreement: above `medvirk.merging.EXACT_LIMIT` phrases the groups come from the nearest-
neighbour graph. For sizes up to `--reference-up-to` (default 10,000) the groups are also
computed with the implementation that was there before (tests/merging_reference.py: brute-force
sparse search and a pure-Python heap), in its own process, and compared (adjusted Rand index,
and whether every label is equal). With `--approximate`, the approximate search
(`merge.neighbours: approximate`) is timed too and its groups compared with the exact ones.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]

SUBJECTS = [
    "brukerne", "bruker", "brukeren", "brukerrådet", "likemenn", "likemann", "pårørende",
    "personalet", "ansatte", "tjenestene", "kommunen", "sykehuset", "pasienten", "fagfolk",
    "brukerrepresentanter", "erfaringskonsulenter", "hjelperne", "ledelsen",
]  # fmt: skip
VERBS = [
    "involveres", "deltar", "bestemmer", "kartlegger", "lager", "får", "gir", "deler",
    "evaluerer", "planlegger", "påvirker", "støtter", "lytter", "samarbeider", "møter",
    "utvikler", "bidrar", "forbedrer",
]  # fmt: skip
OBJECTS = [
    "løsninger", "tiltak", "tiltakene", "tilbakemelding", "erfaringer", "egne mål",
    "individuell plan", "åpen dialog", "tillit", "mestring", "behov", "boliger", "jobb",
    "forbedringsarbeid", "kvalitetsutvikling", "tjenester", "informasjon", "opplæring",
    "brukermedvirkning", "ressurser", "samskaping", "rutiner", "møter", "ansvar",
]  # fmt: skip
MODIFIERS = [
    "tidlig", "sammen med brukerne", "i hverdagen", "underveis", "på alvor", "hele veien",
    "i prosessen", "fra starten", "med respekt", "i utviklingen av nye tilbud", "systematisk",
    "", "", "",
]  # fmt: skip
CODEBOOK = [
    "Få brukerne tidlig inn i forbedringsarbeid", "Mulighet til forberedelse",
    "Mulighet til påvirkning", "Mulighet til å gi tilbakemelding", "Egenerfaring som ressurs",
    "Jobbe mot brukerens egne mål", "Prioritere individuelle hensyn foran rutiner",
    "Åpen dialog", "Mestringskultur med brukeren som aktiv deltager", "Likemenn",
    "Samskaping", "Tillit", "Bolig", "Jobb", "Individuell plan", "Opplevelse av mestring",
]  # fmt: skip


def synthetic_phrases(n: int, seed: int = 2016) -> list[str]:
    """`n` Norwegian-like factor phrases, the same for the same seed."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        words = [
            rng.choice(SUBJECTS),
            rng.choice(VERBS),
            rng.choice(OBJECTS),
            rng.choice(MODIFIERS),
        ]
        if rng.random() < 0.3:
            words += ["og", rng.choice(OBJECTS)]
        phrase = " ".join(w for w in words if w)
        out.append(phrase[0].upper() + phrase[1:])
    return out


# Syllables for the wide vocabulary: made-up words with Bokmål spelling (æ, ø, å).
ONSETS = [
    "b", "br", "d", "dr", "f", "fl", "g", "gr", "h", "j", "k", "kl", "kr", "l", "m", "n", "p",
    "pl", "r", "s", "sk", "sl", "sp", "st", "str", "t", "tr", "v",
]  # fmt: skip
NUCLEI = ["a", "e", "i", "o", "u", "y", "æ", "ø", "å", "ei", "au"]
CODAS = ["", "n", "r", "l", "k", "t", "s", "m", "ng", "kk", "tt", "nd", "st"]


def wide_phrases(n: int, seed: int = 2016, vocabulary: int = 20_000) -> list[str]:
    """`n` phrases of 2–7 words drawn with Zipf frequencies (exponent 1.05) from
    `vocabulary` made-up words of one to three syllables: many distinct character n-grams,
    like free text from many coders, unlike the small vocabulary of `synthetic_phrases`."""
    rng = np.random.default_rng(seed)
    words: dict[str, None] = {}
    while len(words) < vocabulary:
        syllables = [
            rng.choice(ONSETS) + rng.choice(NUCLEI) + rng.choice(CODAS)
            for _ in range(rng.integers(1, 4))
        ]
        words["".join(syllables)] = None
    vocab = np.array(list(words))
    p = 1.0 / np.arange(1, vocabulary + 1) ** 1.05
    p /= p.sum()
    return [" ".join(rng.choice(vocab, size=rng.integers(2, 8), p=p)) for _ in range(n)]


PHRASES = {"small": synthetic_phrases, "wide": wide_phrases}


def run_one(n: int, vocabulary: str, neighbours: str, labels_path: str) -> dict:
    from medvirk.lemmatize import lemmatize_texts
    from medvirk.merging import (
        DEFAULT_THRESHOLD,
        EXACT_LIMIT,
        N_NEIGHBORS,
        cluster,
        featurize,
        knn_distance_graph,
        suggest_codebook_factors,
    )

    texts = PHRASES[vocabulary](n)
    t0 = time.perf_counter()
    lemmas = lemmatize_texts(texts)
    t1 = time.perf_counter()
    features = featurize(texts, lemmas)
    t2 = time.perf_counter()
    graph = knn_distance_graph(features, neighbours=neighbours) if n > EXACT_LIMIT else None
    t3 = time.perf_counter()
    labels = cluster(features, DEFAULT_THRESHOLD, graph=graph)
    t4 = time.perf_counter()
    phrases = pd.DataFrame({"raw_factor_id": range(n), "text": texts})
    codebook = pd.DataFrame(
        {
            "factor_id": [f"F{i + 1:02d}" for i in range(len(CODEBOOK))],
            "label_nb": CODEBOOK,
            "codebook_text": CODEBOOK,
        }
    )
    suggestions = suggest_codebook_factors(phrases, codebook)
    t5 = time.perf_counter()
    np.save(labels_path, labels)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "n_phrases": n,
        "clustering": (
            "exact (dense)" if n <= EXACT_LIMIT else f"kNN graph (k={N_NEIGHBORS}, {neighbours})"
        ),
        "lemmatize_s": t1 - t0,
        "features_s": t2 - t1,
        "neighbours_s": t3 - t2,
        "linkage_s": t4 - t3,
        "suggest_s": t5 - t4,
        "total_s": t5 - t0,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "peak_rss_mb": usage.ru_maxrss / 1024,
        "n_features": features.shape[1],
        "n_groups": len(set(labels)),
        "n_suggestions": len(suggestions),
    }


def run_reference(n: int, vocabulary: str, labels_path: str) -> dict:
    """Groups from the pre-issue-14 search and linkage (tests/merging_reference.py)."""
    sys.path.insert(0, str(REPO))
    from medvirk.lemmatize import lemmatize_texts
    from medvirk.merging import DEFAULT_THRESHOLD, N_NEIGHBORS, featurize
    from tests.merging_reference import knn_distance_graph, sparse_average_linkage

    texts = PHRASES[vocabulary](n)
    features = featurize(texts, lemmatize_texts(texts))
    t0 = time.perf_counter()
    graph = knn_distance_graph(features, N_NEIGHBORS)
    labels = sparse_average_linkage(graph, DEFAULT_THRESHOLD)
    np.save(labels_path, labels)
    return {"n_phrases": n, "reference_cluster_s": time.perf_counter() - t0}


def _in_process(*args: str) -> tuple[dict, float]:
    """Run this script with `args` in a fresh Python process: its JSON line and wall time."""
    t0 = time.perf_counter()
    out = subprocess.run(
        [sys.executable, __file__, *args], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1]), time.perf_counter() - t0


def _agreement(a: np.ndarray, b: np.ndarray) -> str:
    from sklearn.metrics import adjusted_rand_score

    same = " (identical labels)" if np.array_equal(a, b) else ""
    return f"{adjusted_rand_score(a, b):.4f}{same}"


def main(argv: list[str]) -> int:
    if argv and argv[0] == "--one":
        print(json.dumps(run_one(int(argv[1]), *argv[2:5])))
        return 0
    if argv and argv[0] == "--reference":
        print(json.dumps(run_reference(int(argv[1]), *argv[2:4])))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", type=int, nargs="*", default=[1000, 10000, 50000])
    parser.add_argument("--repeat", type=int, default=1, help="runs of each size (min/median)")
    parser.add_argument("--approximate", action="store_true", help="time the approximate search")
    parser.add_argument("--reference-up-to", type=int, default=10000)
    parser.add_argument(
        "--vocabulary",
        choices=sorted(PHRASES),
        default="small",
        help="small: Norwegian-like phrases from ~100 words; wide: 20,000 made-up words (Zipf)",
    )
    args = parser.parse_args(argv)
    from medvirk.merging import EXACT_LIMIT

    methods = ["exact", "approximate"] if args.approximate else ["exact"]
    rows, checks = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            for method in methods if n > EXACT_LIMIT else ["exact"]:
                runs = []
                for r in range(args.repeat):
                    print(f"{n} phrases, {method}, run {r + 1} ...", file=sys.stderr, flush=True)
                    path = f"{tmp}/{method}-{n}-{r}.npy"
                    row, wall = _in_process("--one", str(n), args.vocabulary, method, path)
                    runs.append({**row, "process_s": wall})
                    if not np.array_equal(np.load(path), np.load(f"{tmp}/{method}-{n}-0.npy")):
                        raise RuntimeError(f"{method} runs of {n} phrases gave different groups")
                rows.append(_summary(runs))
            if n <= EXACT_LIMIT:
                continue
            exact = np.load(f"{tmp}/exact-{n}-0.npy")
            if args.approximate:
                approx = np.load(f"{tmp}/approximate-{n}-0.npy")
                checks.append((n, "approximate vs exact", _agreement(exact, approx)))
            if n <= args.reference_up_to:
                print(f"{n} phrases, reference ...", file=sys.stderr, flush=True)
                ref, _ = _in_process(
                    "--reference", str(n), args.vocabulary, f"{tmp}/reference-{n}.npy"
                )
                old = np.load(f"{tmp}/reference-{n}.npy")
                checks.append((n, "exact vs reference (pre-issue-14)", _agreement(old, exact)))
                print(f"  reference took {ref['reference_cluster_s']:.1f} s", file=sys.stderr)
    table = pd.DataFrame(rows)
    print(f"Phrases: {args.vocabulary} vocabulary")
    print(
        f"Machine: {platform.platform()}, Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, {_cpu_model()}"
    )
    print(table.to_markdown(index=False) if _has_tabulate() else table.to_string(index=False))
    for n, what, ari in checks:
        print(f"{n} phrases, {what}: ARI {ari}")
    return 0


def _summary(runs: list[dict]) -> dict:
    """One table row for the runs of one size: times as min / median, peak memory as max."""
    out = {k: runs[0][k] for k in ("n_phrases", "clustering", "n_features", "n_groups")}
    out["runs"] = len(runs)
    for key in ("lemmatize_s", "features_s", "neighbours_s", "linkage_s", "suggest_s"):
        out[key] = round(min(r[key] for r in runs), 1)
    for key in ("total_s", "process_s", "cpu_s"):
        values = [r[key] for r in runs]
        out[key] = f"{min(values):.1f} / {statistics.median(values):.1f}"
    out["peak_rss_mb"] = round(max(r["peak_rss_mb"] for r in runs))
    return out


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _has_tabulate() -> bool:
    try:
        import tabulate  # noqa: F401
    except ImportError:
        return False
    return True


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
