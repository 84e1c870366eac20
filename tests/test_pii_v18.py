"""pii-patterns-v18: spoken PII by how it is said (resources/spoken_pii_phrases.py) and the check's own reading of
it (resources/spoken_pii_coverage.py); phones whose table neighbour OCR glued on, IBANs of countries outside the
registry's list. Values are made up here (no slice's value); beside each rule, what it must leave alone."""

from __future__ import annotations

import pytest

from resources.pii import PATTERNS_VERSION, PiiDetector
from resources.pii_coverage import CoverageScanner
from resources.pii_patterns import find_ibans, find_phones
from resources.spoken_pii import find_spoken_pii
from resources.spoken_pii_coverage import transcript_residuals
from resources.spoken_pii_phrases import numbers_after_labels, said_emails, spelled_runs, unit_addresses
from tests.test_pii_blocks import redacted, untouched

DETECTOR = PiiDetector()


def test_the_version_is_v19():
    assert PATTERNS_VERSION == "pii-patterns-v23"


def said(sentence: str, rule) -> list[str]:
    words = sentence.split()
    return [" ".join(words[found[-2] : found[-1] + 1]) for found in rule(words)]


@pytest.mark.parametrize(
    "sentence, value",
    [
        ("Write to me at vedran dot sixty one at posta dot m k.", "vedran dot sixty one at posta dot m k."),
        ("my mail is tovi underscore 7 at kalmo dot net, thanks", "tovi underscore 7 at kalmo dot net,"),
        ("Send it to Orsa.Kelm at Vestra.md please", "Orsa.Kelm at Vestra.md"),  # a country domain written
    ],
)
def test_an_email_said_aloud_with_its_country_domain_and_numbers(sentence: str, value: str):
    assert value in said(sentence, said_emails)


@pytest.mark.parametrize("sentence", ["Look at the dot com bubble.", "We met at noon. Dot said hi.", "at home"])
def test_no_email_without_a_domain(sentence: str):
    assert said(sentence, said_emails) == []


@pytest.mark.parametrize(
    "sentence, value",
    [
        ("We stay in Orvantel, block seven, flat twelve, Velmaro.", "Orvantel, block seven, flat twelve, Velmaro."),
        ("It is flat 4B, Tarsk Lower Road.", "flat 4B, Tarsk Lower Road."),
        ("The parcel went to house number 61 yesterday.", "house number 61"),
    ],
)  # fmt: skip
def test_an_address_said_by_its_units_with_the_places_around_it(sentence: str, value: str):
    assert value in said(sentence, unit_addresses)


@pytest.mark.parametrize("sentence", ["The house is big, and the flat is small.", "Block the door, Sam."])
def test_unit_words_without_a_number_are_no_address(sentence: str):
    assert said(sentence, unit_addresses) == []


def test_letters_spelled_one_by_one():
    assert said("my surname is Q U I R I N, thanks", spelled_runs) == ["Q U I R I N,"]
    assert said("that's V-E-L-D-R-A with one L", spelled_runs) == ["V-E-L-D-R-A"]
    assert said("I a man of letters", spelled_runs) == []  # "I" and "a" are words


@pytest.mark.parametrize(
    "sentence, kind, value",
    [
        ("My pension number is four one seven, two two nine.", "ssn", "four one seven, two two nine."),
        ("the policy ID, uh, 77 31 09", "ssn", "77 31 09"),
        ("his card number is 4 4 1 2 then", "card", "4 4 1 2"),
    ],
)
def test_digits_after_a_label_that_ends_in_number_or_id(sentence: str, kind: str, value: str):
    words = sentence.split()
    assert (kind, value) in [(k, " ".join(words[a : b + 1])) for k, a, b in numbers_after_labels(words)]


def test_a_room_number_or_a_year_is_no_labelled_number():
    assert numbers_after_labels("the room number is 12 and the year 2024".split()) == []


def spoken(sentence: str) -> list[tuple[str, str]]:
    words = sentence.split()
    return [(f.kind, " ".join(words[f.first_word : f.last_word + 1])) for f in find_spoken_pii(DETECTOR, words)]


def test_the_redactor_reads_each_phrasing_and_the_check_reads_it_too():
    """Each said value is redacted, and the check's own rules (no redactor) find each one in the words."""
    cases = {
        "email": "Write to me at vedran dot sixty one at posta dot m k.",
        "address": "I live in Orvantel, block seven, apartment twelve, Velmaro.",
        "person": "my surname is Q U I R I N, thanks",
    }
    scanner = CoverageScanner()
    for kind, sentence in cases.items():
        assert any(found == kind for found, _value in spoken(sentence)), (kind, spoken(sentence))
        residuals = transcript_residuals(sentence.split(), scanner, set())
        assert kind in {found for _first, _last, found in residuals}, (kind, residuals)


def test_a_name_after_an_introduction_is_caught_by_the_check_alone():
    words = "Good morning, this is Vardo Kelmenzai, calling about the claim.".split()
    residuals = transcript_residuals(words, CoverageScanner(ner_model=None), set())
    assert {(kind, " ".join(words[a : b + 1])) for a, b, kind in residuals} == {("person", "Vardo Kelmenzai,")}
    assert transcript_residuals("this is Great news, thanks".split(), CoverageScanner(ner_model=None), set()) == []


# ---------------------------------------------------------------------------- documents


@pytest.mark.parametrize(
    "row, phone",
    [
        ("09:14 Orvan Telasu +977 98 4123 5567 88-120-443-19 2500", "+977 98 4123 5567"),
        ("10:02 Ketra Vosse 0612 44 18 90 7731 20 12000", "0612 44 18 90"),
    ],
)
def test_a_phone_with_the_next_column_glued_on_is_still_a_phone(row: str, phone: str):
    start = row.index(phone)
    assert any(f.start <= start and start + len(phone) <= f.end for f in find_phones(row)), list(find_phones(row))


def with_check_digits(country: str, bban: str) -> str:
    """An IBAN with its ISO 7064 check digits: 98 minus (BBAN, country, 00 as numbers) mod 97."""
    numeric = "".join(str(int(char, 36)) for char in bban + country + "00")
    return f"{country}{98 - int(numeric) % 97:02d}{bban}"


def test_an_iban_of_a_country_outside_the_registry_list():
    iban = with_check_digits("CI", "A0190100123456789012345")  # Côte d'Ivoire's shape, made-up account
    grouped = " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
    for text, value in ((f"Pay into {grouped} today", grouped), (f"IBAN{iban}", iban)):
        assert [(f.kind, text[f.start : f.end]) for f in find_ibans(text)] == [("iban", value)]
    wrong = iban[:-1] + str((int(iban[-1]) + 1) % 10)
    assert list(find_ibans(f"Pay into {wrong} today")) == []


def test_in_a_document_the_glued_phone_and_the_unlisted_iban_are_redacted_and_prose_stays():
    iban = with_check_digits("ML", "B1234567890123456789012")
    text = (
        "Customer register. Agent: Orvan Telasu, phone +977 98 4123 5567 88-120-443-19 2500. "
        f"Settlement account {iban}. The register is kept for five years."
    )
    assert redacted(text, "+977 98 4123 5567") and redacted(text, iban)
    assert untouched(text, "The register is kept for five years.")


# ---------------------------------------------------------------------------- what the recogniser misheard


def test_a_recogniser_loop_is_redacted_as_unheard_from_its_sentence_start():
    from resources.spoken_pii_phrases import recogniser_loops

    looped = "Right, turn me out, KOVA, " + "can't turn me out, " * 6
    assert said(looped.strip(), recogniser_loops) == [looped.strip()]
    assert said("no, no, no, no, I said no.", recogniser_loops) == []  # said, not looped
    assert said("My card is 4 -1 -1 -1 -1 -1 -1 -1 -1 -1.", recogniser_loops) == []  # digits: the number rules'


def test_what_a_caller_frames_is_a_name_however_it_was_heard():
    from resources.spoken_pii_phrases import framed_names

    assert said("Good morning, this is where the climate light calling about the claim.", framed_names) == [
        "where the climate light"
    ]
    assert said("Good morning, this is Kent Vosh and I'm calling on the car.", framed_names) == ["Kent Vosh"]
    assert said("This is it. I'm calling again.", framed_names) == []


def test_digits_said_one_by_one_with_and_between_groups():
    from resources.spoken_pii_phrases import digits_one_by_one

    sentence = "will find three, eight, three, seven, and nine, five, zero, three."
    assert said(sentence, digits_one_by_one) == ["three, eight, three, seven, and nine, five, zero, three."]
    assert said("we ate three and five apples in 2024", digits_one_by_one) == []


def test_an_iban_with_ocr_s_small_l_for_a_capital_i():
    iban = with_check_digits("GB", "QUIL60161331926819")  # a made-up bank code with an I
    grouped = " ".join(iban[i : i + 4] for i in range(0, len(iban), 4)).replace("I", "l")
    assert [(f.kind, f.end - f.start) for f in find_ibans(f"Account: {grouped} Signed")] == [("iban", len(grouped))]
    assert list(find_ibans(f"Account: {grouped[:-1]}8 Signed")) == []  # a wrong digit stays wrong
