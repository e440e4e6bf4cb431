"""Find text cells that a spreadsheet would run as a formula, in every CSV and xlsx under a folder.

Independent of medvirk.formulas on purpose: it states the rule (OWASP's guidance on CSV
injection) itself, so a bug in the neutralising code cannot hide from it.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

from openpyxl import load_workbook

TRIGGERS = "=+-@\t\r"
NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
# A trigger where a spreadsheet may start a cell: at the start, or after a line break, ";" or
# tab inside the text (Norwegian Excel splits on ";", unquoted in a comma-separated file).
CELL_START = re.compile(r"(?:^|(?<=[\n\r;\t]))[=+\-@\t\r]")


def unsafe_csv_cells(path: Path) -> list[str]:
    """Cells of a CSV file that start a formula somewhere, as 'file row col: start of text'."""
    found = []
    old = csv.field_size_limit(sys.maxsize)
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            for r, row in enumerate(csv.reader(fh), start=1):
                for c, cell in enumerate(row, start=1):
                    if cell and not NUMBER.fullmatch(cell) and CELL_START.search(cell):
                        found.append(f"{path} row {r} col {c}: {cell[:60]!r}")
    finally:
        csv.field_size_limit(old)
    return found


def unsafe_xlsx_cells(path: Path) -> list[str]:
    """Formula cells, and text cells starting like a formula without Excel's quote prefix."""
    found = []
    wb = load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if cell.data_type == "f":
                    found.append(f"{path} {ws.title}!{cell.coordinate}: formula {value!r}"[:200])
                elif (
                    isinstance(value, str)
                    and value
                    and value[0] in TRIGGERS
                    and not NUMBER.fullmatch(value)
                    and not cell.quotePrefix
                ):
                    found.append(f"{path} {ws.title}!{cell.coordinate}: {value[:60]!r}")
    return found


def unsafe_cells(*folders: Path) -> list[str]:
    """Every unsafe cell of every .csv and .xlsx under the folders."""
    found = []
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.suffix == ".csv":
                found += unsafe_csv_cells(path)
            elif path.suffix == ".xlsx":
                found += unsafe_xlsx_cells(path)
    return found


def spreadsheet_files(*folders: Path) -> list[Path]:
    return sorted(p for f in folders for p in f.rglob("*") if p.suffix in (".csv", ".xlsx"))
