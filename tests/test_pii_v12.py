"""pii-patterns-v12: rules from how documents write names and addresses, each on text as the tuning slice
`held_back_7` writes it (its values made up by our own tables), beside what the same rule must leave alone."""

from __future__ import annotations

import pytest

from tests.test_pii_blocks import redacted, untouched

STAFF = "Harbourside Clinic - staff directory Name Role Ext. STEEL, Maayaa Nurse 235 AAL SAUD, Musa Pharmacist 267"
MINUTES = "Present: L O I , C h a l a; P r e m a a R a n g a r a a j a n Apologies: none. T h e meeting opened."
MAIL = "Thanks, that works. On Mon 1 Dec, Rafan Jafar Pur <r.jafarpur66@sympatico.ca> wrote: > Dear Anitaa"
DISCHARGE = "Re: Ekiua Lasaaga, born 1999/06/09 of Villa 36, Street 32c, Mirdif, Dubai Your patient was admitted"
ISRAELI = "Re: Jokitz Lasaondo, born May 4, 1942 of Aalasalilamah 59, Gonan, 3100858 Your patient was admitted"
MANUAL = "See Section 4, Table 3 and Chapter 2. Street 5 is a heading here. GLPK, Graph and GLPK, Network use GLPK."


@pytest.mark.parametrize("name", ["STEEL, Maayaa", "AAL SAUD, Musa"])
def test_a_family_name_in_capitals_before_a_comma_and_a_given_name(name: str):
    assert redacted(STAFF, name)


@pytest.mark.parametrize("name", ["L O I , C h a l a", "P r e m a a R a n g a r a a j a n"])
def test_a_name_with_its_letters_spaced_out(name: str):
    assert redacted(MINUTES, name)


def test_spaced_english_words_and_an_alphabet_stay():
    assert untouched(MINUTES, "T h e meeting")
    # gmpl.pdf (a tuning manual), page 9
    alphabet = (
        "alphabetic characters: A B C D E F G H I J K L M N O P Q R S T U V W X Y Z a b c d e f g h i j k l m n o"
    )
    assert untouched(alphabet, "A B C D E F G H I J K L M N O P Q R S T U V W X Y Z a b c")


def test_the_name_before_an_e_mail_address_in_angle_brackets():
    assert redacted(MAIL, "Rafan Jafar Pur")


def test_a_street_named_by_its_number_after_a_house_number():
    assert redacted(DISCHARGE, "Villa 36, Street 32c")


def test_a_seven_digit_postcode_after_a_town():
    assert redacted(ISRAELI, "Aalasalilamah 59, Gonan, 3100858")


@pytest.mark.parametrize("term", ["Section 4, Table 3", "Street 5 is", "GLPK, Graph"])
def test_headings_numbers_and_acronyms_of_a_manual_stay(term: str):
    assert untouched(MANUAL, term)


# fasta_guide.pdf (a tuning manual), pages 7 and 33: a run's date after a name, and an acronym before "Mac"
FASTA = (
    "Algorithm: Smith-Waterman (SSE2, Michael Farrar 2006) (7.2 Nov 2010) start: Thu Jun 6 11:23:28 2013 "
    "It runs on many systems, including Linux/Unix, BSD, Mac OS X and Windows."
)


@pytest.mark.parametrize("term", ["2006) (7.2 Nov 2010)", "Jun 6 11:23:28", "BSD, Mac OS"])
def test_dates_after_a_name_and_an_acronym_before_a_name_word_stay(term: str):
    assert untouched(FASTA, term)


# the generated `mm eval pii` set's narrative (OCR glues words): "Francis" alone is found too (a given name),
# and the rest of the glued word after it ("Clarkeapprovedthediscount") is no party's address
NARRATIVE = (
    "Lauren Hoover helped with the setup andFrancisClarkeapprovedthediscount. Thereceiptwas mailed "
    "to27798 MillerPlaza,Amandatown, OR63685-9715."
)


def test_a_word_glued_to_a_name_is_no_party_address():
    assert untouched(NARRATIVE, "Thereceiptwas")
    assert redacted(NARRATIVE, "27798 MillerPlaza,Amandatown, OR63685-9715")


def test_a_name_and_a_page_number_after_a_name_are_no_address():
    from resources.pii_document import DocumentVocabulary
    from resources.pii_party import party_addresses
    from resources.pii_patterns import PiiFinding

    text = "signed by Matthias Walter 53"
    start = text.index("Matthias")
    persons = [
        PiiFinding("person", start, start + len("Matthias"), 0.6, "gazetteer"),
        PiiFinding("person", start, start + len("Matthias Walter"), 0.8, "ner"),
    ]
    vocabulary = DocumentVocabulary([text], None, frozenset({"signed", "by"}), frozenset())
    assert party_addresses(text, persons, vocabulary) == []


def test_only_a_party_address_resolves_last():
    """A name found by the party rules ("Deliverynote Deliverto" of the generated delivery note) is a
    person like any other: it keeps its whole span against a shorter address, one finding, not two."""
    from resources.pii import resolve_overlaps
    from resources.pii_patterns import PiiFinding

    person = PiiFinding("person", 0, 22, 0.6, "party")
    kept = resolve_overlaps([person, PiiFinding("address", 13, 30, 0.6, "")])
    assert person in kept and len(kept) == 2


# 4ti2_manual.pdf page 53 ends on its number after the authors' names; gutenprint's version numbers
@pytest.mark.parametrize(
    "text, number",
    [
        ("Raymond Hemmecke Matthias Koeppe Peter Malkin Matthias Walter 53", "53"),
        ("Roger Leigh joined right after the Gimp-Print 4.0 release. Roger is a superb architect", "4.0"),
    ],
)
def test_a_page_number_or_a_decimal_after_names_is_no_house_number(text: str, number: str):
    from resources.pii_document import DocumentVocabulary
    from resources.pii_party import party_addresses
    from resources.pii_patterns import PiiFinding

    names = [m for m in ("Peter Malkin", "Matthias", "Walter", "Gimp-Print", "Roger") if m in text]
    persons = [PiiFinding("person", text.index(n), text.index(n) + len(n), 0.6, "ner") for n in names]
    vocabulary = DocumentVocabulary([text], None, frozenset({"joined", "right", "after", "the", "is", "a"}))
    start = text.index(number)
    assert not any(f.start < start + len(number) and start < f.end for f in party_addresses(text, persons, vocabulary))


def test_a_function_word_after_a_postcode_is_no_part_of_the_address():
    assert redacted(ISRAELI, "Gonan, 3100858")
    assert untouched(ISRAELI, "Your patient")


def test_a_page_number_after_the_names_of_a_title_page_stays():
    # 4ti2_manual.pdf page 53, whole: a run of names after a name, then the page's number
    text = "AUTHORS: The 4ti2 team Ralf Hemmecke Raymond Hemmecke Matthias Koeppe Peter Malkin Matthias Walter 53"
    assert untouched(text, " 53")
    assert redacted(text, "Matthias Walter")


def test_a_capitalised_word_after_a_name_with_only_spaces_between_is_no_address():
    """en-eyesj-progman.pdf (a tuning manual), title page: the author's name (its given name found alone
    too) and institute (initials left out here: capitals may open an address); an address after a name opens
    with a number or capitals, or after a comma."""
    from resources.pii_document import DocumentVocabulary
    from resources.pii_party import party_addresses
    from resources.pii_patterns import PiiFinding

    text = "Manual Ajith Kumar Inter-University Accelerator Centre New Delhi 110 067"
    start = text.index("Ajith")
    persons = [PiiFinding("person", start, start + n, 0.6, "ner") for n in (len("Ajith"), len("Ajith Kumar"))]
    vocabulary = DocumentVocabulary([text], None, frozenset({"manual", "accelerator", "centre", "new"}))
    assert party_addresses(text, persons, vocabulary) == []
    after_comma = "Manual Ajith Kumar, Hauz Khas 110 067"
    assert party_addresses(after_comma, persons, vocabulary)
