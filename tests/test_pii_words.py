"""Names and addresses of any origin: glued OCR prose split off, names by shape and with particles,
continental addresses; and the coverage scanner leaving a manual's measurements and rulers alone.
Real spaCy dictionary and the real embedder vocabulary (no mocks)."""

from __future__ import annotations

import pytest

from resources.pii import PiiDetector
from resources.pii_coverage import CoverageScanner, is_measurement_row, is_page_range, is_ruler
from resources.pii_words import english_forms, frequent_words, is_english, split_glued_token, unglue_words

DETECTOR = PiiDetector()


def words_of(token: str) -> list[str]:
    cuts = split_glued_token(token, english_forms())
    return [token[a:b] for a, b in zip([0, *cuts], [*cuts, len(token)], strict=True)]


def found(text: str) -> list[tuple[str, str]]:
    return [(f.kind, text[f.start : f.end]) for f in DETECTOR.find(text)]


def test_english_forms_know_inflections_but_not_names():
    forms = english_forms()
    assert is_english("proposes", forms) and is_english("markers", forms) and is_english("stopped", forms)
    assert not is_english("Oommen", forms) and not is_english("Bisvai", forms)
    assert len(frequent_words()) > 15_000


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("Akaraskedaboutthebrokengate", ["Akar", "asked", "about", "the", "broken", "gate"]),
        ("Hogbergaskedaboutthebrokengate", ["Hogberg", "asked", "about", "the", "broken", "gate"]),
        ("Lorrainewasstillsittinginside", ["Lorraine", "was", "still", "sitting", "inside"]),
        ("Withbestwishes", ["With", "best", "wishes"]),
        ("Referralfrom", ["Referral", "from"]),
        # a word, a town or a surname that happens to hold words is left whole
        ("Glutathione", ["Glutathione"]),
        ("Sousalton", ["Sousalton"]),
        ("Lasbothton", ["Lasbothton"]),
        ("Zorkdellthour", ["Zorkdellthour"]),
        ("Cassiano", ["Cassiano"]),
    ],
)
def test_a_glued_token_is_split_only_where_english_prose_follows(token: str, expected: list[str]):
    assert words_of(token) == expected


def test_the_split_copy_maps_back_to_the_original_offsets():
    text = "LiselotteHogbergaskedaboutthebrokengate."
    spaced, offsets = unglue_words(text, english_forms())
    assert spaced.startswith("Liselotte Hogberg asked about the broken gate")
    assert len(offsets) == len(spaced) and all(text[offsets[i]] == c for i, c in enumerate(spaced) if c != " ")


def test_names_of_any_origin_are_found_glued_by_shape_and_with_particles():
    minutes = "Nitesh Oommen opened the meeting. ChristianLindellaskedaboutthebrokengate Apologies were received."
    assert ("person", "Nitesh Oommen") in found(minutes)
    assert any(kind == "person" and "Lindell" in value for kind, value in found(minutes))
    notice = "Your landlord, Myllkend Bisvai, proposes a new rent. Please reply to Bisvai within 28 days."
    assert [v for k, v in found(notice) if k == "person"] == ["Myllkend Bisvai", "Bisvai"]
    assert ("person", "Pim van der Hoeven") in found("Pim van der Hoeven opened the meeting at seven.")
    assert ("person", "Eva van den Henst") in found("Patient: Eva van den Henst, reports pain")
    assert ("person", "Maj Persson") in found("Referral from Maj Persson")
    assert ("person", "Anders Lundberg") in found("With best wishes, Anders Lundberg")


def test_terms_and_code_are_not_names_by_shape():
    text = "Nucleic Acids Research. The Smith-Waterman algorithm. Call CoTaskMemAlloc() twice."
    assert [value for kind, value in found(text) if kind == "person"] == []


def test_street_names_with_particles_and_continental_addresses_are_addresses():
    assert ("address", "407 van 't Erve Court") in found("Patient lives at 407 van 't Erve Court today")
    assert ("address", "Kalevankatu 12 A 5, 00100 Helsinki") in found("Kalevankatu 12 A 5, 00100 Helsinki")
    assert found("See Section 3 1000 Ohms and Table 12 2022 November") == []


def test_the_scanner_leaves_measurements_rulers_and_page_ranges_alone_but_not_phones():
    assert is_measurement_row("1248 312.0") and is_measurement_row("2022 2.5.2")
    assert is_ruler("10 20 30 40 50") and is_ruler("80 90 100 110 130")
    assert is_page_range("2444-2448") and not is_page_range("555-1234")
    scanner = CoverageScanner(ner_model=None)
    for text in ("( 218) 1248 312.0 7.7e-86", "10 20 30 40 50 60 70 90 100 110", "PNAS 85:2444-2448", "PF01544 :1"):
        assert scanner.findings(text, set()) == [], text
    assert scanner.findings("driven by a 100Hz square wave", set()) == []
    assert [kind for *_, kind in scanner.findings("call 555 123 4567 or 4111 1111 1111 1111", set())] == [
        "number",
        "number",
    ]
    assert [kind for *_, kind in scanner.findings("Onealton,TX08423", set())] == ["address"]
