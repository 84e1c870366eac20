"""pii-patterns-v23: what held_back_20 leaked past v21 and v22, by structure: one date reader (v21's triples folded
into resources/pii_dates.py read_date) for dates in any language and shape, also after a field's colon and of a birth
year anywhere in a personal document; names echoed in small letters and a name's head OCR split off
(resources/pii_name_echoes.py); places WordNet holds are no prose; an address's words without a digit beside what
was found and between a name and its contact (resources/pii_place_words.py). Values are made up here (no slice's
value); beside each rule, what it must leave alone."""

from __future__ import annotations

import pytest

from resources.pii import PATTERNS_VERSION, PiiDetector
from resources.pii_dates import read_date


@pytest.fixture(scope="module")
def detector() -> PiiDetector:
    return PiiDetector()


def _covered(detector: PiiDetector, pages: dict[int, str], page: int, value: str) -> bool:
    """Whether every character of `value` (spaces aside) on `page` lies under a finding."""
    findings = detector.find_in_pages(pages)[page]
    start = pages[page].index(value)
    return all(
        any(f.start <= at < f.end for f in findings)
        for at in range(start, start + len(value))
        if not pages[page][at].isspace()
    )


def test_the_version_is_v23():
    assert PATTERNS_VERSION == "pii-patterns-v23"


# ---------------------------------------------------------------------------- one date reader


@pytest.mark.parametrize(
    "date",
    [
        "ils 14 da zercladur 1968",  # small words before the day, two words between the day and the year
        "3 Brelvonek 1975 g.",  # an era's letter after the year
        "Okt. 9, '81",  # the month first, a two-digit year
        "21 sovrenni 2o03",  # OCR's `o` in the year
        "7 Mee ny Tholl 1990",  # three words between
        "1974-jil 3-mamyr",  # the year first, its word, then the day and the month
    ],
)
def test_one_reader_reads_a_whole_date_in_any_words(date: str):
    assert read_date(f"{date} | next", 0, need_year=True, min_parts=3) == (0, len(date))


def test_a_day_in_words_after_a_birth_label():
    date = "lo trenta de marz de 1971"
    assert read_date(f"{date}, then", 0, need_year=True, min_parts=3, day_in_words=True) == (0, len(date))


@pytest.mark.parametrize(
    "text",
    [
        "12 apples 5 pears",
        "Room 12 floor 3",
        "5 Brelvonek 3400",
        "40 Brelvonek 1975",
        "2019 edition 3 pages",  # a year's word is short ("jil", "m."): "edition" is none
    ],
)
def test_no_date_without_a_day_and_a_year(text: str):
    assert read_date(text, 0, need_year=True, min_parts=3) is None


def test_words_and_a_year_with_one_word_of_substance_are_no_day_in_words():
    assert read_date("in the spring of 1990", 0, need_year=True, min_parts=3, day_in_words=True) is None


FORM = (
    "CREDIT UNION - MEMBERSHIP FORM   Ref. CU-4471 | Member: Tavrek Oyunbileg | Phone: +976 11 32 4455 | "
    "Email: t.oyunbileg@mongol.example | ID 8804123357 | Hendryt dorj: 1974-jil 3-mamyr | "
    "Joined on 12 May 2026 after the meeting."
)


def test_a_date_after_a_label_in_an_unknown_language(detector: PiiDetector):
    assert _covered(detector, {1: FORM}, 1, "1974-jil 3-mamyr")


def test_a_whole_date_of_a_birth_year_anywhere_in_a_personal_document(detector: PiiDetector):
    letter = FORM + " Her brother was registered at the parish on 9 August 1981 by their mother."
    assert _covered(detector, {1: letter}, 1, "9 August 1981")
    findings = detector.find_in_pages({1: letter})[1]
    joined = letter.index("12 May 2026")  # a date of these years is the document's own, no birth date
    assert not any(f.start <= joined < f.end for f in findings)


def test_a_date_in_words_after_born(detector: PiiDetector):
    text = FORM + " Tavrek Oyunbileg, born lo trenta de marz de 1971, asks to join."
    assert _covered(detector, {1: text}, 1, "lo trenta de marz de 1971")


# ---------------------------------------------------------------------------- names echoed and split


WILL = {
    1: "LAST WILL I, Tomasz Vrendsky-Ulpek, of 14 Harbour Road, Leith, leave my savings to Ondrei Vrendsky, "
    "my brother, to be paid from my account at the Leith branch within a year.",
    2: "Signed by the testator    t. vrendsky-ulpek    TOMASZ VRENDSKY-ULPEK in our presence and by us.",
}


def test_a_name_signed_in_small_letters_echoes_the_named_person(detector: PiiDetector):
    assert _covered(detector, WILL, 2, "t. vrendsky-ulpek")


def test_small_words_that_echo_no_name_stay(detector: PiiDetector):
    findings = detector.find_in_pages(WILL)[2]
    signed = WILL[2].index("Signed by the testator")
    assert not any(f.start < signed + len("Signed by the testator") and signed < f.end for f in findings)


def test_the_head_of_a_name_ocr_split_off(detector: PiiDetector):
    text = (
        "HOUSING COOPERATIVE - MINUTES No. 4/2026 Present: Ngaire Tupoumalohi (flat 9), Ta rawhiti Ngataaro "
        "(flat 58) and the board. 1. Ta rawhiti Ngataaro asks the roofer to call on +676 7715 551 before coming."
    )
    assert _covered(detector, {1: text}, 1, "Ta rawhiti Ngataaro")


# ---------------------------------------------------------------------------- addresses without digits


TRANSFER = (
    "MONEY TRANSFER ORDER   Ref. MT-339201 | SENDER | Aldrovan Peshtygin | aul Tarnybek | Shetpeskiy rayon, "
    "Respublika Zhuldyz — Ordabasy | ID 71120433587 | Tel. +7 7252 41 22 19 | BENEFICIARY | Oyuna Tsydenova | "
    "14 mikroraion, korpus 3, kvartira 57 | Account KZ86 125K ZT50 0410 0100 | Purpose: school fees"
)


@pytest.mark.parametrize(
    "address",
    [
        "aul Tarnybek",  # a place's type of another language, in lower case, before the place
        "Shetpeskiy rayon, Respublika Zhuldyz — Ordabasy",  # a place's type after it, a dash between its parts
        "14 mikroraion, korpus 3, kvartira 57",  # parts pairing a number and a word of another language
    ],
)
def test_an_address_without_digits_beside_what_was_found(detector: PiiDetector, address: str):
    assert _covered(detector, {1: TRANSFER}, 1, address)


def test_places_wordnet_holds_are_no_prose(detector: PiiDetector):
    text = (
        "LAST WILL AND TESTAMENT I, Ngaire Tupoumalohi, identity no. 88041233, of Vaiaku village, Funafuti, "
        "Republic of Tuvalu, revoke all my earlier wills and leave my boat to Saia Fifita Lolohea."
    )
    assert _covered(detector, {1: text}, 1, "Vaiaku village, Funafuti, Republic of Tuvalu")


def test_lines_between_a_name_and_its_contact(detector: PiiDetector):
    text = (
        "Grace Tupoumalohi Green Farm, Church Lane Hope +44 20 7946 0018 · grace.t@example.org "
        "To whom it may concern, I write about my tenant Mr Hamid Okonkwo, who rented my flat for four years."
    )
    assert _covered(detector, {1: text}, 1, "Green Farm, Church Lane Hope")


def test_an_office_label_holds_an_address(detector: PiiDetector):
    text = (
        "SERVICE DESK - REQUEST Ticket #83159 Requester: Ngaire Tupoumalohi Notify: ngaire@tonga.example "
        "Office: Neiafu village, Vava'u, Kingdom of Tonga Reason: access to the build host."
    )
    assert _covered(detector, {1: text}, 1, "Neiafu village, Vava'u, Kingdom of Tonga")


MANUAL = (
    "TASKSET(1) User Commands TASKSET(1) NAME taskset - set or retrieve a process's CPU affinity. The rayon "
    "option of the village tool, in the district of memory, sets the mask; see Republic of Letters, 2nd ed. "
    "Office: see the FILES section. Run it as root on 3 March 2009 or later, as of version 2.13, in a shell.\n"
) * 4


def test_a_manual_stays_untouched(detector: PiiDetector):
    assert detector.find_in_pages({1: MANUAL})[1] == []


def test_the_cell_after_an_address_labels_cell(detector: PiiDetector):
    text = (
        "APPLICATION FOR A BURIAL PLOT | Applicant | Ngaire Tupoumalohi | Address | Green Farm, Church Lane | "
        "Phone | +676 7715 551 | Deceased | Saia Lolohea | Depositor's address ........... Mill House, Hope "
        "Debited from account"
    )
    assert _covered(detector, {1: text}, 1, "Green Farm, Church Lane")
    assert _covered(detector, {1: text}, 1, "Mill House, Hope")
    findings = detector.find_in_pages({1: text})[1]
    prose = text.index("Debited from account")
    assert not any(f.start < prose + len("Debited from account") and prose < f.end for f in findings)


def test_a_title_case_word_prose_seldom_writes_is_denied_in_a_personal_document(detector: PiiDetector):
    text = FORM + " The card goes to her aunt in Honiara by the next boat."
    assert _covered(detector, {1: text}, 1, "Honiara")
    findings = detector.find_in_pages({1: text})[1]
    card = text.index("The card goes")  # frequent English words stay
    assert not any(f.start < card + len("The card goes") and card < f.end for f in findings)


def test_an_email_ocr_broke_before_its_at_and_units_joined_by_hyphens(detector: PiiDetector):
    text = FORM + " Beneficiary: Oyuna Tsydenova, Zhibek koshesi, 12-uy, 40-xonaw. E-MAIL OYUNA.TS @KAZNET.EXAMPLE.KZ"
    assert _covered(detector, {1: text}, 1, "OYUNA.TS @KAZNET.EXAMPLE.KZ")
    assert _covered(detector, {1: text}, 1, "12-uy, 40-xonaw")


def test_a_space_before_an_at_outside_a_personal_document_stays(detector: PiiDetector):
    code = ("The product a @ b.shape is computed first; use @functools.wraps on the wrapper. " * 6).strip()
    assert detector.find_in_pages({1: code})[1] == []
