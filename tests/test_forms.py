import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medvirk import forms
from tests.form_builders import ANSWERS, CONTACT, write_all_formats, write_table_docx, write_txt


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    folder = tmp_path_factory.mktemp("round") / "forms"
    write_all_formats(folder)
    return forms.ingest(forms.submission_files(folder))


def _by_file(result, name):
    rows = result.records[result.records["source_file"] == name]
    assert len(rows) == 1, f"{name} not ingested"
    return rows.iloc[0]


@pytest.mark.parametrize(
    "name", ["skjema_tabell.docx", "skjema_overskrifter.docx", "skjema.pdf", "strukturert.yaml"]
)
def test_full_forms_have_every_section(batch, name):
    row = _by_file(batch, name)
    assert row["completeness"] == "form"
    for key in forms.TEXT_SECTIONS:
        assert row[key], f"{key} empty in {name}"


def test_table_layout_keeps_answers_in_place(batch):
    row = _by_file(batch, "skjema_tabell.docx")
    assert row["title"] == ANSWERS["title"]
    assert row["aim"] == ANSWERS["aim"]
    assert row["new_practice"] == ANSWERS["new_practice"]
    assert row["format"] == "docx"


def test_presentation_without_labels_is_free_text(batch):
    row = _by_file(batch, "presentasjon.pptx")
    assert row["completeness"] == "free_text"
    assert "Pasientene bestiller selv innleggelse." in row["free_text"]
    assert row["note"]


def test_cp1252_text_is_read_with_norwegian_letters(batch):
    row = _by_file(batch, "kort.txt")
    assert row["completeness"] == "partial"
    assert row["result"] == "Færre tvangsinnleggelser."
    assert "Utvikling" in row["note"]


def test_broken_files_are_rejected_with_reason_and_batch_goes_on(batch):
    rejected = dict(zip(batch.rejected["file"], batch.rejected["reason"], strict=True))
    assert set(rejected) == {"ødelagt.docx", "tom.pdf", "kryptert.pdf"}
    assert "empty" in rejected["tom.pdf"]
    assert "password" in rejected["kryptert.pdf"]
    assert len(batch.records) == 6


def test_report_lists_found_and_missing_sections(batch):
    report = batch.report.set_index("source_file")
    assert report.loc["kort.txt", "sections_missing"] == "Utvikling; Ny praksis; Spredning"
    assert report.loc["skjema_tabell.docx", "words_total"] > 50


def test_contacts_are_split_off(batch):
    contacts = batch.contacts.set_index("example_id")
    row_id = _by_file(batch, "skjema_tabell.docx")["example_id"]
    assert contacts.loc[row_id, "name"] == CONTACT["name"]
    assert contacts.loc[row_id, "role"] == CONTACT["role"]
    assert "91234567" in contacts.loc[row_id, "phone"]
    assert CONTACT["email"] in contacts.loc[row_id, "email"]


def test_ids_are_stable_when_a_form_is_added(tmp_path):
    folder = tmp_path / "forms"
    folder.mkdir()
    write_table_docx(folder / "b.docx")
    before = forms.ingest(forms.submission_files(folder)).records
    write_txt(folder / "a.txt")
    after = forms.ingest(forms.submission_files(folder)).records
    assert len(after) == 2
    assert before["example_id"].iloc[0] in set(after["example_id"])
    again = forms.ingest(forms.submission_files(folder)).records
    assert again.equals(after)


def test_duplicate_submission_is_rejected(tmp_path):
    write_txt(tmp_path / "a.txt")
    write_txt(tmp_path / "b.txt")
    result = forms.ingest(forms.submission_files(tmp_path))
    assert len(result.records) == 1
    assert "same content as a.txt" in result.rejected["reason"].iloc[0]


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ("Mål", "aim"),
        ("MÅL:", "aim"),
        ("  ny   praksis : ", "new_practice"),
        ("Ny-praksis", "new_practice"),
        ("## Resultat", "result"),
        ("**Spredning:**", "spreading"),
        ("Kontaktinfor-masjon", "contact"),
        ("Bakgrunn Hvem var involvert?", "background"),
    ],
)
def test_labels_match_ignoring_case_spacing_and_punctuation(line, key):
    assert forms.match_label(line)[0] == key


@pytest.mark.parametrize("line", ["Målet var klart", "Resultatet ble bra", "Utviklingen tok tid"])
def test_ordinary_sentences_are_not_labels(line):
    assert forms.match_label(line) is None


def test_latin1_text_is_read():
    assert forms.read_text_bytes("Bærum ønsket å".encode("latin-1")) == "Bærum ønsket å"
    assert forms.read_text_bytes("Bærum “sitat”".encode("cp1252")) == "Bærum “sitat”"


def test_unsupported_and_lock_files_are_rejected(tmp_path):
    (tmp_path / "gammel.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    (tmp_path / "~$skjema.docx").write_bytes(b"x")
    result = forms.ingest(forms.submission_files(tmp_path))
    reasons = dict(zip(result.rejected["file"], result.rejected["reason"], strict=True))
    assert "unsupported format '.doc'" in reasons["gammel.doc"]
    assert "lock file" in reasons["~$skjema.docx"]


def test_yaml_that_is_not_a_form_is_rejected(tmp_path):
    (tmp_path / "liste.yaml").write_text("- a\n- b\n")
    (tmp_path / "ukjent.yaml").write_text("foo: bar\n")
    result = forms.ingest(forms.submission_files(tmp_path))
    assert len(result.rejected) == 2 and result.records.empty


# --- fuzzing: nothing a researcher sends in may crash the batch ----------------------------

FUZZ = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _ingest_one(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    result = forms.ingest([path])
    assert len(result.records) + len(result.rejected) == 1
    if len(result.rejected):
        assert result.rejected["reason"].iloc[0]
    return result


@FUZZ
@given(data=st.binary(max_size=2000), suffix=st.sampled_from(sorted(forms.FORMATS)))
def test_arbitrary_bytes_never_crash(tmp_path, data, suffix):
    _ingest_one(tmp_path, "fuzz" + suffix, data)


def _valid_docx() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("Mål: noe")
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _valid_pdf() -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    c.drawString(50, 700, "Mål: noe")
    c.save()
    return buf.getvalue()


VALID_DOCX = _valid_docx()
VALID_PDF = _valid_pdf()


@FUZZ
@given(
    cut=st.integers(min_value=0, max_value=len(VALID_DOCX)),
    flips=st.lists(st.tuples(st.integers(0, len(VALID_DOCX) - 1), st.integers(0, 255)), max_size=8),
)
def test_mangled_word_files_give_record_or_reason(tmp_path, cut, flips):
    data = bytearray(VALID_DOCX[:cut])
    for pos, byte in flips:
        if pos < len(data):
            data[pos] = byte
    _ingest_one(tmp_path, "mangled.docx", bytes(data))


@FUZZ
@given(
    cut=st.integers(min_value=0, max_value=len(VALID_PDF)),
    flips=st.lists(st.tuples(st.integers(0, len(VALID_PDF) - 1), st.integers(0, 255)), max_size=8),
)
def test_mangled_pdfs_give_record_or_reason(tmp_path, cut, flips):
    data = bytearray(VALID_PDF[:cut])
    for pos, byte in flips:
        if pos < len(data):
            data[pos] = byte
    _ingest_one(tmp_path, "mangled.pdf", bytes(data))


@FUZZ
@given(member=st.binary(max_size=500))
def test_zip_with_garbage_members_is_rejected(tmp_path, member):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", member)
        z.writestr("word/document.xml", member)
    for suffix in (".docx", ".pptx"):
        result = _ingest_one(tmp_path, "zip" + suffix, buf.getvalue())
        assert len(result.rejected) == 1


def test_merged_cells_and_an_extra_column_keep_each_answer_in_its_section(tmp_path):
    from tests.form_builders import write_merged_table_docx

    write_merged_table_docx(tmp_path / "flettet.docx")
    result = forms.ingest([tmp_path / "flettet.docx"])
    row = result.records.iloc[0]
    assert row["completeness"] == "form", row["note"]
    assert row["title"] == ANSWERS["title"]  # the remark beside it is not glued on
    assert row["aim"] == ANSWERS["aim"]
    assert row["development"] == ANSWERS["development"]
    assert row["background"].startswith("Tjenesten hadde få møteplasser med brukerne.")
    assert row["background"].endswith("tok initiativet.")
    assert "Bakgrunn" not in row["background"] and "Bakgrunn" not in row["result"]
    # the note spanning three rows is read once, where it starts
    joined = " ".join(str(row[key]) for key in [*forms.TEXT_SECTIONS, "free_text"])
    assert joined.count("Se vedlegget.") == 1
    assert row["new_practice"].startswith(ANSWERS["new_practice"])
    assert row["result"].startswith("Flere brukere sier") and "vedlegget" not in row["result"]
    assert "Overskrift: Utkast nr. 2" in row["free_text"]  # kept, beside the title
    assert "Overskrift" in row["note"]
    assert CONTACT["email"] not in " ".join(map(str, row.to_numpy()))


def test_a_table_inside_a_cell_is_read(tmp_path):
    import docx

    document = docx.Document()
    outer = document.add_table(rows=1, cols=2).rows[0].cells
    outer[0].text = "Resultat"
    inner = outer[1].add_table(rows=1, cols=2).rows[0].cells
    inner[0].text, inner[1].text = "Før: 3 møter", "Etter: 12 møter"
    buffer = io.BytesIO()
    document.save(buffer)
    parsed = forms.parse_lines(forms.read_lines(buffer.getvalue(), "docx"))
    assert "Før: 3 møter" in parsed.sections["result"]
    assert "Etter: 12 møter" in parsed.sections["result"]
