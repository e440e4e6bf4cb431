"""Keep text from becoming a spreadsheet formula (CSV or formula injection).

Forms come from outside the team and coders write free text, so a title such as
``=HYPERLINK("http://…";"Les mer")`` or a note starting with ``+``, ``-`` or ``@`` must stay text
when a researcher opens an output in Excel, LibreOffice or Google Sheets. As OWASP's guidance on
CSV injection recommends, such text is prefixed with a single quote ``'``:

- at the start of a cell (``= + - @``, tab and carriage return start a formula), and
- after a line break, ``;`` or tab inside a text: Norwegian Excel splits a CSV on ``;`` (which
  needs no quotes in a comma-separated file) and then reads a quote in the middle of a cell as a
  plain character, so a line break inside a quoted text ends its row. Each of those can become
  the start of a cell. A comma inside a text always comes quoted, so it is left alone
  ("500,-" stays as written).

A cell that is a number (``-0.018``, ``+5``, ``1e-3``) stays a number. The prefix is reversible:
:func:`restore` gives back the exact text, so the workflow reads its own tables back unchanged
(``medvirk.io.read_csv``). A text that already has quotes before a trigger (``'=x``) gets one
more, so restoring never removes a quote the author wrote.

Excel workbooks need no prefix in the text: ``medvirk.xlsxio.save_workbook`` writes every text
as a string cell (never a formula) and marks a text that starts like a formula with Excel's
own "quote prefix" (what Excel stores when a user types a leading ``'``), so it stays text when
a coder edits the cell, and its value reads back unchanged.
"""

from __future__ import annotations

import re

#: Characters that make a spreadsheet read a cell as a formula (OWASP: = + - @ tab CR).
TRIGGERS = "=+-@\t\r"
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
# A position where a spreadsheet may start a cell: the start of the text, or right after a line
# break, a semicolon or a tab. Quotes the author wrote before the trigger are kept.
_BOUNDARY = r"(?:^|(?<=[\n\r;\t]))"
_UNSAFE = re.compile(_BOUNDARY + r"(?='*[=+\-@\t\r])")
_PREFIXED = re.compile(_BOUNDARY + r"'(?='*[=+\-@\t\r])")


def is_number(text: str) -> bool:
    """True for a text that is a plain decimal number, which a spreadsheet reads as a number.

    >>> is_number("-0.018"), is_number("+47 912 34 567"), is_number("-inf")
    (True, False, False)
    """
    return _NUMBER.fullmatch(text) is not None


def neutralise(text: str) -> str:
    """The text with ``'`` before every formula trigger that could start a spreadsheet cell.

    >>> neutralise('=HYPERLINK("http://x";"Les mer")')
    '\\'=HYPERLINK("http://x";"Les mer")'
    >>> neutralise("Jobb;=1+1"), neutralise("-0.018"), neutralise("a - b")
    ("Jobb;'=1+1", '-0.018', 'a - b')
    """
    if not text or is_number(text):
        return text
    return _UNSAFE.sub("'", text)


def restore(text: str) -> str:
    """The text :func:`neutralise` was given: one added ``'`` removed before each trigger.

    >>> all(restore(neutralise(t)) == t for t in ["=x", "'=x", "a\\n-b", "-1", "x;;@y", "ok"])
    True
    """
    if not text or "'" not in text:
        return text
    return _PREFIXED.sub("", text)


def starts_like_formula(text: str) -> bool:
    """True for a text that a spreadsheet would read as a formula if typed into a cell.

    >>> starts_like_formula("=SUM(A1)"), starts_like_formula("-0.5"), starts_like_formula("x")
    (True, False, False)
    """
    return bool(text) and text[0] in TRIGGERS and not is_number(text)
