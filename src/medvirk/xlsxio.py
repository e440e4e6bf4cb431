"""Write Excel workbooks byte for byte the same on every run, and open the ones users return.

openpyxl stamps the save time into docProps/core.xml and every zip entry; both are replaced
by a fixed time so that the same inputs give the same file. A workbook a user hands in may be
an old .xls renamed, empty, password-protected or damaged: `read_user_workbook` says which, in
the user's language, instead of a zip error.

Every workbook the workflow writes goes through :func:`save_workbook`, which also keeps text
from becoming a formula: openpyxl turns any text that starts with ``=`` into a live formula, so
a form titled ``=HYPERLINK(...)`` would be one in every coder's workbook. Each text is written as
a string cell, and a text that starts like a formula (``= + - @``, tab, carriage return) gets
Excel's quote prefix, so it stays text when a coder edits the cell (see ``medvirk.formulas``).
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from openpyxl import Workbook

from medvirk.errors import RESEARCHER, InputError, in_language_of
from medvirk.formulas import starts_like_formula
from medvirk.io import naming_file_on_error
from medvirk.textnorm import nfc

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, or an encrypted .xlsx
SAVE_AS_XLSX_NB = "Åpne den i Excel og lagre som .xlsx (Excel-arbeidsbok)"
SAVE_AS_XLSX_EN = "Open it in Excel and save it as .xlsx (Excel Workbook)"

FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
FIXED_ISO_TIME = "2000-01-01T00:00:00Z"
_STAMP = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def save_workbook(wb: Workbook, path: str | Path) -> None:
    """Save `wb` to `path` with fixed timestamps, so reruns give identical bytes.

    No cell is saved as a formula: the workflow writes none, so any text openpyxl took for one
    came from the data and is saved as text.
    """
    keep_text(wb)
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _STAMP.sub(lambda m: m.group(1) + FIXED_ISO_TIME.encode() + m.group(3), data)
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, data)
    with naming_file_on_error(path):
        Path(path).write_bytes(out.getvalue())


class Formula(str):
    """A cell that holds a formula (or a formula's error) as the user's file has it, e.g.
    ``=-Jobb``: text Excel took for a formula, never read as its result."""


class TooManyRows(InputError):
    """A sheet of a user's workbook holds more rows than its reader takes."""

    def __init__(self, path, sheet: str, limit: int):
        self.sheet = sheet
        super().__init__(
            path, f"ark «{sheet}»: over {limit} rader / sheet {sheet!r}: over {limit} rows"
        )


def read_user_workbook(
    path: str | Path,
    reader: str = RESEARCHER,
    formulas: bool = False,
    max_rows: int | None = None,
    sheet: str | None = None,
) -> dict[str, list[tuple]]:
    """The rows (cell values; text in NFC) of each sheet of a workbook a person handed in, by
    sheet name in workbook order.

    With `formulas`, a cell holding a formula (or a formula error) is a :class:`Formula` with
    the formula as written, not its cached result. A sheet with more than `max_rows` rows raises
    TooManyRows (rows are counted as the file holds them, not the size it claims). With `sheet`,
    only that sheet's rows are read; the other sheets are listed with no rows.

    Raises InputError naming the file, in the language of `reader` (errors.CODER or
    errors.RESEARCHER), when it is over the size limits (``medvirk.limits``), empty, an
    old-style .xls or a password-protected workbook, not a workbook at all, or damaged.
    """
    from openpyxl import load_workbook

    from medvirk.limits import LimitError, check_file_size, check_zip

    path = Path(path)

    def fail(nb: str, en: str):
        raise InputError(path, in_language_of(reader, nb, en))

    try:
        check_file_size(path)
        check_zip(path)
    except LimitError as exc:
        fail(exc.nb, exc.en)

    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        fail(f"kan ikke åpnes ({exc.strerror})", f"cannot be opened ({exc.strerror})")
    if not head:
        fail(
            "filen er tom (0 byte). Lagre arbeidsboken på nytt som .xlsx (Excel-arbeidsbok) "
            "og send den igjen.",
            "the file is empty (0 bytes). Save the workbook again as .xlsx (Excel Workbook).",
        )
    if head == OLE2_MAGIC:
        fail(
            f"er en gammel Excel-fil (.xls) eller en arbeidsbok med passord. "
            f"{SAVE_AS_XLSX_NB}, uten passord.",
            f"is an old-style Excel file (.xls) or a password-protected workbook. "
            f"{SAVE_AS_XLSX_EN}, without a password.",
        )
    if not head.startswith(b"PK"):
        fail(
            f"er ikke en Excel-arbeidsbok (kanskje en annen filtype med endelsen .xlsx). "
            f"{SAVE_AS_XLSX_NB}.",
            f"is not an Excel workbook (another kind of file named .xlsx?). {SAVE_AS_XLSX_EN}.",
        )
    try:
        wb = load_workbook(path, read_only=True, data_only=not formulas)
        try:
            return {
                nfc(name): (
                    _sheet_rows(path, wb[name], name, max_rows, formulas)
                    if sheet is None or nfc(name) == sheet
                    else []
                )
                for name in wb.sheetnames
            }
        finally:
            wb.close()
    except TooManyRows:
        raise
    except Exception as exc:  # zip, XML and openpyxl errors: the file is damaged
        fail(
            f"er skadet og kan ikke leses ({type(exc).__name__}). {SAVE_AS_XLSX_NB} på nytt.",
            f"is damaged and cannot be read ({type(exc).__name__}). {SAVE_AS_XLSX_EN} again.",
        )


def keep_text(wb: Workbook) -> None:
    """Make every text cell of `wb` a string cell; quote-prefix text that starts like a formula."""
    for ws in wb.worksheets:
        # The cells that exist; iter_rows() would create every empty cell of the used range.
        for cell in list(ws._cells.values()):
            if not isinstance(cell.value, str):
                continue
            if cell.data_type == "f":
                cell.data_type = "s"
            if starts_like_formula(cell.value):
                cell.quotePrefix = True


def _sheet_rows(path, ws, name: str, max_rows: int | None, formulas: bool) -> list[tuple]:
    """A read-only sheet's rows, text in NFC (formula cells as Formula with `formulas`); at
    most `max_rows`."""
    if hasattr(ws, "reset_dimensions"):
        ws.reset_dimensions()  # the rows the file holds, not the size it claims
    rows = []
    for cells in ws.iter_rows():
        if max_rows is not None and len(rows) >= max_rows:
            raise TooManyRows(path, nfc(name), max_rows)
        rows.append(
            tuple(
                Formula(str(c.value)) if formulas and c.data_type in ("f", "e") else nfc(c.value)
                for c in cells
            )
        )
    return rows
