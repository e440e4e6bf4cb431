"""Errors that are meant to be read by a person, not a programmer."""

from __future__ import annotations


class InputError(ValueError):
    """Bad input: says which file, which row and what to do about it."""

    def __init__(self, file: str, message: str, row: int | None = None, column: str | None = None):
        self.file = str(file)
        self.row = row
        self.column = column
        self.detail = message
        where = self.file
        if row is not None:
            where += f", row {row}"
        if column is not None:
            where += f", column '{column}'"
        super().__init__(f"{where}: {message}")
