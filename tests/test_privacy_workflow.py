"""End to end: personal data in a round's forms and coders' notes never reaches an output.

The forms carry a fødselsnummer, a D-nummer, phone numbers written with dashes, dots and +47,
an e-mail address written «lise (at) helse-vest.no» and a contact given on one line
(«Kontaktperson: Lise Berg, prosjektleder») whose name recurs in another form; the coders'
notes carry more of the same. After the round (coding sheets, codings, report) none of it is
anywhere under data/processed/ or results/, inside .xlsx, .qdpx and the report's embedded data
included. With scrubbing switched off, the privacy scan stops the run, names the input cell and
form section, and deletes the outputs that held the values.
"""

import re
import subprocess
from pathlib import Path

import docx
import pandas as pd
import pytest

from tests.output_texts import output_texts
from tests.test_privacy import D_NUMBER, FNR
from tests.workflow_runs import BIN, hand_in, new_round, round_sheet, snakemake

STUDY = "round3"
RAW = f"data/raw/{STUDY}"
CONFIG = """\
coding:
  coders: [anne, bo]
  bootstrap_replicates: 20
"""

# What each input carries, as written there.
FORM_TABLE = {
    "Kontaktinformasjon": "Kontaktperson: Lise Berg, prosjektleder",
    "Overskrift": "Brukerråd i Sandnes",
    "Mål": "Brukerne skal bli hørt.",
    "Bakgrunn": f"En pasient (fnr. {FNR[:6]} {FNR[6:]}) ba om det.",
    "Resultat": "Ring 934-56-789 eller sentralbordet 22.33.44.66 for rapporten.",
    "Spredning": "Skriv til lise (at) helse-vest.no for mer.",
}
FORM_TEXT = (
    "Kontaktinformasjon\nNavn: Per Olsen\nRolle: Leder\n\n"
    "Overskrift: Likepersoner i Stavanger\n"
    "Mål: Bruke erfaring.\n"
    "Bakgrunn: Lise Berg fra Sandnes delte erfaringene sine.\n"
    f"Resultat: Ring +47 998 87 765. D-nummer {D_NUMBER} fikk tilbud.\n"
)
NOTES = {
    "anne": "Trygg bolig; ring Lise Berg på +47 998 87 765",
    "bo": f"Fast kontakt; pasient {FNR}; lise [at] helse-vest [dot] no",
}
# Found with spaces, dots and dashes taken out of what a file holds (so any way of writing them).
DIGITS = [FNR, D_NUMBER, "93456789", "22334466", "99887765"]
WORDS = ["lise berg", "lise (at)", "lise [at]", "Per Olsen"]

pytestmark = pytest.mark.e2e


def _snakemake(project: Path, *args: str, configs=("config/round.yaml",)):
    return snakemake(project, *args, study=STUDY, configfiles=configs)


def _table_form(path: Path) -> None:
    document = docx.Document()
    table = document.add_table(rows=0, cols=2)
    for label, answer in FORM_TABLE.items():
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, answer
    document.save(str(path))


def _fill_sheets(project: Path) -> dict[str, str]:
    """Both coders mark F01 everywhere and write a note in the first row; returns the cell of
    each coder's note."""
    cells = {}
    for coder in ("anne", "bo"):
        sheet = round_sheet(project, STUDY, coder)
        for position in range(len(sheet.rows)):
            sheet.put(position, "F01", "x")
            sheet.put(position, "ladder_step", 2)
        note = sheet.put(0, "other_factors", NOTES[coder])
        cells[coder] = note.coordinate
        hand_in(sheet, project, STUDY, coder)
    return cells


def _personal_data_in(project: Path) -> list[tuple[str, str]]:
    found = []
    for folder in (f"data/processed/{STUDY}", f"results/{STUDY}"):
        for path in sorted((project / folder).rglob("*")):
            if not path.is_file():
                continue
            for text in output_texts(path):
                flat = re.sub(r"[\s.\-\u00a0]", "", text)
                found += [(str(path), d) for d in DIGITS if d in flat]
                found += [(str(path), w) for w in WORDS if w.casefold() in text.casefold()]
    return found


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("privacy")
    forms = new_round(root, STUDY, config=CONFIG)
    (root / "config/noscrub.yaml").write_text("privacy:\n  scrub: false\n")
    _table_form(forms / "sandnes.docx")
    (forms / "stavanger.txt").write_text(FORM_TEXT, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def finished(project):
    sheets = _snakemake(project)
    assert sheets.returncode == 0, sheets.stderr[-3000:]
    cells = _fill_sheets(project)
    coded = _snakemake(project)
    assert coded.returncode == 0, coded.stderr[-3000:]
    report = _snakemake(project, "--report", f"results/{STUDY}/report.html")
    assert report.returncode == 0, report.stderr[-3000:]
    scan = subprocess.run(
        [str(BIN / "medvirk"), "privacy-scan", STUDY], cwd=project, capture_output=True, text=True
    )
    return cells, scan


def test_the_one_line_contact_is_split_into_name_and_role(project, finished):
    contacts = pd.read_csv(project / f"data/private/{STUDY}/contacts.csv", dtype=str)
    sandnes = contacts[contacts["name"] == "Lise Berg"]
    assert sandnes["role"].tolist() == ["prosjektleder"]


def test_no_personal_data_anywhere_under_processed_or_results(project, finished):
    _, scan = finished
    assert scan.returncode == 0, scan.stderr
    assert (project / f"results/{STUDY}/report.html").is_file()
    assert (project / f"results/{STUDY}/export/{STUDY}.qdpx").is_file()
    assert _personal_data_in(project) == []
    examples = pd.read_csv(project / f"data/processed/{STUDY}/examples.csv", dtype=str)
    text = " ".join(examples["text"])
    for placeholder in ("[fødselsnummer fjernet]", "[telefon fjernet]", "[e-post fjernet]"):
        assert placeholder in text
    assert "[navn fjernet] fra Sandnes" in text  # another form's contact, named in this one
    suggestions = pd.read_csv(project / f"results/{STUDY}/merge/suggestions.csv", dtype=str)
    assert "ring [navn fjernet] på [telefon fjernet]" in set(suggestions["text"])
    assert "[e-post fjernet]" in set(suggestions["text"])
    assert (
        "Personvernkontroll: " in (project / f"results/{STUDY}/privacy/leak_scan.txt").read_text()
    )


def test_without_scrubbing_the_scan_names_the_input_and_removes_the_outputs(project, finished):
    cells, _ = finished
    run = _snakemake(project, configs=("config/round.yaml", "config/noscrub.yaml"))
    assert run.returncode != 0
    message = run.stderr
    assert "Privacy scan FAILED" in message and "privacy.scrub is false" in message
    assert f"{RAW}/codings/bo.xlsx, ark/sheet «Koding», celle/cell {cells['bo']}" in message
    assert f"{RAW}/codings/anne.xlsx, ark/sheet «Koding», celle/cell {cells['anne']}" in message
    assert f"{RAW}/forms/sandnes.docx, del/section «Bakgrunn»" in message
    assert f"{RAW}/forms/sandnes.docx, del/section «Resultat»" in message
    assert f"{RAW}/forms/sandnes.docx, del/section «Kontaktinformasjon»" in message
    assert f"{RAW}/forms/stavanger.txt, del/section «Resultat»" in message
    assert "934-**-***" in message and re.search(r"01\*{4} ?\*{5}", message)
    assert FNR not in message and "56-789" not in message and "helse-vest" not in message
    removed = message.split("These files were removed")[1]
    assert f"data/processed/{STUDY}/examples_ingested.csv" in removed
    assert f"data/processed/{STUDY}/ladder_codings.csv" in removed
    assert _personal_data_in(project) == []  # nothing that held it stays on disk
    assert not (project / f"results/{STUDY}/privacy/leak_scan.txt").exists()
