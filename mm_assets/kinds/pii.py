"""pii: redacted OCR text, redaction spans (type, page, box) and redacted page images.

This is the only asset that reads unredacted OCR text; everything downstream (captions,
embeddings, thumbnails, the search index) reads this asset's redacted payload and images.
"""

import functools
import io
import json
from collections.abc import Callable, Mapping
from typing import Any

import dagster as dg

from mm_assets.artifacts import current_artifacts, open_review, store_key_of
from mm_assets.kind_checks import KindCheck, Verdict
from mm_assets.kind_spec import PAGE_IMAGES, ArtifactKind, KindRun, Made, each_partition
from mm_assets.kinds.ocr import spans_from_json, spans_to_json
from mm_assets.kinds.pages import encode_png, load_pages, page_suffix
from mm_assets.operations.compare import compare_pii
from mm_assets.operations.face_redaction import (
    face_residuals,
    mask_missed_faces,
    record_sensitivity,
    redact_faces,
    source_sensitivity,
)
from resources.blob_store import media_key
from resources.faces import CoverageFaceScanner
from resources.ocr import OcrRunner, OcrSpan
from resources.pii import PiiDetector
from resources.pii_coverage import (
    CoverageScanner,
    coverage_verdict,
    find_residuals,
    mask_residuals,
    uncovered_residuals,
)
from resources.pii_redaction import join_spans, redact_image
from resources.text_layer import TEXT_LAYER_SOURCE

# 2: what the coverage scan still finds is masked too (MM_PII_COVERAGE_MODE=mask)
# 3: faces filled on every page image (kind "face"; in mask mode also what the coverage re-detection
#    still finds); identity documents flagged (`sensitivity`)
PII_VERSION = "3"


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


def redaction_report(redactions: list[dict], masks: list[dict] | None = None) -> Made:
    """The step details and Dagster metadata of a redacted artifact: counts, never the values."""
    counts = redaction_counts(redactions)
    masks = masks or []
    return Made(
        {"redactions": len(redactions), "by_type": counts, "coverage_masks": len(masks)},
        {
            "redactions": len(redactions),
            "redactions_by_type": dg.MetadataValue.json(counts),
            "coverage_masks": len(masks),
        },
    )


def make_pii(run: KindRun, key: str) -> Made:
    """Redact one source's OCR text and paint its redaction boxes over its page images. In the
    default mask mode, whatever the independent coverage scan still finds is masked too (text and
    boxes) before anything downstream reads it, and listed by kind, page and box for the check."""
    spans = spans_from_json(run.batch.read_json(run.input("ocr", key))["spans"])
    detector = run.model("pii_detector")
    redacted_spans, redactions = detector.redact_spans(spans)
    masks = []
    if detector.coverage_mode == "mask":
        scanner = coverage_scanner(detector)
        redacted_spans, residuals = mask_residuals(
            redacted_spans, scanner, scanner.name_tokens(list(page_texts(spans).values()))
        )
        masks = [residual.as_json() for residual in residuals]
    images, faces, sizes = {}, [], {}
    face_scanner = CoverageFaceScanner()
    for page, image in load_pages(run.batch, run.input("pages", key)):
        boxes = [r.bbox for r in redactions if r.page == page] + [m["bbox"] for m in masks if m["page"] == page]
        redacted, page_faces = redact_faces(
            run.model("face_detector"), page, redact_image(image, boxes) if boxes else image
        )
        if detector.coverage_mode == "mask":
            redacted, missed = mask_missed_faces(face_scanner, page, redacted)
            masks += missed
        images[page_suffix(page)], sizes[page] = encode_png(redacted), image.size
        faces += page_faces
    listed = [{"kind": r.kind, "page": r.page, "bbox": list(r.bbox)} for r in redactions] + faces
    # identity documents are told from the unredacted text (the MRZ and keywords are what redaction hides)
    sensitivity = source_sensitivity(page_texts(spans), sizes, faces)
    record_sensitivity(run.resources.catalog, key, sensitivity)
    payload = {
        "spans": spans_to_json(redacted_spans),
        "redactions": listed,
        "coverage_masks": masks,
        "text": {str(page): text for page, text in page_texts(redacted_spans).items()},
        "pages": [{"page": int(s[2:6])} for s in sorted(images)],
        **sensitivity.as_json(),
    }
    attributes = {"redactions": redaction_counts(listed), "coverage_masks": len(masks), **sensitivity.as_json()}
    run.batch.write_json(key, payload, run.digests[key], attributes=attributes, side_files=images)
    return redaction_report(listed, masks)


def coverage_scanner(detector: PiiDetector) -> CoverageScanner:
    """The coverage check's scanner, with the NER model the detector is configured with (or none)."""
    return CoverageScanner(ner_model=detector.ner_model if detector.use_ner else None)


def pii_coverage_verdicts(resources: Any, keys: list[str]) -> dict[str, Verdict]:
    """Scan the redacted text, and the OCR of every redacted page image, with a broader scanner
    than the redactor's (never its detector): anything PII-shaped, masked by the asset or still
    there, fails, with each stretch's kind, page and box (never its value), and opens a review
    item with crops of the original page."""
    catalog, store, detector = resources.catalog, resources.media_store.store, resources.pii_detector
    ocr_rows = current_artifacts(catalog, "ocr", keys)
    page_rows = current_artifacts(catalog, "pages", keys)
    scanner = coverage_scanner(detector)
    verdicts = {}
    for key, row in current_artifacts(catalog, "pii", keys).items():
        source_texts, layer_pages = _source_ocr(ocr_rows.get(key), store)
        dpi = _render_dpi(page_rows.get(key), store) if layer_pages else 0
        original = functools.partial(store.read_bytes, media_key(key))
        verdicts[key] = redaction_leaks(
            row, store, scanner, resources.ocr_runner, source_texts, layer_pages, original if dpi else None, dpi
        )
        if not verdicts[key][0]:
            open_coverage_review(catalog, store, row, page_rows.get(key), verdicts[key][1])
    return verdicts


# a reviewer gets at most this many crops per document
MAX_REVIEW_CROPS = 12


def open_coverage_review(catalog: Any, store: Any, row: dict, pages_row: dict | None, metadata: dict) -> None:
    """A review item for a document the coverage check failed, with a crop at each stretch (the
    reviewer judges what was found; the values never reach the check's metadata). Text is cut from
    the original page (the reviewer reads what was found); a face from the REDACTED page image, so a
    review item never shows a face that was masked (a face still there shows, as it is the finding)."""
    from mm_assets.operations.crop import CropError, store_crop

    crops = []
    for span in [span for span in metadata["spans"] if span["bbox"] is not None][:MAX_REVIEW_CROPS]:
        if pages_row is None:
            break
        source_row = row if span["kind"] == "face" else pages_row
        try:
            crop = store_crop(catalog, store, source_row, span["page"], span["bbox"], "pii_coverage")
        except CropError:
            continue
        crops.append({"artifact_id": crop.artifact_id, "payload_uri": crop.payload_uri, "page": crop.page, **span})
    open_review(catalog, row, f"pii_redaction_coverage: {metadata['reason']}", {**metadata, "crops": crops})


def coverage_severity(resources: Any, verdicts: Mapping[str, Verdict]) -> dg.AssetCheckSeverity:
    """WARN (the documents go on) when everything found was masked and the mode is mask; ERROR
    (blocking) when something is still there or the mode is block."""
    unmasked = any(metadata.get("unmasked", 0) for _passed, metadata in verdicts.values())
    if resources.pii_detector.coverage_mode == "mask" and not unmasked:
        return dg.AssetCheckSeverity.WARN
    return dg.AssetCheckSeverity.ERROR


def coverage_check(verdicts: Callable[[Any, list[str]], dict[str, Verdict]], *models: str) -> KindCheck:
    """A redaction coverage check: blocking at ERROR severity when a leak is still there (or the
    mode is block), at WARN when all it found was masked (coverage_severity)."""
    return KindCheck(
        "pii_redaction_coverage",
        verdicts,
        resources=("catalog", "media_store", *models),
        blocking=True,
        severity=dg.AssetCheckSeverity.ERROR,
        severity_of=coverage_severity,
    )


SPEC = ArtifactKind(
    name="pii",
    upstream=("ocr", "pages"),
    logic_version=PII_VERSION,
    group="documents",
    dagster_kinds=frozenset({"pii"}),
    description="PII-redacted OCR text, redaction spans with type and box, and redacted page images.",
    make=each_partition(make_pii),
    model_roles=("pii_detector", "face_detector"),
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
    """(passed, metadata) for one redacted artifact: each stretch by kind, page and box, never its value.

    The asset's own masks count as failures (masked: true). The redacted text is scanned again;
    pages read from a PDF's text layer (`layer_pages`, with `original` giving the PDF's bytes) are
    verified geometrically: every PII character's box must lie under a painted box. Other pages
    that were painted over are OCR'd again to prove nothing is still legible.
    """
    from PIL import Image

    key = store_key_of(store, row["payload_uri"])
    payload = json.loads(store.read_bytes(key))
    names = scanner.name_tokens(source_texts)
    masks = payload.get("coverage_masks", [])
    painted = payload["redactions"] + masks
    spans = spans_from_json(payload["spans"])
    found = find_residuals(spans, scanner, names)
    geometric = sorted(layer_pages) if original is not None else []
    if geometric:
        pdf = original()  # type: ignore[misc]
        for page in geometric:
            boxes = [r["bbox"] for r in painted if r["page"] == page]
            found += uncovered_residuals(pdf, page, dpi, boxes, scanner, names)
    # Pages without redactions are the original page images, whose OCR is the source text just
    # tagged; only pages that were painted over need OCR again to prove nothing is still legible.
    redacted_pages = sorted({r["page"] for r in painted} - set(geometric))
    for page in redacted_pages:
        image = Image.open(io.BytesIO(store.read_bytes(key.rsplit(".", 1)[0] + page_suffix(page)))).convert("RGB")
        read = ocr_runner.recognize_pages([(page, image)])[0]
        found += find_residuals(read, scanner, names)
    reported = [{**mask, "masked": True} for mask in masks] + [{**r.as_json(), "masked": False} for r in found]
    # the page text downstream reads is checked as written too; a stretch there that no span shows has no box
    boxed = {(r.page, r.kind) for r in found}
    unboxed = [
        {"kind": kind, "page": int(page), "bbox": None, "masked": False}
        for page, text in payload["text"].items()
        for kind in scanner.leaks(text, names)
        if (int(page), kind) not in boxed
    ]
    reported += unboxed

    # faces: every redacted page image is looked at again, at a lower threshold than the redactor's
    # (its own verdicts are never trusted); a face still found there is a leak with its box
    def image_of(page: int) -> bytes:
        return store.read_bytes(key.rsplit(".", 1)[0] + page_suffix(page))

    faces = face_residuals(image_of, [p["page"] for p in payload.get("pages", [])], CoverageFaceScanner())
    reported += faces
    return coverage_verdict(
        reported,
        len(found) + len(unboxed) + len(faces),
        "text or faces" if faces else "text",
        pages_reocr=len(redacted_pages),
        pages_checked_geometrically=len(geometric),
        names_checked=len(names),
        pages_face_checked=len(payload.get("pages", [])),
    )
