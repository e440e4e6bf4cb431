"""Keep contact persons' names, phone numbers and e-mail addresses out of tables and reports.

Contact details are split off into ``data/private/<study>/contacts.csv`` (git-ignored), keyed
by example id. Free text is scrubbed: e-mail addresses, Norwegian phone numbers and the
contact's own name are replaced by visible placeholders. A leak scan then checks every file
the workflow wrote for the private values.
"""

from __future__ import annotations

import html
import re
import zipfile
from pathlib import Path

import pandas as pd

CONTACT_COLUMNS = ["example_id", "name", "role", "phone", "email"]

EMAIL_PLACEHOLDER = "[e-post fjernet]"
PHONE_PLACEHOLDER = "[telefon fjernet]"
NAME_PLACEHOLDER = "[navn fjernet]"

EMAIL_RE = re.compile(r"[\w.+\-']+@[\w\-]+(?:\.[\w\-]+)+", re.UNICODE)
# 8 digits, spaced or not, optionally after +47 or 0047; not part of a longer number.
PHONE_RE = re.compile(r"(?<![\d+])(?:(?:\+|00)\s?47[\s.\-]?)?\d(?:[ \u00a0]?\d){7}(?![\d])")


def phone_digits(text: str) -> str:
    """The 8-digit Norwegian number in a phone string, without country code or spaces.

    >>> phone_digits("+47 51 33 53 04")
    '51335304'
    """
    digits = re.sub(r"\D", "", text)
    if len(digits) == 12 and digits.startswith("0047"):
        digits = digits[4:]
    elif len(digits) == 10 and digits.startswith("47"):
        digits = digits[2:]
    return digits


def _join(values: list[str]) -> str:
    out: list[str] = []
    for v in values:
        v = v.strip()
        if v and v not in out:
            out.append(v)
    return "; ".join(out)


def contact_row(example_id: str, contact: dict[str, str], lines: list[str]) -> dict[str, str]:
    """The private row for one example: the declared contact, plus every e-mail address and
    phone number found anywhere in the submission (so the leak scan knows them too)."""
    text = "\n".join(lines)
    emails = [contact.get("email", "")] + EMAIL_RE.findall(text)
    declared_phone = phone_digits(contact.get("phone", ""))
    phones = [declared_phone if len(declared_phone) == 8 else ""]
    phones += [phone_digits(m) for m in PHONE_RE.findall(text)]
    return {
        "example_id": example_id,
        "name": contact.get("name", "").strip(),
        "role": contact.get("role", "").strip(),
        "phone": _join(phones),
        "email": _join([e.strip().rstrip(".") for e in emails]),
    }


def _name_pattern(name: str) -> re.Pattern | None:
    parts = re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)*", name)
    if not parts:
        return None
    return re.compile(
        r"(?<![^\W_])" + r"[\s_.\-]+".join(re.escape(p) for p in parts) + r"(?![^\W_])",
        re.IGNORECASE,
    )


def _phone_pattern(digits: str) -> re.Pattern:
    body = r"[\s.\-]?".join(re.escape(d) for d in digits)
    return re.compile(r"(?<!\d)" + body + r"(?!\d)")


def scrub_text(text: str, names: list[str] = (), other_names: list[str] = ()) -> str:
    """Replace e-mail addresses, Norwegian phone numbers and the given names by placeholders.

    ``names`` (the contact's own) are also removed part by part (``Kari`` alone);
    ``other_names`` (other examples' contacts) only as full names.

    >>> scrub_text("Ring Kari Nordmann på 51 33 53 04 eller kari@x.no", ["Kari Nordmann"])
    'Ring [navn fjernet] på [telefon fjernet] eller [e-post fjernet]'
    """
    if not text:
        return text
    text = EMAIL_RE.sub(EMAIL_PLACEHOLDER, text)
    text = PHONE_RE.sub(PHONE_PLACEHOLDER, text)
    for name in sorted(set(other_names) - set(names), key=len, reverse=True):
        pattern = _name_pattern(name) if len(name.split()) >= 2 else None
        if pattern is not None:
            text = pattern.sub(NAME_PLACEHOLDER, text)
    for name in names:
        pattern = _name_pattern(name)
        if pattern is None:
            continue
        text = pattern.sub(NAME_PLACEHOLDER, text)
        # Then each part of the name on its own (first name, surname), as written.
        for part in re.findall(r"[^\W\d_]{2,}(?:-[^\W\d_]+)*", name):
            if part[0].isupper():
                text = re.sub(
                    r"(?<![^\W_])" + re.escape(part) + r"(?![^\W_])", NAME_PLACEHOLDER, text
                )
    return text


def scrub_record(record: dict, contact: dict[str, str], other_names: list[str] = ()) -> dict:
    """A copy of the record with every text field scrubbed of the contact's details
    (and of the full names of the other examples' contacts)."""
    names = [contact["name"]] if contact.get("name") else []
    out = dict(record)
    for key, value in record.items():
        if key in ("example_id", "format", "completeness") or not isinstance(value, str):
            continue
        out[key] = scrub_text(value, names, other_names)
    return out


def leaks_in_text(text: str, contacts: pd.DataFrame) -> list[tuple[str, str]]:
    """(example_id, kind) for each private value of ``contacts`` that occurs in ``text``."""
    found: list[tuple[str, str]] = []
    lowered = text.casefold()
    for row in contacts.fillna("").astype(str).itertuples(index=False):
        for email in filter(None, (e.strip() for e in row.email.split(";"))):
            if email.casefold() in lowered:
                found.append((row.example_id, "email"))
                break
        for phone in filter(None, (p.strip() for p in row.phone.split(";"))):
            if len(phone) >= 8 and _phone_pattern(phone).search(text):
                found.append((row.example_id, "phone"))
                break
        pattern = _name_pattern(row.name) if len(row.name.split()) >= 2 else None
        if pattern is not None and pattern.search(text):
            found.append((row.example_id, "name"))
    return found


# Members of a zip archive (.qdpx, .xlsx, .docx) that hold text a person could read.
TEXT_MEMBER_SUFFIXES = (".qde", ".xml", ".txt", ".csv", ".md", ".html", ".htm", ".json", ".rels")


def readable_texts(path: str | Path) -> list[tuple[str, str]]:
    """(member, text) for what a file holds: ("", its text) for a plain file; for a zip
    archive (.qdpx, .xlsx, .docx, …) each text member (project.qde, Sources/*.txt,
    xl/sharedStrings.xml, xl/worksheets/*.xml, …), whose text is hidden by the compression."""
    path = Path(path)
    if not zipfile.is_zipfile(path):
        return [("", path.read_bytes().decode("utf-8", errors="replace"))]
    texts = []
    with zipfile.ZipFile(path) as archive:
        for info in sorted(archive.infolist(), key=lambda i: i.filename):
            if info.is_dir() or not info.filename.lower().endswith(TEXT_MEMBER_SUFFIXES):
                continue
            raw = archive.read(info).decode("utf-8", errors="replace")
            texts.append((info.filename, html.unescape(raw) if "<" in raw else raw))
    return texts


def scan_files(paths: list[str | Path], contacts: pd.DataFrame) -> pd.DataFrame:
    """One row (file, member, example_id, kind) per private value found in any of the files.

    `member` names the file inside a zip archive (a .qdpx or .xlsx) where it was found, empty
    for a plain file. The values themselves are never reported, only which kind leaked from
    which example.
    """
    rows = []
    for path in sorted({str(p) for p in paths}):
        p = Path(path)
        if not p.is_file():
            continue
        for member, text in readable_texts(p):
            for example, kind in leaks_in_text(text, contacts):
                rows.append({"file": path, "member": member, "example_id": example, "kind": kind})
    return pd.DataFrame(rows, columns=["file", "member", "example_id", "kind"])


def files_under(folders: list[str | Path]) -> list[Path]:
    """Every file below the given folders (missing folders are skipped)."""
    out: list[Path] = []
    for folder in folders:
        folder = Path(folder)
        if folder.is_dir():
            out.extend(p for p in sorted(folder.rglob("*")) if p.is_file())
    return out


def leak_report(files: list[str], leaks: pd.DataFrame) -> str:
    """A short text for the log and the run: which files were checked and what leaked where."""
    if leaks.empty:
        return (
            f"Privacy scan: checked {len(files)} file(s); no contact name, phone number or "
            "e-mail address found.\n"
        )
    lines = [f"Privacy scan FAILED: contact details found in {leaks['file'].nunique()} file(s):"]
    for row in leaks.itertuples(index=False):
        where = f"{row.file} ({row.member})" if row.member else row.file
        lines.append(f"  {where}: {row.kind} of the contact for {row.example_id}")
    lines.append("Remove these files and fix the step that wrote them; values are not shown here.")
    return "\n".join(lines) + "\n"
