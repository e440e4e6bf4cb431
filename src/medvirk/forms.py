"""Read submitted example forms (appendix 1 of the 2016 report) into one record per submission.

A submission arrives as Word (.docx), PDF, PowerPoint (.pptx), plain text (.txt/.md) or a
structured YAML form. Each reader turns its file into lines of text; one parser then finds
the appendix-1 section labels (Kontaktinformasjon, Overskrift, Mål, Bakgrunn, Utvikling,
Ny praksis, Resultat, Spredning) in those lines, whether the form was filled as a two-column
table (label | answer) or as headings followed by paragraphs. A file without recognisable
sections becomes a ``free_text`` record with its whole text, flagged for the reader.

A file that cannot be read is never fatal here: it becomes a row of ``rejected`` with a
reason, and the other files go on.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from medvirk import privacy
from medvirk.studyfiles import refused_entries as refused_entries
from medvirk.studyfiles import submission_files as submission_files
from medvirk.textnorm import decode_text, nfc

# --- the appendix-1 form ------------------------------------------------------------------

CONTACT_FIELDS: list[tuple[str, str]] = [
    ("name", "Navn på deg som sender inn skjemaet:"),
    ("role", "Rolle:"),
    ("phone", "Telefonnummer:"),
    ("email", "Epost:"),
]

# (key, label as printed on the form, other accepted labels, sub-questions)
SECTIONS: list[tuple[str, str, tuple[str, ...], tuple[str, ...]]] = [
    ("contact", "Kontaktinformasjon", ("Kontaktinfo", "Kontakt", "Contact"), ()),
    ("title", "Overskrift", ("Tittel", "Title"), ("Tema for eksempelet på samarbeid",)),
    ("aim", "Mål", ("Maal", "Aim"), ("Beskriv kort hensikten med eksempelet",)),
    (
        "background",
        "Bakgrunn",
        ("Background",),
        (
            "Hvilken sammenheng foregikk dette i?",
            "Navn på tjeneste, kommune, sykehus, frivillighet eller lignende?",
            "Hvem var involvert?",
            "Beskriv kort hva det var som gjorde at denne nye måten å samarbeide på ble til?",
            "Hvordan har dere erkjent behovet for dette?",
            "Hvordan ble det forankret?",
        ),
    ),
    (
        "development",
        "Utvikling",
        ("Development",),
        (
            "Hvordan ble prosessen planlagt?",
            "Hvordan var brukerne involvert i utviklingsarbeidet og hvordan fikk dere til dette?",
            "Har dere brukt eller utviklet noen metoder eller verktøy? Evt. hvilke, "
            "legg gjerne ved lenke/vedlegg.",
        ),
    ),
    (
        "new_practice",
        "Ny praksis",
        ("New practice",),
        (
            "Hvordan har dere lagt til rette for at brukerne kan medvirke på en ny måte?",
            "Hva gjør dere nå, som dere ikke gjorde før, som involverer brukerne?",
            "Beskriv hva den nye praksisen består av?",
            "Hva er forutsetningene for at det kunne skje?",
            "Benyttes det noen nye prosedyrer, verktøy, metoder, etc.?",
        ),
    ),
    (
        "result",
        "Resultat",
        ("Resultater", "Result"),
        (
            "Hva har den nye praksisen ført til?",
            "Er det gjort undersøkelser/målinger som viser effekt? Dokumentert effekt?",
            "Hvilke resultater har det gitt for brukere, pårørende, ansatte og systemet?",
            "Hvilken betydning har det hatt?",
            "Hva er spesielt bra med dette?",
            "Hva kunne vært bedre?",
            "Har det påvirket kulturen og verdien på noen måte?",
            "Hva har personalet/tjenesten lært av brukerne?",
            "Er det gjennomført noen form for evaluering som kan oppsummeres/vedlegges?",
            "Finnes det noen form for dokumentasjon?",
        ),
    ),
    (
        "spreading",
        "Spredning",
        ("Spreading",),
        (
            "Har dere noen strategi/tiltak for å spre dette videre til andre "
            "avdelinger/etater/tjenester?",
            "Vet dere om andre som har gjort tilsvarende?",
        ),
    ),
]

FORM_TITLE = "Skjema for innsamling av eksempler"
FORM_SUBTITLE = "Eksempel for beskrivelse av godt samarbeid mellom bruker og ansatt"
FORM_INTRO = (
    "Vi samler inn eksempler for å kunne utgi et notat som vil løfte fram god praksis. "
    "Det kan bli behov for å ta kontakt for å få mer informasjon om eksempelet. "
    "Legg gjerne ved vedlegg, lenker eller annet materiale som kan være av interesse "
    "for andre eller for å lære mer om eksempelet."
)
FORM_HELP = (
    "Skriv svarene i høyre kolonne, under spørsmålene. Kontaktinformasjonen brukes bare "
    "til å ta kontakt og holdes utenfor analysen."
)

#: The seven text sections of a record (title first), in form order.
TEXT_SECTIONS: list[str] = [key for key, *_ in SECTIONS if key != "contact"]
SECTION_LABELS: dict[str, str] = {key: label for key, label, *_ in SECTIONS}

RECORD_COLUMNS = [
    "example_id",
    "source_file",
    "format",
    "completeness",
    *TEXT_SECTIONS,
    "free_text",
    "note",
]
REJECTED_COLUMNS = ["file", "reason"]
REPORT_COLUMNS = [
    "example_id",
    "source_file",
    "format",
    "completeness",
    "sections_found",
    "sections_missing",
    *[f"words_{key}" for key in TEXT_SECTIONS],
    "words_free_text",
    "words_total",
]

FORMATS = {
    ".docx": "docx",
    ".pdf": "pdf",
    ".pptx": "pptx",
    ".txt": "text",
    ".md": "text",
    ".yaml": "yaml",
    ".yml": "yaml",
}


class FormError(Exception):
    """A submitted file cannot be read; the message is the reason shown in rejected.csv."""


# --- label matching -----------------------------------------------------------------------


def normalize(text: str) -> str:
    """Casefold and keep letters and digits only, so labels match ignoring case,
    spacing, punctuation and a trailing colon.

    >>> normalize("  Ny  praksis: ") == normalize("NY-PRAKSIS")
    True
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in text if ch.isalnum())


_LABELS: dict[str, str] = {}
_QUESTIONS: dict[str, list[str]] = {}
for _key, _label, _aliases, _questions in SECTIONS:
    for _name in (_label, *_aliases, _key):
        _LABELS[normalize(_name)] = _key
    _QUESTIONS[_key] = [normalize(q) for q in _questions]
_TEMPLATE_LINES = {
    normalize(t)
    for t in (
        FORM_TITLE,
        FORM_SUBTITLE,
        FORM_INTRO,
        FORM_HELP,
        "Vedlegg 1",
        "Vedlegg 1. " + FORM_TITLE,
    )
}
_LEAD = r"^[\s#*_>•·\-–—\d.)]*"


def match_label(line: str) -> tuple[str, str] | None:
    """Return (section key, text after the label) if the line starts a form section.

    A line starts a section when it is the label alone (``Mål``, ``## Mål``, ``**Mål:**``),
    the label with a colon and an answer (``Mål: Bedre samarbeid``), or the label followed by
    one of its printed sub-questions (how a PDF of the table reads).

    >>> match_label("NY PRAKSIS :")
    ('new_practice', '')
    >>> match_label("Mål: Bedre samarbeid")
    ('aim', 'Bedre samarbeid')
    >>> match_label("Målet var å bli bedre") is None
    True
    """
    # A label starts the line, so the patterns look at its head only: their work stays bounded
    # however long the line, and a long answer after "Mål:" is still found.
    head, tail = line[:400], line[400:]
    if not tail:
        whole = normalize(line)
        if whole in _LABELS:
            return _LABELS[whole], ""
    m = re.match(
        _LEAD + r"(?P<label>[^\W\d_][\w\s\-]{0,30}?)\s*[*_]*\s*[:：]\s*(?P<rest>.*)$", head
    )
    if m and normalize(m["label"]) in _LABELS:
        return _LABELS[normalize(m["label"])], (m["rest"] + tail).strip(" *_")
    m = re.match(_LEAD + r"(?P<label>\S+(?:\s\S+)?)\s+(?P<rest>.+)$", head)
    if m:
        for label_part, rest in _split_candidates(m["label"], m["rest"] + tail):
            key = _LABELS.get(normalize(label_part))
            if key and any(normalize(rest).startswith(q[:20]) for q in _QUESTIONS[key]):
                return key, rest.strip()
    return None


def _split_candidates(first: str, rest: str) -> list[tuple[str, str]]:
    words = first.split()
    if len(words) == 2:
        return [(first, rest), (words[0], words[1] + " " + rest)]
    return [(first, rest)]


def _strip_question(line: str, key: str) -> str:
    """Drop a printed sub-question from an answer line, keeping any answer after it."""
    norm = normalize(line)
    if not norm or norm in _QUESTIONS.get(key, ()) or norm in _TEMPLATE_LINES:
        return ""
    flat = " ".join(line.split())
    for _k, _l, _a, questions in SECTIONS:
        if _k != key:
            continue
        for q in questions:
            if flat.casefold().startswith(q.casefold()):
                return flat[len(q) :].strip()
    return line.strip()


# --- readers: file bytes -> lines of text -------------------------------------------------


def read_text_bytes(data: bytes) -> str:
    """Decode a text submission (textnorm.decode_text: UTF-8 with or without BOM, UTF-16 with
    or without BOM as Notepad's «Unicode» saves it, else cp1252, else latin-1), in NFC."""
    if not data.strip(b" \t\r\n\x00\xff\xfe\xef\xbb\xbf"):
        raise FormError("empty file")
    try:
        text, _encoding = decode_text(data)
    except ValueError as exc:
        raise FormError(f"not a text file ({exc}); save it as plain text (UTF-8) or .docx") from exc
    if not text.strip():
        raise FormError("empty file")
    control = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f")
    if control > max(2, len(text) // 50):
        raise FormError("not a text file (contains control characters); save it as plain text")
    return text


def _zip_check(data: bytes, kind: str) -> None:
    from medvirk.limits import LimitError, check_zip

    if not data.strip():
        raise FormError("empty file")
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise FormError(
            f"password-protected or old-style {kind} file; save it without a password as "
            f"{'.docx' if kind == 'Word' else '.pptx'}"
        )
    if not data.startswith(b"PK"):
        raise FormError(f"not a {kind} file (corrupt or wrong extension)")
    try:
        check_zip(data)
    except LimitError as exc:
        raise FormError(str(exc)) from exc


def read_docx(data: bytes) -> list[str]:
    """Lines of a Word document in reading order: paragraphs, and table rows cell by cell."""
    import io

    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    _zip_check(data, "Word")
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:
        raise FormError(f"not a readable Word file ({type(exc).__name__})") from exc
    lines: list[str] = []
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(block, document).text)
        elif tag == "tbl":
            lines.extend(_table_lines(Table(block, document)))
    return lines


def _table_lines(table) -> list[str]:
    """Lines of a Word table, row by row, each cell once.

    python-docx gives a merged cell again for every grid column it spans and for every row of
    a vertical merge; each is read once, where it starts, so a merged label or answer is not
    repeated under the next row's section. A table inside a cell is read in place.
    """
    from docx.table import Table

    lines: list[str] = []
    seen: set = set()  # the cells' <w:tc> elements, kept alive so identity stays meaningful
    for row in table.rows:
        for cell in row.cells:
            if cell._tc in seen:
                continue
            seen.add(cell._tc)
            for item in cell.iter_inner_content():
                lines.extend(_table_lines(item) if isinstance(item, Table) else [item.text])
    return lines


def read_pdf(data: bytes) -> list[str]:
    """Lines of the text layer of a PDF."""
    import io
    import logging

    import pypdf

    if not data.strip():
        raise FormError("empty file")
    if not data.lstrip().startswith(b"%PDF"):
        raise FormError("not a PDF file (corrupt or wrong extension)")
    from medvirk.limits import MAX_PDF_PAGES

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise FormError("password-protected PDF; send it without a password")
        if len(reader.pages) > MAX_PDF_PAGES:
            raise FormError(
                f"PDF-en har {len(reader.pages)} sider; grensen er {MAX_PDF_PAGES}. Send selve "
                f"skjemaet / the PDF has {len(reader.pages)} pages; the limit is "
                f"{MAX_PDF_PAGES}. Send the form itself"
            )
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
    except FormError:
        raise
    except Exception as exc:
        raise FormError(f"not a readable PDF ({type(exc).__name__})") from exc
    if not text.strip():
        raise FormError("PDF has no text layer (scanned image?); send the Word file instead")
    return text.splitlines()


def read_pptx(data: bytes) -> list[str]:
    """Lines of a presentation: text boxes and tables, slide by slide."""
    import io

    import pptx

    _zip_check(data, "PowerPoint")
    try:
        presentation = pptx.Presentation(io.BytesIO(data))
        lines: list[str] = []
        for slide in presentation.slides:
            for shape in slide.shapes:
                if getattr(shape, "has_text_frame", False) and shape.has_text_frame:
                    lines.extend(p.text for p in shape.text_frame.paragraphs)
                if getattr(shape, "has_table", False) and shape.has_table:
                    for row in shape.table.rows:
                        for cell in row.cells:
                            lines.extend(p.text for p in cell.text_frame.paragraphs)
            if slide.has_notes_slide:
                lines.extend(slide.notes_slide.notes_text_frame.text.splitlines())
    except Exception as exc:
        raise FormError(f"not a readable PowerPoint file ({type(exc).__name__})") from exc
    return lines


def read_yaml(data: bytes) -> list[str]:
    """Lines of a structured YAML form: each key becomes a label line, its value the answer."""
    import yaml

    from medvirk.limits import LimitError, safe_yaml

    text = read_text_bytes(data)
    try:
        doc = safe_yaml(text)
    except LimitError as exc:
        raise FormError(str(exc)) from exc
    except yaml.YAMLError as exc:
        raise FormError(f"not valid YAML ({type(exc).__name__})") from exc
    if not isinstance(doc, dict):
        raise FormError("YAML is not a form: expected 'section: answer' pairs")
    lines: list[str] = []
    known = 0
    for key, value in doc.items():
        section = _LABELS.get(normalize(str(key)))
        if section is None:
            continue
        known += 1
        lines.append(f"{SECTION_LABELS[section]}:")
        lines.extend(_yaml_value_lines(value, section))
    if not known:
        raise FormError("YAML has none of the form's sections (Overskrift, Mål, Bakgrunn, ...)")
    return lines


def _yaml_value_lines(value: object, section: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, dict):
        out = []
        for k, v in value.items():
            if section == "contact":
                out.append(f"{k}: {'' if v is None else v}")
            else:  # sub-question: answer
                out.extend(_yaml_value_lines(v, section))
        return out
    if isinstance(value, list):
        return [line for v in value for line in _yaml_value_lines(v, section)]
    return str(value).splitlines()


READERS = {"docx": read_docx, "pdf": read_pdf, "pptx": read_pptx, "yaml": read_yaml}


def read_lines(data: bytes, fmt: str) -> list[str]:
    """Lines of text (in Unicode NFC) of a submission in the given format; raises FormError if
    unreadable."""
    if fmt == "text":
        return read_text_bytes(data).splitlines()
    # Line breaks inside a paragraph or cell (Shift+Enter) separate lines too.
    return [nfc(line) for block in READERS[fmt](data) for line in str(block).splitlines() or [""]]


# --- lines -> sections and contact --------------------------------------------------------


@dataclass
class ParsedForm:
    """What the parser found in one submission, before scrubbing."""

    sections: dict[str, str] = field(default_factory=dict)  # key -> answer text
    labels_found: list[str] = field(default_factory=list)
    contact: dict[str, str] = field(default_factory=dict)
    contact_text: str = ""  # the contact section as written
    other_text: str = ""  # text outside any section (all of it for free text)


def parse_lines(lines: list[str]) -> ParsedForm:
    """Split lines into the form's sections by their labels; strip printed sub-questions."""
    parsed = ParsedForm()
    current: str | None = None
    bucket: dict[str, list[str]] = {}
    other: list[str] = []
    for raw in lines:
        line = raw.replace("\u00a0", " ").rstrip()
        hit = match_label(line) if line.strip() else None
        if hit:
            current, rest = hit
            if current not in parsed.labels_found:
                parsed.labels_found.append(current)
            bucket.setdefault(current, [])
            if rest:
                bucket[current].append(
                    rest if current == "contact" else _strip_question(rest, current)
                )
            continue
        if current is None:
            if normalize(line) not in _TEMPLATE_LINES:
                other.append(line)
        else:
            bucket[current].append(line if current == "contact" else _strip_question(line, current))
    contact_lines = bucket.pop("contact", [])
    parsed.contact = parse_contact(contact_lines)
    parsed.contact_text = _tidy(contact_lines)
    for key, answer in bucket.items():
        parsed.sections[key] = _tidy(answer)
    parsed.other_text = _tidy(other)
    return parsed


def _tidy(lines: list[str]) -> str:
    """Join lines, dropping leading/trailing blanks and runs of blank lines."""
    out: list[str] = []
    for line in lines:
        line = line.strip()
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


_CONTACT_KEYS = [
    ("name", ("navn", "name", "kontaktperson")),
    ("role", ("rolle", "role", "stilling")),
    ("phone", ("telefon", "tlf", "mobil", "phone")),
    ("email", ("epost", "email", "mail")),
]


def _contact_key(label: str) -> str | None:
    norm = normalize(label)
    for key, prefixes in _CONTACT_KEYS:
        if any(norm.startswith(p) for p in prefixes):
            return key
    return None


def parse_contact(lines: list[str]) -> dict[str, str]:
    """Contact fields from lines like ``Rolle: Rådgiver`` (value may be on the next line).

    A name given with the role on one line is split: ``Kontaktperson: Lise Berg, prosjektleder``
    gives the name «Lise Berg» and, if no role is given apart, the role «prosjektleder».

    >>> parse_contact(["Kontaktperson: Lise Berg, prosjektleder"])
    {'name': 'Lise Berg', 'role': 'prosjektleder'}
    """
    contact: dict[str, str] = {}
    pending: str | None = None
    for line in lines:
        line = line.strip()
        if not line:
            continue
        label, sep, value = line.partition(":")
        key = _contact_key(label) if sep else None
        if key:
            pending = None
            if value.strip():
                contact.setdefault(key, value.strip())
            else:
                pending = key
        elif pending:
            contact.setdefault(pending, line)
            pending = None
        elif "name" not in contact and privacy.looks_like_name(line.split(",")[0]):
            contact["name"] = line
    if contact.get("name"):
        name, role = privacy.split_name_role(contact["name"])
        contact["name"] = name
        if role and not contact.get("role"):
            contact["role"] = role
    return contact


# --- records ------------------------------------------------------------------------------


def example_id(lines: list[str]) -> str:
    """Stable id from the submission's text: same text, same id, whatever else is added.

    >>> example_id(["Mål:", "Bedre  samarbeid"]) == example_id(["Mål:", "Bedre samarbeid "])
    True
    """
    text = "\n".join(" ".join(line.split()) for line in lines if line.strip())
    return "ex-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]


def build_record(source_file: str, fmt: str, lines: list[str]) -> tuple[dict, dict[str, str]]:
    """One unscrubbed record and its contact fields from the lines of a submission."""
    if not any(line.strip() for line in lines):
        raise FormError("no text found in the file")
    parsed = parse_lines(lines)
    answered = [key for key in TEXT_SECTIONS if parsed.sections.get(key)]
    record = {col: "" for col in RECORD_COLUMNS}
    record.update(example_id=example_id(lines), source_file=source_file, format=fmt)
    record.update({key: parsed.sections.get(key, "") for key in TEXT_SECTIONS})
    if not [key for key in parsed.labels_found if key != "contact"]:
        record["completeness"] = "free_text"
        record["free_text"] = _tidy(lines)
        record["title"] = next(line.strip() for line in lines if line.strip())[:200]
        record["note"] = "no form sections recognised: read the whole text in free_text"
    else:
        missing = [SECTION_LABELS[k] for k in TEXT_SECTIONS if k not in answered]
        record["completeness"] = "form" if not missing else "partial"
        record["free_text"] = parsed.other_text
        notes = ["missing: " + ", ".join(missing)] if missing else []
        # A title is one line. More text in the title's place (a second paragraph, an extra
        # table column) is kept in free_text under the label instead of lengthening the title.
        title, *rest = record["title"].split("\n") if record["title"] else [""]
        rest = _tidy(rest)
        if rest:
            record["title"] = title
            extra = f"{SECTION_LABELS['title']}: {rest}"
            record["free_text"] = "\n\n".join(t for t in (record["free_text"], extra) if t)
            notes.append("more than one line under Overskrift: the rest is in free_text")
        record["note"] = "; ".join(notes)
    return record, parsed.contact


def report_row(record: dict) -> dict:
    """Sections found and missing, and word counts, for one record."""
    row = {col: record[col] for col in ("example_id", "source_file", "format", "completeness")}
    found = [SECTION_LABELS[k] for k in TEXT_SECTIONS if record[k]]
    row["sections_found"] = "; ".join(found)
    row["sections_missing"] = "; ".join(SECTION_LABELS[k] for k in TEXT_SECTIONS if not record[k])
    total = 0
    for key in [*TEXT_SECTIONS, "free_text"]:
        n = len(str(record[key]).split())
        row[f"words_{key}"] = n
        total += n
    row["words_total"] = total
    return row


@dataclass
class IngestResult:
    """Tables from one batch of submissions (records are already scrubbed).

    ``notices`` (medvirk.notices.Notice) announce in the run summary what changed the examples
    without stopping the run: files not read, sections cut to MAX_SECTION_CHARS.
    """

    records: pd.DataFrame
    rejected: pd.DataFrame
    report: pd.DataFrame
    contacts: pd.DataFrame
    notices: list = field(default_factory=list)


def _refusal(path: Path) -> str:
    """Why an entry of the forms folder is not read (Bokmål / English)."""
    if path.is_symlink():
        return (
            "en snarvei (symbolsk lenke) leses ikke, for den kan peke ut av studien; legg selve "
            "filen i forms/ / a symbolic link is not read, as it can point outside the study; "
            "put the file itself in forms/"
        )
    if path.is_dir():
        return (
            "en mappe leses ikke; legg skjemaene rett i forms/ / a folder is not read; put the "
            "forms directly in forms/"
        )
    return "ikke en vanlig fil / not a regular file"


def ingest(
    paths: list[str | Path], scrub: bool = True, refused: list[str | Path] = ()
) -> IngestResult:
    """Read every submission; unreadable ones go to ``rejected`` with a reason.

    Records and report carry scrubbed text only; contact details go to ``contacts``.
    ``scrub=False`` (config ``privacy.scrub: false``) exists only to show that the privacy scan
    stops the run when personal data reaches an output; never use it for real work.
    ``refused`` are entries of the forms folder that are not read at all (symbolic links,
    folders; :func:`refused_entries`); they are listed in ``rejected`` too. A file over
    ``medvirk.limits.MAX_FILE_BYTES`` is rejected unread; a section longer than
    ``MAX_SECTION_CHARS`` is cut, with a note in the record and a notice.
    """
    from medvirk import privacy
    from medvirk.limits import LimitError, check_file_size

    records, rejected, contacts = [], [], []
    paths_by_name: dict[str, str] = {}
    for path in (Path(p) for p in refused):
        rejected.append({"file": nfc(path.name), "reason": _refusal(path)})
        paths_by_name[nfc(path.name)] = str(path)
    seen: dict[str, str] = {}
    for path in sorted((Path(p) for p in paths), key=lambda p: nfc(p.name)):
        name = nfc(path.name)
        paths_by_name[name] = str(path)
        fmt = FORMATS.get(path.suffix.lower())
        try:
            if path.is_symlink() or not path.is_file():
                raise FormError(_refusal(path))
            if name.startswith("~$"):
                raise FormError("Office lock file left by an open document; not a submission")
            if fmt is None:
                raise FormError(
                    f"unsupported format '{path.suffix or 'no extension'}': "
                    "send .docx, .pdf, .pptx, .txt, .md or .yaml"
                )
            try:
                check_file_size(path)
                data = path.read_bytes()
            except LimitError as exc:
                raise FormError(str(exc)) from exc
            except OSError as exc:
                raise FormError(f"cannot open the file ({exc.strerror or exc})") from exc
            lines = read_lines(data, fmt)
            record, contact = build_record(name, fmt, lines)
        except FormError as exc:
            rejected.append({"file": name, "reason": str(exc)})
            continue
        except Exception as exc:  # a reader bug must not stop the batch
            rejected.append({"file": name, "reason": f"unreadable ({type(exc).__name__})"})
            continue
        if record["example_id"] in seen:
            rejected.append(
                {"file": name, "reason": f"same content as {seen[record['example_id']]}"}
            )
            continue
        seen[record["example_id"]] = name
        records.append(record)
        contacts.append(privacy.contact_row(record["example_id"], contact, lines))
    all_names = [name for c in contacts for name in privacy.split_names(c["name"])]
    if scrub:
        records = [
            privacy.scrub_record(record, contact, all_names)
            for record, contact in zip(records, contacts, strict=True)
        ]
        rejected = [
            {**row, "file": privacy.scrub_text(row["file"], (), all_names)} for row in rejected
        ]
    notices = []
    for record in records:
        notices += cut_long_sections(record, paths_by_name.get(record["source_file"], ""))
    reports = [report_row(record) for record in records]
    rejected.sort(key=lambda row: row["file"])
    notices += [_rejected_notice(paths_by_name.get(row["file"], row["file"])) for row in rejected]
    return IngestResult(
        records=pd.DataFrame(records, columns=RECORD_COLUMNS),
        rejected=pd.DataFrame(rejected, columns=REJECTED_COLUMNS),
        report=pd.DataFrame(reports, columns=REPORT_COLUMNS),
        contacts=pd.DataFrame(contacts, columns=privacy.CONTACT_COLUMNS),
        notices=notices,
    )


def cut_long_sections(record: dict, file: str = "") -> list:
    """Cut every text of `record` longer than MAX_SECTION_CHARS, in place; one notice for each.

    The cut text ends with a mark saying where to read the rest, and the record's ``note``
    says what was cut, so coders and researchers see it; the form is still ingested. `file` is
    the form's path for the notice.
    """
    from medvirk.limits import MAX_SECTION_CHARS, cut_text, format_count
    from medvirk.notices import Notice

    notices, notes = [], []
    for key in [*TEXT_SECTIONS, "free_text"]:
        text = str(record.get(key, ""))
        if len(text) <= MAX_SECTION_CHARS:
            continue
        label = SECTION_LABELS.get(key, "Fritekst")
        kept = cut_text(text, MAX_SECTION_CHARS)
        (nb_from, en_from), (nb_to, en_to) = format_count(len(text)), format_count(len(kept))
        nb_limit, en_limit = format_count(MAX_SECTION_CHARS)
        record[key] = (
            f"{kept} […] (forkortet, les resten i / cut, read the rest in {record['source_file']})"
        )
        notes.append(f"{label} cut to {en_to} of {en_from} characters")
        notices.append(
            Notice(
                effect="input",
                step="ingest_forms",
                kind="section_truncated",
                file=file or record["source_file"],
                where=label,
                nb=f"Teksten er forkortet fra {nb_from} til {nb_to} tegn (grensen er {nb_limit} "
                "per del av skjemaet); koderne ser bare starten og leser resten i skjemaet selv.",
                en=f"The text was cut from {en_from} to {en_to} characters (the limit is "
                f"{en_limit} per section of the form); coders see only its start and read the "
                "rest in the form itself.",
            )
        )
    if notes:
        cut = "; ".join(notes) + f": read the rest in {record['source_file']}"
        record["note"] = f"{record['note']}; {cut}" if record.get("note") else cut
    return notices


def _rejected_notice(file: str):
    """The run summary's line for a file in rejected.csv: it is not among the examples."""
    from medvirk.notices import Notice

    return Notice(
        effect="count",
        step="ingest_forms",
        kind="form_rejected",
        file=file,
        where="",
        nb="Filen ble ikke lest og er ikke med blant eksemplene; grunnen står i "
        "ingest/rejected.csv.",
        en="The file was not read and is not among the examples; the reason is in "
        "ingest/rejected.csv.",
    )


# --- the blank form -----------------------------------------------------------------------


def write_form_template(path: str | Path) -> Path:
    """Write the blank appendix-1 form as a two-column Word table (label | questions)."""
    import docx

    path = Path(path)
    document = docx.Document()
    document.core_properties.author = "medvirk"
    document.add_heading(FORM_TITLE, level=1)
    document.add_paragraph(FORM_INTRO)
    document.add_paragraph(FORM_HELP)
    document.add_heading(FORM_SUBTITLE, level=2)
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for key, label, _aliases, questions in SECTIONS:
        cells = table.add_row().cells
        cells[0].text = label
        prompts = [text for _k, text in CONTACT_FIELDS] if key == "contact" else list(questions)
        cells[1].text = prompts[0]
        for prompt in prompts[1:]:
            cells[1].add_paragraph(prompt)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def next_steps(
    study: str, records: pd.DataFrame, rejected: pd.DataFrame, coders: Sequence[str] = ()
) -> str:
    """What the coders do next, for a study whose forms are ingested but not yet coded.

    `coders` are the configured coders; each has a coding sheet to be sent out.
    """
    lines = [
        f"# Study {study}: forms ingested, waiting for codings",
        "",
        f"{len(records)} example(s) ingested into `data/processed/{study}/examples_ingested.csv`; "
        f"{len(rejected)} file(s) could not be read (`results/{study}/ingest/rejected.csv`).",
        "",
        "Agreement between coders, merged factors and tables wait for codings: each coder "
        f"codes the examples below and puts the coding file in `data/raw/{study}/codings/`, "
        f"using the factors in `data/raw/{study}/codebook/`. Then run the workflow again.",
        "",
    ]
    if coders:
        lines += [
            "Send each coder their coding sheet (one row per example below), and put the "
            f"returned file in `data/raw/{study}/codings/` under the same name:",
            "",
            *[f"- `results/{study}/coding_sheets/{coder}.xlsx`" for coder in coders],
            "",
        ]
    else:
        lines += [
            "No coding sheets were written: list the coders in `coding.coders` "
            f"(`data/raw/{study}/study.yaml`, with `coding.enabled: true`), or hand in REFI-QDA "
            "projects (.qdpx).",
            "",
        ]
    lines += [
        "Examples marked free_text or partial need a careful read: the form was not filled "
        "completely (see `note` in the examples table and `results/{study}/ingest/report.csv`).",
        "",
        "| example_id | completeness | title |",
        "| --- | --- | --- |",
    ]
    for row in records.fillna("").itertuples(index=False):
        title = " ".join(str(row.title).split()).replace("|", "/")
        lines.append(f"| {row.example_id} | {row.completeness} | {title} |")
    return "\n".join(lines).replace("{study}", study) + "\n"


# --- examples to code ---------------------------------------------------------------------

#: Columns of ``examples.csv`` derived from the ingested forms. The form asks for no municipality,
#: institution or level, so those stay empty; ``text`` is what the coding sheet shows.
EXAMPLE_COLUMNS = [
    "example_id",
    "municipality",
    "institution",
    *TEXT_SECTIONS,
    "free_text",
    "text",
    "level",
    "completeness",
    "source_file",
    "material_note",
]
#: Excel keeps at most 32,767 characters in a cell; longer texts are cut with a pointer to the form.
CELL_LIMIT = 32_000


def form_text(record: dict) -> str:
    """The whole answer of a form as one text: each answered section under its label."""
    parts = [
        f"{SECTION_LABELS[key]}: {record[key]}"
        for key in TEXT_SECTIONS
        if key != "title" and str(record.get(key, "")).strip()
    ]
    if str(record.get("free_text", "")).strip():
        parts.append(str(record["free_text"]))
    text = "\n\n".join(parts)
    if len(text) > CELL_LIMIT:
        text = text[:CELL_LIMIT] + f" … (forkortet; les resten i {record.get('source_file', '')})"
    return text


def examples_from_forms(records: pd.DataFrame) -> pd.DataFrame:
    """The examples to code in a new round: one row per ingested (already scrubbed) form.

    Keeps the form's sections for the REFI-QDA export, adds ``text`` (all sections under their
    labels) for the coding sheet, and ``material_note`` from the ingest note. ``municipality``,
    ``institution`` and ``level`` are empty: the form does not ask for them.
    """
    rows = []
    for record in records.fillna("").astype(str).to_dict("records"):
        row = {col: record.get(col, "") for col in EXAMPLE_COLUMNS}
        row["text"] = form_text(record)
        row["material_note"] = record.get("note", "")
        rows.append(row)
    out = pd.DataFrame(rows, columns=EXAMPLE_COLUMNS)
    return out.sort_values("example_id", kind="stable").reset_index(drop=True)
