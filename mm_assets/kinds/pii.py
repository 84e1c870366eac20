"""pii: redacted OCR text, redaction spans (type, page, box) and redacted page images.

This is the only asset that reads unredacted OCR text; everything downstream (captions,
embeddings, thumbnails, the search index) reads this asset's redacted payload and images.
"""

import functools
import io
import json
from collections.abc import Callable
from typing import Any

import dagster as dg

from mm_assets.artifacts import current_artifacts, store_key_of
from mm_assets.kind_checks import KindCheck, Verdict
from mm_assets.kind_spec import PAGE_IMAGES, ArtifactKind, KindRun, Made, each_partition
from mm_assets.kinds.ocr import spans_from_json, spans_to_json
from mm_assets.kinds.pages import encode_png, load_pages, page_suffix
from mm_assets.operations.compare import compare_pii
from resources.blob_store import media_key
from resources.ocr import OcrRunner, OcrSpan
from resources.pii import join_spans, redact_image
from resources.pii_coverage import CoverageScanner, uncovered_pii
from resources.text_layer import TEXT_LAYER_SOURCE

PII_VERSION = "1"


def page_texts(spans: list[OcrSpan]) -> dict[int, str]:
    """Each page's text, spans joined the way the detector joins them."""
    pages: dict[int, list[OcrSpan]] = {}
    for span in spans:
        pages.setdefault(span.page, []).append(span)
    return {page: join_spans(page_spans)[0] for page, page_spans in sorted(pages.items())}


def redaction_counts(redactions: list[dict]) -> dict[str, int]:
    """How many redactions of each kind."""
    counts: dict[str, int] = {}
    for redaction in redactions:
        counts[redaction["kind"]] = counts.get(redaction["kind"], 0) + 1
    return counts


def redaction_report(redactions: list[dict]) -> Made:
    """The step details and Dagster metadata of a redacted artifact: counts, never the values."""
    counts = redaction_counts(redactions)
    return Made(
        {"redactions": len(redactions), "by_type": counts},
        {"redactions": len(redactions), "redactions_by_type": dg.MetadataValue.json(counts)},
    )


def make_pii(run: KindRun, key: str) -> Made:
    """Redact one source's OCR text and paint its redaction boxes over its page images."""
    spans = spans_from_json(run.batch.read_json(run.input("ocr", key))["spans"])
    redacted_spans, redactions = run.model("pii_detector").redact_spans(spans)
    images = {}
    for page, image in load_pages(run.batch, run.input("pages", key)):
        boxes = [r.bbox for r in redactions if r.page == page]
        images[page_suffix(page)] = encode_png(redact_image(image, boxes) if boxes else image)
    listed = [{"kind": r.kind, "page": r.page, "bbox": list(r.bbox)} for r in redactions]
    payload = {
        "spans": spans_to_json(redacted_spans),
        "redactions": listed,
        "text": {str(page): text for page, text in page_texts(redacted_spans).items()},
        "pages": [{"page": int(s[2:6])} for s in sorted(images)],
    }
    attributes = {"redactions": redaction_counts(listed)}
    run.batch.write_json(key, payload, run.digests[key], attributes=attributes, side_files=images)
    return redaction_report(listed)


def pii_coverage_verdicts(resources: Any, keys: list[str]) -> dict[str, Verdict]:
    """Scan the redacted text, and the OCR of every redacted page image, with a broader scanner
    than the redactor's (never its detector): anything PII-shaped left fails."""
    catalog, store, detector = resources.catalog, resources.media_store.store, resources.pii_detector
    ocr_rows = current_artifacts(catalog, "ocr", keys)
    page_rows = current_artifacts(catalog, "pages", keys)
    scanner = CoverageScanner(ner_model=detector.ner_model if detector.use_ner else None)
    verdicts = {}
    for key, row in current_artifacts(catalog, "pii", keys).items():
        source_texts, layer_pages = _source_ocr(ocr_rows.get(key), store)
        dpi = _render_dpi(page_rows.get(key), store) if layer_pages else 0
        original = functools.partial(store.read_bytes, media_key(key))
        verdicts[key] = redaction_leaks(
            row, store, scanner, resources.ocr_runner, source_texts, layer_pages, original if dpi else None, dpi
        )
    return verdicts


def coverage_check(verdicts: Callable[[Any, list[str]], dict[str, Verdict]], *models: str) -> KindCheck:
    """A redaction coverage check: blocking, at ERROR severity (a leak holds the partition back)."""
    return KindCheck(
        "pii_redaction_coverage",
        verdicts,
        resources=("catalog", "media_store", *models),
        blocking=True,
        severity=dg.AssetCheckSeverity.ERROR,
    )


SPEC = ArtifactKind(
    name="pii",
    upstream=("ocr", "pages"),
    logic_version=PII_VERSION,
    group="documents",
    dagster_kinds=frozenset({"pii"}),
    description="PII-redacted OCR text, redaction spans with type and box, and redacted page images.",
    make=each_partition(make_pii),
    model_roles=("pii_detector",),
    comparator=compare_pii,
    side_files=(PAGE_IMAGES,),
    index_channels=("text", "page_block"),  # the index row's redacted text and the page-block chunks
    checks=(coverage_check(pii_coverage_verdicts, "pii_detector", "ocr_runner"),),
)


# ---------------------------------------------------------------------------- coverage check


def _source_ocr(ocr_row: dict | None, store) -> tuple[list[str], set[int]]:  # type: ignore[no-untyped-def]
    """The unredacted OCR text of each page (what the NER tags names in), and the pages read from
    the PDF's text layer alone (no OCR'd region), which are verified geometrically."""
    if ocr_row is None:
        return [], set()
    payload = json.loads(store.read_bytes(store_key_of(store, ocr_row["payload_uri"])))
    layer_pages = {p["page"] for p in payload.get("page_sources", []) if p["source"] == TEXT_LAYER_SOURCE}
    return list(page_texts(spans_from_json(payload["spans"])).values()), layer_pages


def _render_dpi(pages_row: dict | None, store) -> int:  # type: ignore[no-untyped-def]
    """The resolution the pages were rendered at (what redaction boxes are measured in); 0 if unknown."""
    if pages_row is None:
        return 0
    return int(json.loads(store.read_bytes(store_key_of(store, pages_row["payload_uri"]))).get("dpi") or 0)


def redaction_leaks(  # type: ignore[no-untyped-def]
    row: dict,
    store,
    scanner: CoverageScanner,
    ocr_runner: OcrRunner,
    source_texts: list[str],
    layer_pages: set[int] = frozenset(),  # type: ignore[assignment]
    original: Callable[[], bytes] | None = None,
    dpi: int = 150,
) -> tuple[bool, dict]:
    """(passed, metadata) for one redacted artifact. Only types are reported, never the values.

    Pages read from a PDF's text layer (`layer_pages`, with `original` giving the PDF's bytes) are
    verified geometrically: every PII character's box must lie under a redaction box. Other pages
    that were painted over are OCR'd again to prove nothing is still legible.
    """
    from PIL import Image

    key = store_key_of(store, row["payload_uri"])
    payload = json.loads(store.read_bytes(key))
    names = scanner.name_tokens(source_texts)
    leaks = [kind for text in payload["text"].values() for kind in scanner.leaks(text, names)]
    geometric = sorted(layer_pages) if original is not None else []
    if geometric:
        pdf = original()  # type: ignore[misc]
        for page in geometric:
            boxes = [r["bbox"] for r in payload["redactions"] if r["page"] == page]
            leaks += uncovered_pii(pdf, page, dpi, boxes, scanner, names)
    # Pages without redactions are the original page images, whose OCR is the source text just
    # tagged; only pages that were painted over need OCR again to prove nothing is still legible.
    redacted_pages = sorted({r["page"] for r in payload["redactions"]} - set(geometric))
    for page in redacted_pages:
        image = Image.open(io.BytesIO(store.read_bytes(key.rsplit(".", 1)[0] + page_suffix(page)))).convert("RGB")
        spans = ocr_runner.recognize_pages([(page, image)])[0]
        leaks += [kind for text in page_texts(spans).values() for kind in scanner.leaks(text, names)]
    metadata = {
        "leaked_types": sorted(set(leaks)),
        "pages_reocr": len(redacted_pages),
        "pages_checked_geometrically": len(geometric),
        "names_checked": len(names),
    }
    if leaks:
        metadata["reason"] = f"PII-shaped text still present after redaction: {', '.join(sorted(set(leaks)))}"
    return (not leaks, metadata)
