"""pii: redacted OCR text, redaction spans (type, page, box) and redacted page images.

This is the only asset that reads unredacted OCR text; everything downstream (captions,
embeddings, thumbnails, the search index) reads this asset's redacted payload and images.
"""

import io
import json
import re
from dataclasses import dataclass

import dagster as dg
from dagster import AssetCheckExecutionContext, AssetExecutionContext

from mm_assets.artifacts import (
    ArtifactBatch,
    Stopwatch,
    code_version,
    content_hash_asset,
    current_artifacts,
    input_digest,
    store_key_of,
)
from mm_assets.checks import report_partition_checks
from mm_assets.kinds.ocr import spans_from_json, spans_to_json
from mm_assets.kinds.pages import encode_png, load_pages, page_suffix
from mm_assets.operations.compare import UpgradePolicy
from partitions import content_hash_partitions
from resources.catalog import CatalogResource
from resources.ocr import OcrRunner, OcrSpan
from resources.pii import DEFAULT_NER_MODEL, NAME_STOPWORDS, PiiDetector, join_spans, ner_person_spans, redact_image
from resources.stores import MediaStoreResource

PII_VERSION = "1"


def page_texts(spans: list[OcrSpan]) -> dict[int, str]:
    """Each page's text, spans joined the way the detector joins them."""
    pages: dict[int, list[OcrSpan]] = {}
    for span in spans:
        pages.setdefault(span.page, []).append(span)
    return {page: join_spans(page_spans)[0] for page, page_spans in sorted(pages.items())}


def build_pii(model_id: str, max_partitions_per_run: int) -> list:
    @content_hash_asset(
        "pii",
        deps=["ocr", "pages"],
        code_version=code_version(PII_VERSION, model_id),
        max_partitions_per_run=max_partitions_per_run,
        group_name="documents",
        kinds={"pii"},
        description="PII-redacted OCR text, redaction spans with type and box, and redacted page images.",
    )
    def pii(
        context: AssetExecutionContext,
        catalog: CatalogResource,
        media_store: MediaStoreResource,
        pii_detector: PiiDetector,
        upgrade_policy: UpgradePolicy,
    ) -> dg.MaterializeResult:
        batch = ArtifactBatch(context, catalog, media_store.store, "pii", PII_VERSION, model_id, upgrade_policy)
        ocr_rows = batch.upstream("ocr")
        page_rows = batch.upstream("pages")
        for key in batch.pending():
            with batch.guard(key):
                digest = input_digest([ocr_rows[key], page_rows[key]])
                if batch.existing(key, digest) is not None:
                    batch.reused.add(key)
                    continue
                with Stopwatch() as watch:
                    spans = spans_from_json(batch.read_json(ocr_rows[key])["spans"])
                    redacted_spans, redactions = pii_detector.redact_spans(spans)
                    images = {}
                    for page, image in load_pages(batch, page_rows[key]):
                        boxes = [r.bbox for r in redactions if r.page == page]
                        images[page_suffix(page)] = encode_png(redact_image(image, boxes) if boxes else image)
                    counts: dict[str, int] = {}
                    for redaction in redactions:
                        counts[redaction.kind] = counts.get(redaction.kind, 0) + 1
                    payload = {
                        "spans": spans_to_json(redacted_spans),
                        "redactions": [{"kind": r.kind, "page": r.page, "bbox": list(r.bbox)} for r in redactions],
                        "text": {str(page): text for page, text in page_texts(redacted_spans).items()},
                        "pages": [{"page": int(s[2:6])} for s in sorted(images)],
                    }
                    batch.write_json(key, payload, digest, attributes={"redactions": counts}, side_files=images)
                batch.step(key, "ok", watch.ms, redactions=len(redactions), by_type=counts)
                batch.metadata(key, redactions=len(redactions), redactions_by_type=dg.MetadataValue.json(counts))
        return batch.finish()

    @dg.asset_check(asset=pii, name="pii_redaction_coverage", blocking=True, partitions_def=content_hash_partitions)
    def pii_redaction_coverage(
        context: AssetCheckExecutionContext,
        catalog: CatalogResource,
        media_store: MediaStoreResource,
        pii_detector: PiiDetector,
        ocr_runner: OcrRunner,
    ) -> dg.AssetCheckResult:
        """Scan the redacted text, and the OCR of every redacted page image, with a broader scanner
        than the redactor's (never its detector): anything PII-shaped left fails."""
        store = media_store.store
        keys = list(context.partition_keys)
        rows = current_artifacts(catalog, "pii", keys)
        ocr_rows = current_artifacts(catalog, "ocr", keys)
        scanner = CoverageScanner(ner_model=pii_detector.ner_model if pii_detector.use_ner else None)
        verdicts = {}
        for key, row in rows.items():
            source_texts = _source_texts(ocr_rows.get(key), store)
            verdicts[key] = redaction_leaks(row, store, scanner, ocr_runner, source_texts)
        return report_partition_checks(
            context,
            dg.AssetKey("pii"),
            "pii_redaction_coverage",
            verdicts,
            severity=dg.AssetCheckSeverity.ERROR,
        )

    return [pii, pii_redaction_coverage]


# ---------------------------------------------------------------------------- coverage check

# Deliberately broader than the redactor, and written apart from it: a gap in a redactor rule shows
# up here instead of passing a re-scan with the same rule.
# 7+ digits, each pair at most one separator apart: phones, cards, accounts, IDs in any layout
LONG_NUMBER_RE = re.compile(r"(?<!\d)\d(?:[ ().-]?\d){6,}(?!\d)")
# not PII by themselves: a date (a birth date after a label is the redactor's), and a document
# number made of a year and a sequence number ("Invoice 2024-117")
NOT_PERSONAL_NUMBER_RE = re.compile(r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|(?:19|20)\d\d-\d{1,4}")
EMAIL_LIKE_RE = re.compile(r"[^\s@\[\]]+@[^\s@\[\]]+")
# a house number and capitalised words up to a street word, or a state + ZIP
STREET_SHAPE_RE = re.compile(
    r"(?<![\w])\d{1,6}\s*(?:[A-Z][a-z]+\s*){1,4}(?i:street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr"
    r"|court|ct|way|place|pl|terrace|parkway|circle|highway|square|trail)(?![a-z])"
)
STATE_ZIP_RE = re.compile(r"(?<![A-Za-z])[A-Z]{2}\s*\d{5}(?!\d)")
CAPITALISED_TOKEN_RE = re.compile(r"[A-Z][A-Za-z'’-]*[a-z][A-Za-z'’-]*")


@dataclass(frozen=True)
class CoverageScanner:
    """The independent scanner of `pii_redaction_coverage`.

    Flags any run of 7+ digits (dates and year-sequence numbers aside), any e-mail-like token, any
    address shape, and any capitalised word of a name the NER model tagged anywhere in the source.
    """

    ner_model: str | None = DEFAULT_NER_MODEL

    def name_tokens(self, source_texts: list[str]) -> set[str]:
        """Capitalised words of every PERSON entity the NER model tags in the unredacted source."""
        if self.ner_model is None:
            return set()
        tokens = set()
        for text in source_texts:
            for start, end in ner_person_spans(text, self.ner_model):
                for word in CAPITALISED_TOKEN_RE.findall(text[start:end]):
                    word = word.rstrip("'’-")
                    if len(word) >= 2 and word.lower() not in NAME_STOPWORDS:
                        tokens.add(word)
        return tokens

    def leaks(self, text: str, names: set[str]) -> list[str]:
        """The kinds of PII-shaped things left in the text (never the values)."""
        kinds = []
        if any(not NOT_PERSONAL_NUMBER_RE.fullmatch(m.group()) for m in LONG_NUMBER_RE.finditer(text)):
            kinds.append("number")
        if EMAIL_LIKE_RE.search(text):
            kinds.append("email")
        if STREET_SHAPE_RE.search(text) or STATE_ZIP_RE.search(text):
            kinds.append("address")
        if any(re.search(rf"(?<![A-Za-z]){re.escape(name)}(?![a-z])", text) for name in names):
            kinds.append("person")
        return kinds


def _source_texts(ocr_row: dict | None, store) -> list[str]:  # type: ignore[no-untyped-def]
    """The unredacted OCR text of each page (what the NER tags names in)."""
    if ocr_row is None:
        return []
    key = store_key_of(store, ocr_row["payload_uri"])
    spans = spans_from_json(json.loads(store.read_bytes(key))["spans"])
    return list(page_texts(spans).values())


def redaction_leaks(  # type: ignore[no-untyped-def]
    row: dict, store, scanner: CoverageScanner, ocr_runner: OcrRunner, source_texts: list[str]
) -> tuple[bool, dict]:
    """(passed, metadata) for one redacted artifact. Only types are reported, never the values.

    Born-digital pages are re-read by OCR like scans for now; checking them geometrically (every
    PII character box under a redaction box) needs the PDF text layer's character boxes.
    """
    from PIL import Image

    key = store_key_of(store, row["payload_uri"])
    payload = json.loads(store.read_bytes(key))
    names = scanner.name_tokens(source_texts)
    leaks = [kind for text in payload["text"].values() for kind in scanner.leaks(text, names)]
    # Pages without redactions are the original page images, whose OCR is the source text just
    # tagged; only pages that were painted over need OCR again to prove nothing is still legible.
    redacted_pages = sorted({r["page"] for r in payload["redactions"]})
    for page in redacted_pages:
        image = Image.open(io.BytesIO(store.read_bytes(key.rsplit(".", 1)[0] + page_suffix(page)))).convert("RGB")
        spans = ocr_runner.recognize_pages([(page, image)])[0]
        leaks += [kind for text in page_texts(spans).values() for kind in scanner.leaks(text, names)]
    metadata = {"leaked_types": sorted(set(leaks)), "pages_reocr": len(redacted_pages), "names_checked": len(names)}
    if leaks:
        metadata["reason"] = f"PII-shaped text still present after redaction: {', '.join(sorted(set(leaks)))}"
    return (not leaks, metadata)
