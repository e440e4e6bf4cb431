"""The privacy module in detail: identity numbers at the edges of their dates, the digits of a
phone number, what a mask shows, every finding with its place, the contacts' own values, what
the scan reads and reports (file, member, sheet and cell, row and column) and that leaking
outputs are removed. Expected values are worked by hand here (the check digits' arithmetic is
written out) or written as a reader would read the file.

Written to kill the mutants `mutmut` made of `privacy.py` (issue 17, tests/README.md).
"""

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
        ("id_number", FNR, "01*********"),
        ("id_number", "010190 12480", "01**** *****"),
        ("email", "lise@helse-vest.no", "l***@h***.no"),
        ("email", "kari.nordmann@x.kommune.no", "k***@x***.no"),
        ("email", "lise@intranett", "l***@i***"),  # one label: no top-level domain to show
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
