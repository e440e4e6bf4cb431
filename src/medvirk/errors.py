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


# Who reads a file's messages: coders read Norwegian, researchers Norwegian and English.
CODER = "coder"
RESEARCHER = "researcher"


def in_language_of(reader: str, nb: str, en: str) -> str:
    """The message for the user of a file: Bokmål for coders, Bokmål / English for researchers.

    >>> in_language_of(CODER, "filen er tom", "the file is empty")
    'filen er tom'
    >>> in_language_of(RESEARCHER, "filen er tom", "the file is empty")
    'filen er tom / the file is empty'
    """
    if reader not in (CODER, RESEARCHER):
        raise ValueError(f"reader must be {CODER!r} or {RESEARCHER!r}, not {reader!r}")
    return nb if reader == CODER else f"{nb} / {en}"
