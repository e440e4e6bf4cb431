"""Limits on what one input file may hold, so no single file can exhaust the machine.

Forms come from outside the team, coders' files from many hands. A file over a limit is never
read past it: it is refused with a message naming the file, the limit and what to do (forms go
to ``rejected.csv``, the other forms are still read), or, for text longer than a form section
may hold, the text is cut with a note in the record and a notice in the run summary. The
limits are listed in README.md ("Hostile input and limits"); change them here only.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import yaml

MB = 1024 * 1024

#: Largest form, coder's workbook or CSV, .qdpx project or consensus file read.
MAX_FILE_BYTES = 50 * MB
#: Largest total a zip-based file (.docx, .pptx, .xlsx, .qdpx) may expand to.
MAX_UNZIPPED_BYTES = 200 * MB
#: Largest expansion ratio (unzipped / zipped size) of a zip-based file expanding to more than
#: ZIP_RATIO_FLOOR; ordinary Office files stay well below 20.
MAX_ZIP_RATIO = 100
ZIP_RATIO_FLOOR = 10 * MB
#: Most members a zip-based file may hold.
MAX_ZIP_MEMBERS = 10_000
#: Most characters kept of one form section (and of a free-text form's text); Excel holds
#: 32,767 characters in a cell, so every section fits one cell of a coding sheet.
MAX_SECTION_CHARS = 30_000
#: Most pages of a PDF form.
MAX_PDF_PAGES = 200
#: Most rows with content in a coder's sheet, a coder's CSV or a consensus file.
MAX_SHEET_ROWS = 100_000
#: Largest YAML file (a form in .yaml, a study's study.yaml).
MAX_YAML_BYTES = 1 * MB


class LimitError(ValueError):
    """An input over a limit: the message in Bokmål (``nb``) and English (``en``)."""

    def __init__(self, nb: str, en: str):
        self.nb, self.en = nb, en
        super().__init__(f"{nb} / {en}")


def format_count(n: int) -> tuple[str, str]:
    """A whole number as Bokmål and English write it: ("10 000", "10,000")."""
    return f"{n:,}".replace(",", " "), f"{n:,}"


def _mb(n: int, limit: int | None = None) -> tuple[str, str]:
    """A size in MB as Bokmål and English write it: ("61,3 MB", "61.3 MB").

    Given the `limit` it is over, with as many decimals as it takes to differ from it.
    """
    for decimals in range(1, 7):
        text = f"{n / MB:.{decimals}f}"
        if limit is None or text != f"{limit / MB:.{decimals}f}":
            break
    return f"{text.replace('.', ',')} MB", f"{text} MB"


def check_file_size(path: str | Path, limit: int = MAX_FILE_BYTES) -> int:
    """The size of the file at `path` (not following a symlink); LimitError if over `limit`."""
    size = Path(path).lstat().st_size
    if size > limit:
        (nb_size, en_size), (nb_limit, en_limit) = _mb(size, limit), _mb(limit)
        raise LimitError(
            f"filen er {nb_size}; grensen er {nb_limit}. Send en mindre fil, for eksempel uten "
            "bilder, eller del den opp",
            f"the file is {en_size}; the limit is {en_limit}. Send a smaller file, e.g. "
            "without pictures, or split it",
        )
    return size


def check_zip(source: bytes | str | Path) -> None:
    """Refuse a zip-based file (.docx, .pptx, .xlsx, .qdpx) that would expand too far.

    Reads the zip's directory only, never a member. The sizes it declares bound what Python's
    zipfile will decompress (a member that expands past its declared size fails its check), so
    they are what readers such as python-docx and openpyxl will unpack. A file that is not a zip
    is left to its reader, which says so.
    """
    size = len(source) if isinstance(source, bytes) else Path(source).lstat().st_size
    handle = io.BytesIO(source) if isinstance(source, bytes) else source
    try:
        with zipfile.ZipFile(handle) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return
    if len(members) > MAX_ZIP_MEMBERS:
        (nb_n, en_n), (nb_limit, en_limit) = (
            format_count(len(members)),
            format_count(MAX_ZIP_MEMBERS),
        )
        raise LimitError(
            f"filen inneholder {nb_n} deler; grensen er {nb_limit}. Lagre den på nytt fra "
            "programmet den ble laget i",
            f"the file holds {en_n} parts; the limit is {en_limit}. Save it again from the "
            "program that made it",
        )
    unzipped = sum(m.file_size for m in members)
    ratio = unzipped / max(size, 1)
    if unzipped > MAX_UNZIPPED_BYTES or (unzipped > ZIP_RATIO_FLOOR and ratio > MAX_ZIP_RATIO):
        (nb_unzipped, en_unzipped), (nb_limit, en_limit) = _mb(unzipped), _mb(MAX_UNZIPPED_BYTES)
        raise LimitError(
            f"filen pakkes ut til {nb_unzipped} ({ratio:.0f} ganger størrelsen); grensen er "
            f"{nb_limit} og {MAX_ZIP_RATIO} ganger. Filen er ødelagt eller laget for å fylle "
            "minnet; lagre den på nytt fra programmet den ble laget i",
            f"the file expands to {en_unzipped} ({ratio:.0f} times its size); the limit is "
            f"{en_limit} and {MAX_ZIP_RATIO} times. It is broken or made to fill the memory; "
            "save it again from the program that made it",
        )


def cut_text(text: str, limit: int = MAX_SECTION_CHARS) -> str:
    """`text` cut to at most `limit` characters, at the last white space before the limit.

    Cutting between words never leaves a fragment of a name or a number behind.

    >>> cut_text("Bedre samarbeid med brukerne", 20)
    'Bedre samarbeid med'
    """
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = max(cut.rfind(" "), cut.rfind("\n"), cut.rfind("\t"))
    return (cut[:space] if space > limit // 2 else cut).rstrip()


# --- YAML ---------------------------------------------------------------------------------


def safe_yaml(text: str, name: str = "") -> object:
    """Parse YAML from a user's file safely: plain data only, no aliases, bounded size.

    ``yaml.safe_load`` builds no Python objects but still expands aliases: a few lines of
    ``&a``/``*a`` can grow to gigabytes when the result is walked (a "YAML bomb"). Files for
    medvirk need no aliases, so any alias is refused; so is a file over MAX_YAML_BYTES or one
    nested too deeply to read. `name` names the file in the message (empty where the caller
    names it). Syntax errors are raised as ``yaml.YAMLError`` for the caller to word.
    """
    prefix = f"{name}: " if name else ""
    size = len(text.encode("utf-8"))
    if size > MAX_YAML_BYTES:
        (nb_size, en_size), (nb_limit, en_limit) = _mb(size, MAX_YAML_BYTES), _mb(MAX_YAML_BYTES)
        raise LimitError(
            f"{prefix}YAML-filen er {nb_size}; grensen er {nb_limit}",
            f"{prefix}the YAML file is {en_size}; the limit is {en_limit}",
        )
    try:
        return yaml.load(text, Loader=_NoAliasLoader)  # noqa: S506 (a SafeLoader)
    except _AliasRefused as exc:
        line = exc.line + 1
        raise LimitError(
            f"{prefix}linje {line}: YAML-alias (*navn) er ikke tillatt (vern mot «YAML-bomber»); "
            "skriv verdien ut der den trengs",
            f"{prefix}line {line}: YAML aliases (*name) are not allowed (a guard against "
            "'YAML bombs'); write the value out where it is needed",
        ) from None
    except RecursionError:
        raise LimitError(
            f"{prefix}YAML-filen er nøstet for dypt til å leses",
            f"{prefix}the YAML file is nested too deeply to be read",
        ) from None


class _AliasRefused(Exception):
    def __init__(self, line: int):
        self.line = line


class _NoAliasLoader(yaml.SafeLoader):
    """yaml.SafeLoader that refuses every alias (and so every merge key ``<<: *x``)."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            raise _AliasRefused(self.peek_event().start_mark.line)
        return super().compose_node(parent, index)


def check_settings_file(path: str | Path) -> None:
    """Check a study's settings file (study.yaml) before Snakemake reads it.

    Snakemake reads a ``configfile`` with PyYAML's FullLoader and expands aliases, and YTE
    templates (``__use_yte__``) run Python from the file. Refuse what is not plain data, with a
    message naming the file, so a hostile or broken file stops the run at start, not the machine.
    """
    import yaml

    path = Path(path)
    try:
        check_file_size(path, MAX_YAML_BYTES)
    except LimitError as exc:
        raise LimitError(f"{path}: {exc.nb}", f"{path}: {exc.en}") from None
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise LimitError(
            f"{path}: filen er ikke UTF-8; lagre den som UTF-8",
            f"{path}: the file is not UTF-8; save it as UTF-8",
        ) from None
    try:
        settings = safe_yaml(text, str(path))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", linje/line {mark.line + 1}" if mark is not None else ""
        raise LimitError(
            f"{path}{where}: ikke gyldig YAML ({getattr(exc, 'problem', None) or exc})",
            f"{path}{where}: not valid YAML",
        ) from None
    if isinstance(settings, dict) and "__use_yte__" in settings:
        raise LimitError(
            f"{path}: YTE-maler (__use_yte__) er ikke tillatt i innstillingene til en studie",
            f"{path}: YTE templates (__use_yte__) are not allowed in a study's settings",
        )
