import subprocess

import docx
import pytest

from medvirk import forms
from medvirk.cli import main

ANSWER = {
    "Overskrift": "Brukerråd på sykehjemmet",
    "Mål": "Beboerne skal påvirke hverdagen.",
    "Bakgrunn": "Pårørende ba om det.",
    "Utvikling": "Vi laget en plan med beboerne.",
    "Ny praksis": "Månedlige møter.",
    "Resultat": "Mer trivsel.",
    "Spredning": "Til andre sykehjem.",
}


def test_filled_template_ingests_with_every_section_in_place(tmp_path, capsys):
    blank = tmp_path / "skjema.docx"
    assert main(["form-template", str(blank)]) == 0
    assert str(blank) in capsys.readouterr().out
    document = docx.Document(str(blank))
    (table,) = document.tables
    for row in table.rows:
        label = row.cells[0].text
        if label == "Kontaktinformasjon":
            for p in row.cells[1].paragraphs:
                value = {
                    "Navn": "Guro Lie",
                    "Rolle": "Leder",
                    "Telefonnummer": "99887766",
                    "Epost": "guro@lie.no",
                }
                p.text = p.text + " " + next(v for k, v in value.items() if p.text.startswith(k))
        else:
            row.cells[1].add_paragraph(ANSWER[label])
    filled = tmp_path / "forms" / "utfylt.docx"
    filled.parent.mkdir()
    document.save(str(filled))

    result = forms.ingest([filled])
    (record,) = result.records.to_dict("records")
    assert record["completeness"] == "form"
    for key in forms.TEXT_SECTIONS:
        assert record[key] == ANSWER[forms.SECTION_LABELS[key]], key
    (contact,) = result.contacts.to_dict("records")
    assert (contact["name"], contact["phone"], contact["email"]) == (
        "Guro Lie",
        "99887766",
        "guro@lie.no",
    )


def test_blank_template_is_partial_with_everything_missing(tmp_path):
    blank = forms.write_form_template(tmp_path / "skjema.docx")
    (record,) = forms.ingest([blank]).records.to_dict("records")
    assert record["completeness"] == "partial"
    assert not any(record[key] for key in forms.TEXT_SECTIONS)


def test_new_study_copies_codebook(tmp_path, capsys):
    codebook = tmp_path / "data" / "raw" / "fhi2016" / "codebook"
    codebook.mkdir(parents=True)
    (codebook / "factors.csv").write_text("factor_id,label\nF1,Forankring\n", encoding="utf-8")
    assert main(["new-study", "round2", "--root", str(tmp_path)]) == 0
    study = tmp_path / "data" / "raw" / "round2"
    assert (study / "forms").is_dir() and (study / "codings").is_dir()
    assert (study / "codebook" / "factors.csv").read_text(encoding="utf-8").endswith("Forankring\n")
    assert "make run STUDY=round2" in capsys.readouterr().out


def test_new_study_folders_for_forms_and_codings_are_git_ignored(tmp_path, capsys):
    """The forms and the returned sheets carry personal data: a team that commits its study
    never commits them, and new-study says so."""
    (tmp_path / "data/raw/fhi2016/codebook").mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    assert main(["new-study", "round2", "--root", str(tmp_path)]) == 0
    assert "forms/ and codings/ are git-ignored" in capsys.readouterr().out
    study = tmp_path / "data/raw/round2"
    (study / "forms/skjema.docx").write_bytes(b"form with a phone number")
    (study / "codings/anne.xlsx").write_bytes(b"sheet with notes")
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "data/raw/round2/forms/.gitignore" in status
    assert "data/raw/round2/codings/.gitignore" in status
    assert "skjema.docx" not in status and "anne.xlsx" not in status
    assert "data/raw/round2/study.yaml" in status  # the rest of the study is committed
    assert "git-ignored" in (study / "README.md").read_text(encoding="utf-8")
    # the hidden .gitignore is neither a submitted form nor a coder's file
    assert forms.submission_files(study / "forms") == [study / "forms/skjema.docx"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["round2"], "already exists"),
        (["bad name"], "not a valid"),
        (["r3", "--from", "x"], "no study"),
    ],
)
def test_new_study_refuses_with_a_reason(tmp_path, capsys, args, message):
    (tmp_path / "data" / "raw" / "fhi2016").mkdir(parents=True)
    (tmp_path / "data" / "raw" / "round2").mkdir()
    assert main(["new-study", *args, "--root", str(tmp_path)]) == 2
    assert message in capsys.readouterr().err
