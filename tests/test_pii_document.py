"""Document-level name decisions: real manuals are not redacted away, unseen names still are."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mm_assets.operations.pii_sets import TUNING_MANUALS
from mm_assets.operations.pii_slices import other_source_documents
from resources.pii import PiiDetector, join_spans
from resources.pii_coverage import CoverageScanner
from resources.pii_document import DocumentVocabulary
from resources.text_layer import read_text_layer

DETECTOR = PiiDetector()


def found(text: str) -> list[tuple[str, str]]:
    return [(f.kind, text[f.start : f.end]) for f in DETECTOR.find(text)]


def test_the_document_shows_what_is_vocabulary_code_or_a_heading() -> None:
    texts = [
        "2.3 Analog Inputs. Connect the sensor to the analog input. Call Bigarray.create(3) or CoTaskMemAlloc( n ).",
        "CoTaskMemAlloc is freed by the stub. SQR1 drives the LED. Ask Maria Gonzalez.",
    ]
    vocabulary = DocumentVocabulary(texts, tagged={"Caml": 1})
    for word in ("Analog", "Inputs", "Bigarray", "CoTaskMemAlloc", "SQR", "LED"):
        assert vocabulary.not_a_name(word), word
    for word in ("Maria", "Gonzalez", "McDonald", "O'Brien"):
        assert not vocabulary.not_a_name(word), word
    recurring = DocumentVocabulary(["Caml code. Caml types. Caml values. Caml"], tagged={"Caml": 1})
    assert recurring.not_a_name("Caml")  # tagged as a person in 1 of 4 uses: a term


@pytest.mark.parametrize(
    "text, expected",
    [
        # technical prose: headings, sentence-opening verbs, numbers in tables, versions, sections
        ("2.9.0.1 set2rtime (Digital Output, Digital Input) measures the time. Set the digital output.", []),
        ("The matrix 1 0 2 1 2 1 0 1 0 2 1 2 0 2 0 1 0 1 2 has rank 3.", []),
        ("See release v2.10.0.1 and section 3.0.3.1 Analog Inputs for details.", []),
        ("It takes 3 squares, 14 walk steps and a 200kHz Square wave.", []),
        # what stays PII
        ("Card: 4111 1111 1111 1111 12 26", [("card", "4111 1111 1111 1111")]),
        ("Server 192.168.10.4 is fine", [("ip", "192.168.10.4")]),
        ("Line manager: Erol Pergande", [("person", "Erol Pergande")]),
        ("Gülsen Beyer 4 Dörr Blvd", [("person", "Gülsen Beyer"), ("address", "4 Dörr Blvd")]),
    ],
)
def test_technical_prose_is_left_and_personal_data_is_not(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


def test_scanner_leaves_object_numbers_of_documents_but_not_of_speech() -> None:
    scanner = CoverageScanner(ner_model=None)
    for text in ("ISBN 978-3-540-59408-6", "arXiv:math.OC/ 0310194", "row 1 0 0 0 1 1 1 0 0 0"):
        assert scanner.leaks(text, set()) == [], text
    assert scanner.leaks("call 555 123 4567", set()) == ["number"]
    spoken = CoverageScanner(ner_model=None, table_rows_are_data=False)
    assert spoken.leaks("call 5 5 5 1 2 3 4 5 6 7", set()) == ["number"]


def _manual_texts(path: Path) -> dict[int, str]:
    return {p.page: join_spans(p.spans)[0] for p in read_text_layer(path.read_bytes(), 150) if p.spans}


@pytest.mark.skipif(not Path(TUNING_MANUALS[0][1]).exists(), reason="camlidl-doc not installed: make system-deps")
def test_a_real_manual_keeps_99_percent_of_its_words_and_passes_the_scanner() -> None:
    texts = _manual_texts(Path(TUNING_MANUALS[0][1]))
    findings = DETECTOR.find_in_pages(texts)
    words = hits = 0
    for page, text in texts.items():
        for word in re.finditer(r"\S+", text):
            words += 1
            hits += any(f.start < word.end() and word.start() < f.end for f in findings[page])
    assert words > 5000 and hits / words <= 0.01
    scanner = CoverageScanner()
    names = scanner.name_tokens(list(texts.values()))
    masked = {page: _masked(text, findings[page]) for page, text in texts.items()}
    assert [kind for text in masked.values() for kind in scanner.leaks(text, names)] == []


def _masked(text: str, findings: list) -> str:
    chars = list(text)
    for finding in findings:
        chars[finding.start : finding.end] = "#" * (finding.end - finding.start)
    return "".join(chars)


def test_names_and_addresses_from_other_sources_are_redacted() -> None:
    """The tuning slice (other Faker locales, made-up and OCR-glued names), as text: every person and
    address is covered, spaces aside."""
    missed = []
    for document in other_source_documents("tuning", count=12):
        texts = {number: " ".join(line for line in lines if line) for number, lines in enumerate(document.pages, 1)}
        findings = DETECTOR.find_in_pages(texts)
        for planted in document.planted:
            text = texts[planted.page]
            start = text.index(planted.value)
            covered = [
                char.isspace() or any(f.start <= start + i < f.end for f in findings[planted.page])
                for i, char in enumerate(planted.value)
            ]
            if planted.kind in ("person", "address") and not all(covered):
                missed.append((document.name, planted.kind))
    assert missed == []
