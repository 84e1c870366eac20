"""pii-patterns-v21: a personal document's values by structure (resources/pii_cells.py): number runs whatever
their grouping, codes of capitals and digits, a field's value redacted whole where most of it is found, a region's
code in brackets; spoken house numbers and postcodes. Values are made up here (no slice's value); beside each
rule, what it must leave alone, in a personal document and in a manual."""

from __future__ import annotations

import pytest

from resources.pii import PATTERNS_VERSION
from resources.pii_cells import capitals_codes, number_runs, whole_cells
from resources.pii_names import DEFAULT_NER_MODEL
from resources.pii_patterns import PiiFinding
from resources.pii_words import english_forms
from resources.spoken_pii_phrases import places_with_postcodes, unit_addresses
from tests.test_pii_blocks import redacted, untouched

FORMS = english_forms(DEFAULT_NER_MODEL)


def test_the_version_is_v20():
    assert PATTERNS_VERSION == "pii-patterns-v23"


def found(rule, text: str) -> list[str]:
    return [text[f.start : f.end] for f in rule(text)]


def runs(text: str) -> list[str]:
    return [text[f.start : f.end] for f in number_runs(text, [])]


@pytest.mark.parametrize(
    "number", ["7 (351) 402-19-66", "044 - 713 90 25", "51 08 360427", "3391.72.018", "+48 (0)22 615 40 73"]
)
def test_a_number_run_is_found_whole_whatever_its_grouping(number: str):
    assert runs(f"Holder Vaino Tarkka {number} Rod licence") == [number]


@pytest.mark.parametrize(
    "text", ["Fee EUR 120 000 paid", "paid 1 250 000 € cash", "signed 12.03.2024 here", "see p. 104 233", "v 2.10.1234"]
)
def test_no_number_run_in_amounts_dates_pages_or_versions(text: str):
    assert runs(text) == []


def test_a_run_of_five_digits_is_no_persons_number():
    assert runs("Boat 12 345 berth") == []


def test_a_code_of_capitals_and_digits_is_an_identity_number():
    assert found(capitals_codes, "tax code QWRTZ4821M, declared") == ["QWRTZ4821M"]


@pytest.mark.parametrize("text", ["model ISO9001 ok", "type A4 paper", "HTTP2 and UTF8 files"])
def test_no_code_in_short_codes_or_capitals_words(text: str):
    assert found(capitals_codes, text) == []


def test_a_cell_found_for_the_most_part_is_redacted_whole():
    text = "| Address | Vico Ombroso 7, ap. 3, 80135 Napule (NA) | Device | tablet |"
    street, town = text.index("Vico Ombroso 7"), text.index("80135 Napule")
    findings = [PiiFinding("address", street, street + 14, 0.6), PiiFinding("address", town, town + 12, 0.6)]
    # what the findings leave of the cell: the unit between them and the province's code after them
    assert [text[f.start : f.end] for f in whole_cells(text, findings, FORMS)] == [", ap. 3, ", " (NA)"]


def test_a_cell_found_in_a_small_part_stays():
    text = "Remarks: the engine was serviced by Tarkka on the pier and left running | Fee: 30"
    start = text.index("Tarkka")
    assert list(whole_cells(text, [PiiFinding("person", start, start + 6, 0.6)], FORMS)) == []


# a made-up personal form: the rules run where the document is personal
FORM = (
    "APPLICATION FOR A ROD LICENCE Applicant: Vaino Tarkka Date of birth: 14.07.1979 "
    "Telephone: 7 (351) 402-19-66 Document: 51 08 360427 Tax code: QWRTZ4821M "
    "Address: Vico Ombroso 7, 80135 Napule (NA) Boat: Marta II Fee paid EUR 120 000 on 12.03.2024."
)


@pytest.mark.parametrize("value", ["7 (351) 402-19-66", "51 08 360427", "QWRTZ4821M", "80135 Napule (NA)"])
def test_a_personal_forms_numbers_codes_and_address_are_redacted(value: str):
    assert redacted(FORM, value)


@pytest.mark.parametrize("value", ["EUR 120 000", "APPLICATION FOR A ROD LICENCE"])
def test_a_personal_forms_amount_and_title_stay(value: str):
    assert untouched(FORM, value)


# a manual's numbers: the document is no personal one, so no number run is redacted
MANUAL = (
    "The resize command grows the file system to 2 621 440 blocks of 4096 bytes. The offsets 1 048 576 and "
    "32 768 are given in bytes; see section 4.2 for the journal and the options that change how it is written."
)


@pytest.mark.parametrize("value", ["2 621 440", "1 048 576"])
def test_a_manuals_number_runs_stay(value: str):
    assert untouched(MANUAL, value)


def test_a_house_number_said_after_to():
    words = "Bring it to number 58, thanks.".split()
    assert [" ".join(words[a : b + 1]) for a, b in unit_addresses(words)] == ["number 58,"]


def test_a_place_and_its_postcode_said():
    words = "It goes to Port Marlow 7 4 1 2 by Friday.".split()
    assert [" ".join(words[a : b + 1]) for a, b in places_with_postcodes(words)] == ["Port Marlow 7 4 1 2"]


@pytest.mark.parametrize("sentence", ["I moved to Leeds in 1998.", "We sold Lot 12 today.", "Call me at noon."])
def test_no_spoken_postcode_in_years_or_small_numbers(sentence: str):
    assert places_with_postcodes(sentence.split()) == []


# a poor scan glues a form's words: fewer than 20 tokens, but the characters of a whole form
GLUED = (
    "ROD LICENCE REGISTER Holder:VainoTarkka Born:14.07.1979 Telephone:7(351)402-19-66 "
    "Document:51 08 360427 Address:VicoOmbroso7,80135Napule(NA) Boat:MartaII Paid:EUR120 "
    "Signed:KalleRautavaara Witness:IlmoPeltonen Remarks:nonegiven"
)


def test_a_glued_scan_of_a_form_is_still_a_personal_document():
    assert len(GLUED.split()) < 20
    assert redacted(GLUED, "51 08 360427")
