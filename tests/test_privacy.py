import base64
import json
import subprocess
import sys

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medvirk import forms, privacy
from tests.form_builders import write_all_formats

# Identity numbers made for these tests: valid check digits (see test_check_digits_by_hand).
FNR = "01019012480"  # 1 January 1990
D_NUMBER = "41019012393"  # the same date as a D-nummer (day + 40)


@pytest.mark.parametrize(
    "number",
    [
        "91234567",
        "912 34 567",
        "91 23 45 67",
        "+47 91234567",
        "+4791234567",
        "0047 912 34 567",
        "934-56-789",
        "998-87-765",
        "22.33.44.66",
        "22-33-44-66",
        "934.56.789",
        "+47 22 33 44 66",
        "+47 934-56-789",
        "(+47) 934 56 789",
        "0047 22.33.44.66",
        "9345 6789",
        "912\u00a034\u00a0567",
    ],
)
def test_norwegian_phone_numbers_are_scrubbed(number):
    assert privacy.scrub_text(f"Ring {number} i dag.") == "Ring [telefon fjernet] i dag."


@pytest.mark.parametrize(
    "text",
    [
        "i 2015-2016",
        "i 2015 2016",
        "den 01.02.2016",
        "fra 21.02-22.03",
        "kl 22.30-23.45",
        "kr 1234567",
        "kr 22 33 44 55",
        "45 000 000 kroner",
        "12 345 678 innbyggere",
        "274.000 kroner",
        "123456789",
        "Helse Vest og Helse Sør-Øst",
        "nevnt x14 og (x3)",
        "eksempel ex-1234567890 og E07",
        "alfa 0.12345678 og 0,91234567",
        "ISBN 978-82-8082-706-2",
        "org.nr. 974 707 152",
        "konto 1234.56.78903",
        "guid 23126235-ee4b-52d5-beef-a7732d0f24e7",
        "I 2014 deltok 6 kvinner",
        "en 25% stilling, 40% fast",
        "ring 113 eller 1881",
    ],
)
def test_other_numbers_are_kept(text):
    assert privacy.scrub_text(text) == text
    assert privacy.find_personal_data(text) == []


def test_check_digits_by_hand():
    """The two mod-11 check digits of FNR, computed as Skatteetaten describes them."""
    d = [int(c) for c in FNR]
    k1 = 11 - sum(w * x for w, x in zip([3, 7, 6, 1, 8, 9, 4, 5, 2], d[:9], strict=True)) % 11
    k2 = 11 - sum(w * x for w, x in zip([5, 4, 3, 2, 7, 6, 5, 4, 3, 2], d[:10], strict=True)) % 11
    assert (k1 % 11, k2 % 11) == (d[9], d[10])


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        (FNR, True),
        (D_NUMBER, True),
        ("15038743268", True),
        ("24071234513", True),
        ("01019012481", False),  # second check digit wrong
        ("01019012470", False),  # first check digit wrong
        ("12345678901", False),
        ("00000000000", False),  # passes both checks, but day and month 0
        ("32019012345", False),
        ("01139012345", False),
        ("0101901248", False),
        ("010190124800", False),
    ],
)
def test_identity_numbers_need_a_date_and_both_check_digits(number, valid):
    assert privacy.valid_identity_number(number) is valid


@pytest.mark.parametrize(
    "written", [FNR, f"{FNR[:6]} {FNR[6:]}", f"{FNR[:6]}\u00a0{FNR[6:]}", D_NUMBER]
)
def test_identity_numbers_are_scrubbed_and_found(written):
    text = f"Pasienten (fnr. {written}) fikk plass."
    assert privacy.scrub_text(text) == "Pasienten (fnr. [fødselsnummer fjernet]) fikk plass."
    [found] = privacy.find_personal_data(text)
    assert found.kind == "id_number" and written not in found.masked


def test_ordinary_eleven_digit_numbers_are_kept():
    text = "Saksnummer 12345678901 og 01019012481, beløp 10000000000."
    assert privacy.scrub_text(text) == text


@pytest.mark.parametrize(
    "address",
    [
        "lise.berg@helse-vest.no",
        "LISE.BERG@HELSE-VEST.NO",
        "lise (at) helse-vest.no",
        "lise(at)helse-vest.no",
        "lise [at] helse-vest [dot] no",
        "lise {at} helse-vest (dot) no",
        "lise @ helse-vest.no",
        "lise (krøllalfa) helse-vest punktum no",
        "lise at helse-vest.no",
        "lise AT helse-vest DOT no",
        "lise.berg at helse-vest dot no",
    ],
)
def test_email_addresses_and_their_disguises_are_scrubbed(address):
    assert privacy.scrub_text(f"Skriv til {address} i dag.") == "Skriv til [e-post fjernet] i dag."
    [found] = privacy.find_personal_data(address)
    assert found.key == ("lise.berg" if "berg" in address.lower() else "lise") + "@helse-vest.no"


@pytest.mark.parametrize(
    "text",
    [
        "Det er viktig at brukerne blir hørt.",
        "Vi så at nav.no hadde informasjonen.",
        "Han mener at helsenorge.no bør brukes.",
        "Les mer på helse-vest.no og www.fhi.no.",
        "Brukerne sa at Helse Vest.Det var bra.",
        "Møtet var kl. 10 @ rådhuset.",
        "Se punkt (a) og (b).",
    ],
)
def test_ordinary_text_is_not_taken_for_an_email(text):
    assert privacy.scrub_text(text) == text


def test_email_and_contact_name_are_scrubbed_with_placeholders():
    text = "Kari Nordmann (kari.nordmann@x.kommune.no) startet; Kari ledet. KARI NORDMANN takket."
    out = privacy.scrub_text(text, ["Kari Nordmann"])
    assert "Kari" not in out and "KARI" not in out and "@" not in out
    assert out.count("[navn fjernet]") == 3 and "[e-post fjernet]" in out


# A long unbroken token made the old e-mail pattern try every start position (it hung for
# 13 minutes); these inputs are read once by patterns that can only start at a token's start.
HOSTILE = {
    "letters": "a" * 1_000_000,
    "digits": "9" * 1_000_000,
    "at signs": "a@" * 500_000,
    "dots": "a." * 500_000,
    "dashes": "a-" * 500_000,
    "digit pairs": "22 " * 333_333,
    "dotted digits": "22." * 333_333,
    "spaced at": "lise at " * 125_000,
    "bracketed at": "a(at)" * 200_000,
    "local part then @": "a" * 1_000_000 + "@",
    "tags": "<a " * 333_333,
    "rich text": "<rPr>" * 200_000,
}


@pytest.mark.parametrize("name", HOSTILE)
def test_patterns_read_a_huge_token_once(name):
    text = HOSTILE[name]
    out = privacy.scrub_text(text, ["Lise Berg"])
    assert len(out) > 0
    assert privacy.xml_text(text) is not None


def test_masks_hide_the_value_and_are_not_found_again():
    text = f"fnr {FNR}, tlf 934-56-789 og +47 22 33 44 66, lise (at) helse-vest.no, Lise Berg"
    found = privacy.find_personal_data(text, ["Lise Berg"])
    masked = [f.masked for f in found]
    assert masked == ["01*********", "934-**-***", "+47 22 ** ** **", "l***@h***.no", "L*** B***"]
    assert privacy.find_personal_data(" ".join(masked), ["Lise Berg"]) == []


def test_a_one_line_contact_is_split_into_name_and_role():
    assert forms.parse_contact(["Kontaktperson: Lise Berg, prosjektleder"]) == {
        "name": "Lise Berg",
        "role": "prosjektleder",
    }
    assert privacy.split_name_role("Lise Berg (prosjektleder), tlf 934-56-789") == (
        "Lise Berg",
        "prosjektleder",
    )
    assert privacy.split_name_role("Kari Nordmann") == ("Kari Nordmann", "")


def test_a_one_line_contact_is_scrubbed_everywhere_in_its_form(tmp_path):
    path = tmp_path / "skjema.txt"
    path.write_text(
        "Kontaktinformasjon\nKontaktperson: Lise Berg, prosjektleder\n"
        "Overskrift: Brukerråd\nBakgrunn: Lise Berg startet arbeidet; Lise ledet det.\n"
        "Spredning: Andre kan spørre Berg.\n",
        encoding="utf-8",
    )
    result = forms.ingest([path])
    contact = result.contacts.iloc[0]
    assert (contact["name"], contact["role"]) == ("Lise Berg", "prosjektleder")
    record = result.records.iloc[0]
    assert record["background"] == "[navn fjernet] startet arbeidet; [navn fjernet] ledet det."
    assert "Berg" not in record["spreading"]


def test_a_contact_line_outside_the_contact_section_is_a_contact_too(tmp_path):
    path = tmp_path / "skjema.txt"
    path.write_text(
        "Overskrift: Brukerråd\nBakgrunn: Lise Berg startet arbeidet.\n"
        "Spredning: Vi deler gjerne.\nKontaktperson: Lise Berg, prosjektleder\n",
        encoding="utf-8",
    )
    result = forms.ingest([path])
    assert result.contacts.iloc[0]["name"] == "Lise Berg"
    record = result.records.iloc[0]
    assert "Lise" not in record["background"] + record["spreading"]
    assert "prosjektleder" in record["spreading"]  # the text is kept, only the name goes


def _contacts():
    return pd.DataFrame(
        [
            {
                "example_id": "ex-1",
                "name": "Kari Nordmann",
                "role": "Leder",
                "phone": "91234567",
                "email": "kari@x.no",
            }
        ],
        columns=privacy.CONTACT_COLUMNS,
    )


@pytest.mark.parametrize(
    ("planted", "kind"),
    [
        ("kontakt: Kari  Nordmann", "name"),
        ("tlf 912 34 567", "phone"),
        ("tlf 9-1-2-3-4-5-6-7", "phone"),  # the contact's own number however it is written
        ("KARI@X.NO", "email"),
    ],
)
def test_leak_scan_catches_a_planted_contact_detail(tmp_path, planted, kind):
    clean = tmp_path / "clean.csv"
    clean.write_text("example_id,title\nex-1,Brukerråd\n", encoding="utf-8")
    leaky = tmp_path / "leaky.csv"
    leaky.write_text(f"example_id,title\nex-1,{planted}\n", encoding="utf-8")
    found = privacy.scan_files([clean, leaky], _contacts())
    assert list(found["file"]) == [str(leaky)]
    assert list(found["kind"]) == [kind]
    assert list(found["example_id"]) == ["ex-1"]


@pytest.mark.parametrize(
    ("planted", "kind"),
    [
        (f"fnr {FNR}", "id_number"),
        ("ring 934-56-789", "phone"),
        ("ring 22.33.44.66", "phone"),
        ("lise (at) helse-vest.no", "email"),
    ],
)
def test_leak_scan_finds_patterns_without_any_contacts(tmp_path, planted, kind):
    leaky = tmp_path / "leaky.csv"
    leaky.write_text(f"example_id,title\nex-1,{planted}\n", encoding="utf-8")
    found = privacy.scan_files([leaky])
    assert list(found["kind"]) == [kind]
    assert list(found["example_id"]) == [""]


def test_ingested_outputs_carry_no_private_values(tmp_path):
    write_all_formats(tmp_path / "forms")
    result = forms.ingest(forms.submission_files(tmp_path / "forms"))
    out = tmp_path / "out"
    out.mkdir()
    result.records.to_csv(out / "examples.csv", index=False)
    result.report.to_csv(out / "report.csv", index=False)
    result.rejected.to_csv(out / "rejected.csv", index=False)
    assert privacy.scan_files(privacy.files_under([out]), result.contacts).empty
    assert "[telefon fjernet]" in " ".join(result.records["result"])
    # and the scan would have seen the raw forms' contact details
    private = tmp_path / "private.csv"
    result.contacts.to_csv(private, index=False)
    assert not privacy.scan_files([private], result.contacts).empty


def test_without_scrubbing_the_forms_text_keeps_what_the_scan_finds(tmp_path):
    write_all_formats(tmp_path / "forms")
    result = forms.ingest(forms.submission_files(tmp_path / "forms"), scrub=False)
    result.records.to_csv(tmp_path / "examples.csv", index=False)
    found = privacy.scan_files([tmp_path / "examples.csv"], result.contacts)
    assert {"phone", "email", "name"} <= set(found["kind"])


def test_contact_names_are_scrubbed_from_other_forms_and_rejected_file_names(tmp_path):
    write_all_formats(tmp_path)
    (tmp_path / "fra_Nils_Berg.pdf").write_bytes(b"not a pdf")
    result = forms.ingest(forms.submission_files(tmp_path))
    assert "[navn fjernet]" in " ".join(result.rejected["file"])
    assert "Nils" not in " ".join(result.rejected["file"])
    # Kari Nordmann is the contact of one form and is named in the text of the others
    assert "Kari Nordmann" not in " ".join(result.records["background"])


def test_leak_scan_reads_inside_qdpx_and_xlsx(tmp_path, embedded):
    """Zipped outputs hide their text from a byte scan; the scan opens their text members."""
    from openpyxl import Workbook

    from medvirk import refiqda

    examples = embedded["examples.csv"].head(2).copy()
    examples.loc[examples.index[1], "summary"] = "Spørsmål til KARI@x.no."
    empty = pd.DataFrame(columns=refiqda.CODING_COLUMNS)
    clean = refiqda.write_qdpx(
        tmp_path / "clean.qdpx",
        embedded["examples.csv"].head(1),
        embedded["codebook/factors.csv"],
        embedded["codebook/categories.csv"],
        empty,
    )
    leaky = refiqda.write_qdpx(
        tmp_path / "leaky.qdpx",
        examples,
        embedded["codebook/factors.csv"],
        embedded["codebook/categories.csv"],
        empty,
    )
    assert b"kari@x.no" not in leaky.read_bytes().lower()  # compressed: a byte scan is blind
    wb = Workbook()
    wb.active["B7"] = "Kontakt: Kari Nordmann"
    wb.save(tmp_path / "table.xlsx")
    found = privacy.scan_files([clean, leaky, tmp_path / "table.xlsx"], _contacts())
    source = refiqda.stable_guid("source", examples["example_id"].iloc[1])
    assert found[["file", "member", "kind"]].values.tolist() == [
        [str(leaky), f"Sources/{source}.txt", "email"],
        [str(tmp_path / "table.xlsx"), "xl/worksheets/sheet1.xml", "name"],
    ]
    report = privacy.leak_report([], found)
    assert f"leaky.qdpx (Sources/{source}.txt)" in report
    assert "kari@x.no" not in report.lower() and "k***@x***.no" in report


def test_a_phone_split_over_rich_text_runs_of_a_workbook_is_found(tmp_path):
    from openpyxl import Workbook
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    wb = Workbook()
    wb.active["A1"] = CellRichText(["Ring ", TextBlock(InlineFont(b=True), "934"), "-56-789"])
    wb.save(tmp_path / "rich.xlsx")
    found = privacy.scan_files([tmp_path / "rich.xlsx"])
    assert list(found["masked"]) == ["934-**-***"]


def test_figure_geometry_is_not_taken_for_phone_numbers(tmp_path):
    svg = tmp_path / "figure.svg"
    svg.write_text(
        '<svg><path d="M 4684 1234 L 2034 5678 L 934 56 789"/>'
        '<g transform="translate(2250 3016)"><!-- Tabell 1 --></g></svg>',
        encoding="utf-8",
    )
    assert privacy.scan_files([svg]).empty
    svg.write_text("<svg><!-- Ring 934 56 789 --></svg>", encoding="utf-8")
    assert list(privacy.scan_files([svg])["kind"]) == ["phone"]


def _report_html(files: dict[str, bytes]) -> str:
    """A page shaped like a Snakemake report: results with captions and base64 data URIs, and
    the libraries' licences (with their authors' addresses), which are not study data."""
    results = {
        key: {
            "name": key.rsplit("/", 1)[-1],
            "caption": "<p>Tabell</p>",
            "data_uri": "data:text/csv;charset=utf8;filename=x;base64,"
            + base64.b64encode(data).decode(),
        }
        for key, data in files.items()
    }
    packages = {"lib": {"license": "Copyright (c) Ola Utvikler <ola@example.com>"}}
    return (
        '<html><script>var x = "someone@example.com";</script>'
        f'<script id="results">\n    var results = {json.dumps(results)};\n    </script>'
        f'<script id="packages">\n    var packages = {json.dumps(packages)};\n    </script>'
        "</html>"
    )


def test_leak_scan_reads_the_data_embedded_in_the_report(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active["C3"] = "Notat: ring 998-87-765"
    wb.save(tmp_path / "sheet.xlsx")
    report = tmp_path / "report.html"
    report.write_text(
        _report_html(
            {
                "results/s/tables/table1.csv": b"factor,n\nF01,3\n",
                "results/s/coding_sheets/anne.xlsx": (tmp_path / "sheet.xlsx").read_bytes(),
                "results/s/ingest/report.csv": f"id,note\nex-1,fnr {FNR}\n".encode(),
            }
        ),
        encoding="utf-8",
    )
    assert FNR not in report.read_text(encoding="utf-8")  # base64: invisible to a text scan
    found = privacy.scan_files([report])
    assert sorted(found[["member", "kind"]].values.tolist()) == [
        ["results/s/coding_sheets/anne.xlsx/xl/worksheets/sheet1.xml", "phone"],
        ["results/s/ingest/report.csv", "id_number"],
    ]
    clean = tmp_path / "clean.html"
    clean.write_text(_report_html({"results/s/tables/table1.csv": b"factor,n\n"}), "utf-8")
    assert privacy.scan_files([clean]).empty  # the libraries' licences are not study data


def _study_with_a_leak(root, note=f"fnr {FNR}"):
    """A study whose form and coder sheet carry personal data, and outputs that leak it."""
    from openpyxl import Workbook

    raw = root / "data/raw/s"
    (raw / "forms").mkdir(parents=True)
    (raw / "codings").mkdir()
    (raw / "forms/skjema.txt").write_text(
        "Overskrift: Brukerråd\nBakgrunn: Ring 934-56-789.\nResultat: Bra.\n", encoding="utf-8"
    )
    wb = Workbook()
    ws = wb.active
    ws.title = "Koding"
    ws["R4"] = note
    wb.save(raw / "codings/anne.xlsx")
    processed, results = root / "data/processed/s", root / "results/s"
    processed.mkdir(parents=True)
    (results / "merge").mkdir(parents=True)
    (processed / "examples.csv").write_text("id,text\nex-1,Ring 934 56 789.\n", "utf-8")
    (processed / "ladder_codings.csv").write_text(f"id,other_factors\nex-1,{note}\n", "utf-8")
    (results / "merge/suggestions.csv").write_text("text\nTrygg bolig\n", "utf-8")
    return raw


def test_a_failing_scan_names_the_input_cell_and_removes_the_leaking_outputs(tmp_path):
    raw = _study_with_a_leak(tmp_path)
    check = privacy.check_study("s", root=tmp_path)
    assert not check.ok
    message = check.message()
    assert f"{raw}/codings/anne.xlsx, ark/sheet «Koding», celle/cell R4" in message
    assert f"{raw}/forms/skjema.txt, del/section «Bakgrunn»" in message
    assert "data/processed/s/ladder_codings.csv" in message
    assert "fødselsnummer eller D-nummer / identity number: 01*********" in message
    assert "934 ** ***" in message and "Personvernkontrollen STOPPET" in message
    assert FNR not in message and "56-789" not in message and "56 789" not in message
    assert not (tmp_path / "data/processed/s/ladder_codings.csv").exists()
    assert not (tmp_path / "data/processed/s/examples.csv").exists()
    assert (tmp_path / "results/s/merge/suggestions.csv").exists()  # clean: kept
    assert sorted(check.removed) == sorted(
        str(tmp_path / f"data/processed/s/{n}") for n in ("examples.csv", "ladder_codings.csv")
    )


def test_privacy_scan_command_checks_the_report_too(tmp_path):
    _study_with_a_leak(tmp_path, note="Trygg bolig")
    for name in ("examples.csv", "ladder_codings.csv"):
        (tmp_path / "data/processed/s" / name).unlink()
    report = tmp_path / "results/s/report.html"
    report.write_text(_report_html({"results/s/merge/suggestions.csv": b"text\nok\n"}), "utf-8")

    def scan():
        return subprocess.run(
            [sys.executable, "-m", "medvirk.cli", "privacy-scan", "s", "--root", str(tmp_path)],
            capture_output=True,
            text=True,
        )

    clean = scan()
    assert clean.returncode == 0, clean.stderr
    assert "Privacy scan: checked 2 file(s)" in clean.stdout
    report.write_text(
        _report_html({"results/s/ingest/report.csv": b"id,text\nex-1,tlf 934 56 789\n"}), "utf-8"
    )
    leaky = scan()
    assert leaky.returncode == 1
    assert "forms/skjema.txt, del/section «Bakgrunn»" in leaky.stderr
    assert "report.html (results/s/ingest/report.csv)" in leaky.stderr
    assert not report.exists()


def test_codings_scrub_notes_and_qdpx_names_of_contacts(tmp_path):
    table = pd.DataFrame(
        [["lise_berg.qdpx", "source_unmatched", "Intervju Lise Berg 934 56 789", "2 skipped"]],
        columns=["file", "kind", "item", "detail"],
    )
    out = privacy.scrub_columns(table, ["file", "item", "detail"], ["Lise Berg"])
    assert out.values.tolist() == [
        ["[navn fjernet].qdpx", "source_unmatched", "Intervju [navn fjernet] [telefon fjernet]",
         "2 skipped"]
    ]  # fmt: skip


def test_the_examples_in_the_docstrings_hold():
    import doctest

    assert doctest.testmod(privacy).failed == 0
    assert doctest.testmod(forms).failed == 0


# --- A planted value is found in every format the scan reads; scrubbing is idempotent ----------

PLANTED = {  # kind -> (as written in an output, the key the scan compares it by)
    "id_number": (f"fnr {FNR}", FNR),
    "phone": ("ring 934 56 789", "93456789"),
    "email": ("skriv til lise.berg@helse-vest.no", "lise.berg@helse-vest.no"),
    "name": ("spør Kari Nordmann", "kari nordmann"),
}
NOTE = "Notat: " + "; ".join(text for text, _ in PLANTED.values()) + "."


def _zip(path, members: dict[str, str]):
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return path


def _xlsx(path, text):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active["C4"] = text
    wb.save(path)
    return path


def _docx(path, text):
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    document.save(path)
    return path


def _pptx(path, text):
    from tests.form_builders import write_pptx

    return write_pptx(path, ["Brukerråd", text])


def _qdpx(path, text):
    return _zip(
        path,
        {
            "project.qde": '<Project name="p"><Sources><TextSource name="s" /></Sources></Project>',
            "Sources/0b7e.txt": text,
        },
    )


def _report(path, files: dict[str, bytes]):
    path.write_text(_report_html(files), encoding="utf-8")
    return path


WRITERS = {
    "txt": lambda p, t: p.write_text(t, encoding="utf-8") and p,
    "csv": lambda p, t: p.write_text(f'id,note\nex-1,"{t}"\n', encoding="utf-8") and p,
    "md": lambda p, t: (
        p.write_text(f"# Tabell\n\n| id | note |\n|---|---|\n| ex-1 | {t} |\n") and p
    ),
    "tex": lambda p, t: (
        p.write_text(f"\\begin{{tabular}}{{l}}\n{t} \\\\\n\\end{{tabular}}\n") and p
    ),
    "log": lambda p, t: p.write_text(f"INFO rule x\n{t}\n") and p,
    "json": lambda p, t: p.write_text(json.dumps({"note": t}, ensure_ascii=False)) and p,
    "svg": lambda p, t: p.write_text(f'<svg><text x="1" y="2">{t}</text></svg>') and p,
    "qdc": lambda p, t: (
        p.write_text(f'<CodeBook><Code name="F01"><Description>{t}</Description></Code></CodeBook>')
        and p
    ),
    "xlsx": _xlsx,
    "docx": _docx,
    "pptx": _pptx,
    "qdpx": _qdpx,
    "html": lambda p, t: _report(p, {"results/s/tables/notes.csv": f"note\n{t}\n".encode()}),
}


@pytest.mark.parametrize("suffix", sorted(WRITERS))
def test_a_planted_value_is_found_in_every_format_the_scan_reads(tmp_path, suffix):
    """Each file once with the four kinds planted in a note, once without: the scan finds
    exactly the four in the one and nothing in the other (a blank python-docx document holds
    Office ids such as w14:docId="24062061", which are not phone numbers)."""
    write = WRITERS[suffix]
    clean = write(tmp_path / f"clean.{suffix}", "Notat: brukerrådet møtes hver måned.")
    leaky = write(tmp_path / f"leaky.{suffix}", NOTE)
    contacts = _contacts().assign(name="Kari Nordmann", phone="", email="")
    assert privacy.scan_files([clean], contacts).empty
    found = privacy.scan_files([leaky], contacts)
    assert sorted(zip(found["kind"], found["key"], strict=True)) == sorted(
        (kind, key) for kind, (_, key) in PLANTED.items()
    )
    assert (found["file"] == str(leaky)).all()


def test_a_planted_value_is_found_in_a_workbook_embedded_in_the_report(tmp_path):
    sheet = _xlsx(tmp_path / "sheet.xlsx", NOTE)
    report = _report(
        tmp_path / "report.html", {"results/s/coding_sheets/a.xlsx": sheet.read_bytes()}
    )
    found = privacy.scan_files([report], _contacts().assign(phone="", email=""))
    assert sorted(found["kind"]) == sorted(PLANTED)
    assert set(found["member"]) == {"results/s/coding_sheets/a.xlsx/xl/worksheets/sheet1.xml"}


def _valid_fnr(day: int, month: int, year: int, individual: int) -> str | None:
    """An identity number with both check digits computed as Skatteetaten describes them."""
    digits = [int(c) for c in f"{day:02d}{month:02d}{year % 100:02d}{individual:03d}"]
    for weights in ((3, 7, 6, 1, 8, 9, 4, 5, 2), (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)):
        k = 11 - sum(w * d for w, d in zip(weights, digits, strict=False)) % 11
        if k == 10:
            return None
        digits.append(0 if k == 11 else k)
    return "".join(map(str, digits))


fnr_values = st.builds(
    _valid_fnr, st.integers(1, 28), st.integers(1, 12), st.integers(1900, 2020), st.integers(0, 999)
).filter(bool)
phone_values = st.builds(
    lambda first, rest, style: [
        f"{first}{rest}",
        f"{first}{rest[:2]} {rest[2:4]} {rest[4:]}",
        f"{first}{rest[0]} {rest[1:3]} {rest[3:5]} {rest[5:]}",
        f"+47 {first}{rest}",
    ][style],
    st.integers(4, 9).map(str),
    st.text("0123456789", min_size=7, max_size=7),
    st.integers(0, 3),
)
email_values = st.builds(
    "{}@{}.{}".format,
    st.text("abcdefghijklmnopqrstuvwxyzæøå", min_size=1, max_size=8),
    st.text("abcdefghijklmnopqrstuvwxyz-", min_size=2, max_size=8).filter(
        lambda d: d[0] != "-" and d[-1] != "-"
    ),
    st.sampled_from(["no", "com", "org"]),
)
words = st.lists(
    st.sampled_from(["Brukerråd", "møtes", "hver", "måned", "i", "2016", "og", "E07", "x3", "."]),
    max_size=6,
).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(st.one_of(fnr_values, phone_values, email_values), words, words)
def test_a_planted_value_is_found_wherever_it_stands(value, before, after):
    text = f"{before} {value} {after}"
    found = privacy.find_personal_data(text)
    assert [text[f.start : f.end].strip() for f in found] == [value]
    assert value not in privacy.scrub_text(text)


scrub_alphabet = st.text("0123456789 .-+@()[]abcdeKNatxøå\n", max_size=60) | st.lists(
    st.one_of(fnr_values, phone_values, email_values, words, st.just("Kari Nordmann")), max_size=5
).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(scrub_alphabet)
def test_scrubbing_twice_is_scrubbing_once(text):
    once = privacy.scrub_text(text, ["Kari Nordmann"])
    assert privacy.scrub_text(once, ["Kari Nordmann"]) == once
    assert privacy.find_personal_data(once, ["Kari Nordmann"]) == []


def test_a_png_is_scanned_by_its_text_chunks_not_its_pixel_bytes(tmp_path):
    """Pixel bytes decoded as text can look like an e-mail address; a PNG's text chunks can
    hold personal data (a figure's title in its metadata) and are read."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from medvirk.privacy import find_personal_data, readable_texts

    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1])
    path = tmp_path / "figure.png"
    fig.savefig(path, metadata={"Title": "Kontakt lise.berg@helse-vest.no"})
    plt.close(fig)
    noise = path.read_bytes() + b"6x@nav.no"  # after IEND: never read
    path.write_bytes(noise)
    ((member, text),) = readable_texts(path)
    assert member == "" and "lise.berg@helse-vest.no" in text and "6x@nav.no" not in text
    assert find_personal_data(text)
