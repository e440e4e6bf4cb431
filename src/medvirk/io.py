"""Reading and writing the tidy CSV tables the workflow passes between rules, and reading the
CSV files users hand in (coders' codings, consensus decisions, mapping files, curated tables).

Every CSV the workflow writes goes through :func:`write_csv`, which keeps text from becoming a
spreadsheet formula (``medvirk.formulas``); :func:`read_csv` gives the text back as it was.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import io
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

import pandas as pd

from medvirk.errors import RESEARCHER, InputError, in_language_of
from medvirk.formulas import neutralise, restore
from medvirk.textnorm import decode_text, nfc_frame

#: The separators a spreadsheet program writes: comma, semicolon (Norwegian Excel), tab.
SEPARATORS = (",", ";", "\t")
_SEP_HINT = re.compile(r"^sep=(.)\s*$")  # Excel's first-line hint, e.g. "sep=;"


def _map_text(df: pd.DataFrame, convert) -> pd.DataFrame:
    """`df` with `convert` applied to every text cell and column name (numbers untouched)."""
    out = None
    for column in df.columns:
        values = df[column]
        if values.dtype != object and not pd.api.types.is_string_dtype(values):
            continue
        # Tables such as the coding grid repeat a few ids millions of times: convert each
        # distinct text once.
        changed = {}
        for value in pd.unique(values):
            if isinstance(value, str):
                new = convert(value)
                if new != value:
                    changed[value] = new
        if changed:
            out = df.copy() if out is None else out
            out[column] = values.map(lambda v, c=changed: c.get(v, v) if isinstance(v, str) else v)
    names = [convert(c) if isinstance(c, str) else c for c in df.columns]
    if names != list(df.columns):
        out = (df.copy() if out is None else out).set_axis(names, axis=1)
    return df if out is None else out


def read_csv(path: str | Path) -> pd.DataFrame:
    """Read a workflow table with every column as text (ids like E01 stay as they are)."""
    table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    return _map_text(table, restore)


def _csv_text(text: str) -> str:
    """Text as a CSV cell holds it: Unix line breaks, and no cell start that runs a formula.

    A lone carriage return would be written unquoted and split the row when read back, so line
    breaks inside a text are written as ``\\n``.
    """
    return neutralise(text.replace("\r\n", "\n").replace("\r", "\n"))


def write_csv(df: pd.DataFrame, path: str | Path) -> None:
    """Write UTF-8 CSV with Unix line ends, the same bytes for the same table.

    Text that a spreadsheet would read as a formula gets a ``'`` in front (see
    ``medvirk.formulas``); numbers stay numbers.
    """
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with naming_file_on_error(path):
        _map_text(df, _csv_text).to_csv(path, index=False, encoding="utf-8", lineterminator="\n")


def write_text(path: str | Path, text: str) -> None:
    """Write a UTF-8 text output (Markdown, LaTeX); a failed write names the file."""
    with naming_file_on_error(path):
        Path(path).write_text(text, encoding="utf-8")


@contextlib.contextmanager
def naming_file_on_error(path: str | Path) -> Iterator[None]:
    """Give an OSError raised while writing `path` that file's name (a full disk raises it
    from a write or close, which names no file), so the message can say which file failed."""
    try:
        yield
    except OSError as exc:
        if exc.filename is not None or exc.errno is None:
            raise
        strerror = exc.strerror or errno.errorcode.get(exc.errno, "")
        raise OSError(exc.errno, strerror, str(path)) from exc


def read_optional_csv(paths) -> pd.DataFrame | None:
    """The table of an optional rule input: the one path given, or None when the rule got none."""
    paths = [paths] if isinstance(paths, str | Path) else list(paths)
    if len(paths) > 1:
        raise ValueError(f"one optional table expected, got {len(paths)}: {paths}")
    return read_csv(paths[0]) if paths else None


def separator(header_line: str) -> str:
    """The separator of a CSV, from its first row: the one of `SEPARATORS` that splits it into
    the most columns (comma when none splits it).

    >>> separator("example_id;coder;factor_id")
    ';'
    >>> separator('code_name,factor_id,"note; with a semicolon"')
    ','
    """
    best, best_n = ",", 1
    for sep in SEPARATORS:
        n = len(next(csv.reader([header_line], delimiter=sep), []))
        if n > best_n:
            best, best_n = sep, n
    return best


def read_user_csv(
    path: str | Path,
    reader: str = RESEARCHER,
    required: Sequence[str] = (),
    drop_blank_rows: bool = True,
    max_rows: int | None = None,
) -> pd.DataFrame:
    """Read a CSV a person made, as text, whatever their spreadsheet program chose.

    The encoding (UTF-8 with or without BOM, UTF-16, cp1252 from Norwegian Excel) and the
    separator (comma, semicolon, tab; Excel's ``sep=;`` first line is honoured) are found from
    the file. Column names are stripped; every name and cell is in Unicode NFC; rows with no
    text in any cell (what Excel leaves after cleared cells) are dropped unless
    `drop_blank_rows` is false. The index is the row number as a spreadsheet shows it (the
    header is row 1), for messages.

    `reader` is who made the file (errors.CODER or errors.RESEARCHER): problems are raised as
    InputError in their language, naming the file, e.g. a missing column of `required`. A file
    over ``medvirk.limits.MAX_FILE_BYTES`` is refused unread; one with more than `max_rows`
    data rows is refused.
    """
    from medvirk.limits import LimitError, check_file_size, format_count

    path = Path(path)

    def fail(nb: str, en: str):
        raise InputError(path, in_language_of(reader, nb, en))

    try:
        check_file_size(path)
    except LimitError as exc:
        fail(exc.nb, exc.en)
    except OSError as exc:
        fail(f"kan ikke åpnes ({exc.strerror})", f"cannot be opened ({exc.strerror})")
    try:
        data = path.read_bytes()
    except OSError as exc:
        fail(f"kan ikke åpnes ({exc.strerror})", f"cannot be opened ({exc.strerror})")
    if not data.strip():
        fail(
            "filen er tom. Lagre tabellen på nytt som CSV",
            "the file is empty. Save the table again as CSV",
        )
    if data.startswith(b"PK") or data.startswith(b"\xd0\xcf\x11\xe0"):
        fail(
            "er en Excel-arbeidsbok, ikke en CSV-fil. Lagre den som CSV (Fil > Lagre som > "
            "CSV UTF-8)",
            "is an Excel workbook, not a CSV file. Save it as CSV (File > Save As > CSV UTF-8)",
        )
    try:
        text, _encoding = decode_text(data)
    except ValueError as exc:
        fail(
            f"er ikke en tekstfil ({exc}). Lagre tabellen som CSV UTF-8",
            f"is not a text file ({exc}). Save the table as CSV UTF-8",
        )
    lines = text.splitlines()
    skipped = 0
    hint = _SEP_HINT.match(lines[0]) if lines else None
    if hint:
        sep, skipped = hint.group(1), 1
        text = text.split("\n", 1)[1] if "\n" in text else ""
    else:
        sep = separator(lines[0] if lines else "")
    try:
        table = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)
    except (ValueError, csv.Error) as exc:  # pandas' ParserError and EmptyDataError among them
        detail = " ".join(str(exc).split())
        fail(f"kan ikke leses som CSV ({detail})", f"cannot be read as CSV ({detail})")
    if max_rows is not None and len(table) > max_rows:
        nb_limit, en_limit = format_count(max_rows)
        fail(
            f"over {nb_limit} rader; grensen er {nb_limit}. Slett tomme eller overflødige rader "
            "nederst",
            f"over {en_limit} rows; the limit is {en_limit}. Delete empty or extra rows at the "
            "bottom",
        )
    table = nfc_frame(table.rename(columns=lambda c: str(c).strip()))
    table.index = range(2 + skipped, 2 + skipped + len(table))
    if drop_blank_rows and len(table.columns):
        table = table[(table.apply(lambda column: column.str.strip()) != "").any(axis=1)]
    missing = [c for c in required if c not in table.columns]
    if missing:
        found = ", ".join(map(str, table.columns))
        fail(
            f"mangler kolonnen {', '.join(missing)} i første rad (fant: {found or 'ingen'})",
            f"missing column(s) {', '.join(missing)} in the first row (found: {found or 'none'})",
        )
    return table
