"""pii-patterns-v17: default-deny inside a personal document (resources/pii_default_deny.py): capitalised words
that are no English word, identity-like tokens, digits in boxes, dates with a month of another language, and the
structure that joins them (whole tokens, an identity number's trailing groups, gaps between findings, an
address's trailing place words). Values are made up here (no slice's value, no list's word); beside each rule,
the text it must leave alone, and the manual-like text where the rules are off."""

from __future__ import annotations

import pytest

from resources.pii import PATTERNS_VERSION
from resources.pii_default_deny import (
    boxed_digits,
    filled_gaps,
    foreign_dates,
    foreign_words,
    identity_like_tokens,
    whole_tokens,
)
from resources.pii_patterns import PiiFinding
from resources.pii_words import english_forms
from tests.test_pii_blocks import DETECTOR, redacted, untouched

FORMS = english_forms(DETECTOR.ner_model)
# a form's opening lines: enough PII that the document is personal
FORM = "Member no. 4471. E-mail: qoravu.tesimak@example.org Phone: +48 601 223 918 Date of birth: 3 May 1971 "


def test_the_version_is_v17_or_later():
    assert int(PATTERNS_VERSION.rsplit("-v", 1)[1]) >= 17


@pytest.mark.parametrize(
    "line, value",
    [
        ("Witness present: Ulqarep Ostrivenu, who signed the entry.", "Ulqarep Ostrivenu"),
        ("1. VESKORAN THULMEDI boarded at the quay", "VESKORAN THULMEDI"),  # a manifest row in capitals
        ("Next of kin: Pelu Ostrivenu í Vandargöl, present", "Pelu Ostrivenu í Vandargöl"),  # a particle between
        ("Next of kin: ?olvard Quenhiro, present", "?olvard Quenhiro"),  # OCR's `?` for the unread capital
    ],
)
def test_names_of_no_list_in_a_personal_document(line: str, value: str):
    text = FORM + line
    assert redacted(text, value), DETECTOR.find(text)


@pytest.mark.parametrize(
    "line, value",
    [
        ("Card of identity 4409127K was shown.", "4409127K"),  # a check letter, no label
        ("Permit 71-550219 Q 08 was shown.", "71-550219 Q 08"),  # trailing groups
        ("Date of registration |1|4|0|2|1|9|8|8| checked", "|1|4|0|2|1|9|8|8|"),  # boxes
        ("Day of arrival 21 Vrastember 1979 at the port", "21 Vrastember 1979"),  # a month of no list
        ("Recorded 1964 m. trelvio 9 d. at the port", "1964 m. trelvio 9 d."),  # year first
        ("Lodging: 14, Qerrut Hamlet, Ostravane Lowland District Telephone: none", "Ostravane Lowland District"),
        ("Lodging: Velmuran Parish, km 7 sendero Quilvo a Ramunde, to act", "km 7 sendero Quilvo a Ramunde"),
    ],
)
def test_numbers_dates_and_places_of_no_list_in_a_personal_document(line: str, value: str):
    text = FORM + line
    assert redacted(text, value), DETECTOR.find(text)


def test_english_prose_and_plain_amounts_stay_in_a_personal_document():
    text = FORM + "Refund due 418.00 to the account. The officer checked the Certificate on 12 May 2025."
    for value in ("Refund due 418.00 to the account.", "The officer checked the Certificate on 12 May 2025"):
        assert untouched(text, value), DETECTOR.find(text)


def test_each_rule_on_its_own():
    assert [m.start for m in foreign_words("Seen by Ulqarep and the NATO Team", FORMS)] == [8]
    assert [m.start for m in identity_like_tokens("id 4409127K, amount 3,912.00, year 2024, ref 12345")] == [3]
    assert [m.start for m in boxed_digits("born |0|3|1|1|1|9|7|0| and |1| only")] == [5]
    dates = [text for text in ("on 4 Vrastember 1970", "on 4 March 1970") if list(foreign_dates(text, FORMS))]
    assert dates == ["on 4 Vrastember 1970"]
    tokens = list(whole_tokens("x QUENHIRO1983 y", [PiiFinding("dob", 10, 14, 1.0)]))
    assert [(f.start, f.end) for f in tokens] == [(2, 10)]
    text = "Ulqarep of the parish and Ostrivenu"  # a lower-case English word: no gap filled
    assert not list(filled_gaps(text, [PiiFinding("person", 0, 7, 1.0), PiiFinding("person", 26, 35, 1.0)], FORMS))
    text = "Ulqarep á Ostrivenu"
    gaps = list(filled_gaps(text, [PiiFinding("person", 0, 7, 1.0), PiiFinding("person", 10, 19, 1.0)], FORMS))
    assert [(f.start, f.end) for f in gaps] == [(7, 10)]


def test_a_manual_is_not_personal_and_stays_untouched():
    prose = "The block size is set when the file system is made and cannot be changed later on. " * 12
    manual = prose + "Run mkfs with -O 4409127K to format it, the quenhiro way. See the history of 21 Vrastember 1979."
    for value in ("quenhiro", "4409127K", "21 Vrastember 1979"):
        assert untouched(manual, value), DETECTOR.find(manual)


@pytest.mark.parametrize(
    "said, kind",
    [
        ("We live at plot number four hundred and twelve, Varundi, Ostrava East.", "address"),
        ("I'm at 38 slash 2, lane seven, Quelmo.", "address"),
        ("You can reach me on plus three one six, forty four, ninety.", "phone"),
    ],
)
def test_a_speaker_saying_where_they_live_or_can_be_reached(said: str, kind: str):
    from resources.spoken_pii import disclosed_whereabouts

    words = said.split()
    found = disclosed_whereabouts(words)
    assert [(k, words[last]) for k, _first, last in found] == [(kind, words[-1])]


def test_no_number_no_whereabouts():
    from resources.spoken_pii import disclosed_whereabouts

    assert disclosed_whereabouts("I'm at work. Call me at home.".split()) == []


@pytest.mark.parametrize(
    "line, value",
    [
        ("Lodging: Plot 88, Block K4, Velmuran Quarter Telephone: none", "Plot 88, Block K4, Velmuran"),
        ("Paid to: QX71 44100098117352 Checked by the office", "QX71 44100098117352"),
        ("Card of identity 55-410982k17 was shown.", "55-410982k17"),  # OCR's small check letter
    ],
)
def test_the_parts_around_a_found_value(line: str, value: str):
    text = FORM + line
    assert redacted(text, value), DETECTOR.find(text)
