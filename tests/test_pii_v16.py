"""pii-patterns-v17: a personal document's fields read by structure (resources/pii_fields.py): a name in any
field, the words beside a name, identity-number-length tokens, a date of any calendar after a birth label, an
address label's value up to the next label, an address's unit fields. Values are made up here (no slice's
value, no list's word); beside each rule, the text it must leave alone, and the manual-like text where the
rules are off."""

from __future__ import annotations

import pytest

from resources.pii import PATTERNS_VERSION, PiiDetector
from resources.pii_fields import (
    PERSONAL_SHARE,
    field_names,
    identity_numbers,
    opens_label,
    personal_document_findings,
    personal_share,
)
from resources.pii_patterns import PiiFinding
from resources.pii_words import english_forms
from tests.test_pii_blocks import DETECTOR, redacted, untouched


def test_the_version_is_v17():
    assert PATTERNS_VERSION == "pii-patterns-v23"


FORMS = english_forms(DETECTOR.ner_model)
# a form's opening lines: enough PII that the document is personal
FORM = "Member no. 4471. E-mail: qoravu.tesimak@example.org Phone: +48 601 223 918 Date of birth: 3 May 1971 "


@pytest.mark.parametrize(
    "field, value",
    [
        ("Lessee: Vorqu tal Hemirastu Phone: none", "Vorqu tal Hemirastu"),  # a label no list holds, a particle
        ("Approved by: O Pesk Undravi", "O Pesk Undravi"),  # a one-letter prefix, an English word inside
        ("Guarantor: Halimuk Oskevi Yearly income 9,000", "Halimuk Oskevi"),  # the next field's words stay out
        ("Guarantor: Halimuk Oskevi Fodsdag / Birthday: 4 May 1980", "Halimuk Oskevi"),  # a two-language label
    ],
)
def test_a_name_in_any_field_of_a_personal_document(field: str, value: str):
    text = FORM + field
    assert redacted(text, value), DETECTOR.find(text)


def test_a_things_field_and_the_next_fields_english_words_are_no_name():
    text = FORM + "Vehicle: Skoda Rapid Guarantor: Halimuk Oskevi Yearly income 9,000"
    names = [text[f.start : f.end] for f in field_names(text, FORMS)]
    assert names == ["Halimuk Oskevi"]  # (another rule may still take a make of car for a name)


@pytest.mark.parametrize(
    "field, value",
    [
        ("Holder: pelumak Oskevi Phone: none", "pelumak Oskevi"),  # a capital OCR read small
        ("Holder: Pelumak oskevi Phone: none", "Pelumak oskevi"),
        ("Owner: Tasqem ferrud Boliaskan Phone: none", "Tasqem ferrud Boliaskan"),  # a particle of no list
    ],
)
def test_a_name_takes_the_words_beside_it_that_are_no_english_word(field: str, value: str):
    text = FORM + field
    assert redacted(text, value), DETECTOR.find(text)


@pytest.mark.parametrize(
    "number",
    ["KEN-305512784-2", "8-0412-0977", "350712-4419", "43010219770503118X", "2-7741-90332-18-6", "20o5501423"],
)
def test_a_token_of_identity_number_length_in_a_personal_document(number: str):
    text = FORM + f"Reference held: {number} Signed: yes"
    assert redacted(text, number), DETECTOR.find(text)


def test_identity_numbers_leave_dates_amounts_and_short_codes_alone():
    text = "Out: 14.11.2026 Amount 45,000 Ref. RA-40312 Date 2026-11-10 Total 1,204,330.50 at 10.2.33.4"
    assert list(identity_numbers(text)) == []


@pytest.mark.parametrize(
    "field, value",
    [
        ("Geburtsdatum: 14 Tishrei al-Awal 1388 AH Phone: none", "14 Tishrei al-Awal 1388 AH"),
        ("Date of birth: 2 Qorvuma 1954 Phone: none", "2 Qorvuma 1954"),  # a month word of no calendar listed
    ],
)
def test_a_date_of_any_calendar_after_a_birth_label(field: str, value: str):
    text = FORM + field
    assert redacted(text, value), DETECTOR.find(text)


@pytest.mark.parametrize(
    "field, value",
    [
        # a country that writes an address by a landmark and distances, no street or number
        ("Home address: Del templo 250 m sur y 50 m este, portón negro Mobile: none", "Del templo 250 m sur y 50 m"),
        ("Address: Plus code 8FVC-9G8F Phone: none", "Plus code 8FVC-9G8F"),  # words of the value, not a label
        ("Address: Ovrusk utca 7. Phone: none", "Ovrusk utca 7."),
    ],
)
def test_an_address_labels_value_runs_to_the_next_label(field: str, value: str):
    text = FORM + field
    assert redacted(text, value), DETECTOR.find(text)


def test_an_address_labels_value_stops_at_prose():
    text = FORM + "Address: Ovrusk utca 7 and we will send the card to you by post."
    assert untouched(text, "send the card to you by post")


@pytest.mark.parametrize(
    "field, value",
    [
        ("Holder: Halimuk Oskevi Kestrel Sok. No: 12 D: 3 34700 Kadıköy/İstanbul Tel. none", "No: 12 D: 3"),
        ("Holder: Halimuk Oskevi 72/15 Moo 3, Soi Ravaktu 9 Tambon Bo Win, Chon Buri 20230", "72/15 Moo 3,"),
    ],
)
def test_an_address_takes_its_unit_fields_and_numbered_part(field: str, value: str):
    text = FORM + field
    assert redacted(text, value), DETECTOR.find(text)


# ---------------------------------------------------------------------------- where the rules are off


def test_a_manual_is_no_personal_document():
    manual = (
        "OPTIONS The following options are supported. Mode: verbose output for each file processed. "
        "Reference: 1204577831 is the build number printed by the tool. Owner: root Group: wheel "
        "Address: the address of the server to connect to, as a name or a number. " * 3
    )
    detected = {0: DETECTOR.find(manual)}
    assert personal_share({0: manual}, detected) < PERSONAL_SHARE
    kinds = frozenset({"person", "id", "dob", "address"})
    assert personal_document_findings({0: manual}, detected, FORMS, kinds) == detected  # the field rules are off
    assert untouched(manual, "verbose output")
    assert untouched(manual, "the address of the server")


def test_the_share_counts_words_touched():
    text = "one two three four"
    assert personal_share({0: text}, {0: [PiiFinding("person", 4, 7, 1.0)]}) == 0.25


def test_labels_in_one_or_two_languages_open_where_they_start():
    text = "Tasqem Boliaskan Fodsdag / Birthday: 4 May Registered by: X"
    assert opens_label(text, text.index("Fodsdag"))
    assert opens_label(text, text.index("Registered"))
    assert not opens_label(text, text.index("Tasqem"))  # a name before a label is no label


def test_switching_the_kinds_rule_off_switches_its_field_rule_off():
    without = PiiDetector(disabled_rules=["ssn"])
    text = FORM + "Reference held: KEN-305512784-2 Signed: yes"
    start = text.index("KEN-305512784-2")
    assert not any(f.start <= start + 5 < f.end for f in without.find(text))
