"""pii-patterns-v8: addresses told by their position, names in capitals, name fields, other-case
spreading, hyphenated and English-word given names, more particles. Material written for these tests."""

from __future__ import annotations

import pytest

from resources.pii import PiiDetector
from resources.pii_blocks import find_address_blocks, find_glued_streets, is_street_type
from resources.pii_document import DocumentVocabulary
from resources.pii_names import find_persons_by_context
from resources.pii_words import _shaped_like_a_name, english_forms, split_glued_token

DETECTOR = PiiDetector()


def redacted(text: str, value: str) -> bool:
    """Whether every non-space character of `value` (first occurrence) lies under a finding."""
    findings = DETECTOR.find(text)
    start = text.index(value)
    return all(
        any(f.start <= offset < f.end for f in findings)
        for offset in range(start, start + len(value))
        if not text[offset].isspace()
    )


def untouched(text: str, value: str) -> bool:
    start = text.index(value)
    return not any(f.start < start + len(value) and start < f.end for f in DETECTOR.find(text))


@pytest.mark.parametrize(
    "text, address",
    [
        ("Home address: Vrbová 12, 917 01 Trnava Telephone 0905 111 222", "Vrbová 12, 917 01 Trnava"),
        ("Current address: ulica Kwiatowa 8/3, 61-001 Poznań Mobile: 601 200 300", "ulica Kwiatowa 8/3, 61-001 Poznań"),
        ("Postal address: Strada Olmo 41 bis, 38122 Trento, Italia. Thank you.", "Strada Olmo 41 bis, 38122 Trento"),
        ("She lives at Kirkevegen 7 B, 6800 Førde and works nights.", "Kirkevegen 7 B, 6800 Førde"),
        ("Respondent: Tamsin Oakridge of Rua das Flores 19, 4050-262 Porto. The hearing", "Rua das Flores 19"),
        ("Ilse Brandvold Postboks 212 4001 Stavanger Dear Ms Brandvold, thank you", "Postboks 212 4001 Stavanger"),
        (
            "Home address Lindenhofgasse 3/7 8041 Graz am Murufer Telephone 0316 555",
            "Lindenhofgasse 3/7 8041 Graz am Murufer",
        ),
    ],
)
def test_an_address_after_a_label_or_a_name_is_redacted_whatever_its_format(text: str, address: str) -> None:
    assert redacted(text, address), DETECTOR.find(text)


def test_a_street_with_its_type_glued_on_and_a_house_number_is_an_address_anywhere() -> None:
    text = "The bike was left outside Koivukuja 6 on Sunday, near Lindenstraat 14b."
    assert redacted(text, "Koivukuja 6") and redacted(text, "Lindenstraat 14b")
    assert list(find_glued_streets("Pass String 1 and Offering 2 to the parser.", english_forms())) == []


def test_after_a_name_a_block_needs_a_street_type_word() -> None:
    text = "ODETTE VALLANCOURT 77 Korrimal Road 5521 Brandholm Dear Ms Vallancourt"
    assert redacted(text, "77 Korrimal Road 5521 Brandholm")
    assert untouched("Changes by Ada Pellworth Jun 2003 Provide SEARCH-X for users.", "Provide")


def test_an_address_block_stops_at_the_next_label_and_at_prose() -> None:
    text = "Home address: Vrbová 12, 917 01 Trnava Telephone 0905 111 222"
    assert untouched(text, "Telephone")
    text = "Delivery address: Hlavná 3, 040 01 Košice You are asked to sign for it."
    assert untouched(text, "You are asked to sign")


@pytest.mark.parametrize(
    "text",
    [
        "Proof of Theorem 3 follows from Lemma 2.",
        "The IP address 10.0.0.1 was assigned by the router.",
        "Address of the buffer is given in register 4.",
        "Set the start address: Offset 4096 bytes from the base.",
    ],
)
def test_an_address_label_without_an_address_after_it_finds_none(text: str) -> None:
    forms = english_forms()
    assert list(find_address_blocks(text, forms)) == []


def test_street_types_of_many_languages_also_glued() -> None:
    assert is_street_type("ulica") and is_street_type("Rue") and is_street_type("Hauptgasse")
    assert not is_street_type("Trnava") and not is_street_type("Gasket")


def test_name_fields_without_a_colon_each_hold_a_name() -> None:
    text = "Guest card Surname OKONJO Given names Chidera Room 12"
    assert redacted(text, "OKONJO") and redacted(text, "Chidera")
    assert untouched(text, "Given names")


def test_a_last_first_field_redacts_both_parts() -> None:
    text = "Intake form Name (last, first): Oduya, Grace Ward: 4"
    assert redacted(text, "Oduya, Grace")


def test_a_label_after_a_name_is_no_part_of_it() -> None:
    text = "Claimant: Ana Wiśniewska Defendant: Piotr Zalewski"
    spans = [text[f.start : f.end] for f in find_persons_by_context(text)]
    assert "Ana Wiśniewska" in spans and "Piotr Zalewski" in spans
    assert not any("Defendant" in span for span in spans)


def test_a_full_name_in_capitals_is_a_name_and_spreads_to_its_other_case() -> None:
    text = "NOTICE Respondent: MARISOL QUENTAL-VARGAS ServedonMarisolQuental-Vargas at noon"
    assert redacted(text, "MARISOL QUENTAL-VARGAS")
    assert redacted(text, "MarisolQuental")


def test_a_lone_constant_in_capitals_is_still_an_acronym() -> None:
    text = "Opcode Mnemonic XORBLKA 4 Flips the bits of a block. Mnemonic RDSTATQ 5 Reads the state."
    assert untouched(text, "XORBLKA") and untouched(text, "RDSTATQ")
    vocabulary = DocumentVocabulary(["GLPK solves it. GLPK again. GLPK once more."], dictionary=frozenset({"solve"}))
    assert vocabulary.not_a_name("GLPK", in_capitals_name=True)  # no vowel, and recurring
    assert not vocabulary.not_a_name("QUENTAL", in_capitals_name=True)
    assert vocabulary.not_a_name("QUENTAL")


def test_a_hyphenated_given_name_with_an_english_part_is_shaped_like_a_name() -> None:
    forms = english_forms()
    assert _shaped_like_a_name("Grace-Oyelola", forms) and _shaped_like_a_name("Ivana-Rose", forms)
    assert not _shaped_like_a_name("Cross-Entropy", forms)


def test_an_english_word_given_name_before_a_surname_mid_sentence_is_redacted() -> None:
    text = "The keys were handed to Hope Mbatha yesterday and she signed."
    assert redacted(text, "Hope Mbatha")
    manual = "Hope is not a plan. Use the Kalman filter here."
    assert untouched(manual, "Hope")


@pytest.mark.parametrize("name", ["Aoife ní Bhraonáin", "Rhys ap Gwilym", "Greta af Klingspor"])
def test_more_name_particles_join_a_name(name: str) -> None:
    text = f"Please welcome {name}, who joins the board today."
    assert redacted(text, name)


def test_a_name_of_short_english_pieces_is_not_split_as_glued_prose() -> None:
    forms = english_forms()
    assert split_glued_token("Berangen", forms) == [] and split_glued_token("Belincon", forms) == []
    assert split_glued_token("Withbestwishes", forms) != []
