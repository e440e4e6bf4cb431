"""Text on the way in: decode what users send in whatever encoding their program chose, and
bring every name, label, id and free text to one Unicode form (NFC).

The same letter can be stored two ways: «å» as one character (NFC, what a keyboard types) or as
«a» followed by a combining ring (NFD, what ATLAS.ti and macOS file names use). They look the
same and compare different, so a code label exported decomposed would silently fail to match
the codebook. Everything a user hands in passes through `nfc` (or `nfc_frame`) when read.
"""

from __future__ import annotations

import codecs
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only named in annotations: the workflow reads this module without pandas
    import pandas as pd

#: Encodings `decode_text` can report, as Python names them.
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def nfc(value):
    """`value` in Unicode normal form C if it is text; anything else unchanged.

    >>> nfc("a\\u030a") == "\\u00e5"
    True
    >>> nfc(3)
    3
    """
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


def nfc_frame(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of `table` with every text cell and column name in NFC."""
    out = table.copy()
    out.columns = [nfc(c) for c in out.columns]
    for column in out.columns:
        if out[column].dtype == object:
            values = out[column]
            # Only cells with a non-ASCII character can change (ASCII is always NFC).
            changed = values.map(lambda v: isinstance(v, str) and not v.isascii())
            if changed.any():
                out.loc[changed, column] = values[changed].map(nfc)
    return out


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when the bytes look like UTF-16 text without a BOM.

    Latin text in UTF-16 has a NUL as the high byte of nearly every character: at odd
    positions for little-endian, at even ones for big-endian. Binary files have NULs too, but
    not in that regular pattern.
    """
    sample = data[:4096]
    sample = sample[: len(sample) - len(sample) % 2]
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    even = sum(1 for b in sample[0::2] if b == 0)
    odd = sum(1 for b in sample[1::2] if b == 0)
    if odd >= 0.6 * pairs and even <= 0.05 * pairs:
        return "utf-16-le"
    if even >= 0.6 * pairs and odd <= 0.05 * pairs:
        return "utf-16-be"
    return None


def text_encoding(data: bytes) -> str | None:
    """The encoding of a text file's bytes, or None when they are not text (NULs, no UTF-16).

    A byte order mark decides (UTF-8, UTF-16 and UTF-32, either byte order); UTF-16 without one is recognised by its
    NUL pattern; then UTF-8 if the bytes are valid UTF-8, else cp1252 (Norwegian Windows and
    Excel), else latin-1.
    """
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if data.startswith(UTF16_BOMS):
        return "utf-16"
    if b"\x00" in data:
        return _utf16_without_bom(data)
    for encoding in ("utf-8", "cp1252"):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    return "latin-1"


def decode_text(data: bytes) -> tuple[str, str]:
    """(text in NFC without a byte order mark, encoding used) for the bytes of a text file.

    Raises ValueError when the bytes are not text (binary data) or not valid in the encoding
    their byte order mark or NUL pattern claims.

    >>> decode_text("Brukerråd".encode("cp1252"))
    ('Brukerråd', 'cp1252')
    >>> decode_text("Brukerråd".encode("utf-16"))[0]
    'Brukerråd'
    """
    encoding = text_encoding(data)
    if encoding is None:
        raise ValueError("binary data (NUL bytes), not text")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ValueError(f"not valid {encoding} text ({exc.reason})") from exc
    return nfc(text.removeprefix("\ufeff")), encoding
