"""The blocking coverage check is independent of the redactor: switch off one redactor rule and the
check fails for exactly the partitions whose PII that rule would have caught (a real Dagster run)."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pytest

from mm_assets.definitions import build_definitions
from mm_assets.kinds.pii import CoverageScanner
from mm_assets.operations.ingest import IngestOptions, ingest_paths
from mm_assets.orchestration.instance import get_instance
from mm_assets.orchestration.runs import materialize_partitions
from mm_assets.settings import load_settings
from partitions import CONTENT_HASH_PARTITIONS_NAME
from resources.catalog import CatalogResource
from resources.media_store import LocalBlobStore
from resources.pii import PiiDetector
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
    assert scanner.leaks("mail a.b@c", set()) == ["email"]
    assert scanner.leaks("at 12 Oak Street", set()) == ["address"]
    assert scanner.leaks("Springfield, IL 62704", set()) == ["address"]
    assert scanner.leaks("Maria paid", {"Maria"}) == ["person"]
    assert scanner.leaks("[PERSON] paid [PHONE] on 2024-11-23, total 1,245.00 EUR", {"Maria"}) == []
    assert scanner.leaks("Invoice 2024-117 from ACME", set()) == []


def test_names_come_from_the_ner_model_over_the_unredacted_source():
    scanner = CoverageScanner()
    assert scanner.name_tokens(["Dear Maria Gonzalez, thank you.", "Regards"]) == {"Maria", "Gonzalez"}


@pytest.mark.slow
def test_disabling_one_redactor_rule_fails_the_check_for_exactly_the_affected_partitions(tmp_path: Path):
    media = tmp_path / "media"
    media.mkdir()
    for name, lines in PAGES.items():
        render_page(lines, size=(760, 60 + 66 * len(lines) + 40)).save(media / name)
    settings = load_settings({"MM_HOME": str(tmp_path / "home")})
    report = ingest_paths(
        [media],
        catalog=CatalogResource(url=settings.catalog_url),
        store=LocalBlobStore(settings.store_root),
        caps=settings.caps,
        options=IngestOptions(tenant="t1"),
    )
    keys = {Path(item["path"]).name: item["content_hash"] for item in report.accepted}
    instance = get_instance(settings)
    instance.add_dynamic_partitions(CONTENT_HASH_PARTITIONS_NAME, report.new_partition_keys)
    defs = build_definitions(settings, models={"pii_detector": PiiDetector(disabled_rules=["email"])})

    result = materialize_partitions(
        defs, instance, [dg.AssetKey(k) for k in ("pages", "ocr", "pii")], list(keys.values()), batch_size=200
    )

    failed = {name for name, key in keys.items() if key in result.failed}
    assert failed == WITH_EMAIL
    for name in WITH_EMAIL:
        assert "pii_redaction_coverage" in result.failed[keys[name]] and "email" in result.failed[keys[name]]
