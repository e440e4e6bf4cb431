"""Write Excel workbooks byte for byte the same on every run.

openpyxl stamps the save time into docProps/core.xml and every zip entry; both are replaced
by a fixed time so that the same inputs give the same file.

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

from medvirk.formulas import starts_like_formula

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
    Path(path).write_bytes(out.getvalue())


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
