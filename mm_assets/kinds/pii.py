"""pii: redacted OCR text, redaction spans (type, page, box) and redacted page images.

This is the only asset that reads unredacted OCR text; everything downstream (captions,
embeddings, thumbnails, the search index) reads this asset's redacted payload and images.
"""

import io
import json

import dagster as dg
from dagster import AssetCheckExecutionContext, AssetExecutionContext

from mm_assets.artifacts import (
    ArtifactBatch,
    Stopwatch,
    code_version,
    content_hash_asset,
    current_artifacts,
    input_digest,
)
from mm_assets.checks import report_partition_checks
from mm_assets.kinds.ocr import spans_from_json, spans_to_json
from mm_assets.kinds.pages import encode_png, load_pages, page_suffix
from mm_assets.operations.compare import UpgradePolicy
from partitions import content_hash_partitions
from resources.catalog import CatalogResource
from resources.media_store import MediaStoreResource
from resources.ocr import OcrRunner, OcrSpan
from resources.pii import PiiDetector, join_spans, redact_image

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
        """Re-scan the redacted text, and the OCR of every redacted page image: any PII left fails."""
        store = media_store.store
        rows = current_artifacts(catalog, "pii", list(context.partition_keys))
        verdicts = {}
        for key, row in rows.items():
            verdicts[key] = redaction_leaks(row, store, pii_detector, ocr_runner)
        return report_partition_checks(
            context,
            dg.AssetKey("pii"),
            "pii_redaction_coverage",
            verdicts,
            severity=dg.AssetCheckSeverity.ERROR,
        )

    return [pii, pii_redaction_coverage]


def redaction_leaks(row: dict, store, detector: PiiDetector, ocr_runner: OcrRunner) -> tuple[bool, dict]:  # type: ignore[no-untyped-def]
    """(passed, metadata) for one redacted artifact. Only types are reported, never the values."""
    from PIL import Image

    from mm_assets.artifacts import store_key_of

    key = store_key_of(store, row["payload_uri"])
    payload = json.loads(store.read_bytes(key))
    leaks = [f.kind for text in payload["text"].values() for f in detector.find(text)]
    # Pages without redactions are the original page images, whose OCR is the text just scanned;
    # only pages that were painted over need OCR again to prove nothing is still legible.
    redacted_pages = sorted({r["page"] for r in payload["redactions"]})
    for page in redacted_pages:
        image = Image.open(io.BytesIO(store.read_bytes(key.rsplit(".", 1)[0] + page_suffix(page)))).convert("RGB")
        spans = ocr_runner.recognize_pages([(page, image)])[0]
        leaks += [f.kind for text in page_texts(spans).values() for f in detector.find(text)]
    metadata = {"leaked_types": sorted(set(leaks)), "pages_reocr": len(redacted_pages)}
    if leaks:
        metadata["reason"] = f"PII still present after redaction: {', '.join(sorted(set(leaks)))}"
    return (not leaks, metadata)
