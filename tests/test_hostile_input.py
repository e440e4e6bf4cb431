"""Hostile input: each class of bad file a real team will get gives a message or an announced
handling, never silence and never a hung or exhausted machine.

The corpus is built in code (python-docx, openpyxl, zipfile, reportlab), no binary fixtures.
Formula injection is tests/test_formula_injection.py; the end-to-end run with hostile forms and
coders' notes is tests/test_hostile_workflow.py.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook

from medvirk import codings, consensus, forms, limits, refiqda
from medvirk.codings import CodingError
from medvirk.errors import InputError
from medvirk.io import write_csv
from medvirk.provenance import front_page_facts
from tests.form_builders import ANSWERS, write_table_docx
from tests.test_codings import fill, study, write_sheet

FACTORS = ["F01", "F02", "F03"]


# --- limits ---------------------------------------------------------------------------------


def _bomb(member: str, megabytes: int, layout: dict[str, bytes] | None = None) -> bytes:
    """A zip whose `member` expands to `megabytes` of zeros: a few kB on disk."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in (layout or {}).items():
            z.writestr(name, data)
        with z.open(member, "w", force_zip64=True) as fh:
            block = b"\0" * limits.MB
            for _ in range(megabytes):
                fh.write(block)
    return buf.getvalue()


@pytest.fixture(scope="module")
def bomb_docx(tmp_path_factory) -> bytes:
    """A real Word form with a 60 MB member added: expands 1,000-fold."""
    path = write_table_docx(tmp_path_factory.mktemp("bomb") / "form.docx")
    with (
        zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as z,
        z.open("word/media/x.bin", "w") as fh,
    ):
        for _ in range(60):
            fh.write(b"\0" * limits.MB)
    return path.read_bytes()


def test_a_zip_bomb_form_is_rejected_unread_and_the_batch_goes_on(tmp_path, bomb_docx):
    folder = tmp_path / "forms"
    folder.mkdir()
    (folder / "bombe.docx").write_bytes(bomb_docx)
    (folder / "bombe.pptx").write_bytes(bomb_docx)
    write_table_docx(folder / "ok.docx")
    result = forms.ingest(forms.submission_files(folder))
    reasons = dict(zip(result.rejected["file"], result.rejected["reason"], strict=True))
    assert set(reasons) == {"bombe.docx", "bombe.pptx"}
    assert re.search(r"filen pakkes ut til 60,\d MB \(\d+ ganger", reasons["bombe.docx"])
    assert re.search(r"the file expands to 60.\d MB \(\d+ times", reasons["bombe.docx"])
    assert result.records["source_file"].tolist() == ["ok.docx"]
    assert {n.kind for n in result.notices} == {"form_rejected"}


def test_a_zip_over_the_total_limit_is_refused(monkeypatch):
    data = _bomb("word/document.xml", 3)
    limits.check_zip(data)  # 3 MB is fine
    monkeypatch.setattr(limits, "MAX_UNZIPPED_BYTES", 2 * limits.MB)
    with pytest.raises(limits.LimitError, match="limit is 2.0 MB"):
        limits.check_zip(data)


def test_a_zip_with_too_many_members_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for i in range(limits.MAX_ZIP_MEMBERS + 1):
            z.writestr(f"x/{i}", b"")
    with pytest.raises(limits.LimitError, match="parts; the limit is 10,000"):
        limits.check_zip(buf.getvalue())


def _sparse(path: Path, size: int) -> Path:
    with path.open("wb") as fh:
        fh.truncate(size)
    return path


def test_a_form_over_the_size_limit_is_rejected_with_its_size(tmp_path):
    big = _sparse(tmp_path / "stor.txt", limits.MAX_FILE_BYTES + limits.MB)
    result = forms.ingest([big])
    (reason,) = result.rejected["reason"]
    assert "filen er 51,0 MB; grensen er 50,0 MB" in reason
    assert "the file is 51.0 MB; the limit is 50.0 MB" in reason


def test_coders_files_over_the_limits_stop_with_the_file_named(tmp_path, bomb_docx):
    big = _sparse(tmp_path / "anne.csv", limits.MAX_FILE_BYTES + 1)
    with pytest.raises(CodingError, match=r"anne\.csv: filen er 50,000001 MB; grensen er 50,0 MB"):
        codings.read_codings_csv(big, "anne", ["E01"], ["F01"])
    bomb = tmp_path / "bo.xlsx"
    bomb.write_bytes(_bomb("xl/worksheets/sheet1.xml", 20))
    with pytest.raises(CodingError, match=r"bo\.xlsx: filen pakkes ut til 20,0 MB"):
        codings.read_coding_sheet(bomb, "bo", ["E01"], ["F01"])
    (tmp_path / "consensus.xlsx").write_bytes(bomb.read_bytes())
    with pytest.raises(CodingError, match=r"consensus\.xlsx: filen pakkes ut"):
        consensus.read_decisions(tmp_path / "consensus.xlsx")


def test_a_qdpx_mapping_over_the_size_limit_stops_naming_the_file(tmp_path):
    big = _sparse(tmp_path / "qdpx_mapping.csv", limits.MAX_FILE_BYTES + limits.MB)
    with pytest.raises(InputError, match=r"qdpx_mapping\.csv: filen er 51,0 MB"):
        refiqda.read_mapping(big)


def test_a_qdpx_bomb_is_reported_and_skipped(tmp_path):
    path = tmp_path / "prosjekt.qdpx"
    path.write_bytes(_bomb("project.qde", 20))
    examples, _, factors = study()
    _, problems, _ = refiqda.read_qdpx_files([path], examples, factors)
    (row,) = problems.itertuples()
    assert row.kind == "unreadable" and "expands to 20.0 MB" in row.detail
    assert row.detail.endswith("file skipped")


def test_a_sheet_with_too_many_rows_stops_with_the_file_and_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(codings, "MAX_SHEET_ROWS", 5)
    path = write_sheet(tmp_path)
    wb = load_workbook(path)
    for r in range(7, 12):
        wb[codings.SHEET].cell(row=r, column=5, value="x")
    wb.save(path)
    with pytest.raises(CodingError, match=r"anne\.xlsx, ark «Koding»: over 5 rader"):
        codings.read_coding_sheet(path, "anne", ["E01", "E02", "E03"], FACTORS)


def test_a_sheet_claiming_a_million_rows_is_read_by_the_rows_it_holds(tmp_path):
    """The size a workbook claims (its <dimension>) is not trusted: only its rows are read."""
    path = write_sheet(tmp_path)
    fill(path, {"E4": "x"})
    buf = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet2.xml":
                data, n = re.subn(
                    rb'<dimension ref="[^"]*"', b'<dimension ref="A1:AZ1048576"', data
                )
                assert n == 1
            dst.writestr(info, data)
    path.write_bytes(buf.getvalue())
    presence, _ = codings.read_coding_sheet(path, "anne", ["E01", "E02", "E03"], FACTORS)
    assert presence["example_id"].tolist() == ["E01"]


def test_a_pdf_of_many_pages_is_rejected_with_the_count(tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "rapport.pdf"
    c = canvas.Canvas(str(path), invariant=1)
    for page in range(limits.MAX_PDF_PAGES + 1):
        c.drawString(50, 700, f"Side {page}")
        c.showPage()
    c.save()
    (reason,) = forms.ingest([path]).rejected["reason"]
    assert f"{limits.MAX_PDF_PAGES + 1} pages; the limit is {limits.MAX_PDF_PAGES}" in reason


def _long_words(n_chars: int, word: str = "brukermedvirkning") -> str:
    return " ".join([word] * (n_chars // (len(word) + 1) + 1))


def test_a_long_section_is_cut_with_a_note_and_a_notice_and_the_form_is_kept(tmp_path):
    long_text = _long_words(200_000)
    path = tmp_path / "lang.txt"
    path.write_text(
        f"Overskrift: Lang rapport\nMål: {long_text}\nResultat: Kort svar.\n", encoding="utf-8"
    )
    result = forms.ingest([path])
    (record,) = result.records.to_dict("records")
    assert len(record["aim"]) < limits.MAX_SECTION_CHARS + 200
    assert record["aim"].startswith("brukermedvirkning brukermedvirkning")
    assert "les resten i / cut, read the rest in lang.txt" in record["aim"]
    assert record["result"] == "Kort svar."
    assert "Mål cut to" in record["note"] and "of 200" in record["note"]
    (notice,) = result.notices
    assert (notice.kind, notice.where, notice.effect) == ("section_truncated", "Mål", "input")
    assert str(path) == notice.file and "30 000" in notice.nb and "30,000" in notice.en
    # The stored table can be read by Python's csv module, whose fields stop at 131,072.
    write_csv(result.records, tmp_path / "examples_ingested.csv")
    with (tmp_path / "examples_ingested.csv").open(encoding="utf-8", newline="") as fh:
        assert len(list(csv.reader(fh))) == 2


def test_a_long_free_text_report_is_cut_between_words(tmp_path):
    path = tmp_path / "rapport.txt"
    path.write_text(_long_words(300_000, "Bedre samarbeid"), encoding="utf-8")
    (record,) = forms.ingest([path]).records.to_dict("records")
    kept = record["free_text"].split(" […]")[0]
    assert kept.endswith(("Bedre", "samarbeid")) and len(kept) <= limits.MAX_SECTION_CHARS
    assert record["completeness"] == "free_text"


def test_no_leftover_table_can_break_the_parse_of_later_runs(tmp_path):
    """front_page_facts runs at every parse: a huge field or broken bytes must not stop it."""
    processed = tmp_path / "data/processed/s"
    processed.mkdir(parents=True)
    with (processed / "examples.csv").open("w", encoding="utf-8") as fh:
        fh.write('example_id,text\nex-1,"' + "x" * 200_000 + '"\n')
    (processed / "codings.csv").write_bytes(b"example_id,coder\nE01,\xff\xfe\x00anne\n")
    facts = front_page_facts("s", {"coding": {"coders": ["a", "b"]}}, root=tmp_path)
    assert facts["n_examples"] == 1
    assert facts["coders"] == "a, b"


# --- YAML -----------------------------------------------------------------------------------

BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi", strict=True)
)


def test_a_yaml_bomb_form_is_rejected_at_its_first_alias(tmp_path):
    path = tmp_path / "bombe.yaml"
    path.write_text("Overskrift: Bombe\n" + BOMB.replace("a:", "Mål:", 1), encoding="utf-8")
    (reason,) = forms.ingest([path]).rejected["reason"]
    assert "linje 3: YAML-alias (*navn) er ikke tillatt" in reason
    assert "line 3: YAML aliases (*name) are not allowed" in reason


def test_plain_yaml_forms_still_read(tmp_path):
    path = tmp_path / "skjema.yaml"
    path.write_text(yaml.safe_dump({"Overskrift": "Tittel", "Mål": "Bedre"}), encoding="utf-8")
    assert forms.ingest([path]).records["aim"].tolist() == ["Bedre"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (BOMB, "line 2: YAML aliases"),
        ("base: &b {seed: 1}\ncoding:\n  <<: *b\n", "line 3: YAML aliases"),
        ("__use_yte__: true\nstudy: '?open(\"/etc/passwd\").read()'\n", "YTE templates"),
        ("coding: [" * 50_000, "nested too deeply"),
        ("coding: !!python/object/apply:os.system ['true']\n", "not valid YAML"),
        ("x: " + "a" * limits.MAX_YAML_BYTES, "the file is 1.000003 MB; the limit is 1.0 MB"),
    ],
)
def test_a_hostile_study_yaml_is_refused_naming_the_file(tmp_path, text, message):
    path = tmp_path / "study.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(limits.LimitError, match=message) as info:
        limits.check_settings_file(path)
    assert str(path) in str(info.value)


def test_the_study_yaml_new_study_writes_passes_the_check(tmp_path):
    from medvirk.studies import STUDY_SETTINGS

    path = tmp_path / "study.yaml"
    path.write_text(STUDY_SETTINGS.format(name="r2"), encoding="utf-8")
    limits.check_settings_file(path)


# --- settings ------------------------------------------------------------------------------

SCHEMA = Path(__file__).resolve().parents[1] / "workflow/schemas/config.schema.yaml"


@pytest.mark.parametrize(
    ("section", "key", "value", "message"),
    [
        ("coding", "bootstrap_replicates", 100_000_000, "greater than the maximum of 10000"),
        ("coding", "seed", -1, "less than the minimum of 0"),
        ("coding", "coders", [f"k{i}" for i in range(101)], "is too long"),
        ("merge", "top_k", 1000, "greater than the maximum of 50"),
        ("merge", "sweep_step", 1e-9, "less than the minimum of 0.01"),
    ],
)
def test_unbounded_settings_are_refused_by_the_schema(section, key, value, message):
    from snakemake.exceptions import WorkflowError
    from snakemake.utils import validate

    validate({"study": "s", section: {}}, str(SCHEMA))  # the defaults pass
    with pytest.raises(WorkflowError, match=message) as info:
        validate({"study": "s", section: {key: value}}, str(SCHEMA))
    assert f"['{key}']" in str(info.value)


# --- symbolic links -------------------------------------------------------------------------


def test_a_symlink_in_forms_is_rejected_with_the_reason_never_read(tmp_path):
    outside = write_table_docx(tmp_path / "utenfor.docx", {**ANSWERS, "title": "Hemmelig"})
    folder = tmp_path / "forms"
    folder.mkdir()
    (folder / "lenke.docx").symlink_to(outside)
    (folder / "brutt.docx").symlink_to(tmp_path / "finnes_ikke.docx")
    (folder / "undermappe").mkdir()
    write_table_docx(folder / "ekte.docx")
    assert forms.submission_files(folder) == [folder / "ekte.docx"]
    result = forms.ingest(forms.submission_files(folder), refused=forms.refused_entries(folder))
    reasons = dict(zip(result.rejected["file"], result.rejected["reason"], strict=True))
    assert set(reasons) == {"brutt.docx", "lenke.docx", "undermappe"}
    assert "symbolic link is not read" in reasons["lenke.docx"]
    assert "en mappe leses ikke" in reasons["undermappe"]
    assert "Hemmelig" not in result.records.to_csv()
    # Given directly, a link is refused too.
    assert forms.ingest([folder / "lenke.docx"]).records.empty


def test_a_symlink_in_codings_stops_with_a_message(tmp_path):
    folder = tmp_path / "codings"
    folder.mkdir()
    real = write_sheet(tmp_path, "anne")
    (folder / "anne.xlsx").symlink_to(real)
    examples, _, factors = study()
    with pytest.raises(CodingError, match=r"anne\.xlsx: er en snarvei .* symbolic link"):
        codings.read_study_codings(folder, ["anne", "bo"], examples, factors)


# --- XML from outside ------------------------------------------------------------------------


def test_a_qdpx_cannot_read_local_files_through_an_entity(tmp_path):
    from lxml import etree

    secret = tmp_path / "hemmelig.txt"
    secret.write_text("PASSORD123", encoding="utf-8")
    qde = (
        '<?xml version="1.0"?>\n'
        f'<!DOCTYPE Project [<!ENTITY s SYSTEM "file://{secret}">]>\n'
        f'<Project xmlns="{refiqda.NS}" name="x"><Users><User guid="u1" name="a"/></Users>'
        "<Description>&s;</Description></Project>"
    ).encode()
    unsafe = etree.XMLParser(resolve_entities=True, load_dtd=True)
    assert b"PASSORD123" in etree.tostring(etree.fromstring(qde, parser=unsafe))
    path = tmp_path / "x.qdpx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("project.qde", qde)
    try:
        project = refiqda.load_qdpx(path)
    except InputError as exc:  # the entity is left undefined: the file is refused, unread
        assert "PASSORD123" not in str(exc)
    else:
        assert "PASSORD123" not in project.users.to_csv() + project.sources.to_csv()
