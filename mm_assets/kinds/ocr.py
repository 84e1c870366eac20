"""ocr: text spans with page, bounding box, confidence and source: a PDF's text layer, else OCR.

PDF pages with a usable text layer are read from it (exact, milliseconds, no OCR call); pages
without one, and large pictures on text pages, go to the configured OCR engine. The rule is
`resources.text_layer`'s. Each span records its `source` ("text_layer" or the engine's name) and
each page how its text was obtained; the model id names both the text-layer reader and the engine.
"""

import io
import json
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pypdfium2 as pdfium
from PIL import Image

from mm_assets.artifacts import ArtifactBatch, current_artifacts
from mm_assets.kind_checks import KindCheck, Verdict, quality_verdicts
from mm_assets.kind_spec import ArtifactKind, KindRun, Made, each_partition
from mm_assets.kinds.pages import load_pages, page_suffix
from mm_assets.operations.compare import compare_ocr
from resources.blob_store import media_key
from resources.catalog import CatalogResource
from resources.ocr import OcrRunner, OcrSpan
from resources.stores import MediaStoreResource
from resources.text_layer import PageTextLayer, overlaps, read_text_layer, text_layer_id

OCR_VERSION = "2"
MIN_MEAN_CONFIDENCE = 0.80
MAX_EMPTY_PAGE_RATE = 0.5


def spans_to_json(spans: list[OcrSpan]) -> list[dict]:
    return [
        {
            "text": s.text,
            "page": s.page,
            "bbox": [round(v, 1) for v in s.bbox],
            "confidence": round(s.confidence, 4),
            "source": s.source,
        }
        for s in spans
    ]


def spans_from_json(items: list[dict]) -> list[OcrSpan]:
    return [OcrSpan(i["text"], i["page"], tuple(i["bbox"]), i["confidence"], i.get("source", "")) for i in items]


def ocr_model_id(engine_model_id: str) -> str:
    """The ocr asset's model id: the text-layer reader and the OCR engine, so a change to either re-runs it."""
    return f"{text_layer_id()}+{engine_model_id}"


PageLoader = Callable[[int], Image.Image]


def recognize_document(
    pdf: bytes, dpi: int, page_numbers: list[int], load_page: PageLoader, ocr_runner: OcrRunner
) -> tuple[list[OcrSpan], list[dict]]:
    """A PDF's spans, page by page from its text layer or OCR; and how each page was read.

    Only pages (and picture regions) without usable text reach the OCR engine.
    """
    try:
        plans = {plan.page: plan for plan in read_text_layer(pdf, dpi)}
    except pdfium.PdfiumError:  # the renderer read it, the text reader did not: OCR it all
        plans = {}
    plans = {
        n: plans.get(n) or PageTextLayer(n, ocr_whole_page=True, reason="unreadable text layer") for n in page_numbers
    }
    whole = [n for n in page_numbers if plans[n].ocr_whole_page]
    ocr_spans = (
        dict(zip(whole, ocr_runner.recognize_pages([(n, load_page(n)) for n in whole]), strict=True)) if whole else {}
    )
    region_spans = _ocr_picture_regions([plans[n] for n in page_numbers], load_page, ocr_runner)
    spans, page_sources = [], []
    for n in page_numbers:
        plan = plans[n]
        page_spans = ocr_spans[n] if plan.ocr_whole_page else plan.spans + region_spans.get(n, [])
        spans.extend(page_spans)
        source = ocr_runner.engine if plan.ocr_whole_page else "text_layer"
        if region_spans.get(n):
            source += f"+{ocr_runner.engine}"
        page_sources.append({"page": n, "source": source, "reason": plan.reason, "layer_characters": plan.characters})
    return spans, page_sources


def _ocr_picture_regions(
    plans: list[PageTextLayer], load_page: PageLoader, ocr_runner: OcrRunner
) -> dict[int, list[OcrSpan]]:
    """OCR of the pictures on text pages, in page pixels, minus what the text layer already has."""
    crops, origins = [], []
    for plan in plans:
        if plan.ocr_whole_page or not plan.ocr_regions:
            continue
        image = load_page(plan.page)
        for box in plan.ocr_regions:
            x0, y0, x1, y1 = (int(v) for v in box)
            if x1 - x0 >= 8 and y1 - y0 >= 8:
                crops.append((plan.page, image.crop((x0, y0, x1, y1))))
                origins.append((plan, x0, y0))
    found: dict[int, list[OcrSpan]] = {}
    for (plan, x0, y0), spans in zip(origins, ocr_runner.recognize_pages(crops) if crops else [], strict=True):
        for span in spans:
            bbox = (span.bbox[0] + x0, span.bbox[1] + y0, span.bbox[2] + x0, span.bbox[3] + y0)
            if not any(overlaps(bbox, layer.bbox) for layer in plan.spans):
                found.setdefault(plan.page, []).append(replace(span, bbox=bbox))
    return found


def document_spans(
    batch: ArtifactBatch, pages_row: dict, media_store: MediaStoreResource, ocr_runner: OcrRunner
) -> tuple[list[OcrSpan], list[dict]]:
    """`recognize_document` over a source's original PDF and its rendered pages."""
    manifest = batch.read_json(pages_row)

    def load_page(number: int) -> Image.Image:
        return Image.open(io.BytesIO(batch.read_bytes(pages_row, page_suffix(number)))).convert("RGB")

    pdf = media_store.store.read_bytes(media_key(pages_row["source_hash"]))
    numbers = [entry["page"] for entry in manifest["pages"]]
    return recognize_document(pdf, manifest["dpi"], numbers, load_page, ocr_runner)


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


def least_confident_crop(
    catalog: CatalogResource, media_store: MediaStoreResource, ocr_row: dict, pages_row: dict
) -> dict | None:
    """The least confident OCR span's region as a crop artifact of the page OCR read; None without spans."""
    from mm_assets.artifacts import store_key_of
    from mm_assets.operations.crop import CropError, store_crop

    store = media_store.store
    spans = json.loads(store.read_bytes(store_key_of(store, ocr_row["payload_uri"])))["spans"]
    if not spans:
        return None
    worst = min(spans, key=lambda span: span["confidence"])
    try:
        crop = store_crop(catalog, store, pages_row, worst["page"], worst["bbox"], "ocr_quality")
    except CropError:
        return None
    return {"artifact_id": crop.artifact_id, "payload_uri": crop.payload_uri, "page": crop.page, "bbox": crop.bbox}


def make_ocr(run: KindRun, key: str) -> Made:
    """One source's spans: a PDF page by page from its text layer or OCR, other pages by OCR."""
    ocr_runner, pages_row = run.model("ocr_runner"), run.input("pages", key)
    if run.batch.sources[key]["modality"] == "document":
        spans, page_sources = document_spans(run.batch, pages_row, run.resources.media_store, ocr_runner)
    else:
        images = load_pages(run.batch, pages_row)
        spans = [span for page_spans in ocr_runner.recognize_pages(images) for span in page_spans]
        page_sources = [{"page": n, "source": ocr_runner.engine} for n, _image in images]
    page_count = len(page_sources)
    quality = ocr_quality(spans, page_count)
    quality["text_layer_pages"] = sum(p["source"].startswith("text_layer") for p in page_sources)
    quality["ocr_pages"] = page_count - quality["text_layer_pages"]
    payload = {"spans": spans_to_json(spans), "pages": page_count, "page_sources": page_sources}
    run.batch.write_json(key, payload, run.digests[key], attributes=quality)
    return Made(quality)


def ocr_quality_verdicts(resources: Any, keys: list[str]) -> dict[str, Verdict]:
    """Mean confidence and empty-page rate against thresholds; below them the source goes to review,
    with its least confident region stored as a crop for the reviewer to look at."""
    catalog = resources.catalog
    sources = catalog.source_rows(keys)
    pages = current_artifacts(catalog, "pages", keys)

    def problems(row: dict, quality: dict) -> list[str]:
        return ocr_quality_problems(quality, sources[row["source_hash"]]["modality"])

    def with_crop(row: dict, quality: dict) -> dict:
        page_row = pages.get(row["source_hash"])
        if page_row is None:
            return dict(quality)
        return {**quality, "crop": least_confident_crop(catalog, resources.media_store, row, page_row)}

    return quality_verdicts(catalog, "ocr", keys, problems, with_crop)


SPEC = ArtifactKind(
    name="ocr",
    upstream=("pages",),
    logic_version=OCR_VERSION,
    group="documents",
    dagster_kinds=frozenset({"ocr"}),
    description=lambda build: (
        f"Text spans (text, page, bbox, confidence, source): PDF text layer, else {build.role_ids['ocr_runner']}."
    ),
    make=each_partition(make_ocr),
    model_roles=("ocr_runner",),
    model=lambda _settings, roles: ocr_model_id(roles["ocr_runner"]),
    comparator=compare_ocr,
    checks=(KindCheck("ocr_quality", ocr_quality_verdicts),),
)
