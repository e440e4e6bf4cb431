"""Which files of a study the workflow reads, found when Snakemake reads the workflow.

`workflow/rules/common.smk` calls these in Snakemake's own process on every run, a run with
nothing to do included, so this module imports no pandas, openpyxl or scipy: only the standard
library and medvirk's light errors and textnorm. The modules that read the files (codings, consensus, forms, counting) import these
names from here.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from medvirk.errors import InputError
from medvirk.textnorm import nfc

# The consensus meeting's file in a study folder, in any case (medvirk.consensus reads it).
DECISION_NAMES = ("consensus.xlsx", "consensus.csv")


def coder_files(folder: str | Path, coders: list[str]) -> dict[str, list[Path]]:
    """Each coder's own files in `folder`: <coder>.xlsx and <coder>.csv, as they exist.

    Names are compared in Unicode NFC, so «åse.xlsx» saved on a Mac (which stores the name
    decomposed) is åse's file.
    """
    folder = Path(folder)
    on_disk = {}
    if folder.is_dir():
        on_disk = {nfc(p.name): p for p in sorted(folder.iterdir()) if p.is_file()}
    return {
        nfc(coder): [
            on_disk[f"{nfc(coder)}.{suffix}"]
            for suffix in ("xlsx", "csv")
            if f"{nfc(coder)}.{suffix}" in on_disk
        ]
        for coder in coders
    }


def decision_files(folder: str | Path) -> list[Path]:
    """The meeting's files in a study folder: consensus.xlsx and consensus.csv, any case."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return sorted(
        p for p in folder.iterdir() if p.is_file() and p.name.casefold() in DECISION_NAMES
    )


def decision_lookalikes(folder: str | Path) -> list[Path]:
    """Files that look like the meeting's file but are not read (konsensus.xlsx,
    consensus (1).xlsx, consensus.xls), so the run can say so."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    taken = set(decision_files(folder))
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file()
        and p not in taken
        and not p.name.startswith((".", "~$"))
        and p.name.casefold().startswith(("consensus", "konsensus"))
    )


def submission_files(folder: str | Path) -> list[Path]:
    """Regular files in a forms folder, sorted by name.

    Hidden files are skipped; symbolic links, folders and other entries are not read (see
    :func:`refused_entries`), so a link can never bring in a file from outside the study.
    """
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return sorted(
        (
            p
            for p in folder.iterdir()
            if not p.name.startswith(".") and not p.is_symlink() and p.is_file()
        ),
        key=lambda p: p.name,
    )


def refused_entries(folder: str | Path) -> list[Path]:
    """Entries of a forms folder that are not read: symbolic links, folders, devices, pipes.

    Passed to :func:`ingest` as ``refused``, so each is listed in rejected.csv with the reason.
    """
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return sorted(
        (
            p
            for p in folder.iterdir()
            if not p.name.startswith(".") and (p.is_symlink() or not p.is_file())
        ),
        key=lambda p: p.name,
    )


def presence_inputs(study: str, coding_enabled: bool) -> dict[str, str]:
    """Which example x factor presence Table 1, its LaTeX version and the heat map rest on.

    With coding enabled, the coders' consensus (``consensus_factors.csv`` and its counts);
    otherwise the curators' attribution (``example_factors.csv`` and ``factor_counts.csv``).
    Returns ``source`` ("consensus" or "curated"), ``presence`` (long example_id,
    factor_id) and ``counts`` (per factor), as paths under data/processed/<study>/.
    """
    folder = f"data/processed/{study}"
    if coding_enabled:
        return {
            "source": "consensus",
            "presence": f"{folder}/consensus_factors.csv",
            "counts": f"{folder}/consensus_factor_counts.csv",
        }
    return {
        "source": "curated",
        "presence": f"{folder}/example_factors.csv",
        "counts": f"{folder}/factor_counts.csv",
    }


class UnsavedDecisionsError(InputError):
    """Decisions typed into the generated disagreements.xlsx that no consensus file holds."""


def file_digest(path: str | Path) -> str:
    """SHA-256 of a file's bytes, as hex."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def stop_if_meeting_decisions_unsaved(study: str, root: str | Path = ".") -> None:
    """Stop before a run when decisions were typed into the generated disagreements.xlsx.

    That file is an output: the workflow never reads it and rewrites it when the codings
    change, so decisions in it would be lost. Called when the workflow is read, before any
    job can overwrite the file; the message (Bokmål and English) says where to save it. A
    file with the bytes the workflow wrote (``data/processed/<study>/disagreements.sha256``)
    is not opened, so an untouched file costs a hash, not a read.
    """
    root = Path(root)
    generated = Path("results") / study / "agreement" / "disagreements.xlsx"
    written = root / "data" / "processed" / study / "disagreements.sha256"
    if not (root / generated).is_file():
        return
    if written.is_file() and written.read_text().strip() == file_digest(root / generated):
        return
    # Only now the reader of decisions (pandas, openpyxl): an untouched file never needs it.
    from medvirk.consensus import unsaved_meeting_decisions

    target = Path("data/raw") / study / "consensus.xlsx"
    saved = decision_files(root / "data" / "raw" / study)
    rows = unsaved_meeting_decisions(root / generated, saved)
    if not rows:
        return
    shown = ", ".join(map(str, rows[:20])) + (" …" if len(rows) > 20 else "")
    if saved:
        nb_do = f"Skriv dem inn i {saved[0]}, som ikke har dem, og kjør igjen"
        en_do = f"Copy them into {saved[0]}, which lacks them, and run again"
    else:
        nb_do = f"Lagre filen som {target} og kjør igjen"
        en_do = f"Save it as {target} and run again"
    raise UnsavedDecisionsError(
        generated,
        f"{len(rows)} beslutning(er) er skrevet inn i denne filen (rad {shown}), men "
        "arbeidsflyten leser dem ikke herfra, og filen skrives over når kodingene endres. "
        f"{nb_do}. Vil dere forkaste dem, slett {generated}.\n"
        f"{len(rows)} decision(s) were typed into this file (row {shown}), but the workflow "
        "does not read them from here, and the file is rewritten when the codings change. "
        f"{en_do}. To discard them, delete {generated}.",
    )
