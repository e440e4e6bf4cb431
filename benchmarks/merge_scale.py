"""Time and peak memory of merge proposals and codebook suggestions at 1k, 10k and 50k phrases.

Not run by `make test`. Run from the repository root:

    .venv/bin/python benchmarks/merge_scale.py            # 1000 10000 50000
    .venv/bin/python benchmarks/merge_scale.py 1000 10000 # chosen sizes

Each size runs in a fresh Python process, so the peak resident memory (ru_maxrss) of that
process is the peak of that size alone. Phrases are synthetic but Norwegian-like: random
short combinations of Bokmål words and their inflections as they occur in coder-written
success factors ("Brukerne involveres tidlig i planlegging av tjenester"). A fixed seed
makes the phrases the same on every run.
"""

from __future__ import annotations

import json
import platform
import resource
import subprocess
import sys
import time

import numpy as np
import pandas as pd

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


def run_one(n: int) -> dict:
    from medvirk.lemmatize import lemmatize_texts
    from medvirk.merging import (
        DEFAULT_THRESHOLD,
        EXACT_LIMIT,
        cluster,
        featurize,
        suggest_codebook_factors,
    )

    texts = synthetic_phrases(n)
    t0 = time.perf_counter()
    lemmas = lemmatize_texts(texts)
    t1 = time.perf_counter()
    features = featurize(texts, lemmas)
    t2 = time.perf_counter()
    labels = cluster(features, DEFAULT_THRESHOLD)
    t3 = time.perf_counter()
    phrases = pd.DataFrame({"raw_factor_id": range(n), "text": texts})
    codebook = pd.DataFrame(
        {
            "factor_id": [f"F{i + 1:02d}" for i in range(len(CODEBOOK))],
            "label_nb": CODEBOOK,
            "codebook_text": CODEBOOK,
        }
    )
    suggestions = suggest_codebook_factors(phrases, codebook)
    t4 = time.perf_counter()
    return {
        "n_phrases": n,
        "clustering": "exact (dense)" if n <= EXACT_LIMIT else "sparse kNN (k=30)",
        "lemmatize_s": round(t1 - t0, 1),
        "features_s": round(t2 - t1, 1),
        "cluster_s": round(t3 - t2, 1),
        "suggest_s": round(t4 - t3, 1),
        "total_s": round(t4 - t0, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "n_features": features.shape[1],
        "n_groups": len(set(labels)),
        "n_suggestions": len(suggestions),
    }


def main(argv: list[str]) -> int:
    if argv and argv[0] == "--one":
        print(json.dumps(run_one(int(argv[1]))))
        return 0
    sizes = [int(a) for a in argv] or [1000, 10000, 50000]
    rows = []
    for n in sizes:
        print(f"running {n} phrases ...", file=sys.stderr, flush=True)
        out = subprocess.run(
            [sys.executable, __file__, "--one", str(n)], capture_output=True, text=True, check=True
        )
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    table = pd.DataFrame(rows)
    print(f"Machine: {platform.platform()}, Python {platform.python_version()}")
    print(table.to_markdown(index=False) if _has_tabulate() else table.to_string(index=False))
    return 0


def _has_tabulate() -> bool:
    try:
        import tabulate  # noqa: F401
    except ImportError:
        return False
    return True


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
