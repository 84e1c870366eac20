"""pii-patterns-v14: a birth label's value is read by its shape, not by a list of month words
(resources/pii_dates.py); a table's birth column makes each row's date a date of birth. Values are made up
here (no slice's value); beside them, dates and label words in technical prose, which must stay."""

from __future__ import annotations

import pytest

from resources.pii import PATTERNS_VERSION, PiiDetector
from resources.pii_dates import read_date
from tests.test_pii_blocks import redacted, untouched

DETECTOR = PiiDetector()


def test_the_version_is_v14():
    assert PATTERNS_VERSION == "pii-patterns-v23"


@pytest.mark.parametrize(
    "text, value",
    [
        ("Name: Oru Tesfai DOB 3.VII.1979 Tel. none", "3.VII.1979"),  # a Roman-numeral month
        ("D.O.B. 04-Okt-1961 Nationality: none", "04-Okt-1961"),
        ("born on the 2nd of August 1944 in a small town", "2nd of August 1944"),
        ("born on the twelfth of August 1944 in a small town", "twelfth of August 1944"),
        ("Tuğan küni: 9 желтоқсан 1971 Mekenjaiy:", "9 желтоқсан 1971"),  # a month word never listed
        ("Dhalashada: 14 Bilbilo 1980 Degmada:", "14 Bilbilo 1980"),
        ("Syntymäaika: 7 heinäkuuta 1958 Osoite:", "7 heinäkuuta 1958"),
        ("born Tahsas 3, 1962 E.C. at home", "Tahsas 3, 1962 E.C."),  # month first, another calendar
        ("DOB 21/11/2524 B.E. Address: none", "21/11/2524 B.E."),  # a Buddhist-era year
        ("geb. 5 Sauir 1949 j., lives abroad", "5 Sauir 1949 j."),  # the year's word cut short after it
        ("Date de naissance / Geburtsdatum: 3 avril 1961 Nationalité", "3 avril 1961"),
        ("Birth: 1401/5/17 Tel none", "1401/5/17"),  # a Solar Hijri year
        ("b. 4 Sivan 1990, died 2020", "4 Sivan 1990"),
    ],
)
def test_any_date_shape_after_a_birth_label(text: str, value: str):
    assert redacted(text, value), DETECTOR.find(text)


def test_a_birth_column_makes_each_rows_date_a_date_of_birth():
    text = (
        "ROLL No. | Name | Address | Born 001 | Ama Oteng | Box 12, Kumasi | 4.IX.1950 002 | Kofi Badu | "
        "Box 88, Tamale | Pagume 2, 1955 E.C. 003 | Esi Ansa | Box 7, Ho | 30/01/2501 B.E."
    )
    for value in ("4.IX.1950", "Pagume 2, 1955 E.C.", "30/01/2501 B.E."):
        assert redacted(text, value), value


@pytest.mark.parametrize(
    "text, value",
    [
        ("Version 12 was released on 12 March 2019 after a long test phase.", "12 March 2019"),  # no birth label
        ("| Option | Default | 12 | 2019 |", "2019"),  # a table without a birth column
        ("The daemon was born 2 weeks ago in the test farm.", "2 weeks"),
        ("B. 12 options are listed below.", "12 options"),  # "B." heads a list
        ("Use --date=born 3 times to repeat.", "3 times"),
    ],
)
def test_dates_and_birth_words_of_technical_prose_stay(text: str, value: str):
    assert untouched(text, value), DETECTOR.find(text)


@pytest.mark.parametrize(
    "text, date",
    [
        ("12 Luulyo 1987 is the day", "12 Luulyo 1987"),
        ("Mehefin 3, 1999 at noon", "Mehefin 3, 1999"),
        ("9 Mamyr 1950 002 | next row", "9 Mamyr 1950"),  # a whole date ends at its year
        ("1975. 03. 14. Anyja neve", "1975. 03. 14."),
    ],
)
def test_a_date_ends_where_it_is_whole(text: str, date: str):
    span = read_date(text, 0)
    assert span is not None and text[span[0] : span[1]] == date


def test_a_month_word_needs_its_day_and_year_around_it():
    assert read_date("12 children 1987 and more", 0) is not None  # a word between a day and a year: a month
    assert read_date("Paris 12 later", 0) is None  # no year after the day
    assert read_date("12 Paris", 0) is None  # no year, no month: two digits are no date


# ---------------------------------------------------------------------------- addresses and names by position


@pytest.mark.parametrize(
    "text, value",
    [
        ("Parcel: Lot 17, Block No. 3/9C, Kanda Ward Area 0.4 ha", "Lot 17, Block No. 3/9C, Kanda Ward"),
        ("Holding: No. 12/7A, Kotuwa Para Situated: Galle 80000", "No. 12/7A, Kotuwa Para"),
        ("Cinwaanka / Address: Xaafadda Banaadir, opposite the Gobol Hospital, Degmada Hodan", "opposite the Gobol"),
        ("Replies may be sent to P.O. Box 4471, Kisumu, Kenya.", "P.O. Box 4471, Kisumu, Kenya"),
        ("Letters can be addressed to Postfach 311, Graz.", "Postfach 311, Graz"),
        ("Wreaths to General Delivery, Kugluktuk NU X0B 0E0.", "General Delivery, Kugluktuk NU X0B 0E0"),
        ("please write to 22 Tarn Row, Kendal LA9 4QP before May.", "Kendal LA9 4QP"),
    ],
)
def test_an_address_is_told_by_its_position(text: str, value: str):
    assert redacted(text, value), DETECTOR.find(text)


def test_a_column_headed_name_or_address_holds_one_in_every_row():
    text = (
        "REGISTER OF MEMBERS No. | Name | Adresse | Joined 01 | Tsegay Welde | Via Roma 3, 00184 Roma | 2019 02 | "
        "Aigúl Serikqyzy | 050010, Almaty q. | 2020 03 | Ko Zaw Min | Lot 9, Mayangon Township | 2021"
    )
    for value in ("Tsegay Welde", "Aigúl Serikqyzy", "Ko Zaw Min", "Via Roma 3, 00184 Roma", "050010, Almaty q.",
                  "Lot 9, Mayangon Township"):  # fmt: skip
        assert redacted(text, value), value


@pytest.mark.parametrize(
    "text, value",
    [
        ("Wife / Épouse: Amina Yusuf, née Xirsiyo_Cali, b. 1970", "Xirsiyo_Cali"),
        ("IN MEMORY Rahel Tesfu (née Gebrekidan), born 3 May 1930", "Gebrekidan"),
        ("Deeply missed by her son Ko Thiha Aung and all the family.", "Ko Thiha Aung"),
        ("Registered owner: Nurlan Serikbaiūly Area 2 ha", "Nurlan Serikbaiūly"),
        ("Transferred from: T._K. Wijesundara Area 0.5 ha", "T._K. Wijesundara"),
        ("Dear Ngozi Okonkwo-Eze, thank you for your letter.", "Ngozi Okonkwo-Eze"),
        ("Sehr geehrte Frau Wójcik-Ŝabić, vielen Dank.", "Wójcik-Ŝabić"),
        ("Witness: Tuuli D'Arqbek Registrar: none", "Tuuli D'Arqbek"),
    ],
)
def test_a_name_is_told_by_its_position(text: str, value: str):
    assert redacted(text, value), DETECTOR.find(text)


@pytest.mark.parametrize(
    "text, value",
    [
        ("Use the option from the Makefile and the son process ends.", "Makefile"),
        ("| Name | Description | -v | Verbose output | -q | Quiet output |", "Verbose output"),
        ("The box 12 of the diagram, Figure 3, shows the flow.", "Figure 3"),
        ("Send output to stdout, not to the Box 4 dialog.", "dialog"),
        ("Version SHA1 256 and MD5 are listed.", "MD5"),
        ("Score with fasta36 -s BP62 query.file library.file", "BP62"),  # a scoring matrix, not a box
    ],
)
def test_position_words_of_technical_prose_leave_it(text: str, value: str):
    assert untouched(text, value), DETECTOR.find(text)
