"""Notices: what changed a count or an agreement figure without stopping the run.

A step that handles a questionable input and goes on (a coder who marked nothing, a file in
codings/ that matches no coder, a truncated section, a skipped .qdpx) must not do so silently.
It records a :class:`Notice` and writes its notices with :func:`write_notices` to its own file
``data/processed/<study>/notices/<step>.csv``. The rule ``run_summary`` gathers every step's file
into ``results/<study>/run_summary.md`` (Bokmål first, English alongside), which the terminal
shows at the end of the run and the report holds.

A notice names where the questionable input is (``file`` and ``where``: sheet, row, column,
cell or form section) so the user can find and fix it, and says in both languages what was
done about it. Notices never carry the content of a cell: file names, ids and counts only.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from medvirk.formulas import neutralise, restore

# The kinds of effect a notice can have, most serious first (the summary's order).
EFFECTS = ("count", "agreement", "input", "info")
EFFECT_TITLES = {
    "count": ("Endrer tellinger", "Changes counts"),
    "agreement": ("Endrer samsvarstall", "Changes agreement figures"),
    "input": ("Inndata hoppet over eller endret", "Input skipped or changed"),
    "info": ("Til orientering", "For information"),
}


@dataclass(frozen=True, order=True)
class Notice:
    """One thing the run did about a questionable input instead of stopping.

    step: the workflow step that noticed it (``read_codings``, ``ingest_forms``, ...).
    kind: a short stable key for the case (``coder_marked_nothing``, ``unknown_coder_file``, ...).
    file: the input file it concerns, as the user knows it (relative path), or "".
    where: sheet, row, column, cell or section within the file, or "".
    nb, en: what happened and what was done, in Bokmål and in English.
    effect: one of EFFECTS: what it may change.
    """

    effect: str
    step: str
    kind: str
    file: str
    where: str
    nb: str
    en: str

    def __post_init__(self):
        if self.effect not in EFFECTS:
            raise ValueError(f"notice effect must be one of {EFFECTS}, not {self.effect!r}")


COLUMNS = [f.name for f in fields(Notice)]


def write_notices(notices: Iterable[Notice], path: str | Path) -> None:
    """Write notices as UTF-8 CSV, sorted, so the same notices give the same bytes.

    An empty file (header only) says the step noticed nothing.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = sorted(set(notices), key=_order)
    from medvirk.io import naming_file_on_error

    with naming_file_on_error(path), path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        for notice in rows:
            # A file name can start like a formula (=x.docx): keep it text (medvirk.formulas).
            writer.writerow({k: neutralise(v) for k, v in asdict(notice).items()})


def read_notices(paths: Iterable[str | Path]) -> list[Notice]:
    """Every notice in the given files, in the summary's order."""
    notices = []
    for path in paths:
        with Path(path).open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                notices.append(Notice(**{c: restore(row.get(c) or "") for c in COLUMNS}))
    return sorted(set(notices), key=_order)


def _order(notice: Notice) -> tuple:
    return (EFFECTS.index(notice.effect), notice.step, notice.kind, notice.file, notice.where)


def summary_markdown(notices: list[Notice], study: str) -> str:
    """The run summary in Markdown: Bokmål first, English alongside, grouped by effect."""
    lines = [
        f"# Kjøringsoppsummering / Run summary — {study}",
        "",
    ]
    if not notices:
        lines += [
            "Ingenting endret en telling eller et samsvarstall uten at kjøringen stoppet.",
            "",
            "Nothing changed a count or an agreement figure without stopping the run.",
            "",
        ]
        return "\n".join(lines)
    lines += [
        f"{len(notices)} forhold endret eller kan ha endret resultatet uten at kjøringen stoppet. "
        "Se over hvert punkt; rett inndata og kjør på nytt der det er feil.",
        "",
        f"{len(notices)} matters changed or may have changed the results without stopping the "
        "run. Check each; where it is a mistake, fix the input and run again.",
        "",
    ]
    for effect in EFFECTS:
        group = [n for n in notices if n.effect == effect]
        if not group:
            continue
        nb_title, en_title = EFFECT_TITLES[effect]
        lines += [f"## {nb_title} / {en_title} ({len(group)})", ""]
        for n in group:
            place = ", ".join(p for p in (n.file, n.where) if p)
            prefix = f"`{place}`: " if place else ""
            lines.append(f"- {prefix}{n.nb}  ")
            lines.append(f"  *{n.en}* ({n.step})")
        lines.append("")
    return "\n".join(lines)
