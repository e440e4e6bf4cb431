"""The privacy module in detail: identity numbers at the edges of their dates, the digits of a
phone number, what a mask shows, every finding with its place, the contacts' own values, what
the scan reads and reports (file, member, sheet and cell, row and column) and that leaking
outputs are removed. Expected values are worked by hand here (the check digits' arithmetic is
written out) or written as a reader would read the file.

Written to kill the mutants `mutmut` made of `privacy.py` (issue 17, tests/README.md).
"""

from pathlib import Path

import pytest

from medvirk import privacy

FNR = "01019012480"  # 1 January 1990, check digits in test_privacy.py::test_check_digits_by_hand


def _check_digits(first_nine: str) -> str | None:
    """The two check digits Skatteetaten's rule gives nine digits (None when one would be 10).
    Written out here, independently of the module."""
    digits = [int(c) for c in first_nine]
    for weights in ((3, 7, 6, 1, 8, 9, 4, 5, 2), (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)):
        k = 11 - sum(w * d for w, d in zip(weights, digits, strict=True)) % 11
        if k == 10:
            return None
        digits.append(0 if k == 11 else k)
    return "".join(map(str, digits[9:]))


# --- identity numbers ----------------------------------------------------------------------------


def test_check_digits_of_the_last_day_of_a_year_by_hand():
    """31.12.99, individual number 123:
    k1 = 11 - (3·3 + 7·1 + 6·1 + 1·2 + 8·9 + 9·9 + 4·1 + 5·2 + 2·3 = 197) mod 11 = 11 - 10 = 1,
    k2 = 11 - (5·3 + 4·1 + 3·1 + 2·2 + 7·9 + 6·9 + 5·1 + 4·2 + 3·3 + 2·1 = 167) mod 11 = 11 - 2 = 9,
    so 311299 12319. A D-nummer of the same day (day + 40 = 71), individual 123:
    k1 = 11 - (3·7 + 7·1 + 6·1 + 1·2 + 8·9 + 9·9 + 4·1 + 5·2 + 2·3 = 209) mod 11 = 11 - 0 = 11 → 0,
    k2 = 11 - (5·7 + 4·1 + 3·1 + 2·2 + 7·9 + 6·9 + 5·1 + 4·2 + 3·3 + 2·0 = 185) mod 11 = 11 - 9 = 2,
    so 711299 12302. With individual number 124 the first sum is 197 + 2 = 199, 199 mod 11 = 1,
    k1 = 10: no identity number starts 311299124."""
    assert _check_digits("311299123") == "19" and _check_digits("711299123") == "02"
    assert privacy.valid_identity_number("31129912319")
    assert privacy.valid_identity_number("71129912302")
    assert privacy.valid_identity_number("31129912318") is False
    assert privacy.valid_identity_number("71129912312") is False  # 1 for 0: k1 = 11 gives 0
    assert _check_digits("311299124") is None
    ends = [f"{a}{b}" for a in range(10) for b in range(10)]
    assert [e for e in ends if privacy.valid_identity_number("311299124" + e)] == []


# (day, month) at the edges: a D-nummer adds 40 to the day, an H-nummer 40 to the month,
# Skatteetaten's synthetic test numbers 80 to the month. Every number below has both check
# digits right (_check_digits), so only its date decides.
DATES = {
    (1, 1): True,
    (31, 12): True,
    (1, 10): True,
    (15, 10): True,
    (0, 12): False,
    (32, 12): False,
    (15, 0): False,
    (15, 13): False,
    (41, 1): True,  # D-nummer, day 1
    (71, 12): True,  # D-nummer, day 31
    (40, 1): False,  # day 0 as a D-nummer, day 40 as it stands
    (72, 12): False,  # D-nummer, day 32
    (15, 41): True,  # H-nummer, January
    (15, 52): True,  # H-nummer, December
    (15, 40): False,
    (15, 53): False,  # H-nummer, month 13
    (15, 81): True,  # synthetic, January
    (15, 92): True,  # synthetic, December
    (15, 80): False,
    (15, 93): False,  # synthetic, month 13
}


def _number(day: int, month: int) -> str:
    """An identity number of that day and month in 1999 with both check digits right."""
    for individual in range(123, 200):
        first_nine = f"{day:02d}{month:02d}99{individual}"
        ends = _check_digits(first_nine)
        if ends:
            return first_nine + ends
    raise AssertionError("no individual number gives check digits")


@pytest.mark.parametrize(("day", "month"), DATES)
def test_identity_numbers_need_a_day_and_month_within_their_ranges(day, month):
    number = _number(day, month)
    assert privacy.valid_identity_number(number) is DATES[(day, month)]
    written = f"{number[:6]} {number[6:]}"
    assert privacy.valid_identity_number(written) is DATES[(day, month)]
    assert privacy.valid_identity_number(written.replace(" ", "\u00a0")) is DATES[(day, month)]
    found = privacy.find_personal_data(f"fnr {written}.")
    assert [(f.kind, f.key) for f in found] == (
        [("id_number", number)] if DATES[(day, month)] else []
    )


@pytest.mark.parametrize(
    "digits",
    [
        "".join(chr(0x0660 + int(c)) for c in FNR),  # Arabic-Indic digits, isdigit() is True
        "".join(chr(0xFF10 + int(c)) for c in FNR),  # full-width digits
        FNR[:6] + "-" + FNR[6:],
    ],
)
def test_an_identity_number_is_eleven_ascii_digits(digits):
    assert privacy.valid_identity_number(digits) is False


# --- phone numbers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "digits"),
    [
        ("934 56 789", "93456789"),
        ("+47 934 56 789", "93456789"),
        ("0047 934 56 789", "93456789"),
        ("(+47) 22.33.44.66", "22334466"),
        ("471 23 456", "47123456"),  # a mobile number that starts with 47 keeps it
        ("0047 12 34", "00471234"),  # 0047 is cut only before eight digits
        ("+47 123 4567", "471234567"),  # nine digits: not a Norwegian number, kept whole
        ("tlf.", ""),
    ],
)
def test_phone_digits_drop_the_country_code_before_eight_digits_only(written, digits):
    assert privacy.phone_digits(written) == digits


# --- masks ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "value", "masked"),
    [
        # a phone shows its first group (three digits of an unbroken number), never the rest
        ("phone", "934 56 789", "934 ** ***"),
        ("phone", "93456789", "934*****"),
        ("phone", "22.33.44.66", "22.**.**.**"),
        ("phone", "9345 6789", "9345 ****"),
        ("phone", "9-1-2-3-4-5-6-7", "9-*-*-*-*-*-*-*"),
        # a country code stays visible and is not counted as the first group
        ("phone", "+47 934 56 789", "+47 934 ** ***"),
        ("phone", "+4793456789", "+47934*****"),
        ("phone", "0047 22 33 44 66", "0047 22 ** ** **"),
        ("phone", "(+47) 934-56-789", "(+47) 934-**-***"),
        # a "0047" that is the number's own first digits is not a country code
        ("phone", "0047 1234", "0047 ****"),
        # words before the number: every digit hidden
        ("phone", "tlf. 934 56 789", "tlf. *** ** ***"),
        # a digit too many or too few: still the first group only
        ("phone", "934 56 789 1", "934 ** *** *"),
        ("phone", "+47 934 5678", "+47 934 ****"),
        ("id_number", FNR, "01*********"),
        ("id_number", "010190 12480", "01**** *****"),
        ("email", "lise@helse-vest.no", "l***@h***.no"),
        ("email", "kari.nordmann@x.kommune.no", "k***@x***.no"),
        ("email", "lise@intranett", "l***@i***"),  # one label: no top-level domain to show
        ("email", "lise@berg@x.no", "l***@b***.no"),  # mistyped: the local part ends at the first @
        ("name", "Lise Berg", "L*** B***"),
        ("name", "Kari  Anne Nordmann", "K*** A*** N***"),
    ],
)
def test_a_mask_shows_the_start_of_a_value_only(kind, value, masked):
    assert privacy.mask(kind, value) == masked


# --- every finding, with its place ----------------------------------------------------------------


def test_every_finding_has_its_kind_key_mask_and_place():
    text = (
        "Kari Nordmann (fnr 010190 12480) ringer 0047 934 56 789 "
        "eller skriver til KARI.Nordmann (AT) Helse-Vest (dot) NO; lise at post.helse-vest.no."
    )
    found = privacy.find_personal_data(text, ["Kari Nordmann", "Lise"])
    written = [text[f.start : f.end] for f in found]
    assert written == [
        "Kari Nordmann",
        "010190 12480",
        "0047 934 56 789",
        "KARI.Nordmann (AT) Helse-Vest (dot) NO",
        "lise at post.helse-vest.no",
    ]
    assert [(f.kind, f.key, f.masked) for f in found] == [
        ("name", "kari nordmann", "K*** N***"),
        ("id_number", FNR, "01**** *****"),
        ("phone", "93456789", "0047 934 ** ***"),
        # an e-mail is masked from its key: the address as one would type it
        ("email", "kari.nordmann@helse-vest.no", "k***@h***.no"),
        ("email", "lise@post.helse-vest.no", "l***@p***.no"),
    ]
    # a one-word name is not searched for on its own ("Lise" above), only as part of a full name
    assert privacy.find_personal_data("Lise kom.", ["Lise"]) == []


def test_where_two_findings_overlap_the_first_to_start_wins():
    # "Berg Hansen" starts inside "Lise Berg"; the e-mail address holds a name written as one
    text = "Lise Berg Hansen skrev fra lise.berg@x.no"
    found = privacy.find_personal_data(text, ["Berg Hansen", "Lise Berg"])
    assert [(f.kind, f.start, f.end) for f in found] == [
        ("name", 0, 9),
        ("email", 27, 41),
    ]


def test_an_email_key_keeps_the_address_as_written_in_lower_case():
    [found] = privacy.find_personal_data("skriv til .lise@x.no")
    assert (found.key, found.start) == (".lise@x.no", 10)


# --- names and roles ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "is_name"),
    [
        ("Lise Berg", True),
        ("Kari Anne Berg Olsen", True),
        ("Kari Anne Berg Olsen Dahl", False),  # five words
        ("Lise", False),
        ("lise Berg", False),
        ("Lise berg", False),
        ("Åse Øvrebø", True),
        ("Lise B. O'Neil-Berg", True),
        ("Lise B@rg", False),
        ("A B", True),
    ],
)
def test_a_name_is_two_to_four_capitalised_words(text, is_name):
    assert bool(privacy.looks_like_name(text)) is is_name


def test_name_keys_and_contacts_names():
    assert privacy.name_key("Kari-Anne  NORDMANN 2") == "kari-anne nordmann"
    assert privacy.split_names("Lise Berg; Ole Hansen ;; ") == ["Lise Berg", "Ole Hansen"]
    assert privacy.split_names(None) == [] and privacy.split_names("") == []


@pytest.mark.parametrize(
    "written", ["lise berg", "LISE_BERG", "Lise.Berg", "Lise - Berg", "Lise\nBerg"]
)
def test_a_full_name_is_found_with_any_separator_and_case(written):
    [found] = privacy.find_personal_data(f"fra {written}.pdf", ["Lise Berg"])
    assert (found.kind, found.key, found.start, found.end) == (
        "name",
        "lise berg",
        4,
        4 + len(written),
    )


@pytest.mark.parametrize(
    ("value", "name_role"),
    [
        ("Lise Berg, prosjektleder", ("Lise Berg", "prosjektleder")),
        ("prosjektleder / Lise Berg", ("Lise Berg", "prosjektleder")),
        ("Lise Berg; Ole Hansen", ("Lise Berg", "Ole Hansen")),
        ("Lise Berg., leder:", ("Lise Berg", "leder")),
        ("Lise Berg, ., leder", ("Lise Berg", "leder")),
        ("Lise Berg, 934 56 789", ("Lise Berg", "")),  # the phone is not a role
        ("Lise Berg – leder | tlf. 934 56 789 | e-post: lise@x.no", ("Lise Berg", "leder")),
        ("Lise Berg, leder, styret", ("Lise Berg", "leder, styret")),
        ("Xavier Berg, leder", ("Xavier Berg", "leder")),
        ("Lise Berg, X", ("Lise Berg", "X")),
        ("leder, styret", ("leder", "styret")),  # no name: the first part, as written
        ("leder", ("leder", "")),
        ("", ("", "")),
    ],
)
def test_a_contact_is_split_into_name_and_role(value, name_role):
    assert privacy.split_name_role(value) == name_role


def test_contact_lines_anywhere_give_names_once():
    lines = [
        "Kontaktperson: Lise Berg, prosjektleder",
        "Tekst om Ole Hansen.",
        "  * Kontakt : Ole Hansen (rådgiver)",
        "Contact person: Lise Berg",
        "Kontakt: prosjektleder",  # no name on it
        "Kontakt: ,",
    ]
    assert privacy.contact_names_in_lines(lines) == ["Lise Berg", "Ole Hansen"]


def test_a_contact_line_is_read_to_its_2000th_character():
    line = "Kontakt: " + " " * 1983 + "Lise Berg"  # the "g" is the 2001st character
    assert len(line) == 2001
    assert privacy.contact_names_in_lines([line]) == ["Lise Ber"]
    assert privacy.contact_names_in_lines([line.replace("  ", " ", 1)]) == ["Lise Berg"]


def test_a_contact_with_a_long_run_of_spaces_is_read_once():
    """The split into name and role starts only where a run of spaces starts (it took 90 s on
    a million spaces when every position of the run was tried)."""
    import time

    start = time.process_time()
    assert privacy.split_name_role("Lise Berg" + " " * 1_000_000 + "x, leder") == (
        "Lise Berg" + " " * 1_000_000 + "x",
        "leder",
    )
    assert time.process_time() - start < 10


# --- scrubbing -----------------------------------------------------------------------------------


def test_a_record_is_scrubbed_in_its_text_fields_only():
    record = {
        "example_id": "Lise-Berg-1",
        "format": "Lise",
        "completeness": "Berg",
        "n_pages": 3,
        "title": "Lise Berg og Ole Hansen",
        "result": "Ring Lise på 934 56 789; Ole svarer. Kode XXXX.",
    }
    contact = {"name": "Lise Berg; Ole"}
    out = privacy.scrub_record(record, contact, ["Ole Hansen"])
    assert out == {
        "example_id": "Lise-Berg-1",
        "format": "Lise",
        "completeness": "Berg",
        "n_pages": 3,
        # the contact's own names also part by part, another contact's only in full
        "title": "[navn fjernet] og [navn fjernet]",
        "result": "Ring [navn fjernet] på [telefon fjernet]; [navn fjernet] svarer. Kode XXXX.",
    }
    assert record["title"] == "Lise Berg og Ole Hansen"  # a copy
    assert privacy.scrub_record({"title": "Kode XXXX"}, {}) == {"title": "Kode XXXX"}


def test_columns_are_scrubbed_of_full_names_and_patterns_only():
    import pandas as pd

    table = pd.DataFrame(
        {
            "file": ["lise_berg.qdpx", "Lise.xlsx", 7],
            "n": [1, 2, 3],
            "note": ["Lise Berg ringte 22 33 44 66", float("nan"), "ok"],
        }
    )
    out = privacy.scrub_columns(table, ["file", "note", "absent"], ["Lise Berg"])
    assert out["file"].tolist() == ["[navn fjernet].qdpx", "Lise.xlsx", 7]
    assert out["note"].tolist()[0] == "[navn fjernet] ringte [telefon fjernet]"
    assert pd.isna(out["note"].tolist()[1]) and out["note"].tolist()[2] == "ok"
    assert out["n"].tolist() == [1, 2, 3] and list(out.columns) == ["file", "n", "note"]
    assert table["file"].tolist()[0] == "lise_berg.qdpx"  # a copy


@pytest.mark.parametrize(
    ("text", "names", "other_names", "scrubbed"),
    [
        ("", ["Lise Berg"], (), ""),
        (None, ["Lise Berg"], (), None),
        (
            "Lise Berg, Lise og Berg",
            ["Lise Berg"],
            (),
            "[navn fjernet], [navn fjernet] og [navn fjernet]",
        ),
        ("Lise Berg, Lise og Berg", [], ["Lise Berg"], "[navn fjernet], Lise og Berg"),
        # a name given as both the contact's and another's is the contact's: parts go too
        ("Lise Berg, Lise", ["Lise Berg"], ["Lise Berg"], "[navn fjernet], [navn fjernet]"),
        # the longer name first: "Kari Anne Nordmann" whole, not "Kari Anne" and a rest
        ("Kari Anne Nordmann", [], ["Kari Anne", "Kari Anne Nordmann"], "[navn fjernet]"),
        ("Kari Anne Nordmann", [], ["kari anne", "Kari Anne Nordmann"], "[navn fjernet]"),
        # parts of one letter and parts in lower case are not scrubbed on their own
        ("Ring K. eller von", ["K. von Berg"], (), "Ring K. eller von"),
        ("Ring K. eller Berg", ["K. von Berg"], (), "Ring K. eller [navn fjernet]"),
        ("Lisebeth og Lise", ["Lise Berg"], (), "Lisebeth og [navn fjernet]"),
        (
            "tlf 934 56 789, fnr 01019012480.",
            [],
            (),
            "tlf [telefon fjernet], fnr [fødselsnummer fjernet].",
        ),
    ],
)
def test_scrub_text(text, names, other_names, scrubbed):
    assert privacy.scrub_text(text, names, other_names) == scrubbed


# --- the private row of an example ------------------------------------------------------------------


def test_the_contact_row_holds_the_declared_contact_and_what_the_form_names():
    lines = [
        "Kontaktperson: Lise Berg, prosjektleder",
        "Ring",
        "22 33 44 66 eller skriv til ole (at) x.no.",
        "Kontakt: Ole Hansen (rådgiver)",
        f"Fnr {FNR}",
    ]
    contact = {
        "name": "Lise Berg, prosjektleder",
        "phone": "+47 934 56 789",
        "email": "LISE@Helse-Vest.no.",
    }
    assert privacy.contact_row("ex-1", contact, lines) == {
        "example_id": "ex-1",
        "name": "Lise Berg; Ole Hansen",
        "role": "prosjektleder",
        "phone": "93456789; 22334466",
        "email": "lise@helse-vest.no; ole@x.no",
    }  # the identity number is not stored, not even here


def test_a_contact_row_keeps_a_declared_role_and_an_unreadable_email_as_written():
    contact = {
        "name": "Lise Berg, leder",
        "role": "Rådgiver",
        "phone": "12345",
        "email": " lise på helse vest, se FAX. ",
    }
    assert privacy.contact_row("ex-2", contact, ["Ingen kontaktlinje her."]) == {
        "example_id": "ex-2",
        "name": "Lise Berg",
        "role": "Rådgiver",
        "phone": "",
        "email": "lise på helse vest, se FAX",
    }
    assert privacy.contact_row("ex-3", {}, []) == {
        "example_id": "ex-3",
        "name": "",
        "role": "",
        "phone": "",
        "email": "",
    }


# --- the contacts' own values ------------------------------------------------------------------------


def _contacts(rows):
    import pandas as pd

    return pd.DataFrame(rows, columns=privacy.CONTACT_COLUMNS)


def test_contact_values_give_names_longest_first_and_the_first_example_of_each_value():
    contacts = _contacts(
        [
            ["ex-1", "Kari Nordmann; Ole", "Leder", "+47 912 34 567; 22 33 44 66", "Kari@X.no"],
            ["ex-2", "Lise Berg; Anne Li", None, None, None],
            ["ex-3", "Ole Hagen; Kari Nordmann; Lise-Berg", "", "912 34 567", ""],
        ]
    )
    names, owner = privacy.contact_values(contacts)
    # one word is not a full name ("Ole", "Lise-Berg"); "Lise Berg" and "Ole Hagen" are as long:
    # alphabetical, whatever the hash order of the set they are collected in
    assert names == ["Kari Nordmann", "Lise Berg", "Ole Hagen", "Anne Li"]
    assert owner == {
        ("name", "kari nordmann"): "ex-1",
        ("phone", "91234567"): "ex-1",
        ("phone", "22334466"): "ex-1",
        ("email", "kari@x.no"): "ex-1",
        ("name", "lise berg"): "ex-2",
        ("name", "anne li"): "ex-2",
        ("name", "ole hagen"): "ex-3",
    }
    assert privacy.contact_values(None) == ([], {})


def test_the_contacts_own_values_are_found_however_they_are_written():
    owner = {
        ("phone", "93456789"): "ex-1",
        ("email", "kari@intranett"): "ex-1",
        ("email", "abc@x.no"): "ex-2",
        ("phone", "1234"): "ex-3",  # not eight digits: not searched for
    }
    text = "Ring 9 3 4 5 6.7-8-9 eller kari@INTRANETT, KARI@intranett; konto 1934567890; a-b-c@x.no"
    found = privacy.findings_in_text(text, owner=owner)
    assert [(f.kind, f.key, f.masked, text[f.start : f.end]) for f in found] == [
        # by pattern: an e-mail address written with dashes is its own address
        ("email", "a-b-c@x.no", "a***@x***.no", "a-b-c@x.no"),
        # the contacts' own values, in the order of the contacts: the first place each is
        # written
        ("phone", "93456789", "9 * * * *.*-*-*", "9 3 4 5 6.7-8-9"),
        ("email", "kari@intranett", "k***@i***", "kari@INTRANETT"),
    ]
    # inside a longer number the digits are not the contact's phone
    assert privacy.findings_in_text("konto 1934567890", owner=owner) == []
    # found by pattern and as the contact's own: once
    [once] = privacy.findings_in_text("tlf 934 56 789", owner=owner)
    assert (once.kind, once.key, once.masked) == ("phone", "93456789", "934 ** ***")


# --- what a file holds, as a reader reads it ----------------------------------------------------------


def _chunk(kind: bytes, body: bytes) -> bytes:
    """A PNG chunk: length, type, body, CRC (the scan does not check the CRC)."""
    import struct
    import zlib

    return struct.pack(">I4s", len(body), kind) + body + struct.pack(">I", zlib.crc32(kind + body))


def _png(*chunks: bytes) -> bytes:
    import struct

    header = _chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
    return privacy.PNG_SIGNATURE + header + b"".join(chunks)


def test_a_png_s_text_chunks_are_read_as_the_png_format_defines_them():
    import zlib

    packed = zlib.compress(b"Lise Berg")  # holds a zero byte, as compressed data may
    assert b"\0" in packed
    png = _png(
        _chunk(b"tEXt", b"Title\0Ring 934 56 789"),
        _chunk(b"zTXt", b"Author\0\0" + packed),
        # iTXt: keyword, compression flag, method, language, translated keyword, text
        _chunk(b"iTXt", b"Comment\0\0\0nb\0Kommentar\0Skriv til l\xc3\xb8se@x.no"),
        _chunk(b"iTXt", b"Source\0\1\0\0\0" + zlib.compress("Åse Øvrebø".encode())),
        _chunk(b"iTXt", b"Note\0\0\0\0\0tekst"),  # no language, no translation
        _chunk(b"iTXt", b"Bad\0\0\0\0\0\xff\xfe ok"),  # not UTF-8: replaced
        _chunk(b"IDAT", zlib.compress(b"lise@x.no 22 33 44 66")),  # pixels: not read
        _chunk(b"IEND", b""),
        _chunk(b"tEXt", b"After\0ring 22 33 44 66"),  # after the end: not read
    )
    assert privacy.png_text(png) == "\n".join(
        [
            "Title Ring 934 56 789",
            "Author Lise Berg",
            "Comment Skriv til løse@x.no",
            "Source Åse Øvrebø",
            "Note tekst",
            "Bad \ufffd\ufffd ok",
        ]
    )


def test_an_unreadable_png_chunk_is_read_as_its_bytes():
    png = _png(
        _chunk(b"zTXt", b"Note\0\0not zlib 934 56 789"),
        _chunk(b"iTXt", b"Key"),  # cut short: no flags
        _chunk(b"iTXt", b"Packed\0\1\0\0\0not zlib"),
        _chunk(b"IEND", b""),
    )
    assert privacy.png_text(png) == "\n".join(
        ["Note\0\0not zlib 934 56 789", "Key", "Packed\0\1\0\0\0not zlib"]
    )


def test_a_png_cut_off_is_read_as_far_as_it_goes():
    chunk = _chunk(b"tEXt", b"Title\0Ring 934 56 789")
    assert privacy.png_text(_png(chunk)) == "Title Ring 934 56 789"  # no IEND
    # a header with its length and type and nothing after: an empty chunk
    assert privacy.png_text(_png(chunk, b"\0\0\0\x05tEXt")) == "Title Ring 934 56 789\n"
    # a body shorter than its length: what there is
    assert privacy.png_text(_png(chunk, b"\0\0\0\x40tEXtA\0b")) == "Title Ring 934 56 789\nA b"
    assert privacy.png_text(privacy.PNG_SIGNATURE + b"\0\0\0") == ""


def test_xml_text_joins_the_runs_of_a_paragraph_and_drops_their_formatting():
    raw = (
        'Før<w:document xmlns:w="http://x"><w:body><w:p><w:r><w:rPr>'
        '<w:rFonts w:ascii="Calibri"/><w:b/></w:rPr><w:t>Ring </w:t></w:r><w:r><w:rPr/>'
        '<w:t>934</w:t></w:r><w:proofErr w:type="spellStart"/><w:r><w:t xml:space="preserve">'
        "-56-789</w:t></w:r></w:p><p><r><t>Tom &amp; Lise</t></r></p></w:body></w:document>etter"
    )
    # each element not part of a run ends a line; a run's pieces (r, t, proofErr) are one text
    assert privacy.xml_text(raw) == ("Før\nhttp://x\n\n\nRing 934-56-789\n\nTom & Lise\n\n\netter")


def test_xml_text_drops_everything_inside_formatting_however_deep():
    raw = '<r><rPr><rPr/><rPr><b val="x"/></rPr><color val="22334466"/></rPr><t>a</t></r>'
    assert privacy.xml_text(raw) == "a"
    assert privacy.xml_text("</rPr>b<rPr/>c") == "bc"  # a closing tag alone does not count
    assert privacy.xml_text("Ring 934 &lt;x&gt;") == "Ring 934 <x>"


def test_xml_text_keeps_attributes_a_person_wrote_and_drops_machine_ones():
    raw = (
        '<svg viewBox="0 0 22 33"><path d="M 4684 1234" style="fill:#934567" transform="t"/>'
        "<text x='1' title='Lise Berg' lang=\"nb\" alt=\"\" empty=''>Ring</text>"
        '<w:p w:rsidR="00934567" w14:paraId="93456789" w14:textId="22334466">'
        '<w:nsid w:val="22334455"/><w:sig w:usb0="E0002EFF" w:csb1="00000000"/></w:p>'
        '<w:tmpl w:val="93456788"/><w:docId w14:val="93456787"/></svg>'
    )
    assert privacy.xml_text(raw) == "\n\n\n1\nLise Berg\nnb\nRing\n\n\n\n\n\n\n\n"


def _zip_bytes(members: list[tuple[str, bytes]]) -> bytes:
    """A zip archive with the members in the order given (a name ending in / is a folder)."""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


ZIPPED = [  # not in order; a picture and a folder among the text members
    ("e/f.txt", b"ring 934 56 789"),
    ("b.png", b"\x89PNG lise@x.no"),
    ("a.xml", b"<t>Lise</t>"),
    ("d/", b""),
    ("c.txt", b"Tom &amp; Lise"),
    ("NOTE.TXT", b"Lise Berg \xff"),
]
# what a reader reads in it, member by member in the order of their names: XML as its text, a
# text member as written (an invalid byte replaced), pictures and folders not at all
ZIPPED_TEXTS = [
    ("NOTE.TXT", "Lise Berg \ufffd"),
    ("a.xml", "Lise"),
    ("c.txt", "Tom &amp; Lise"),
    ("e/f.txt", "ring 934 56 789"),
]


def _data_uri(data: bytes, mime: str = "text/csv") -> str:
    import base64

    return f"data:{mime};charset=utf8;filename=x;base64," + base64.b64encode(data).decode()


def _report_page() -> str:
    import json

    results = {
        "e/fake.bin": {"data_uri": _data_uri(b"PK\x03\x04 ring 934 56 789")},  # not a zip
        "d/notes.zip": {"data_uri": _data_uri(_zip_bytes(ZIPPED), "application/zip")},
        # base64 with characters that are not base64: they are left out
        "c/table.csv": {
            "data_uri": _data_uri(b"note\nring 934 56 789\n")[:-8]
            + "!\n"
            + _data_uri(b"note\nring 934 56 789\n")[-8:]
        },
        "b/bad.csv": {"caption": "tom", "data_uri": "data:text/csv;base64,abc"},  # padding
        "a/caption.csv": {"caption": "Åse Øvrebø", "name": "x"},  # no data
    }
    return (
        '<script id="workflow-desc">var workflow_desc = "<p>Kontakt Lise Berg</p>";</script>'
        '<script>var x = "someone@example.com";</script>'
        f'<script id="results">var results={json.dumps(results)};</script>'
        '<script id="rulegraph">\n  var rulegraph = {"nodes": ["ingest"]};\n</script>'
        '<script id="rules">var rules = {"r": "Ring 22 33 44 66"}'  # never closed
    )


def test_a_report_is_read_in_its_parts_that_hold_the_study():
    assert privacy.report_texts(_report_page()) == [
        ("<script id=workflow-desc>", '"<p>Kontakt Lise Berg</p>"'),
        ("a/caption.csv (caption)", '{"caption": "Åse Øvrebø", "name": "x"}'),
        ("b/bad.csv (caption)", '{"caption": "tom"}'),
        ("b/bad.csv", "data:text/csv;base64,abc"),
        ("c/table.csv (caption)", "{}"),
        ("c/table.csv", "note\nring 934 56 789\n"),
        ("d/notes.zip (caption)", "{}"),
        *((f"d/notes.zip/{member}", text) for member, text in ZIPPED_TEXTS),
        ("e/fake.bin (caption)", "{}"),
        ("e/fake.bin", "PK\x03\x04 ring 934 56 789"),
        ("<script id=rulegraph>", '{"nodes": ["ingest"]}'),
        ("<script id=rules>", '{"r": "Ring 22 33 44 66"}'),
    ]


def test_a_report_whose_results_are_not_json_is_read_as_text():
    page = (
        '<script id="results">var results = {"a": 22 33 44 66};</script>'
        '<script id="results">var results = {};</script>'  # a second one is not read
        '<script id="metadata">var metadata = "Lise Berg";</script>'
    )
    assert privacy.report_texts(page) == [
        ("<script id=results>", '{"a": 22 33 44 66}'),
        ("<script id=metadata>", '"Lise Berg"'),
    ]


@pytest.mark.parametrize("name", ["report.html", "report.htm", "REPORT.HTML"])
def test_readable_texts_open_a_report_by_its_suffix(tmp_path, name):
    path = tmp_path / name
    path.write_text(_report_page(), encoding="utf-8")
    assert privacy.readable_texts(path) == privacy.report_texts(_report_page())


def test_readable_texts_of_plain_xml_zip_and_undecodable_files(tmp_path):
    page = tmp_path / "page.txt"  # not a report by its name, whatever it holds
    page.write_text(_report_page(), encoding="utf-8")
    assert privacy.readable_texts(page) == [("", _report_page())]
    figure = tmp_path / "FIGURE.SVG"
    figure.write_text('<svg><path d="M 22 33 44 66"/><text>Lise</text></svg>', encoding="utf-8")
    assert privacy.readable_texts(figure) == [("", "\n\n\nLise\n\n")]
    plain = tmp_path / "notes.md"
    plain.write_bytes("Åse <b>".encode() + b" \xff")
    assert privacy.readable_texts(plain) == [("", "Åse <b> \ufffd")]
    archive = tmp_path / "notes.qdpx"
    archive.write_bytes(_zip_bytes(ZIPPED))
    assert privacy.readable_texts(archive) == ZIPPED_TEXTS


# --- the scan: one row per value, file and member -----------------------------------------------------

CONTACTS = [
    ["ex-1", "Kari Nordmann", "Leder", "912 34 567", "kari@x.no"],
    ["ex-2", "Lise Berg", "", "", ""],
]


def test_the_scan_reports_each_value_once_per_file_and_member(tmp_path):
    table = tmp_path / "b.csv"
    table.write_text(
        f"id,note\nex-1,Ring 912 34 567 eller 912-34-567; KARI@x.no\nex-2,Lise Berg fnr {FNR}\n",
        encoding="utf-8",
    )
    note = tmp_path / "c.txt"
    note.write_text("tlf 9-1-2-3-4-5-6-7, ring 22 33 44 66\n", encoding="utf-8")
    archive = tmp_path / "d.qdpx"
    archive.write_bytes(
        _zip_bytes([("s/2.txt", b"Lise Berg"), ("s/1.txt", b"lise berg, 22334466")])
    )
    files = [note, tmp_path / "a_missing.csv", archive, table, str(note)]
    found = privacy.scan_files(files, _contacts(CONTACTS))
    # files in name order, a missing one skipped; members in name order
    assert found.values.tolist() == [
        [str(table), "", "phone", "912 ** ***", "ex-1", "91234567"],
        [str(table), "", "email", "k***@x***.no", "ex-1", "kari@x.no"],
        [str(table), "", "name", "L*** B***", "ex-2", "lise berg"],
        [str(table), "", "id_number", "01*********", "", FNR],
        [str(note), "", "phone", "22 ** ** **", "", "22334466"],
        [str(note), "", "phone", "9-*-*-*-*-*-*-*", "ex-1", "91234567"],
        [str(archive), "s/1.txt", "name", "L*** B***", "ex-2", "lise berg"],
        [str(archive), "s/1.txt", "phone", "223*****", "", "22334466"],
        [str(archive), "s/2.txt", "name", "L*** B***", "ex-2", "lise berg"],
    ]
    assert list(found.columns) == privacy.LEAK_COLUMNS
    empty = privacy.scan_files([tmp_path / "a_missing.csv"])
    assert empty.empty and list(empty.columns) == privacy.LEAK_COLUMNS


def test_files_under_folders_in_name_order(tmp_path):
    (tmp_path / "b" / "c").mkdir(parents=True)
    for name in ("b/c/z.txt", "b/a.txt", "a.txt"):
        (tmp_path / name).write_text("x")
    folders = [tmp_path / "b", tmp_path / "missing", str(tmp_path / "b" / "c")]
    assert privacy.files_under(folders) == [
        tmp_path / "b/a.txt",
        tmp_path / "b/c/z.txt",
        tmp_path / "b/c/z.txt",  # its folder was given twice
    ]


# --- tracing a value to the input that carries it ------------------------------------------------------


def _workbook(path, cells: dict[str, object], title: str = "Koding"):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = title
    for ref, value in cells.items():
        wb.active[ref] = value
    wb.save(path)
    return path


def test_input_texts_name_each_place_a_person_would_edit(tmp_path):
    forms_dir = tmp_path / "forms"
    forms_dir.mkdir()
    form = forms_dir / "skjema.txt"
    form.write_text(
        "Kontaktinformasjon\nKontaktperson: Lise Berg\nOverskrift: Brukerråd\n"
        "Bakgrunn: Ring 934 56 789.\n",
        encoding="utf-8",
    )
    assert list(privacy.input_texts(form)) == [
        ("del/section «Kontaktinformasjon»", "Kontaktperson: Lise Berg"),
        ("del/section «Overskrift»", "Brukerråd"),
        ("del/section «Bakgrunn»", "Ring 934 56 789."),
        ("utenfor skjemaets deler/outside the form's sections", ""),
    ]
    # the same text outside forms/: lines
    notes = tmp_path / "notes.txt"
    notes.write_text("Lise Berg ringer.\nOverskrift: x\n", encoding="utf-8")
    assert list(privacy.input_texts(notes)) == [
        ("linje/line 1", "Lise Berg ringer."),
        ("linje/line 2", "Overskrift: x"),
    ]


@pytest.mark.parametrize("suffix", [".xlsx", ".xlsm", ".XLSX"])
def test_input_texts_of_a_workbook_name_sheet_and_cell(tmp_path, suffix):
    book = _workbook(
        tmp_path / f"anne{suffix}",
        {
            "A1": "Merknad",
            "C2": "ring 934 56 789",
            "B3": "   ",
            "AA10": 22334466,
            "D4": '=CONCATENATE("Lise"," Berg")',
        },
    )
    # cells as saved: a formula without a saved value is no text, a blank cell is none
    assert list(privacy.input_texts(book)) == [
        ("ark/sheet «Koding», celle/cell A1", "Merknad"),
        ("ark/sheet «Koding», celle/cell C2", "ring 934 56 789"),
        ("ark/sheet «Koding», celle/cell AA10", "22334466"),
    ]


def test_input_texts_of_a_table_name_row_and_column(tmp_path):
    table = tmp_path / "codings.csv"
    rows = [f"ex-{i};n{i}" for i in range(1, 9)] + ["ex-9; ", "ex-10;ring 934 56 789;extra"]
    table.write_text("id;note\n" + "\n".join(rows) + "\n", encoding="utf-8")
    # the header row by column number, the others by the header's names; a cell past the
    # header by its number; blank cells are not places
    assert list(privacy.input_texts(table)) == [
        ("rad/row 1, kolonne/column «1»", "id"),
        ("rad/row 1, kolonne/column «2»", "note"),
        *(
            (f"rad/row {i + 1}, kolonne/column «{column}»", value)
            for i in range(1, 9)
            for column, value in (("id", f"ex-{i}"), ("note", f"n{i}"))
        ),
        ("rad/row 10, kolonne/column «id»", "ex-9"),
        ("rad/row 11, kolonne/column «id»", "ex-10"),
        ("rad/row 11, kolonne/column «note»", "ring 934 56 789"),
        ("rad/row 11, kolonne/column «3»", "extra"),
    ]
    tabbed = tmp_path / "codings.TSV"
    tabbed.write_text("id\tnote\nex-1\tLise Berg\n", encoding="utf-8")
    assert list(privacy.input_texts(tabbed))[-1] == (
        "rad/row 2, kolonne/column «note»",
        "Lise Berg",
    )


def test_an_input_that_cannot_be_parsed_is_searched_as_text(tmp_path):
    one_column = tmp_path / "names.csv"  # no delimiter to find: read as lines
    one_column.write_text("Xavier Berg\nXena Lie\n", encoding="utf-8")
    assert list(privacy.input_texts(one_column)) == [
        ("linje/line 1", "Xavier Berg"),
        ("linje/line 2", "Xena Lie"),
    ]
    not_a_workbook = tmp_path / "sheet.xlsx"  # a zip, but no workbook: its members' lines
    not_a_workbook.write_bytes(_zip_bytes([("note.txt", b"a\nring 934 56 789")]))
    assert list(privacy.input_texts(not_a_workbook)) == [
        ("note.txt, linje/line 1", "a"),
        ("note.txt, linje/line 2", "ring 934 56 789"),
    ]


def test_input_texts_of_archives_and_xml_files(tmp_path):
    archive = tmp_path / "project.qdpx"
    archive.write_bytes(_zip_bytes(ZIPPED))
    assert list(privacy.input_texts(archive)) == [
        ("NOTE.TXT, linje/line 1", "Lise Berg \ufffd"),
        ("a.xml, linje/line 1", "Lise"),
        ("c.txt, linje/line 1", "Tom &amp; Lise"),
        ("e/f.txt, linje/line 1", "ring 934 56 789"),
    ]
    codebook = tmp_path / "codebook.qdc"  # an input's XML is read line by line as written
    codebook.write_text('<Code name="F01">\n<Description>Lise</Description>\n</Code>', "utf-8")
    assert list(privacy.input_texts(codebook)) == [
        ("linje/line 1", '<Code name="F01">'),
        ("linje/line 2", "<Description>Lise</Description>"),
        ("linje/line 3", "</Code>"),
    ]


def test_trace_inputs_gives_every_place_of_each_leaked_value_once(tmp_path):
    import pandas as pd

    leaks = pd.DataFrame(
        [
            ["out.csv", "", "phone", "934 ** ***", "", "93456789"],
            ["out.csv", "", "name", "L*** B***", "ex-2", "lise berg"],
            ["out.csv", "", "email", "n***@x***.no", "", "nobody@x.no"],
            ["out.csv", "", "phone", "912 ** ***", "ex-1", "91234567"],
        ],
        columns=privacy.LEAK_COLUMNS,
    )
    notes = tmp_path / "b_notes.txt"
    notes.write_text(
        "Ring 934 56 789 eller 934-56-789.\nkari@x.no\nLise Berg: 934 56 789\ntlf 9-1-2-3-4-5-6-7\n",
        encoding="utf-8",
    )
    book = _workbook(tmp_path / "c_anne.xlsx", {"B2": "Lise Berg"})
    inputs = [tmp_path / "a_missing.txt", book, notes, str(notes)]
    assert privacy.trace_inputs(leaks, inputs, _contacts(CONTACTS)) == {
        ("phone", "93456789"): [f"{notes}, linje/line 1", f"{notes}, linje/line 3"],
        ("name", "lise berg"): [
            f"{notes}, linje/line 3",
            f"{book}, ark/sheet «Koding», celle/cell B2",
        ],
        ("email", "nobody@x.no"): [],  # kari@x.no is in the inputs, but did not leak
        # a contact's own number however it is written
        ("phone", "91234567"): [f"{notes}, linje/line 4"],
    }


# --- the scan's message, and what it removes ---------------------------------------------------------


def _leaks(rows):
    import pandas as pd

    return pd.DataFrame(rows, columns=privacy.LEAK_COLUMNS)


def test_the_report_of_a_clean_scan():
    assert privacy.leak_report(["a", "b"], _leaks([])) == (
        "Personvernkontroll: 2 fil(er) kontrollert; ingen fødselsnummer, telefonnummer, "
        "e-postadresse eller kontaktpersons navn funnet.\n"
        "Privacy scan: checked 2 file(s); no identity number, phone number, e-mail address or "
        "contact name found.\n"
    )


LEAKS = [  # one value in two files, written two ways; a value in a workbook's member
    ["out/b.csv", "", "phone", "934 ** ***", "", "93456789"],
    ["out/a.xlsx", "xl/sharedStrings.xml", "name", "L*** B***", "ex-2", "lise berg"],
    ["out/c.md", "", "phone", "934-**-***", "ex-1", "93456789"],
    ["out/b.csv", "", "id_number", "01*********", "", FNR],
    ["out/b.csv", "", "name", "L*** B***", "", "lise berg"],
]


def test_the_report_of_a_failed_scan_whole():
    sources = {
        ("phone", "93456789"): [
            "raw/forms/x.txt, del/section «Bakgrunn»",
            "raw/codings/anne.xlsx, ark/sheet «Koding», celle/cell R4",
        ],
        ("name", "lise berg"): [],
    }
    removed = ["out/a.xlsx", "out/b.csv", "out/c.md"]
    # values in the order they were first found; each with its contact's example, where it
    # comes from and every output holding it
    assert privacy.leak_report(["out/a.xlsx", "out/b.csv"], _leaks(LEAKS), sources, removed) == (
        "Personvernkontrollen STOPPET kjøringen: personopplysninger funnet i 3 fil(er).\n"
        "Privacy scan FAILED: personal data found in 3 file(s).\n"
        "\n"
        "- telefonnummer / phone number: 934 ** *** (kontaktperson for/contact for ex-1)\n"
        "    kommer fra/comes from: raw/forms/x.txt, del/section «Bakgrunn»\n"
        "    kommer fra/comes from: raw/codings/anne.xlsx, ark/sheet «Koding», celle/cell R4\n"
        "    funnet i/found in: out/b.csv\n"
        "    funnet i/found in: out/c.md\n"
        "- kontaktpersons navn / contact person's name: L*** B*** "
        "(kontaktperson for/contact for ex-2)\n"
        "    kommer fra/comes from: ikke funnet i inndataene/not found in the inputs\n"
        "    funnet i/found in: out/a.xlsx (xl/sharedStrings.xml)\n"
        "    funnet i/found in: out/b.csv\n"
        "- fødselsnummer eller D-nummer / identity number: 01*********\n"
        "    kommer fra/comes from: ikke funnet i inndataene/not found in the inputs\n"
        "    funnet i/found in: out/b.csv\n"
        "\n"
        "Disse filene er slettet, så opplysningene ikke blir liggende / These files were removed "
        "so that the data does not stay on disk:\n"
        "    out/a.xlsx\n"
        "    out/b.csv\n"
        "    out/c.md\n"
        "Fjern eller rett opplysningen i kildefilen (kommer fra) og kjør på nytt. Verdiene vises "
        "ikke i sin helhet her.\n"
        "Remove or fix the value in the input it comes from and run again. Values are not shown "
        "in full here.\n"
    )


def test_the_report_without_sources_or_removed_files():
    report = privacy.leak_report(["out/b.csv"], _leaks(LEAKS[3:4]))
    assert report == (
        "Personvernkontrollen STOPPET kjøringen: personopplysninger funnet i 1 fil(er).\n"
        "Privacy scan FAILED: personal data found in 1 file(s).\n"
        "\n"
        "- fødselsnummer eller D-nummer / identity number: 01*********\n"
        "    kommer fra/comes from: ikke funnet i inndataene/not found in the inputs\n"
        "    funnet i/found in: out/b.csv\n"
        "\n"
        "Fjern eller rett opplysningen i kildefilen (kommer fra) og kjør på nytt. Verdiene vises "
        "ikke i sin helhet her.\n"
        "Remove or fix the value in the input it comes from and run again. Values are not shown "
        "in full here.\n"
    )


def _leaky_outputs(root):
    out = root / "out"
    out.mkdir()
    (out / "b.csv").write_text("id,note\nex-1,ring 934 56 789\n", encoding="utf-8")
    (out / "Lise.md").write_text("Lise Berg\n", encoding="utf-8")
    (out / "clean.txt").write_text("ingenting\n", encoding="utf-8")
    raw = root / "raw"
    raw.mkdir()
    (raw / "notes_lise_berg.txt").write_text("ring 934-56-789\nKontakt: Lise Berg\n", "utf-8")
    return out, raw


def test_check_outputs_traces_each_value_and_removes_every_output_holding_one(tmp_path):
    out, raw = _leaky_outputs(tmp_path)
    contacts = _contacts([["ex-2", "Lise Berg; Kari Anne Nordmann", "", "", ""]])
    # the same file named two ways is scanned as two, and removed once without an error
    alias = out / ".." / "out" / "b.csv"
    files = [out / "clean.txt", out / "b.csv", out / "Lise.md", alias, str(out / "Lise.md")]
    check = privacy.check_outputs(files, contacts, [raw / "notes_lise_berg.txt"])
    assert check.files == sorted({str(f) for f in files})
    assert not check.ok
    assert check.leaks.values.tolist() == [
        [str(alias), "", "phone", "934 ** ***", "", "93456789"],
        [str(out / "Lise.md"), "", "name", "L*** B***", "ex-2", "lise berg"],
        [str(out / "b.csv"), "", "phone", "934 ** ***", "", "93456789"],
    ]
    assert check.sources == {
        ("phone", "93456789"): [f"{raw / 'notes_lise_berg.txt'}, linje/line 1"],
        ("name", "lise berg"): [f"{raw / 'notes_lise_berg.txt'}, linje/line 2"],
    }
    assert check.removed == [str(alias), str(out / "Lise.md"), str(out / "b.csv")]
    assert sorted(p.name for p in out.iterdir()) == ["clean.txt"]
    assert check.names == ["Kari Anne Nordmann", "Lise Berg"]
    message = privacy.leak_report(check.files, check.leaks, check.sources, check.removed)
    assert check.message() == message and "notes_lise_berg.txt" in message
    # for a log on disk, contacts' full names in file names are hidden as well, their parts
    # not ("Lise.md")
    on_disk = check.message(for_disk=True)
    assert on_disk == message.replace("lise_berg", "[navn fjernet]") and "Lise.md" in on_disk


def test_check_outputs_without_removing_or_with_nothing_found(tmp_path):
    out, raw = _leaky_outputs(tmp_path)
    contacts = _contacts([["ex-2", "Lise Berg", "", "", ""]])
    kept = privacy.check_outputs([out / "b.csv"], contacts, [raw / "notes_lise_berg.txt"], False)
    assert kept.removed == [] and (out / "b.csv").exists() and not kept.ok
    clean = privacy.check_outputs([out / "clean.txt", out / "clean.txt"], contacts, [raw])
    assert clean.ok and clean.files == [str(out / "clean.txt")]
    assert (clean.sources, clean.removed, clean.names) == ({}, [], ["Lise Berg"])
    assert clean.message() == privacy.leak_report(clean.files, clean.leaks)


def test_check_study_scans_processed_and_results_but_not_private_or_skipped(tmp_path, monkeypatch):
    for folder in ("data/processed/s", "results/s/merge", "data/raw/s", "data/private/s"):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "data/processed/s/examples.csv").write_text("id\nring 934 56 789\n", "utf-8")
    (tmp_path / "data/processed/s/skipped.csv").write_text("id\nring 934 56 789\n", "utf-8")
    (tmp_path / "results/s/merge/ok.csv").write_text("text\nTrygg bolig\n", "utf-8")
    (tmp_path / "results/s/merge/names.csv").write_text("text\nKari Nordmann\n", "utf-8")
    (tmp_path / "results/s/log.txt").write_text("tlf 934 56 789\n", "utf-8")
    (tmp_path / "data/private/s/contacts.csv").write_text("phone\n934 56 789\n", "utf-8")
    (tmp_path / "data/raw/s/form.txt").write_text("tlf 934 56 789\n", "utf-8")
    monkeypatch.chdir(tmp_path)  # the default root is the working folder
    skip = ["data/processed/s/skipped.csv", "results/s/log.txt"]
    contacts = _contacts(CONTACTS)  # a contact's name is found by the contacts only
    check = privacy.check_study("s", contacts, skip=skip, remove=False)
    assert check.files == [
        "data/processed/s/examples.csv",
        "results/s/merge/names.csv",
        "results/s/merge/ok.csv",
    ]
    assert check.leaks[["file", "kind"]].values.tolist() == [
        ["data/processed/s/examples.csv", "phone"],
        ["results/s/merge/names.csv", "name"],
    ]
    assert check.sources == {
        ("phone", "93456789"): ["data/raw/s/form.txt, linje/line 1"],
        ("name", "kari nordmann"): [],
    }
    assert check.removed == [] and Path("data/processed/s/examples.csv").exists()
    # a file to skip named as the scan names it (under the root) or relative to the root
    skip = [str(tmp_path / "data/processed/s/skipped.csv"), "results/s/log.txt"]
    removing = privacy.check_study("s", root=tmp_path, skip=skip)
    assert removing.removed == [str(tmp_path / "data/processed/s/examples.csv")]  # no contacts
    assert not (tmp_path / "data/processed/s/examples.csv").exists()
    assert (tmp_path / "data/processed/s/skipped.csv").exists()


def test_contact_values_of_a_contacts_file_with_columns_missing():
    import pandas as pd

    contacts = pd.DataFrame({"example_id": ["ex-1"], "name": ["Lise Berg"]})
    assert privacy.contact_values(contacts) == (["Lise Berg"], {("name", "lise berg"): "ex-1"})
    contacts = pd.DataFrame({"example_id": ["ex-1"], "phone": ["934 56 789"]})
    assert privacy.contact_values(contacts) == ([], {("phone", "93456789"): "ex-1"})


def test_input_texts_read_every_cell_a_workbook_holds_whatever_size_it_claims(tmp_path):
    """A workbook's sheet states its size (<dimension ref="A1:C5"/>); some programs write a
    wrong one. Read as the size claims, C5 below would not be named as a place."""
    import re
    import zipfile

    book = _workbook(tmp_path / "right.xlsx", {"A1": "a", "C5": "ring 934 56 789"})
    wrong = tmp_path / "wrong.xlsx"
    with zipfile.ZipFile(book) as source, zipfile.ZipFile(wrong, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                assert b'<dimension ref="A1:C5"/>' in data
                data = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1"/>', data)
            target.writestr(info, data)
    expected = [
        ("ark/sheet «Koding», celle/cell A1", "a"),
        ("ark/sheet «Koding», celle/cell C5", "ring 934 56 789"),
    ]
    assert list(privacy.input_texts(book)) == expected
    assert list(privacy.input_texts(wrong)) == expected
