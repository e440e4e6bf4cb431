"""Write Excel workbooks byte for byte the same on every run, and open the ones users return.

openpyxl stamps the save time into docProps/core.xml and every zip entry; both are replaced
by a fixed time so that the same inputs give the same file. A workbook a user hands in may be
an old .xls renamed, empty, password-protected or damaged: `read_user_workbook` says which, in
the user's language, instead of a zip error.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from openpyxl import Workbook

from medvirk.errors import RESEARCHER, InputError, in_language_of
from medvirk.io import naming_file_on_error
from medvirk.textnorm import nfc

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, or an encrypted .xlsx
SAVE_AS_XLSX_NB = "Åpne den i Excel og lagre som .xlsx (Excel-arbeidsbok)"
SAVE_AS_XLSX_EN = "Open it in Excel and save it as .xlsx (Excel Workbook)"
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
FIXED_ISO_TIME = "2000-01-01T00:00:00Z"
_STAMP = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def save_workbook(wb: Workbook, path: str | Path) -> None:
    """Save `wb` to `path` with fixed timestamps, so reruns give identical bytes."""
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


def read_user_workbook(path: str | Path, reader: str = RESEARCHER) -> dict[str, list[tuple]]:
    """The rows (cell values, not formulas; text in NFC) of each sheet of a workbook a person
    handed in, by sheet name in workbook order.

    Raises InputError naming the file, in the language of `reader` (errors.CODER or
    errors.RESEARCHER), when it is empty, an old-style .xls or a password-protected workbook,
    not a workbook at all, or damaged.
    """
    from openpyxl import load_workbook

    path = Path(path)

    def fail(nb: str, en: str):
        raise InputError(path, in_language_of(reader, nb, en))

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
        wb = load_workbook(path, read_only=True, data_only=True)
        try:
            return {
                nfc(name): [
                    tuple(nfc(v) for v in row) for row in wb[name].iter_rows(values_only=True)
                ]
                for name in wb.sheetnames
            }
        finally:
            wb.close()
    except Exception as exc:  # zip, XML and openpyxl errors: the file is damaged
        fail(
            f"er skadet og kan ikke leses ({type(exc).__name__}). {SAVE_AS_XLSX_NB} på nytt.",
            f"is damaged and cannot be read ({type(exc).__name__}). {SAVE_AS_XLSX_EN} again.",
        )
