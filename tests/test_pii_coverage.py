"""The coverage check is independent of the redactor: switch off one redactor rule and the check fails
for exactly the partitions whose PII that rule would have caught (a real Dagster run); by default
what it finds is masked and the document goes on, in block mode the partition is held back."""

from __future__ import annotations

import json
from pathlib import Path

import dagster as dg
import pytest
import sqlalchemy as sa

from mm_assets.artifacts import current_artifacts, store_key_of
from mm_assets.definitions import build_definitions
from mm_assets.orchestration.runs import materialize_partitions
from resources.catalog import CatalogResource, review_item
from resources.media_store import LocalBlobStore
from resources.pii import PiiDetector
from resources.pii_coverage import CAPITALISED_TOKEN_RE, CoverageScanner
from tests.conftest import ingest_and_register
from tests.documents import render_page

# one page per partition; only the first two hold an e-mail address
PAGES = {
    "mail.png": ["Question from a customer", "Email: leak.one@example.org"],
    "mail-and-name.png": ["Dear Maria Gonzalez,", "write to maria.g@example.net"],
    "phone.png": ["Please call (064) 350-0860 today"],
    "name.png": ["Kind regards, Tomasz Wisniewski"],
}
WITH_EMAIL = {"mail.png", "mail-and-name.png"}


def test_the_scanner_flags_what_is_pii_shaped_and_leaves_plain_text_alone():
    scanner = CoverageScanner(ner_model=None)
    assert scanner.leaks("call 064 350 0860 now", set()) == ["number"]
    assert scanner.leaks("ref 12345678", set()) == ["number"]
    assert scanner.leaks("mail a.b@ex", set()) == ["email"]  # no TLD needed: OCR drops dots
    assert scanner.leaks("mail jordan.example@example,com", set()) == ["email"]
    assert scanner.leaks("De O@ al »eed @ »@0@@ > 6@0e8@@ 2a@G@", set()) == []  # OCR noise on a photo of coins
    assert scanner.leaks("at 12 Oak Street", set()) == ["address"]
    assert scanner.leaks("at 12OakStreet", set()) == ["address"]  # glued by OCR
    assert scanner.leaks("Invoice 2024-117 Billtd Email Phone Card", set()) == []  # "Ca"+"rd" is no street
    assert scanner.leaks("Springfield, IL 62704", set()) == ["address"]
    assert scanner.leaks("Maria paid", {"Maria"}) == ["person"]
    assert scanner.leaks("[PERSON] paid [PHONE] on 2024-11-23, total 1,245.00 EUR", {"Maria"}) == []
    assert scanner.leaks("Invoice 2024-117 from ACME", set()) == []


def test_the_scanner_leaves_technical_numbers_alone_and_still_flags_identifiers_beside_them():
    scanner = CoverageScanner(ner_model=None)
    # GLPK's manuals: a list of the digits, float literals, a solver log line
    assert scanner.leaks("numeric characters: 0 1 2 3 4 5 6 7 8 9", set()) == []
    assert scanner.leaks("Examples 123 3.14159 56.E+5 .78 123.456e-7", set()) == []
    assert scanner.leaks("* 2: objval = 7.333333333e+02 infeas = 0.000000000e+00 (0)", set()) == []
    assert scanner.leaks("pi is 3.14159, call 064 350 0860", set()) == ["number"]
    assert scanner.leaks("card 4111.1111.1111.1111", set()) == ["number"]
    assert scanner.leaks("ref 7654321", set()) == ["number"]  # counting down is no counting sequence


def test_name_tokens_are_name_shaped_words_not_acronyms_or_hyphenated_terms():
    assert CAPITALISED_TOKEN_RE.findall("LU- U-factorization") == []
    assert CAPITALISED_TOKEN_RE.findall("O'Brien Smith-Jones McDonald") == ["O'Brien", "Smith-Jones", "McDonald"]


def test_names_come_from_the_ner_model_over_the_unredacted_source():
    scanner = CoverageScanner()
    assert scanner.name_tokens(["Dear Maria Gonzalez, thank you.", "Regards"]) == {"Maria", "Gonzalez"}


def test_the_ner_model_tags_each_page_once_for_the_redactor_and_the_coverage_scans():
    """The redactor, the asset's masking and the check read the same unredacted pages: the model's
    answer for a page is kept, so the scans after the redactor cost no model pass, and say the same."""
    from resources.pii_names import _tagged_once, forget_ner_answers

    texts = {1: "Dear Maria Gonzalez, thank you for the letter.", 2: "Regards, Tomasz Wisniewski"}
    detector, scanner = PiiDetector(), CoverageScanner()
    forget_ner_answers()
    cold = scanner.name_tokens(list(texts.values()))
    forget_ner_answers()
    findings = detector.find_in_pages(texts)
    passes = _tagged_once.cache_info().misses
    assert passes >= len(texts)
    assert scanner.name_tokens(list(texts.values())) == cold == scanner.name_tokens(list(texts.values()))
    assert _tagged_once.cache_info().misses == passes  # no model pass for either scan
    forget_ner_answers()
    assert detector.find_in_pages(texts) == findings


@pytest.mark.slow
def test_disabling_one_redactor_rule_blocks_exactly_the_affected_partitions_in_block_mode(tmp_path: Path):
    media, keys, settings, instance = rendered_pages(tmp_path)
    detector = PiiDetector(disabled_rules=["email"], coverage_mode="block")
    defs = build_definitions(settings, models={"pii_detector": detector})

    result = materialize_partitions(defs, instance, DOCUMENT_KINDS, list(keys.values()), batch_size=200)

    failed = {name for name, key in keys.items() if key in result.failed}
    assert failed == WITH_EMAIL
    for name in WITH_EMAIL:
        assert "pii_redaction_coverage" in result.failed[keys[name]] and "email" in result.failed[keys[name]]


@pytest.mark.slow
def test_what_the_check_finds_is_masked_reported_with_its_box_and_reviewed_and_the_document_goes_on(tmp_path: Path):
    media, keys, settings, instance = rendered_pages(tmp_path)
    defs = build_definitions(settings, models={"pii_detector": PiiDetector(disabled_rules=["email"])})  # mask mode

    result = materialize_partitions(defs, instance, DOCUMENT_KINDS, list(keys.values()), batch_size=200)

    assert result.failed == {}  # nothing is held back: the e-mails were masked before anything read them
    catalog = CatalogResource(url=settings.catalog_url)
    store = LocalBlobStore(Path(settings.store_root))
    rows = current_artifacts(catalog, "pii", list(keys.values()))
    for name, key in keys.items():
        payload = json.loads(store.read_bytes(store_key_of(store, rows[key]["payload_uri"])))
        assert "@" not in json.dumps(payload["text"]) and "@" not in json.dumps(payload["spans"])
        assert bool(payload["coverage_masks"]) == (name in WITH_EMAIL)
        for mask in payload["coverage_masks"]:
            assert mask["kind"] == "email" and mask["page"] == 1 and len(mask["bbox"]) == 4
    with catalog.engine.connect() as conn:
        reviews = {row.source_hash: row for row in conn.execute(sa.select(review_item))}
    assert {name for name, key in keys.items() if key in reviews} == WITH_EMAIL
    for name in WITH_EMAIL:
        details = reviews[keys[name]].details
        assert details["crops"] and details["spans"][0]["kind"] == "email" and details["spans"][0]["masked"]
        assert "@" not in json.dumps(details)  # kinds, pages and boxes; never the value


DOCUMENT_KINDS = [dg.AssetKey(k) for k in ("pages", "ocr", "pii")]


def rendered_pages(tmp_path: Path):  # type: ignore[no-untyped-def]
    media = tmp_path / "media"
    media.mkdir()
    for name, lines in PAGES.items():
        render_page(lines, size=(760, 60 + 66 * len(lines) + 40)).save(media / name)
    settings, keys, instance = ingest_and_register(media, tmp_path / "home")
    return media, keys, settings, instance


class NoOcr:
    """An OCR runner that must not be called: born-digital pages are verified by their boxes."""

    def recognize_pages(self, pages):  # type: ignore[no-untyped-def]
        raise AssertionError("a born-digital page was sent to OCR")


def born_digital_pii_payload(pdf: bytes, detector: PiiDetector, store: LocalBlobStore, drop: str | None = None):
    """Redact a born-digital PDF's text-layer spans as the pii asset does; store the payload; its row."""
    import json

    from mm_assets.kinds.ocr import spans_to_json
    from mm_assets.kinds.pii import page_texts
    from resources.blob_store import store_relative_uri
    from resources.text_layer import read_text_layer

    spans = [span for plan in read_text_layer(pdf, 150) for span in plan.spans]
    redacted, redactions = detector.redact_spans(spans)
    payload = {
        "spans": spans_to_json(redacted),
        "text": {str(page): text for page, text in page_texts(redacted).items()},
        "redactions": [{"kind": r.kind, "page": r.page, "bbox": list(r.bbox)} for r in redactions if r.kind != drop],
    }
    key = f"artifacts/pii/{drop or 'all'}.json"
    store.put_bytes_if_absent(key, json.dumps(payload).encode())
    return {"payload_uri": store_relative_uri(key)}, [" ".join(span.text for span in spans)]


@pytest.mark.slow
def test_a_born_digital_page_is_verified_by_its_character_boxes_without_ocr(tmp_path: Path):
    from mm_assets.kinds.pii import redaction_leaks
    from tests.documents import born_digital_pdf

    pdf = born_digital_pdf([["Order notes", "Write to jordan.example@example.com", "or call (064) 350-0860 today"]])
    store = LocalBlobStore(tmp_path / "store")
    detector = PiiDetector()
    scanner = CoverageScanner()

    row, texts = born_digital_pii_payload(pdf, detector, store)
    passed, facts = redaction_leaks(row, store, scanner, NoOcr(), texts, {1}, lambda: pdf, 150)  # type: ignore[arg-type]
    assert passed, facts
    assert facts["pages_checked_geometrically"] == 1 and facts["pages_reocr"] == 0

    # The redacted text no longer shows the e-mail, but its box is gone: the characters lie bare.
    row, texts = born_digital_pii_payload(pdf, detector, store, drop="email")
    passed, facts = redaction_leaks(row, store, scanner, NoOcr(), texts, {1}, lambda: pdf, 150)  # type: ignore[arg-type]
    assert not passed and facts["leaked_types"] == ["email"]


def test_an_ssn_is_no_date_to_the_scanner_but_dates_stay_unflagged():
    scanner = CoverageScanner()
    assert [kind for _start, _end, kind in scanner.findings("SSN 123-45-6789 on file", set())] == ["number"]
    assert scanner.findings("born 12.03.1985, filed 2024-11-30, invoice 2024-117", set()) == []
