"""Keep personal data out of tables and reports: by pattern, and by the contacts' own values.

Contact details are split off into ``data/private/<study>/contacts.csv`` (git-ignored), keyed
by example id. Free text is scrubbed: Norwegian identity numbers (fødselsnummer, D-nummer),
Norwegian phone numbers, e-mail addresses (also written ``lise (at) helse-vest.no``) and the
contacts' names are replaced by visible placeholders. A privacy scan then checks every file the
workflow wrote for the same patterns and for the private values, names the input that carried
what it finds, and removes the files that hold it.

This module is the only home of the patterns. Every regular expression here is linear in the
length of its input by construction: a match can only start at the beginning of a token
(look-behind), quantifiers that cannot give anything back are possessive, and alternatives have
a bounded length, so a long unbroken token is read once, never retried from every position.
"""

from __future__ import annotations

import base64
import binascii
import html
import io
import json
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

CONTACT_COLUMNS = ["example_id", "name", "role", "phone", "email"]

EMAIL_PLACEHOLDER = "[e-post fjernet]"
PHONE_PLACEHOLDER = "[telefon fjernet]"
ID_PLACEHOLDER = "[fødselsnummer fjernet]"
NAME_PLACEHOLDER = "[navn fjernet]"

#: Kinds of personal data, in the words of the scan's messages (Norwegian / English).
KINDS = {
    "id_number": "fødselsnummer eller D-nummer / identity number",
    "phone": "telefonnummer / phone number",
    "email": "e-postadresse / e-mail address",
    "name": "kontaktpersons navn / contact person's name",
}

# --- identity numbers (fødselsnummer, D-nummer) ---------------------------------------------

_SPACE = "[ \u00a0]"
# Not inside a longer token ("ex-12345678901", a GUID such as 23126235-ee4b-…), not the
# decimals of a number ("0.12345678"), not after a "+" (a country code).
_NUMBER_START = r"(?<![\w+])(?<!\w[\-/])(?<!\d[.,])"
_NUMBER_END = r"(?!\w)(?![\-/]\w)(?![.,]\d)"
ID_NUMBER_RE = re.compile(
    _NUMBER_START + r"(?P<date>[0-9]{6})" + _SPACE + r"?+(?P<rest>[0-9]{5})" + _NUMBER_END
)

_K1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_K2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def _check_digit(digits: Sequence[int], weights: Sequence[int]) -> int | None:
    k = 11 - sum(w * d for w, d in zip(weights, digits, strict=False)) % 11
    return 0 if k == 11 else None if k == 10 else k


def valid_identity_number(number: str) -> bool:
    """True for a Norwegian fødselsnummer or D-nummer: 11 digits, a date, two mod-11 check digits.

    The day of a D-nummer is raised by 40; the month of an H-nummer by 40 and of Skatteetaten's
    synthetic test numbers by 80. An ordinary 11-digit number passes both checks by chance about
    once in 150, and must also start with a date.

    >>> valid_identity_number("01019012480"), valid_identity_number("01019012481")
    (True, False)
    >>> valid_identity_number("41019012393")  # D-nummer
    True
    """
    number = number.replace(" ", "").replace("\u00a0", "")
    if len(number) != 11 or not number.isascii() or not number.isdigit():
        return False
    day, month = int(number[:2]), int(number[2:4])
    day -= 40 if day > 40 else 0
    month -= 80 if month > 80 else 40 if month > 40 else 0
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return False
    digits = [int(c) for c in number]
    return _check_digit(digits, _K1) == digits[9] and _check_digit(digits, _K2) == digits[10]


# --- phone numbers ---------------------------------------------------------------------------

# A Norwegian subscriber number has 8 digits and starts with 2-9. It is written plain
# (93456789), in pairs (22 33 44 66, 22.33.44.66, 22-33-44-66), as 3-2-3 (934 56 789,
# 934-56-789, 934.56.789) or as 4-4 with a space (9345 6789), after an optional +47 or 0047.
# One number uses one kind of separator, so a date range like 21.02-22.03 is not a number,
# and 4-4 takes no dash, so a year range like 2015-2016 is not one either.
_GROUPINGS = []
for _sep in (_SPACE, r"\.", "-"):
    _GROUPINGS += [
        rf"[2-9][0-9]{_sep}[0-9]{{2}}{_sep}[0-9]{{2}}{_sep}[0-9]{{2}}",
        rf"[2-9][0-9]{{2}}{_sep}[0-9]{{2}}{_sep}[0-9]{{3}}",
    ]
_GROUPINGS += [
    r"(?!(?:19|20)[0-9]{2}" + _SPACE + r"(?:19|20)[0-9]{2})[2-9][0-9]{3}" + _SPACE + "[0-9]{4}",
    r"[2-9][0-9]{7}",
]
_PREFIX = r"\(?(?:\+|00)" + _SPACE + r"?+47\)?[ \u00a0.\-]?+"
_PREFIX_RE = re.compile(_PREFIX)
_PHONE_PREFIX = "(?:" + _PREFIX + ")?+"
# Not an amount of money: "kr 22 33 44 55", "45 000 000 kroner".
_NOT_AFTER_MONEY = r"(?<!(?i:kr) )(?<!(?i:kr)\. )(?<!NOK )"
_NOT_BEFORE_MONEY = r"(?!" + _SPACE + r"?(?i:kr\b|kroner|NOK\b))"
PHONE_RE = re.compile(
    _NUMBER_START
    + _NOT_AFTER_MONEY
    + _PHONE_PREFIX
    + "(?P<number>"
    + "|".join(_GROUPINGS)
    + ")"
    + _NUMBER_END
    + _NOT_BEFORE_MONEY
)


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


# --- e-mail addresses --------------------------------------------------------------------------

_LOCAL = r"(?<![\w.+'\-])(?P<local>[\w.+'\-]++)"
_LABEL = r"[\w\-]++"
_OPEN, _CLOSE = r"[(\[{<]", r"[)\]}>]"
_AT_WORDS = r"(?i:at|@|krøllalfa|alfakrøll)"
_DOT_WORDS = r"(?i:dot|punktum|prikk)"
# "@", "(at)", "[at]", "{at}", " @ "
_AT = (
    rf"(?:{_SPACE}*+@{_SPACE}*+|{_SPACE}*+{_OPEN}{_SPACE}*+{_AT_WORDS}{_SPACE}*+{_CLOSE}{_SPACE}*+)"
)
# ".", "(dot)", "[dot]", " dot ", " punktum "
_DOT = (
    rf"(?:\.|{_SPACE}*+{_OPEN}{_SPACE}*+{_DOT_WORDS}{_SPACE}*+{_CLOSE}{_SPACE}*+"
    rf"|{_SPACE}++{_DOT_WORDS}{_SPACE}++)"
)
_DOMAIN = rf"(?P<domain>{_LABEL}(?:{_DOT}{_LABEL})++)"
EMAIL_RE = re.compile(_LOCAL + _AT + _DOMAIN)
# "lise at helse-vest.no": the bare word "at" is also the Norwegian conjunction, so this form
# counts only before a common top-level domain and not after a word that usually precedes the
# conjunction ("viktig at nav.no ..."); see _loose_email_ok.
LOOSE_EMAIL_RE = re.compile(_LOCAL + rf"{_SPACE}++(?i:at){_SPACE}++" + _DOMAIN)
_TOP_LEVEL = {"no", "com", "org", "net", "se", "dk", "fi", "is", "eu", "info", "io", "uk", "de"}
_TOP_LEVEL |= {"nu", "edu", "gov", "int", "biz"}
_BEFORE_CONJUNCTION = {
    *("at", "av", "da", "de", "den", "der", "det", "dette", "du", "eller", "enn", "er", "fordi"),
    *("for", "gjør", "gjorde", "ha", "har", "hadde", "hun", "jeg", "kan", "man", "med", "men"),
    *("mener", "mente", "og", "om", "opplever", "opplevde", "sa", "sier", "sikre", "skal"),
    *("slik", "som", "sørge", "så", "synes", "syntes", "til", "tror", "trodde", "ut", "ved"),
    *("var", "vet", "viktig", "vil", "vise", "viser", "viste", "vite", "ble", "blir", "betyr"),
    *("bety", "klar", "klart", "følte", "føler", "håper"),
}
_DOT_SPLIT_RE = re.compile(_DOT)


def _domain_labels(domain: str) -> list[str]:
    return [label for label in _DOT_SPLIT_RE.split(domain) if label]


def _loose_email_ok(match: re.Match) -> bool:
    labels = _domain_labels(match["domain"])
    return (
        labels[-1].casefold() in _TOP_LEVEL and match["local"].casefold() not in _BEFORE_CONJUNCTION
    )


def _email_key(match: re.Match) -> str:
    # The domain starts and ends with a label, so the key never ends with a dot.
    return f"{match['local']}@{'.'.join(_domain_labels(match['domain']))}".casefold()


# --- names -------------------------------------------------------------------------------------

_NAME_WORD_RE = re.compile(r"[\w\-'.]++")


def looks_like_name(text: str) -> bool:
    """Two to four capitalised words and nothing else, like ``Kari Nordmann`` or ``Åse Øvrebø``."""
    words = text.split()
    return 2 <= len(words) <= 4 and all(
        w[0].isupper() and _NAME_WORD_RE.fullmatch(w) for w in words
    )


def _name_pattern(name: str) -> re.Pattern | None:
    parts = re.findall(r"[^\W\d_]++(?:-[^\W\d_]++)*+", name)
    if not parts:
        return None
    return re.compile(
        r"(?<![^\W_])" + r"[\s_.\-]++".join(re.escape(p) for p in parts) + r"(?![^\W_])",
        re.IGNORECASE,
    )


def name_key(name: str) -> str:
    """A name as the scan compares it: casefolded, one space between its parts."""
    return " ".join(re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)*", name)).casefold()


def split_names(value: str) -> list[str]:
    """The names in a contacts.csv cell (several are separated by ``;``)."""
    return [n.strip() for n in str(value or "").split(";") if n.strip()]


# "Kontaktperson: Lise Berg, prosjektleder" anywhere in a form.
CONTACT_LINE_RE = re.compile(
    r"[^\w]{0,10}(?i:kontakt\s?person(?:er)?|contact\s?person|kontakt|contact)\s{0,5}:(?P<value>.*)"
)
# A dash between spaces splits too ("Lise Berg – leder"): the look-behind sees the space the
# possessive \s*+ has already taken (a plain \s before the dash could never match after it). A
# split starts only where a run of spaces starts, so a long run is read once.
_ROLE_SPLIT_RE = re.compile(r"(?:(?<!\s)\s++)?+(?:[,;(/|)]|(?<=\s)[–—-]\s)\s*+")
_CONTACT_WORDS_RE = re.compile(
    r"^(?i:tlf\.?|telefon(?:nummer)?|mobil|phone|tel\.?|e-?post|e-?mail|mail)\b[:.]?"
)


def split_name_role(value: str) -> tuple[str, str]:
    """(name, role) from a contact written on one line.

    >>> split_name_role("Lise Berg, prosjektleder")
    ('Lise Berg', 'prosjektleder')
    >>> split_name_role("Lise Berg (prosjektleder), tlf 934 56 789, lise (at) helse-vest.no")
    ('Lise Berg', 'prosjektleder')
    """
    chunks = [
        chunk.strip(" .:")
        for chunk in _ROLE_SPLIT_RE.split(scrub_text(str(value)))
        if chunk.strip(" .:") and "fjernet]" not in chunk and not _CONTACT_WORDS_RE.match(chunk)
    ]
    # The name is the part that looks like one; failing that, the first part, as written.
    named = [c for c in chunks if looks_like_name(c)]
    name = named[0] if named else (chunks[0] if chunks else "")
    return name, ", ".join(c for c in chunks if c != name)


def contact_names_in_lines(lines: Iterable[str]) -> list[str]:
    """Names given on a contact line anywhere in a form (``Kontaktperson: Lise Berg, leder``)."""
    names: list[str] = []
    for line in lines:
        match = CONTACT_LINE_RE.match(line[:2000])
        if match:
            name, _role = split_name_role(match["value"])
            if name and looks_like_name(name) and name not in names:
                names.append(name)
    return names


# --- finding and scrubbing -----------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """One piece of personal data in a text: its kind, a key to compare it by, where it is.

    ``key`` is the value in a normal form (8 digits of a phone, 11 of an identity number, the
    e-mail address in lower case, the casefolded name); it is never printed. ``masked`` is what
    messages show.
    """

    kind: str
    key: str
    masked: str
    start: int
    end: int


def _mask_digits(text: str, keep: int, skip_prefix: str = "") -> str:
    out, seen = [skip_prefix], 0
    for ch in text[len(skip_prefix) :]:
        if ch.isdigit():
            out.append(ch if seen < keep else "*")
            seen += 1
        else:
            out.append(ch)
    return "".join(out)


def mask(kind: str, value: str) -> str:
    """The value with most of it hidden, for messages: ``934-**-***``, ``l***@h***.no``.

    >>> mask("phone", "+47 934 56 789"), mask("name", "Lise Berg")
    ('+47 934 ** ***', 'L*** B***')
    """
    if kind == "phone":
        prefix = _PREFIX_RE.match(value)
        skip = prefix.group(0) if prefix and len(re.sub(r"\D", "", value)) > 8 else ""
        first_group = re.match(r"[0-9]++", value[len(skip) :])
        keep = len(first_group.group(0)) if first_group else 0
        return _mask_digits(value, keep if keep < 8 else 3, skip)
    if kind == "id_number":
        return _mask_digits(value, 2)
    if kind == "email":
        local, _, domain = value.partition("@")
        labels = domain.split(".")
        top = f".{labels[-1]}" if len(labels) > 1 else ""
        return f"{local[:1]}***@{domain[:1]}***{top}"
    return " ".join(f"{part[:1]}***" for part in value.split())


def find_personal_data(text: str, names: Iterable[str] = ()) -> list[Finding]:
    """Every identity number, phone number, e-mail address and given name in ``text``.

    >>> [(f.kind, f.masked) for f in find_personal_data("Ring 934-56-789, lise [at] x [dot] no")]
    [('phone', '934-**-***'), ('email', 'l***@x***.no')]
    """
    if not text:
        return []
    candidates: list[tuple[int, int, Finding]] = []  # (start, priority, finding)

    def add(kind: str, key: str, value: str, m: re.Match) -> None:
        shown = mask(kind, key if kind == "email" else value)
        candidates.append((m.start(), len(candidates), Finding(kind, key, shown, *m.span())))

    for m in EMAIL_RE.finditer(text):
        add("email", _email_key(m), m.group(0), m)
    for m in LOOSE_EMAIL_RE.finditer(text):
        if _loose_email_ok(m):
            add("email", _email_key(m), m.group(0), m)
    for m in ID_NUMBER_RE.finditer(text):
        if valid_identity_number(m["date"] + m["rest"]):
            add("id_number", m["date"] + m["rest"], m.group(0), m)
    for m in PHONE_RE.finditer(text):
        add("phone", phone_digits(m.group(0)), m.group(0), m)
    for name in names:
        pattern = _name_pattern(name) if len(name.split()) >= 2 else None
        for m in pattern.finditer(text) if pattern else ():
            add("name", name_key(name), name, m)
    # Where two overlap, the first to start wins (at the same start, the kind found first).
    found: list[Finding] = []
    for _start, _priority, finding in sorted(candidates, key=lambda c: c[:2]):
        if not found or finding.start >= found[-1].end:
            found.append(finding)
    return found


_PLACEHOLDERS = {
    "email": EMAIL_PLACEHOLDER,
    "phone": PHONE_PLACEHOLDER,
    "id_number": ID_PLACEHOLDER,
    "name": NAME_PLACEHOLDER,
}


def scrub_text(text: str, names: Sequence[str] = (), other_names: Sequence[str] = ()) -> str:
    """Replace identity numbers, e-mail addresses, phone numbers and the given names by
    placeholders.

    ``names`` (the contact's own) are also removed part by part (``Kari`` alone);
    ``other_names`` (other examples' contacts) only as full names.

    >>> scrub_text("Ring Kari Nordmann på 51 33 53 04 eller kari (at) x.no", ["Kari Nordmann"])
    'Ring [navn fjernet] på [telefon fjernet] eller [e-post fjernet]'
    >>> scrub_text("Fnr 010190 12480, tlf 22.33.44.66")
    'Fnr [fødselsnummer fjernet], tlf [telefon fjernet]'
    """
    if not text:
        return text
    full_names = list(names) + [n for n in other_names if n not in names]
    findings = find_personal_data(text, sorted(full_names, key=len, reverse=True))
    out, last = [], 0
    for f in findings:
        out += [text[last : f.start], _PLACEHOLDERS[f.kind]]
        last = f.end
    text = "".join(out) + text[last:]
    for name in names:
        # Then each part of the contact's own name on its own (first name, surname), as written.
        for part in re.findall(r"[^\W\d_]{2,}(?:-[^\W\d_]+)*", name):
            if part[0].isupper():
                text = re.sub(
                    r"(?<![^\W_])" + re.escape(part) + r"(?![^\W_])", NAME_PLACEHOLDER, text
                )
    return text


def scrub_record(record: dict, contact: dict[str, str], other_names: Sequence[str] = ()) -> dict:
    """A copy of the record with every text field scrubbed of personal data, of the contact's
    names (and of the full names of the other examples' contacts)."""
    names = split_names(contact.get("name", ""))
    out = dict(record)
    for key, value in record.items():
        if key in ("example_id", "format", "completeness") or not isinstance(value, str):
            continue
        out[key] = scrub_text(value, names, other_names)
    return out


def scrub_columns(
    table: pd.DataFrame, columns: Sequence[str], other_names: Sequence[str] = ()
) -> pd.DataFrame:
    """A copy of the table with the text of the given columns scrubbed (see ``scrub_text``)."""
    out = table.copy()
    for column in columns:
        if column in out.columns:
            out[column] = [
                scrub_text(v, (), other_names) if isinstance(v, str) else v for v in out[column]
            ]
    return out


def _join(values: Iterable[str]) -> str:
    out: list[str] = []
    for v in values:
        v = v.strip()
        if v and v not in out:
            out.append(v)
    return "; ".join(out)


def contact_row(example_id: str, contact: dict[str, str], lines: list[str]) -> dict[str, str]:
    """The private row for one example: the declared contact (name split from role), the names
    given on a contact line anywhere in the form, and every e-mail address and phone number found
    in the submission (so the scan knows them too).

    Identity numbers are never stored, not even here; the scan finds them by their pattern.
    """
    text = "\n".join(lines)
    name, role = split_name_role(contact.get("name", ""))
    found = find_personal_data(text)
    declared_phone = phone_digits(contact.get("phone", ""))
    declared = contact.get("email", "")
    declared_email = [f.key for f in find_personal_data(declared) if f.kind == "email"]
    return {
        "example_id": example_id,
        "name": _join([name, *contact_names_in_lines(lines)]),
        "role": _join([contact.get("role", "") or role]),
        "phone": _join(
            [declared_phone if len(declared_phone) == 8 else ""]
            + [f.key for f in found if f.kind == "phone"]
        ),
        "email": _join(
            (declared_email or [declared.strip().rstrip(".")])
            + [f.key for f in found if f.kind == "email"]
        ),
    }


# --- reading what a file holds -------------------------------------------------------------------

# Members of a zip archive (.qdpx, .xlsx, .docx) that hold text a person could read.
TEXT_MEMBER_SUFFIXES = (".qde", ".xml", ".txt", ".csv", ".md", ".html", ".htm", ".json", ".rels")
# Plain files read as XML (text and attribute values, not figure geometry).
XML_SUFFIXES = (".svg", ".xml", ".qde", ".qdc")
# At most this much of one member is read (a zip bomb must not exhaust memory).
MAX_MEMBER_BYTES = 512 * 1024 * 1024

_TAG_RE = re.compile(r"<(?P<close>/?)(?P<name>[\w:.\-]++)(?P<attrs>[^<>]*+)>")
_ATTR_RE = re.compile(r"(?P<name>[\w:.\-]++)\s*+=\s*+(?:\"(?P<dq>[^\"]*+)\"|'(?P<sq>[^']*+)')")
# Attributes that hold drawing geometry (a figure's paths, transforms), not text: their runs of
# numbers ("M 4684 1234 L ...") would look like phone numbers.
_GEOMETRY_ATTRS = {"d", "points", "transform", "viewBox", "style", "stroke-dasharray"}
# Office's machine identifiers, which hex digits often spell as eight decimal ones: a font's
# signature (w:sig usb0..csb1), list and template ids (w:nsid, w:tmpl), the document's id
# (w14:docId), revision-session ids (w:rsid*), paragraph ids (w14:paraId, w14:textId), the
# PANOSE number of a font. Not text a person wrote.
_ID_ATTRS = {"usb0", "usb1", "usb2", "usb3", "csb0", "csb1", "paraId", "textId"}
_ID_ELEMENTS = {"nsid", "tmpl", "docId", "panose1", "rsid", "rsidRoot"}
# Tags inside one run of text (Excel's rich text, Word's runs): the text on either side is one.
_INLINE_TAGS = {"r", "t", "proofErr"}


def xml_text(raw: str) -> str:
    """The text of an XML document as a person reads it: element text and attribute values,
    one per line; the runs of one rich-text string (``<r><t>934</t></r><r><t>-56</t></r>``)
    joined, their formatting (``<rPr>``) dropped; entities decoded."""
    out: list[str] = []
    last, in_format = 0, 0
    for m in _TAG_RE.finditer(raw):
        if not in_format:
            out.append(raw[last : m.start()])
        last = m.end()
        name = m["name"].rsplit(":", 1)[-1]
        self_closing = m["attrs"].endswith("/")
        if name == "rPr":
            in_format += 0 if self_closing else (-1 if m["close"] else 1)
            in_format = max(in_format, 0)
            continue
        if in_format or name in _INLINE_TAGS:
            continue
        values = [
            a["dq"] or a["sq"] or ""
            for a in _ATTR_RE.finditer(m["attrs"])
            if not _machine_attribute(name, a["name"].rsplit(":", 1)[-1])
        ]
        values = [v for v in values if v]
        out.append("\n" + "\n".join(values) + "\n" if values else "\n")
    if not in_format:
        out.append(raw[last:])
    return html.unescape("".join(out))


def _machine_attribute(element: str, attribute: str) -> bool:
    """True for an attribute that holds drawing geometry or an Office identifier, not text."""
    return (
        attribute in _GEOMETRY_ATTRS
        or attribute in _ID_ATTRS
        or attribute.startswith("rsid")
        or element in _ID_ELEMENTS
    )


def _decode(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


def _zip_texts(data: bytes | Path, prefix: str = "") -> list[tuple[str, str]]:
    texts = []
    with zipfile.ZipFile(io.BytesIO(data) if isinstance(data, bytes) else data) as archive:
        for info in sorted(archive.infolist(), key=lambda i: i.filename):
            if info.is_dir() or not info.filename.lower().endswith(TEXT_MEMBER_SUFFIXES):
                continue
            with archive.open(info) as member:
                raw = _decode(member.read(MAX_MEMBER_BYTES))
            texts.append((prefix + info.filename, xml_text(raw) if "<" in raw else raw))
    return texts


def _is_zip(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04" and zipfile.is_zipfile(io.BytesIO(data))


# The parts of a Snakemake report that hold the study's data; the rest of the page is the
# report's own code and the licences of its libraries (with their authors' addresses).
_REPORT_DATA = ("workflow-desc", "results", "categories", "rulegraph", "rules", "metadata")
_DATA_URI_RE = re.compile(r"^data:[^,]{0,300}?;base64,")


def report_texts(page: str) -> list[tuple[str, str]]:
    """(member, text) for what a Snakemake report (report.html) shows of the study: the front
    page, each result's caption and its embedded file (decoded, zip archives opened), the
    categories and the rules; not the libraries' code and licences."""
    texts = []
    for name in _REPORT_DATA:
        tag = f'<script id="{name}">'
        start = page.find(tag)
        if start < 0:
            continue
        start += len(tag)
        end = page.find("</script>", start)
        blob = page[start : end if end >= 0 else len(page)]
        blob = blob[blob.find("=") + 1 :].strip().rstrip(";")
        if name != "results":
            texts.append((f"<script id={name}>", blob))
            continue
        try:
            results = json.loads(blob)
        except ValueError:
            texts.append((f"<script id={name}>", blob))
            continue
        for key, entry in sorted(results.items()):
            entry = dict(entry)
            uri = str(entry.pop("data_uri", ""))
            texts.append((f"{key} (caption)", json.dumps(entry, ensure_ascii=False)))
            head = _DATA_URI_RE.match(uri)
            if not head:
                continue
            try:
                data = base64.b64decode(uri[head.end() :], validate=False)
            except (binascii.Error, ValueError):
                texts.append((key, uri))
                continue
            if _is_zip(data):
                texts += _zip_texts(data, prefix=f"{key}/")
            else:
                texts.append((key, _decode(data)))
    return texts


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_text(data: bytes) -> str:
    """The text a PNG holds: its tEXt, zTXt and iTXt chunks (title, software, ...), one per line.

    A figure's labels are pixels, which no pattern can read; the compressed pixel data decoded
    as text gives random matches (an "e-mail address" in image bytes), so it is not scanned.
    """
    import struct
    import zlib

    texts, pos = [], len(PNG_SIGNATURE)
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        try:
            if kind == b"tEXt":
                texts.append(body.replace(b"\0", b" ").decode("latin-1"))
            elif kind == b"zTXt":
                key, _, rest = body.partition(b"\0")
                texts.append(
                    f"{key.decode('latin-1')} {zlib.decompress(rest[1:]).decode('latin-1')}"
                )
            elif kind == b"iTXt":
                key, _, rest = body.partition(b"\0")
                compressed, rest = rest[0], rest[2:]
                _lang, _, rest = rest.partition(b"\0")
                _translated, _, text = rest.partition(b"\0")
                text = zlib.decompress(text) if compressed else text
                texts.append(f"{key.decode('latin-1')} {text.decode('utf-8', 'replace')}")
        except (zlib.error, IndexError, UnicodeDecodeError):
            texts.append(body.decode("latin-1"))  # unreadable: scan the chunk's bytes as they are
        if kind == b"IEND":
            break
    return "\n".join(texts)


def readable_texts(path: str | Path) -> list[tuple[str, str]]:
    """(member, text) for what a file holds: ("", its text) for a plain file; for a zip archive
    (.qdpx, .xlsx, .docx, …) each text member (project.qde, Sources/*.txt,
    xl/sharedStrings.xml, xl/worksheets/*.xml, …), whose text is hidden by the compression; for
    a Snakemake report, the study's data embedded in it (see ``report_texts``)."""
    path = Path(path)
    if zipfile.is_zipfile(path):
        return _zip_texts(path)
    data = path.read_bytes()
    if data.startswith(PNG_SIGNATURE):
        return [("", png_text(data))]
    text = _decode(data)
    if path.suffix.lower() in (".html", ".htm") and '<script id="results">' in text:
        return report_texts(text)
    if path.suffix.lower() in XML_SUFFIXES:
        return [("", xml_text(text))]
    return [("", text)]


# --- the scan ----------------------------------------------------------------------------------

LEAK_COLUMNS = ["file", "member", "kind", "masked", "example_id", "key"]


def contact_values(contacts: pd.DataFrame | None) -> tuple[list[str], dict[tuple[str, str], str]]:
    """(contact names, {(kind, key): example_id}) from contacts.csv."""
    names: list[str] = []
    owner: dict[tuple[str, str], str] = {}
    if contacts is None:
        return names, owner
    for row in contacts.fillna("").astype(str).to_dict("records"):
        for name in split_names(row.get("name", "")):
            if len(name.split()) >= 2:
                names.append(name)
                owner.setdefault(("name", name_key(name)), row["example_id"])
        for phone in split_names(row.get("phone", "")):
            owner.setdefault(("phone", phone_digits(phone)), row["example_id"])
        for email in split_names(row.get("email", "")):
            owner.setdefault(("email", email.casefold()), row["example_id"])
    # Longest first (a longer name wins where two match at one place), then alphabetical, so
    # the order does not depend on the set's hash order.
    return sorted(set(names), key=lambda name: (-len(name), name)), owner


def _phone_pattern(digits: str) -> re.Pattern:
    body = r"[\s.\-]?".join(re.escape(d) for d in digits)
    return re.compile(r"(?<!\d)" + body + r"(?!\d)")


def _contact_value_findings(text: str, owner: dict[tuple[str, str], str]) -> list[Finding]:
    """The contacts' own phones and e-mails however they are written (``9 1 2 3 4 5 6 7``)."""
    found = []
    lowered = text.casefold()
    for (kind, key), _example in owner.items():
        if kind == "email" and key and key in lowered:
            i = lowered.index(key)
            found.append(Finding(kind, key, mask(kind, key), i, i + len(key)))
        elif kind == "phone" and len(key) == 8:
            m = _phone_pattern(key).search(text)
            if m:
                found.append(Finding(kind, key, mask(kind, m.group(0)), m.start(), m.end()))
    return found


def findings_in_text(
    text: str, names: Sequence[str] = (), owner: dict[tuple[str, str], str] | None = None
) -> list[Finding]:
    """Personal data in a text by pattern, the contacts' names, and their own values."""
    found = find_personal_data(text, names)
    seen = {(f.kind, f.key) for f in found}
    for f in _contact_value_findings(text, owner or {}):
        if (f.kind, f.key) not in seen:
            found.append(f)
            seen.add((f.kind, f.key))
    return found


def scan_files(paths: Iterable[str | Path], contacts: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row (file, member, kind, masked, example_id, key) per piece of personal data found in
    any of the files, each value once per file and member.

    `member` names the file inside a zip archive (a .qdpx or .xlsx) or the part of a report
    where it was found, empty for a plain file. `masked` is the value with most of it hidden;
    `key` (the value itself, in a normal form) is for tracing it to the inputs and is never
    printed or written.
    """
    names, owner = contact_values(contacts)
    rows = []
    for path in sorted({str(p) for p in paths}):
        p = Path(path)
        if not p.is_file():
            continue
        for member, text in readable_texts(p):
            seen = set()
            for f in findings_in_text(text, names, owner):
                if (f.kind, f.key) in seen:
                    continue
                seen.add((f.kind, f.key))
                example = owner.get((f.kind, f.key), "")
                rows.append([path, member, f.kind, f.masked, example, f.key])
    return pd.DataFrame(rows, columns=LEAK_COLUMNS)


def files_under(folders: Iterable[str | Path]) -> list[Path]:
    """Every file below the given folders (missing folders are skipped)."""
    out: list[Path] = []
    for folder in folders:
        folder = Path(folder)
        if folder.is_dir():
            out.extend(p for p in sorted(folder.rglob("*")) if p.is_file())
    return out


# --- tracing a leak to the input that carried it ---------------------------------------------------


def _cell_texts(path: Path) -> Iterator[tuple[str, str]]:
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        for ws in wb.worksheets:
            ws.reset_dimensions()  # the cells the file holds, not the size it claims
            for r, row in enumerate(ws.iter_rows(values_only=True), start=1):
                for c, value in enumerate(row, start=1):
                    if value is not None and str(value).strip():
                        cell = f"{get_column_letter(c)}{r}"
                        yield f"ark/sheet «{ws.title}», celle/cell {cell}", str(value)
    finally:
        wb.close()


def _csv_texts(path: Path) -> Iterator[tuple[str, str]]:
    import csv

    from medvirk.forms import read_text_bytes

    text = read_text_bytes(path.read_bytes())
    rows = list(csv.reader(io.StringIO(text), dialect=csv.Sniffer().sniff(text[:4096], ",;\t")))
    header = rows[0] if rows else []
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            column = header[c] if c < len(header) and r > 1 else str(c + 1)
            if value.strip():
                yield f"rad/row {r}, kolonne/column «{column}»", value


def _form_texts(path: Path) -> Iterator[tuple[str, str]]:
    from medvirk import forms

    lines = forms.read_lines(path.read_bytes(), forms.FORMATS[path.suffix.lower()])
    parsed = forms.parse_lines(lines)
    yield "del/section «Kontaktinformasjon»", parsed.contact_text
    for key, text in parsed.sections.items():
        yield f"del/section «{forms.SECTION_LABELS[key]}»", text
    yield "utenfor skjemaets deler/outside the form's sections", parsed.other_text


def _line_texts(text: str) -> Iterator[tuple[str, str]]:
    for i, line in enumerate(text.splitlines(), start=1):
        yield f"linje/line {i}", line


def input_texts(path: str | Path) -> Iterator[tuple[str, str]]:
    """(where, text) for each place of an input file a person would edit: a form's sections,
    a workbook's cells, a CSV's cells, a zip archive's members, else the lines of a text."""
    from medvirk.forms import FORMATS

    path = Path(path)
    suffix = path.suffix.lower()
    try:
        if path.parent.name == "forms" and suffix in FORMATS:
            yield from _form_texts(path)
        elif suffix in (".xlsx", ".xlsm"):
            yield from _cell_texts(path)
        elif suffix in (".csv", ".tsv"):
            yield from _csv_texts(path)
        elif zipfile.is_zipfile(path):
            for member, text in _zip_texts(path):
                yield from ((f"{member}, {w}", t) for w, t in _line_texts(text))
        else:
            yield from _line_texts(_decode(path.read_bytes()))
    except Exception:  # an input we cannot parse is searched as plain text
        for member, text in readable_texts(path):
            prefix = f"{member}, " if member else ""
            yield from ((prefix + w, t) for w, t in _line_texts(text))


def trace_inputs(
    leaks: pd.DataFrame, inputs: Iterable[str | Path], contacts: pd.DataFrame | None = None
) -> dict[tuple[str, str], list[str]]:
    """{(kind, key): ["file, where", ...]}: the places in the inputs that hold each leaked value."""
    wanted = set(zip(leaks["kind"], leaks["key"], strict=True))
    names, owner = contact_values(contacts)
    places: dict[tuple[str, str], list[str]] = {k: [] for k in wanted}
    for path in sorted({str(p) for p in inputs}):
        if not Path(path).is_file():
            continue
        for where, text in input_texts(path):
            for f in findings_in_text(text, names, owner):
                place = f"{path}, {where}"
                if (f.kind, f.key) in places and place not in places[(f.kind, f.key)]:
                    places[(f.kind, f.key)].append(place)
    return places


# --- the check the workflow and `medvirk privacy-scan` run ---------------------------------------


@dataclass
class PrivacyCheck:
    """What the privacy scan found: files checked, leaks, where they came from, files removed."""

    files: list[str]
    leaks: pd.DataFrame
    sources: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    removed: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.leaks.empty

    def message(self, for_disk: bool = False) -> str:
        """The report for the terminal; ``for_disk`` also hides contacts' names in the input
        files' names, for a log that stays under results/."""
        text = leak_report(self.files, self.leaks, self.sources, self.removed)
        return scrub_text(text, (), self.names) if for_disk else text


def check_outputs(
    files: Iterable[str | Path],
    contacts: pd.DataFrame | None = None,
    inputs: Iterable[str | Path] = (),
    remove: bool = True,
) -> PrivacyCheck:
    """Scan the outputs for personal data; on a find, trace each value to the inputs that hold
    it and (with ``remove``) delete every output that holds one, so the leak does not stay on
    disk."""
    files = sorted({str(f) for f in files})
    names = contact_values(contacts)[0]
    leaks = scan_files(files, contacts)
    if leaks.empty:
        return PrivacyCheck(files, leaks, names=names)
    sources = trace_inputs(leaks, inputs, contacts)
    removed = []
    if remove:
        for path in sorted(set(leaks["file"])):
            Path(path).unlink(missing_ok=True)
            removed.append(path)
    return PrivacyCheck(files, leaks, sources, removed, names)


def check_study(
    study: str,
    contacts: pd.DataFrame | None = None,
    root: str | Path = ".",
    skip: Iterable[str | Path] = (),
    remove: bool = True,
) -> PrivacyCheck:
    """The privacy scan of one study: every file under data/processed/<study>/ and
    results/<study>/ (zip members and a report's embedded data included) but those in ``skip``;
    a find is traced to the inputs under data/raw/<study>/. data/private/ is the private store
    and is not scanned."""
    root = Path(root)
    skipped = {str(Path(s)) for s in skip}
    outputs = files_under([root / "data/processed" / study, root / "results" / study])
    files = [p for p in outputs if not {str(p), str(p.relative_to(root))} & skipped]
    return check_outputs(files, contacts, files_under([root / "data/raw" / study]), remove)


def leak_report(
    files: Sequence[str],
    leaks: pd.DataFrame,
    sources: dict[tuple[str, str], list[str]] | None = None,
    removed: Sequence[str] = (),
) -> str:
    """The scan's message, in Norwegian and English: what was found (masked), which input holds
    it, which outputs held it and which were removed. The values are never shown in full."""
    if leaks.empty:
        return (
            f"Personvernkontroll: {len(files)} fil(er) kontrollert; ingen fødselsnummer, "
            "telefonnummer, e-postadresse eller kontaktpersons navn funnet.\n"
            f"Privacy scan: checked {len(files)} file(s); no identity number, phone number, "
            "e-mail address or contact name found.\n"
        )
    sources = sources or {}
    lines = [
        f"Personvernkontrollen STOPPET kjøringen: personopplysninger funnet i "
        f"{leaks['file'].nunique()} fil(er).",
        f"Privacy scan FAILED: personal data found in {leaks['file'].nunique()} file(s).",
        "",
    ]
    for (kind, key), group in leaks.groupby(["kind", "key"], sort=False):
        example = next((e for e in group["example_id"] if e), "")
        of = f" (kontaktperson for/contact for {example})" if example else ""
        lines.append(f"- {KINDS[kind]}: {group['masked'].iloc[0]}{of}")
        places = sources.get((kind, key), [])
        if places:
            lines += [f"    kommer fra/comes from: {place}" for place in places]
        else:
            lines.append(
                "    kommer fra/comes from: ikke funnet i inndataene/not found in the inputs"
            )
        for row in group.itertuples(index=False):
            where = f"{row.file} ({row.member})" if row.member else row.file
            lines.append(f"    funnet i/found in: {where}")
    lines.append("")
    if removed:
        lines.append(
            "Disse filene er slettet, så opplysningene ikke blir liggende / "
            "These files were removed so that the data does not stay on disk:"
        )
        lines += [f"    {path}" for path in removed]
    lines += [
        "Fjern eller rett opplysningen i kildefilen (kommer fra) og kjør på nytt. "
        "Verdiene vises ikke i sin helhet her.",
        "Remove or fix the value in the input it comes from and run again. Values are not "
        "shown in full here.",
    ]
    return "\n".join(lines) + "\n"
