"""pii-patterns-v15: letters the word rules missed (modifier letters, OCR's brackets), dates of other calendars
and a date right after a name, address lines grown over the tokens before and after them, a landmark's noun,
names across a lower-case OCR word and before "née", and what a speaker says after "my address is". Values
are made up here (no slice's value); beside each rule, ordinary text it must leave alone."""

from __future__ import annotations

import pytest

from resources.pii import PATTERNS_VERSION
from resources.pii_glyphs import read_marks_as_letters
from resources.spoken_pii import disclosed_values, find_spoken_pii
from tests.test_pii_blocks import DETECTOR, redacted, untouched


def test_the_version_is_v15():
    assert PATTERNS_VERSION == "pii-patterns-v23"


# ---------------------------------------------------------------------------- letters (resources/pii_glyphs.py)


def test_marks_and_brackets_are_read_as_letters_with_the_same_offsets():
    text = "Keʻaloha ʻIolani Pe()lua f() calls ʻohana"
    read = read_marks_as_letters(text)
    assert len(read) == len(text)
    assert read == "Kexaloha  Iolani Peoolua f() calls ʻohana"  # a call's brackets and a lower-case word stay


@pytest.mark.parametrize(
    "text, value",
    [
        ("Received from: Manaʻolana Keʻaloha Tel. none", "Manaʻolana Keʻaloha"),  # marks inside the words
        ("Witness: ʻIolani Pakelemoʻo, clerk", "ʻIolani Pakelemoʻo"),  # a mark opening the name
        ("on the complaint of Hiwalani ʻUlumaika to appear", "Hiwalani ʻUlumaika"),
    ],
)
def test_a_name_with_modifier_letters_is_redacted_whole(text: str, value: str):
    assert redacted(text, value), DETECTOR.find(text)


def test_a_modifier_letter_in_ordinary_words_is_left_alone():
    text = "The word ʻohana means family; see the glossary of the manual."
    assert untouched(text, "ʻohana means family")


# ---------------------------------------------------------------------------- dates (resources/pii_dates.py)


@pytest.mark.parametrize(
    "text, value",
    [
        ("Date of birth: 9 Nisan 5751 Tel. none", "9 Nisan 5751"),  # a Hebrew year
        ("DOB: 14 Aban 1362 SH Address: none", "14 Aban 1362 SH"),  # an era's capitals without points
        ("DOB: 7 Vrishchikamasam 1998 Tel. none", "7 Vrishchikamasam 1998"),  # a month word of 15 letters
        ("born on the twenty-third of June 1961 in a village", "the twenty-third of June 1961"),
        ("Date of birth: the ninth of July 1950 Phone none", "the ninth of July 1950"),
    ],
)
def test_dates_of_other_calendars_after_a_birth_label(text: str, value: str):
    assert redacted(text, value), DETECTOR.find(text)


@pytest.mark.parametrize(
    "text, value",
    [
        ("Accompanied by: Kaveinga Folauhola 03-Feb-58 Room 12", "03-Feb-58"),  # bare, after the name
        ("Mother: Kaveinga Folauhola Tanggal: 4 Okt 1969 Room 12", "4 Okt 1969"),  # after a label never listed
        ("Accompanied by: Kaveinga Folauhola the sixth of May 2004 Room 12", "the sixth of May 2004"),
    ],
)
def test_a_whole_date_right_after_a_name_is_a_date_of_birth(text: str, value: str):
    assert redacted(text, value), DETECTOR.find(text)


@pytest.mark.parametrize(
    "text, value",
    [
        ("The build of 12 Nisan 5781 SH passed all tests.", "12 Nisan 5781 SH"),  # no label, no name
        ("The meeting on 12 March 2020 was long and nobody took notes.", "12 March 2020"),
        ("Release 5751 of the tool ships 3 modules.", "5751"),
    ],
)
def test_dates_without_a_birth_label_or_a_name_stay(text: str, value: str):
    assert untouched(text, value)


# ---------------------------------------------------------------------------- addresses (pii_positions, pii_labels)


@pytest.mark.parametrize(
    "text, value",
    [
        # the line before a postcode line: block numbers and their units, a place that is no English word
        (
            "Date of birth: 2 May 1970 of Tsukimino 2-chome 14-ban 9-go Midori-ku, Yokohama 226-0025 Tel. 045",
            "Tsukimino 2-chome 14-ban 9-go Midori-ku, Yokohama 226-0025",
        ),
        (
            "For the rent of: 41, Hanbit-ro 12-gil, Seo-gu, Daegu 41911 Amount: 9,000",
            "41, Hanbit-ro 12-gil, Seo-gu, Daegu 41911",
        ),
        # the comma parts after a found address go on with it, lower-case words of another language too
        (
            "Domicile: 101000, Moskva g., Lesnaya ulitsa, 5-dom, 12-kv Registered owner: none",
            "101000, Moskva g., Lesnaya ulitsa, 5-dom, 12-kv",
        ),
        # a landmark's noun stays with the landmark
        ("Abode: Fale Lautoa, near the Vaitele bakery Phone: none", "Fale Lautoa, near the Vaitele bakery"),
    ],
)
def test_address_lines_are_grown_over_their_tokens(text: str, value: str):
    assert redacted(text, value), DETECTOR.find(text)


@pytest.mark.parametrize(
    "text, value",
    [
        ("Please visit our office in the city centre, Leeds LS1 4AP for details.", "visit our office in the city"),
        ("Abode: Fale Lautoa, near the Vaitele bakery. Then the meeting began at noon.", "Then the meeting began"),
        ("The package is near the top of the list of packages.", "near the top of the list"),
    ],
)
def test_english_words_around_an_address_stay(text: str, value: str):
    assert untouched(text, value), DETECTOR.find(text)


# ---------------------------------------------------------------------------- names (pii_positions)


@pytest.mark.parametrize(
    "text, value",
    [
        ("IN LOVING MEMORY K. R. Wijesuriyage (née Pathirana), who passed away", "K. R. Wijesuriyage"),
        ("Landlord: Ratu Vakaloloma lliseva Naivalurua Tel. none", "Ratu Vakaloloma lliseva Naivalurua"),
    ],
)
def test_names_before_nee_and_across_an_ocr_lower_case_word(text: str, value: str):
    assert redacted(text, value), DETECTOR.find(text)


@pytest.mark.parametrize(
    "text, value",
    [
        ("THE ANNUAL REPORT (née the Yearly Review) is out.", "ANNUAL REPORT"),
        ("Call Mary Jones and Peter Smith about the release.", "and"),  # an English word between two names
    ],
)
def test_english_words_beside_those_positions_stay(text: str, value: str):
    assert untouched(text, value), DETECTOR.find(text)


# ---------------------------------------------------------------------------- speech (resources/spoken_pii.py)


def test_what_follows_my_email_is_is_redacted_however_it_was_heard():
    words = "My email is look out seven at home dot org. Thanks a lot.".split()
    said = {i for f in find_spoken_pii(DETECTOR, words) for i in range(f.first_word, f.last_word + 1)}
    assert {words.index("look"), words.index("org.")} <= said
    assert words.index("Thanks") not in said  # the sentence's end closes the value
    assert disclosed_values("My home address is eight Kalo lane".split()) == [("address", 4, 6)]


@pytest.mark.parametrize("sentence", ["My address book is full of old friends.", "Your address is wrong, sorry."])
def test_other_sentences_about_addresses_disclose_nothing(sentence: str):
    assert disclosed_values(sentence.split()) == []


def test_a_labelled_number_heard_with_a_stray_letter_is_still_that_number():
    from resources.spoken_pii import labelled_numbers

    assert labelled_numbers("my social security number in 51200734K.".split()) == [("ssn", 5, 5)]
    assert labelled_numbers("the social security office is in Room 12B.".split()) == []  # 2 digits, no number
