"""ocr: text spans with page, bounding box and confidence, from the configured OCR engine."""

import dagster as dg
from dagster import AssetCheckExecutionContext, AssetExecutionContext

from mm_assets.artifacts import (
    ArtifactBatch,
    Stopwatch,
    code_version,
    content_hash_asset,
    current_artifacts,
    input_digest,
    open_review,
)
from mm_assets.checks import report_partition_checks
from mm_assets.kinds.pages import load_pages
from mm_assets.operations.compare import UpgradePolicy
from partitions import content_hash_partitions
from resources.catalog import CatalogResource
from resources.media_store import MediaStoreResource
from resources.ocr import OcrRunner, OcrSpan

OCR_VERSION = "1"
MIN_MEAN_CONFIDENCE = 0.80
MAX_EMPTY_PAGE_RATE = 0.5


def spans_to_json(spans: list[OcrSpan]) -> list[dict]:
    return [
        {
            "text": s.text,
            "page": s.page,
            "bbox": [round(v, 1) for v in s.bbox],
            "confidence": round(s.confidence, 4),
        }
        for s in spans
    ]


def spans_from_json(items: list[dict]) -> list[OcrSpan]:
    return [OcrSpan(i["text"], i["page"], tuple(i["bbox"]), i["confidence"]) for i in items]


def ocr_quality(spans: list[OcrSpan], page_count: int) -> dict[str, float]:
    pages_with_text = {s.page for s in spans if s.text.strip()}
    mean = sum(s.confidence for s in spans) / len(spans) if spans else 0.0
    return {
        "mean_confidence": round(mean, 4),
        "empty_page_rate": round(1 - len(pages_with_text) / page_count, 4) if page_count else 1.0,
        "spans": len(spans),
        "characters": sum(len(s.text) for s in spans),
    }


def ocr_quality_problems(quality: dict, modality: str) -> list[str]:
    """Why an OCR result needs a human look.

    A photo without text is fine; a document page without text is not.
    """
    problems = []
    if quality.get("spans") and quality["mean_confidence"] < MIN_MEAN_CONFIDENCE:
        problems.append(f"mean confidence {quality['mean_confidence']} < {MIN_MEAN_CONFIDENCE}")
    if modality == "document" and quality.get("empty_page_rate", 1.0) > MAX_EMPTY_PAGE_RATE:
        problems.append(f"empty-page rate {quality.get('empty_page_rate')} > {MAX_EMPTY_PAGE_RATE}")
    return problems


def build_ocr(model_id: str, max_partitions_per_run: int) -> list:
    @content_hash_asset(
        "ocr",
        deps=["pages"],
        code_version=code_version(OCR_VERSION, model_id),
        max_partitions_per_run=max_partitions_per_run,
        group_name="documents",
        kinds={"ocr"},
        description=f"OCR spans (text, page, bbox, confidence) by {model_id}.",
    )
    def ocr(
        context: AssetExecutionContext,
        catalog: CatalogResource,
        media_store: MediaStoreResource,
        ocr_runner: OcrRunner,
        upgrade_policy: UpgradePolicy,
    ) -> dg.MaterializeResult:
        batch = ArtifactBatch(context, catalog, media_store.store, "ocr", OCR_VERSION, model_id, upgrade_policy)
        pages = batch.upstream("pages")
        for key in batch.pending():
            with batch.guard(key):
                digest = input_digest([pages[key]])
                if batch.existing(key, digest) is not None:
                    batch.reused.add(key)
                    continue
                with Stopwatch() as watch:
                    images = load_pages(batch, pages[key])
                    spans = [span for page_spans in ocr_runner.recognize_pages(images) for span in page_spans]
                quality = ocr_quality(spans, len(images))
                batch.write_json(key, {"spans": spans_to_json(spans), "pages": len(images)}, digest, attributes=quality)
                batch.step(key, "ok", watch.ms, **quality)
                batch.metadata(key, **quality)
        return batch.finish()

    @dg.asset_check(asset=ocr, name="ocr_quality", partitions_def=content_hash_partitions)
    def ocr_quality_check(context: AssetCheckExecutionContext, catalog: CatalogResource) -> dg.AssetCheckResult:
        """Mean confidence and empty-page rate against thresholds; below them the source goes to review."""
        keys = list(context.partition_keys)
        rows = current_artifacts(catalog, "ocr", keys)
        sources = catalog.source_rows(list(rows))
        verdicts = {}
        for key, row in rows.items():
            quality = row["attributes"] or {}
            problems = ocr_quality_problems(quality, sources[key]["modality"])
            if problems:
                open_review(catalog, row, "ocr_quality: " + "; ".join(problems), quality)
            verdicts[key] = (not problems, {**quality, "reason": "; ".join(problems) or "ok"})
        return report_partition_checks(context, dg.AssetKey("ocr"), "ocr_quality", verdicts)

    return [ocr, ocr_quality_check]
