"""pii-patterns-v9 (v11 since): names and addresses told by how a document writes them (resources/pii_structure.py).
Material written for these tests (no slice's values)."""

from __future__ import annotations

import pytest

from resources.pii import PATTERNS_VERSION
from resources.pii_blocks import address_continuation
from resources.pii_patterns import find_phones
from resources.pii_structure import find_capitals_names, street_before
from resources.pii_words import english_forms
from tests.test_pii_blocks import redacted, untouched  # the same checks of a finding's reach

FORMS = english_forms()


def test_the_pattern_version_moved_on():
    assert PATTERNS_VERSION == "pii-patterns-v23"


@pytest.mark.parametrize(
    "text, name",
    [
        ("The van was driven by OKONTA Ifeyinwa, who stopped at once.", "OKONTA Ifeyinwa"),
        ("Table 4 is for Wendeline TSCHIRKY and her guests.", "Wendeline TSCHIRKY"),
        ("ZAREMBOVA KATARINKA\nPlanning assistant with five years in retail.", "ZAREMBOVA KATARINKA"),
        ("Seating: 1 fish TEODORAVELIKOVA 2 veg, please confirm by Monday.", "TEODORAVELIKOVA"),
        # family name first: the given name may be an English word; a capitals particle inside a capitals name
        ("Table 2: QUASIMODEI Grace and her partner.", "QUASIMODEI Grace"),
        ("Respondent: TOMÉ DOS RAVASQUEIRA of the parish", "TOMÉ DOS RAVASQUEIRA"),
        ("Sender: ROTHENBACK Mathis   Recipient: DE KOYSERE Anouk", "DE KOYSERE Anouk"),
    ],
)
def test_names_written_in_capitals_are_redacted(text: str, name: str):
    assert redacted(text, name)


@pytest.mark.parametrize(
    "text, term",
    [
        # a constant in a table of commands, an identifier with its underscore lost, a protein sequence
        ("Description AANATRIG 1 Send Output APULSEHT 2 Wait on Input AWAITHI 3", "APULSEHT"),
        ("If the library holds fewer than 500 sequences ( MAX RSTATS ), they are shuffled.", "MAX RSTATS"),
        ("sp|Q5R8E8|GSTM2_PONAB Glutathione S-transferase Mu 2", "PONAB"),
        ("query MEVKPKLYYFQGRGRMESIRWLLATAGVEFEE aligned against EYTDSSYDEKRYTMGDAPDFDRSQWLNEKFKL", "EYTDSSYDEKR"),
    ],
)
def test_constants_identifiers_and_sequences_in_capitals_are_no_names(text: str, term: str):
    assert untouched(text, term)


def test_a_capitals_word_the_document_repeats_is_an_acronym_not_a_name():
    text = "Run KOLVEX Setup first. KOLVEX Setup writes KOLVEX.INI; the KOLVEX service reads it."
    assert not [f for f in find_capitals_names(text, FORMS) if "KOLVEX" in text[f.start : f.end]] or untouched(
        text, "KOLVEX Setup"
    )


def test_a_person_named_after_a_relation_word_is_redacted():
    assert redacted("I was away, so my partner Dragoslav collected the parcel.", "Dragoslav")
    assert redacted("Her daughter Ilsabet Marrow signed for it.", "Ilsabet Marrow")
    assert untouched("My partner Company is based in Leeds.", "Company")


def test_a_capitalised_pair_with_a_letter_english_does_not_write_is_a_name():
    assert redacted("Guest list: Maëlle Vasseur, table 3, vegetarian.", "Maëlle Vasseur")
    assert redacted("Referees: Joaquín Berruti (former manager).", "Joaquín Berruti")


@pytest.mark.parametrize(
    "text, address",
    [
        # an address goes on over the tokens after it: a place line with a province in brackets, a town again
        ("Send it to Via Lombarda 12, 40127, Borgo Tessa (BO) before Friday.",
         "Via Lombarda 12, 40127, Borgo Tessa (BO)"),
        ("Postal address: Calle Olmedo 31 5820, Taravilla today", "Calle Olmedo 31 5820, Taravilla"),
        # a street line right before a place line, glued by OCR
        ("Address on file: Breznicka14 53221Lomnovice Your card", "Breznicka14 53221Lomnovice"),
        # a street named like a person, after a street-type word or a house number
        ("She parked outside 41, rue Marcel · 31200 Vaudrenne, where the sign was gone.", "41, rue Marcel"),
        # block numbers and wards, a town that is an English word with its postcode after it
        ("It was left at 4-18-2 Shimokamo, Minami-ku, Kyoto 601-8123 by the courier.",
         "4-18-2 Shimokamo, Minami-ku, Kyoto 601-8123"),
        # a street line and a place line set on one line with a bar between, the town an English word
        ("-- Ragna Saebo Engineer Strandvika 12 | 5013 Bergen M: +47 912 34 567", "Strandvika 12 | 5013 Bergen"),
        # a street type glued on after hyphens, then its number glued too
        ("Address on file: Hanne-Vogt-Platz9 04109 Leipzig Your card", "Hanne-Vogt-Platz9"),
    ],
)  # fmt: skip
def test_addresses_are_redacted_by_how_they_run(text: str, address: str):
    assert redacted(text, address)


def test_an_address_does_not_run_into_a_heading_or_the_next_sentence():
    text = "Write to 51 Harbour Street, Fifth Floor, Tillbury, MA 02110-1301, USA. COMPILING the sources"
    end = text.index("USA.") + len("USA.")
    assert address_continuation(text, text.index(", Fifth"), FORMS) <= end
    assert untouched(text, "COMPILING")
    assert street_before("Table 3 of the manual 2010 Version", len("Table 3 of the manual 2010 "), FORMS) == len(
        "Table 3 of the manual 2010 "
    )


def test_a_trunk_number_with_its_area_code_in_brackets_is_a_phone_number():
    assert [m.kind for m in find_phones("reachable on(04731) 62290 after six")] == ["phone"]
    assert not list(find_phones("see section (2) 1234 of the guide"))


def test_a_name_joined_to_a_found_name_in_a_list_is_redacted():
    text = "Renewal for the household of Mirela Dobrescu and Ansgar Tuvikene. Your card follows."
    assert redacted(text, "Ansgar Tuvikene")
    assert untouched("Thanks to Mirela Dobrescu and Applied Mathematics for the data.", "Applied Mathematics")


def test_a_name_in_a_table_row_shaped_like_the_rows_of_found_names_is_redacted():
    text = (
        "Guest Table Meal Oriol Vendrell 1 fish Dorothea Quastel 2 veg Kasimir Ploetz 3 beef Oriol Casals 4 veg "
        "Please confirm by Friday."
    )
    assert all(redacted(text, name) for name in ("Dorothea Quastel", "Kasimir Ploetz", "Oriol Casals"))


def test_constants_glued_from_english_words_are_no_names():
    assert untouched("Wait on Input AWAITRISE 7 Wait for Rising Edge", "AWAITRISE")
    assert untouched("The SAFEARRAY type is mapped to an array.", "SAFEARRAY")
