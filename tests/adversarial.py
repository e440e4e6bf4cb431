"""The adversarial corpus: files as real teams send them, built in code (no binary fixtures).

Each builder returns bytes or writes a file the way a program or a person produces it:
Norwegian Excel's CSV (cp1252, semicolons, sometimes a BOM or a ``sep=;`` line), Notepad's
«Unicode» text (UTF-16), an old .xls renamed to .xlsx, a workbook cut short by an e-mail
client, names as ATLAS.ti and macOS store them (decomposed, NFD). Tests import what they need;
add a builder here for each new class of bad input.
"""

from __future__ import annotations

import codecs
import io
import unicodedata
from pathlib import Path

import pandas as pd

# The first bytes of an OLE2 compound file: an Excel 97-2003 workbook (.xls), or an .xlsx
# saved with a password (Office encrypts it inside such a container).
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def nfd(text: str) -> str:
    """`text` decomposed, as ATLAS.ti exports names and macOS stores file names: «å» -> a + ring."""
    return unicodedata.normalize("NFD", text)


def norwegian_excel_csv(table: pd.DataFrame, bom: bool = False, sep_line: bool = False) -> bytes:
    """A table as Norwegian Excel saves «CSV (semikolondelt)»: cp1252, semicolons, CRLF.

    `bom` adds the UTF-8 byte order mark Excel's «CSV UTF-8» writes (then the text is UTF-8);
    `sep_line` adds the ``sep=;`` first line some exports carry.
    """
    text = table.to_csv(index=False, sep=";", lineterminator="\r\n")
    if sep_line:
        text = "sep=;\r\n" + text
    if bom:
        return codecs.BOM_UTF8 + text.encode("utf-8")
    return text.encode("cp1252")


def unicode_text_csv(table: pd.DataFrame, bom: bool = True) -> bytes:
    """A table as Excel's «Unicode-tekst» saves it: UTF-16 little-endian, tab-separated."""
    text = table.to_csv(index=False, sep="\t", lineterminator="\r\n")
    data = text.encode("utf-16-le")
    return codecs.BOM_UTF16_LE + data if bom else data


def old_xls() -> bytes:
    """Bytes of an Excel 97-2003 workbook as far as a reader can tell (its header and padding)."""
    return OLE2_MAGIC + b"\x00" * 16 + b"\x3e\x00\x03\x00\xfe\xff" + b"\x00" * 490


def truncated(path: Path, keep: float = 0.5) -> bytes:
    """The first part of a file, as a cut-off download or e-mail attachment leaves it."""
    data = Path(path).read_bytes()
    return data[: int(len(data) * keep)]


def csv_text_as_xlsx(table: pd.DataFrame) -> bytes:
    """A CSV someone renamed to .xlsx."""
    buffer = io.StringIO()
    table.to_csv(buffer, index=False)
    return buffer.getvalue().encode("utf-8")


def notepad_unicode(text: str, byteorder: str = "le", bom: bool = True) -> bytes:
    """Text as Windows Notepad saves «Unicode» (UTF-16 LE) or «Unicode big endian»."""
    data = text.encode(f"utf-16-{byteorder}")
    mark = codecs.BOM_UTF16_LE if byteorder == "le" else codecs.BOM_UTF16_BE
    return mark + data if bom else data
