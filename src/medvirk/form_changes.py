"""Forms that changed after the coding sheets were made, were withdrawn, or arrived twice.

An example's id is a hash of its form's text (:func:`medvirk.forms.example_id`), so a form
edited after the coding sheets went out gets a new id, and the coders' sheets name one that
no longer exists. A record of which form file gave which id (``form_ids.csv``: example_id,
source_file, current) is kept in ``data/processed/<study>/`` across runs, so the run can say
which form changed or was withdrawn, and a coder's sheet naming an old id gets a message
saying what happened to it (:func:`id_hints`).

A resubmission with a comma changed is a different text, so a second example. Forms whose
normalised text (case, punctuation and spacing ignored) is at least 95 % the same are
announced (:func:`near_duplicates`): candidates come from MinHash signatures of word
3-shingles with locality-sensitive hashing (bounded cost for thousands of forms), each then
checked with difflib on the words.
"""

from __future__ import annotations

import difflib
import re
import zlib

import numpy as np
import pandas as pd

from medvirk.forms import TEXT_SECTIONS
from medvirk.notices import Notice

STEP = "check_forms"
RECORD_COLUMNS = ["example_id", "source_file", "current"]
SIMILARITY = 0.95
MAX_WORDS = 5000  # words compared per form: bounds the cost of difflib
BANDS, ROWS = 8, 4  # LSH: forms whose signatures agree on all ROWS of any band are compared
_PRIME = (1 << 31) - 1
_rng = np.random.default_rng(2016)
_A = _rng.integers(1, _PRIME, BANDS * ROWS, dtype=np.uint64)
_B = _rng.integers(0, _PRIME, BANDS * ROWS, dtype=np.uint64)
_NOT_WORD = re.compile(r"[\W_]+")


def normalized_words(record: dict | pd.Series) -> list[str]:
    """The words of a form's answer (every section and its free text), lower case, no
    punctuation: what two submissions of the same example share."""
    text = " ".join(str(record.get(key, "") or "") for key in [*TEXT_SECTIONS, "free_text"])
    return _NOT_WORD.sub(" ", text.casefold()).split()


def _signature(words: list[str]) -> np.ndarray:
    grams = {" ".join(words[i : i + 3]) for i in range(max(1, len(words) - 2))}
    hashes = np.array([zlib.crc32(g.encode("utf-8")) for g in grams], dtype=np.uint64) % _PRIME
    return ((_A[:, None] * hashes[None, :] + _B[:, None]) % _PRIME).min(axis=1)


def near_duplicates(records: pd.DataFrame, threshold: float = SIMILARITY) -> pd.DataFrame:
    """Pairs of forms whose normalised text is at least ``threshold`` the same.

    Returns example_a, file_a, example_b, file_b (file_a first by name), similarity
    (difflib's ratio on the words, rounded to 3 places), sorted; a form with no words is
    never a duplicate.
    """
    columns = ["example_a", "file_a", "example_b", "file_b", "similarity"]
    rows = records.fillna("").astype(str).to_dict("records")
    words = [normalized_words(r)[:MAX_WORDS] for r in rows]
    buckets: dict[tuple, list[int]] = {}
    for i, w in enumerate(words):
        if not w:
            continue
        sig = _signature(w)
        for band in range(BANDS):
            key = (band, *sig[band * ROWS : (band + 1) * ROWS].tolist())
            buckets.setdefault(key, []).append(i)
    pairs = {
        (a, b) for group in buckets.values() for k, a in enumerate(group) for b in group[k + 1 :]
    }
    found = []
    for a, b in sorted(pairs):
        matcher = difflib.SequenceMatcher(None, words[a], words[b], autojunk=False)
        if matcher.real_quick_ratio() < threshold or matcher.quick_ratio() < threshold:
            continue
        ratio = matcher.ratio()
        if ratio >= threshold:
            first, second = sorted((rows[a], rows[b]), key=lambda r: r["source_file"])
            found.append(
                (
                    first["example_id"],
                    first["source_file"],
                    second["example_id"],
                    second["source_file"],
                    round(ratio, 3),
                )
            )
    return pd.DataFrame(sorted(found), columns=columns)


def update_record(previous: pd.DataFrame | None, records: pd.DataFrame) -> pd.DataFrame:
    """The record of every (example_id, source_file) ever ingested, ``current`` 1 for now."""
    now = records[["example_id", "source_file"]].astype(str).assign(current=1)
    if previous is None or previous.empty:
        out = now
    else:
        before = previous[["example_id", "source_file"]].astype(str).assign(current=0)
        out = pd.concat([now, before]).drop_duplicates(["example_id", "source_file"])
    return out.sort_values(["source_file", "example_id"], ignore_index=True)[RECORD_COLUMNS]


def _current(record: pd.DataFrame) -> pd.DataFrame:
    return record[record["current"].astype(str) == "1"]


def _pairs(table: pd.DataFrame) -> list[tuple[str, str]]:
    """(example_id, source_file) of each row, as text."""
    return list(table[["example_id", "source_file"]].astype(str).itertuples(index=False, name=None))


def form_changes(previous: pd.DataFrame | None, records: pd.DataFrame) -> pd.DataFrame:
    """Forms changed or withdrawn since the last ingest: source_file, old_id, new_id ("" when
    the file was withdrawn)."""
    columns = ["source_file", "old_id", "new_id"]
    if previous is None or previous.empty:
        return pd.DataFrame(columns=columns)
    now = {source: example for example, source in _pairs(records)}
    ids_now = set(now.values())
    rows = [(f, old, now.get(f, "")) for old, f in _pairs(_current(previous)) if old not in ids_now]
    return pd.DataFrame(sorted(rows), columns=columns)


def id_hints(record: pd.DataFrame | None) -> dict[str, str]:
    """For each id no longer in the study, a sentence (Bokmål) on what happened to its form.

    For the message a coder or researcher gets when a returned coding sheet names that id.
    """
    if record is None or record.empty:
        return {}
    by_file = {source: example for example, source in _pairs(_current(record))}
    ids_now = set(by_file.values())
    hints = {}
    for old, source in _pairs(record):
        if old in ids_now or old in hints:
            continue
        if source in by_file:
            new = by_file[source]
            hints[old] = (
                f"Skjemaet i {source} er endret etter at kodeskjemaet ble laget, og eksemplet "
                f"har nå id {new}. Gjelder kodingen fortsatt, skriv {new} i cellen; ellers "
                "slett raden."
            )
        else:
            hints[old] = (
                f"Skjemaet ({source}) er fjernet fra forms/ etter at kodeskjemaet ble laget; "
                "slett raden."
            )
    return hints


def form_notices(
    records: pd.DataFrame, previous: pd.DataFrame | None, forms_folder: str
) -> list[Notice]:
    """Notices on changed, withdrawn and near-duplicate forms (``forms_folder`` names their
    folder, e.g. data/raw/<study>/forms)."""
    notices = []
    for row in form_changes(previous, records).itertuples(index=False):
        file = f"{forms_folder}/{row.source_file}"
        if row.new_id:
            notices.append(
                Notice(
                    "input",
                    STEP,
                    "form_changed",
                    file,
                    "",
                    f"Skjemaet er endret siden forrige kjøring: eksemplet {row.old_id} heter nå "
                    f"{row.new_id}. Kodeskjemaer laget før har den gamle id-en; send ut de nye, "
                    f"eller skriv {row.new_id} for {row.old_id} i de returnerte arkene.",
                    f"The form changed since the last run: example {row.old_id} is now "
                    f"{row.new_id}. Coding sheets made before carry the old id; send out the new "
                    f"ones, or write {row.new_id} for {row.old_id} in the returned sheets.",
                )
            )
        else:
            notices.append(
                Notice(
                    "input",
                    STEP,
                    "form_withdrawn",
                    file,
                    "",
                    f"Skjemaet er fjernet siden forrige kjøring: eksemplet {row.old_id} er ikke "
                    "lenger med. Rader for det i returnerte kodeskjemaer må slettes.",
                    f"The form was removed since the last run: example {row.old_id} is no "
                    "longer in the study. Rows for it in returned coding sheets must be deleted.",
                )
            )
    for row in near_duplicates(records).itertuples(index=False):
        pct = f"{row.similarity * 100:.0f}"
        notices.append(
            Notice(
                "count",
                STEP,
                "near_duplicate_forms",
                f"{forms_folder}/{row.file_a}",
                "",
                f"Nesten lik {row.file_b} ({pct} % lik tekst): begge telles som egne eksempler "
                f"({row.example_a}, {row.example_b}). Er samme eksempel sendt inn to ganger, ta "
                "det ene ut av forms/ og kjør igjen.",
                f"Nearly the same as {row.file_b} ({pct} % of the text): both count as "
                f"examples ({row.example_a}, {row.example_b}). If one example was sent twice, "
                "take one out of forms/ and run again.",
            )
        )
    return notices


def check_forms(
    records: pd.DataFrame, previous: pd.DataFrame | None, forms_folder: str
) -> tuple[pd.DataFrame, list[Notice]]:
    """The updated record of form ids and the notices on changed, withdrawn and
    near-duplicate forms, from the ingested forms and the record kept from earlier runs."""
    return update_record(previous, records), form_notices(records, previous, forms_folder)
