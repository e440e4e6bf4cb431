"""What an output file holds as a person (or a leak) would find it, read apart from medvirk.

A zip archive (.xlsx, .qdpx, .docx) is compressed: its bytes hide every value, so a search in
them can never fail. Here each member of an archive is opened, and a Snakemake report's
embedded files (base64 data URIs, zip archives among them) are decoded and opened too.
"""

from __future__ import annotations

import base64
import io
import re
import zipfile
from pathlib import Path


def _members(data: bytes) -> list[bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [archive.read(n) for n in archive.namelist() if not n.endswith("/")]


def output_texts(path: Path) -> list[str]:
    """The texts of a file: its members if it is a zip archive; a report's page and each file
    embedded in it; else its own text. Decoded as UTF-8, undecodable bytes replaced."""
    data = Path(path).read_bytes()
    if data[:4] == b"PK\x03\x04":
        blobs = _members(data)
    elif Path(path).suffix == ".html":
        blobs = [data]
        for blob in re.findall(rb"base64,([A-Za-z0-9+/=]+)", data):
            decoded = base64.b64decode(blob)
            blobs += _members(decoded) if decoded[:4] == b"PK\x03\x04" else [decoded]
    else:
        blobs = [data]
    return [b.decode("utf-8", errors="replace") for b in blobs]
