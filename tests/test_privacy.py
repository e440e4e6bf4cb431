import pandas as pd
import pytest

from medvirk import forms, privacy
from tests.form_builders import write_all_formats


@pytest.mark.parametrize(
    "number",
    ["91234567", "912 34 567", "91 23 45 67", "+47 91234567", "+4791234567", "0047 912 34 567"],
)
def test_norwegian_phone_numbers_are_scrubbed(number):
    assert privacy.scrub_text(f"Ring {number} i dag.") == "Ring [telefon fjernet] i dag."


@pytest.mark.parametrize("text", ["i 2015-2016", "den 01.02.2016", "kr 1234567", "123456789"])
def test_other_numbers_are_kept(text):
    assert privacy.scrub_text(text) == text


def test_email_and_contact_name_are_scrubbed_with_placeholders():
    text = "Kari Nordmann (kari.nordmann@x.kommune.no) startet; Kari ledet. KARI NORDMANN takket."
    out = privacy.scrub_text(text, ["Kari Nordmann"])
    assert "Kari" not in out and "KARI" not in out and "@" not in out
    assert out.count("[navn fjernet]") == 3 and "[e-post fjernet]" in out


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
    [("kontakt: Kari  Nordmann", "name"), ("tlf 912 34 567", "phone"), ("KARI@X.NO", "email")],
)
def test_leak_scan_catches_a_planted_leak(tmp_path, planted, kind):
    clean = tmp_path / "clean.csv"
    clean.write_text("example_id,title\nex-1,Brukerråd\n", encoding="utf-8")
    leaky = tmp_path / "leaky.csv"
    leaky.write_text(f"example_id,title\nex-1,{planted}\n", encoding="utf-8")
    found = privacy.scan_files([clean, leaky], _contacts())
    assert list(found["file"]) == [str(leaky)]
    assert list(found["kind"]) == [kind]


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
    assert f"leaky.qdpx (Sources/{source}.txt): email" in report
