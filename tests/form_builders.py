"""Build filled-in appendix-1 forms in every submitted format, in code (no binary fixtures)."""

from __future__ import annotations

from pathlib import Path

import yaml

CONTACT = {
    "name": "Kari Nordmann",
    "role": "Rådgiver fagstab levekår",
    "phone": "+47 912 34 567",
    "email": "kari.nordmann@eksempel.kommune.no",
}

ANSWERS = {
    "title": "Brukerråd i rusomsorgen på Ålesund",
    "aim": "Å gi brukerne en stemme i planleggingen av tjenestene.",
    "background": "Tjenesten hadde få møteplasser med brukerne. Kari Nordmann tok initiativet.",
    "development": "Vi planla prosessen sammen med erfaringskonsulenter over tre måneder.",
    "new_practice": "Brukerrådet møtes hver måned og gir råd om nye tiltak.",
    "result": "Flere brukere sier at de blir hørt. Ring 22 33 44 55 for rapporten.",
    "spreading": "Vi deler erfaringene med nabokommunene; skriv til post@eksempel.no.",
}

LABELS = [
    ("title", "Overskrift"),
    ("aim", "Mål"),
    ("background", "Bakgrunn"),
    ("development", "Utvikling"),
    ("new_practice", "Ny praksis"),
    ("result", "Resultat"),
    ("spreading", "Spredning"),
]


def contact_lines(contact: dict = CONTACT) -> list[str]:
    return [
        f"Navn på deg som sender inn skjemaet: {contact['name']}",
        f"Rolle: {contact['role']}",
        f"Telefonnummer: {contact['phone']}",
        f"Epost: {contact['email']}",
    ]


def heading_lines(answers: dict = ANSWERS, contact: dict = CONTACT) -> list[tuple[str, bool]]:
    """(text, is_heading) lines of a form written as headings followed by paragraphs."""
    out = [("Kontaktinformasjon", True)] + [(line, False) for line in contact_lines(contact)]
    for key, label in LABELS:
        if key in answers:
            out += [(label + ":", True), (answers[key], False)]
    return out


def write_table_docx(path: Path, answers: dict = ANSWERS, contact: dict = CONTACT) -> Path:
    """The two-column layout: label | answer (as most people fill the form)."""
    import docx

    document = docx.Document()
    document.add_paragraph("Skjema for innsamling av eksempler")
    table = document.add_table(rows=0, cols=2)
    cells = table.add_row().cells
    cells[0].text = "Kontaktinfor-masjon"
    cells[1].text = "\n".join(contact_lines(contact))
    for key, label in LABELS:
        if key in answers:
            cells = table.add_row().cells
            cells[0].text = label.upper() if key == "aim" else label
            cells[1].text = answers[key]
    document.save(str(path))
    return path


def write_heading_docx(path: Path, answers: dict = ANSWERS, contact: dict = CONTACT) -> Path:
    import docx

    document = docx.Document()
    for text, is_heading in heading_lines(answers, contact):
        if is_heading:
            document.add_heading(text, level=2)
        else:
            document.add_paragraph(text)
    document.save(str(path))
    return path


def write_pdf(path: Path, answers: dict = ANSWERS, contact: dict = CONTACT) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    y = 800
    for text, is_heading in heading_lines(answers, contact):
        c.setFont("Helvetica-Bold" if is_heading else "Helvetica", 11)
        c.drawString(50, y, text)
        y -= 18
        if y < 60:
            c.showPage()
            y = 800
    c.save()
    return path


def write_pptx(path: Path, text: list[str] | None = None) -> Path:
    """A presentation without form labels: ingests as free text."""
    import pptx
    from pptx.util import Inches

    lines = text or [
        "Brukerstyrte plasser i psykisk helsevern",
        "Pasientene bestiller selv innleggelse.",
        "Kontakt: Ola Hansen, ola.hansen@sykehus.no, tlf 98 76 54 32",
    ]
    presentation = pptx.Presentation()
    slide = presentation.slides.add_slide(presentation.slide_layouts[5])
    slide.shapes.title.text = lines[0]
    box = slide.shapes.add_textbox(Inches(1), Inches(2), Inches(8), Inches(3))
    box.text_frame.text = lines[1]
    for line in lines[2:]:
        box.text_frame.add_paragraph().text = line
    presentation.save(str(path))
    return path


def write_txt(path: Path, encoding: str = "cp1252") -> Path:
    text = (
        "Kontaktinformasjon\n"
        "Navn: Åse Øvrebø\nRolle: Erfaringskonsulent\nTelefonnummer: 004790011223\n"
        "Epost: ase@helse.no\n\n"
        "Overskrift: Erfaringskonsulent på sengepost\n"
        "Mål: Bruke erfaringskompetanse i behandlingen.\n"
        "Bakgrunn: Pårørende og brukere ønsket det.\n"
        "Resultat: Færre tvangsinnleggelser.\n"
    )
    path.write_bytes(text.encode(encoding))
    return path


def write_yaml(path: Path) -> Path:
    doc = {
        "Kontaktinformasjon": {
            "Navn": "Per Olsen",
            "Rolle": "Leder",
            "Telefonnummer": "45 67 89 01",
            "Epost": "per.olsen@frivillig.no",
        },
        "Overskrift": "Likepersoner i frivilligheten",
        "Mål": "Styrke likepersonsarbeidet.",
        "Bakgrunn": {"Hvem var involvert?": "Brukerorganisasjonen og kommunen."},
        "Utvikling": ["Workshops", "Felles plan"],
        "Ny praksis": "Faste likepersonsvakter.",
        "Resultat": "Godt mottatt.",
        "Spredning": "Til nabokommunen.",
    }
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def write_all_formats(folder: Path) -> dict[str, Path]:
    """One readable form per format, plus broken files; returns name -> path."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "table": write_table_docx(folder / "skjema_tabell.docx"),
        "heading": write_heading_docx(
            folder / "skjema_overskrifter.docx",
            answers={**ANSWERS, "title": "Brukerpanel i sykehjem"},
            contact={**CONTACT, "name": "Nils Berg", "email": "nils@berg.no"},
        ),
        "pdf": write_pdf(
            folder / "skjema.pdf",
            answers={**ANSWERS, "title": "Medforskning i barnevernet"},
            contact={**CONTACT, "name": "Liv Strand", "phone": "51 33 53 04"},
        ),
        "pptx": write_pptx(folder / "presentasjon.pptx"),
        "txt": write_txt(folder / "kort.txt"),
        "yaml": write_yaml(folder / "strukturert.yaml"),
    }
    (folder / "ødelagt.docx").write_bytes(b"PK\x03\x04 this is not really a zip")
    (folder / "tom.pdf").write_bytes(b"")
    (folder / "kryptert.pdf").write_bytes(_encrypted_pdf())
    return files


def _encrypted_pdf() -> bytes:
    import io

    import pypdf

    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt(user_password="hemmelig", owner_password="hemmelig")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def write_merged_table_docx(path: Path, answers: dict = ANSWERS, contact: dict = CONTACT) -> Path:
    """A three-column form table as people make them in Word: merged cells and an extra column.

    The contact and «Utvikling» answers span the answer and extra columns; «Bakgrunn» is one
    label cell merged over two rows, its answer in two; a note in the extra column spans the
    rows from «Ny praksis» to «Spredning»; the title row has a remark in the extra column.
    """
    import docx

    document = docx.Document()
    document.add_paragraph("Skjema for innsamling av eksempler")
    table = document.add_table(rows=0, cols=3)

    def row(*values):
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=False):
            cell.text = value
        return cells

    contact_row = row("Kontaktinformasjon", "\n".join(contact_lines(contact)))
    contact_row[1].merge(contact_row[2])
    row("Overskrift", answers["title"], "Utkast nr. 2")
    row("Mål", answers["aim"])
    first, second = answers["background"].split(". ", 1)
    top = row("Bakgrunn", first + ".")
    below = row("", second)
    top[0].merge(below[0])
    development = row("Utvikling", answers["development"])
    development[1].merge(development[2])
    note = row("Ny praksis", answers["new_practice"], "Se vedlegget.")
    row("Resultat", answers["result"])
    last = row("Spredning", answers["spreading"])
    note[2].merge(last[2])
    document.save(str(path))
    return path
