"""Norwegian (Bokmål) normalisation: spaCy tokens and stop words, lemmas from simplemma.

Why simplemma and not spaCy's own tables: no trained Norwegian spaCy pipeline can be
installed from the package registry, and `spacy.blank("nb")` has no lemmas at all. spaCy's
Bokmål lookup table lives in the separate package spacy-lookups-data (not a dependency of
medvirk). Measured on the 97 raw factor texts of the 2016 study (appendix 3), counting
distinct lower-case word tokens that are not stop words:

* spacy-lookups-data 1.0.5 `nb_lemma_lookup` (the table a blank pipeline would use,
  1,582 entries): knows 12 of 248 words (4.8 %), and only 4 of the 112 words that
  simplemma changes; its larger `nb_lemma_exc` table needs part-of-speech tags, which a
  blank pipeline does not have;
* simplemma 2.0 (`lang="nb"`, data shipped in the wheel, works offline): knows 226 of 248
  words (91.1 %); the rest are compounds such as "samskapning", "brukerrepresentanter",
  for which simplemma's greedy compound rule still finds the right lemma.

`lemma_source_coverage()` recomputes these shares (the spaCy one only when the lookup
table is installed); tests/test_lemmatize.py checks the simplemma share on the study.

A short table of corrections (`LEMMA_OVERRIDES`) fixes forms where simplemma is wrong on
words that matter in this domain; each entry is tested.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

import simplemma
import spacy
from spacy.lang.nb.stop_words import STOP_WORDS as NB_STOP_WORDS
from spacy.language import Language
from spacy.tokens import Doc

LANG = "nb"
COMPONENT = "medvirk_lemmatizer"

# Corrections to simplemma for domain words; keys are lower-case surface forms.
# "bruker" is nearly always the noun (user) in these texts, not the verb "bruke".
LEMMA_OVERRIDES: dict[str, str] = {
    "bruker": "bruker",
    "brukers": "bruker",
    "brukerrådet": "brukerråd",
    "parter": "part",
    "rattet": "ratt",
    "arma": "arm",
}


def lemma_of(word: str) -> str:
    """Lower-case Bokmål lemma of one word; unknown words come back lower-cased."""
    lower = word.lower()
    if lower in LEMMA_OVERRIDES:
        return LEMMA_OVERRIDES[lower]
    if not any(ch.isalpha() for ch in lower):
        return lower
    return simplemma.lemmatize(lower, lang=LANG).lower()


@Language.component(COMPONENT)
def medvirk_lemmatizer(doc: Doc) -> Doc:
    """spaCy pipeline component: set `token.lemma_` from the offline lemma source."""
    for token in doc:
        token.lemma_ = lemma_of(token.text)
    return doc


@cache
def make_nlp() -> Language:
    """A blank Bokmål spaCy pipeline with the medvirk lemmatizer; nothing is downloaded.

    Made once per process (it holds no state between texts): making it costs more than
    lemmatizing the texts of a study, and one run's steps ask for it several times."""
    nlp = spacy.blank(LANG)
    nlp.add_pipe(COMPONENT)
    return nlp


def content_lemmas(doc: Doc) -> list[str]:
    """Lemmas of the words that carry meaning: no stop words, punctuation or numbers."""
    return [t.lemma_ for t in doc if t.is_alpha and not t.is_stop and t.lemma_ not in NB_STOP_WORDS]


def lemmatize_texts(texts: Iterable[str], nlp: Language | None = None) -> list[list[str]]:
    """Content lemmas for each text, in order (uses `nlp.pipe`, so large lists stream)."""
    nlp = nlp or make_nlp()
    return [content_lemmas(doc) for doc in nlp.pipe(texts, batch_size=256)]


def _distinct_words(texts: Iterable[str]) -> list[str]:
    nlp = spacy.blank(LANG)
    words = {t.text.lower() for doc in nlp.pipe(texts) for t in doc if t.is_alpha and not t.is_stop}
    return sorted(words)


def lemma_source_coverage(texts: Iterable[str]) -> dict[str, float | None]:
    """Share of distinct non-stop-word tokens in `texts` that each lemma source knows.

    spaCy's Bokmål lookup table is counted only if spacy-lookups-data is installed;
    otherwise its value is None (it is not a dependency of medvirk).
    """
    words = _distinct_words(texts)
    if not words:
        return {"n_words": 0.0, "simplemma": None, "spacy_lookups": None}
    known = sum(simplemma.is_known(w, lang=LANG) for w in words)
    result: dict[str, float | None] = {
        "n_words": float(len(words)),
        "simplemma": known / len(words),
        "spacy_lookups": None,
    }
    try:
        from spacy.lookups import load_lookups

        table = load_lookups(LANG, ["lemma_lookup"]).get_table("lemma_lookup")
    except (ValueError, ImportError, KeyError):
        return result
    values = set(table.values())
    result["spacy_lookups"] = sum(w in table or w in values for w in words) / len(words)
    return result
