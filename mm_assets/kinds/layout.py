"""layout: each page's blocks with class, box and reading order, filled with the page's text.

The layout model (resources.document_models.LayoutDetector) finds the regions; the text of each
block is the ocr artifact's spans inside it, so a born-digital page's blocks hold its text layer
(exact) and a scanned page's hold OCR. Text the model missed becomes plain `text` blocks of its
own, so no span is lost. Reading order: header blocks first, footers last; between them the page
is cut into bands at full-width blocks, and inside a band columns are read left to right, each
top to bottom.
"""

from __future__ import annotations

from typing import Any

from mm_assets.kind_spec import ArtifactKind, KindRun, Made, each_partition
from mm_assets.kinds.pages import load_pages
from mm_assets.page_layout import page_blocks, page_lines
from resources.document_models import LayoutRegion

LAYOUT_VERSION = "1"
# Two regions overlapping this much (of the smaller) are one: the model often boxes a title as text too.
SAME_REGION_OVERLAP = 0.7
FULL_WIDTH_SHARE = 0.6  # a block this wide (of the text's width) ends a band of columns
COLUMN_GAP_SHARE = 0.05  # blocks whose left edges are this close (of page width) share a column
TEXTLESS_CLASSES = ("figure", "table", "equation")  # kept even when no span falls inside

Box = tuple[float, float, float, float] | list[float]


def overlap_share(a: Box, b: Box) -> float:
    """The intersection's share of the smaller box."""
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    if width <= 0 or height <= 0:
        return 0.0
    smaller = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
    return width * height / smaller if smaller > 0 else 0.0


def distinct_regions(regions: list[LayoutRegion]) -> list[LayoutRegion]:
    """The most confident of each group of regions that cover the same place."""
    kept: list[LayoutRegion] = []
    for region in sorted(regions, key=lambda r: -r.score):
        if all(overlap_share(region.bbox, other.bbox) < SAME_REGION_OVERLAP for other in kept):
            kept.append(region)
    return kept


def span_centre(span: dict) -> tuple[float, float]:
    x0, y0, x1, y1 = span["bbox"]
    return (x0 + x1) / 2, (y0 + y1) / 2


def contains(box: Box, point: tuple[float, float]) -> bool:
    return box[0] <= point[0] <= box[2] and box[1] <= point[1] <= box[3]


def page_layout_blocks(regions: list[LayoutRegion], spans: list[dict], page_width: float) -> list[dict]:
    """One page's blocks in reading order: the model's regions with the spans whose centres they
    hold, and the leftover spans grouped into text blocks."""
    regions = distinct_regions(regions)
    members: list[list[dict]] = [[] for _ in regions]
    leftover = []
    for span in spans:
        holders = [i for i, region in enumerate(regions) if contains(region.bbox, span_centre(span))]
        if holders:
            # the smallest holder: a caption inside a figure's box belongs to the caption
            best = min(holders, key=lambda i: _area(regions[i].bbox))
            members[best].append(span)
        else:
            leftover.append(span)
    blocks = []
    for region, inside in zip(regions, members, strict=True):
        if inside or region.label in TEXTLESS_CLASSES:
            blocks.append(_block(region.label, list(region.bbox), region.score, inside))
    for block in page_blocks(leftover):
        blocks.append({"class": "text", "bbox": [round(v, 1) for v in block.bbox], "score": None, "text": block.text})
    return reading_order(blocks, page_width)


def _block(label: str, bbox: list[float], score: float, spans: list[dict]) -> dict:
    if spans:  # the box grows to hold its text: a region drawn a little short must not clip a line
        bbox = [
            min([bbox[0], *(s["bbox"][0] for s in spans)]),
            min([bbox[1], *(s["bbox"][1] for s in spans)]),
            max([bbox[2], *(s["bbox"][2] for s in spans)]),
            max([bbox[3], *(s["bbox"][3] for s in spans)]),
        ]
    text = "\n".join(line.text for line in page_lines(spans))
    return {"class": label, "bbox": [round(v, 1) for v in bbox], "score": round(score, 3), "text": text}


def _area(box: Box) -> float:
    return max(0.0, box[2] - box[0]) * max(0.0, box[3] - box[1])


def reading_order(blocks: list[dict], page_width: float) -> list[dict]:
    """Blocks numbered in reading order (`order`, from 0)."""
    headers = sorted((b for b in blocks if b["class"] == "header"), key=lambda b: (b["bbox"][1], b["bbox"][0]))
    footers = sorted((b for b in blocks if b["class"] == "footer"), key=lambda b: (b["bbox"][1], b["bbox"][0]))
    body = sorted((b for b in blocks if b["class"] not in ("header", "footer")), key=lambda b: b["bbox"][1])
    text_width = (max((b["bbox"][2] for b in body), default=0) - min((b["bbox"][0] for b in body), default=0)) or 1
    ordered: list[dict] = [*headers]
    band: list[dict] = []
    for block in body:
        if block["bbox"][2] - block["bbox"][0] >= FULL_WIDTH_SHARE * text_width:
            ordered.extend(_columns(band, page_width))
            ordered.append(block)
            band = []
        else:
            band.append(block)
    ordered.extend(_columns(band, page_width))
    ordered.extend(footers)
    return [{"order": index, **block} for index, block in enumerate(ordered)]


def _columns(band: list[dict], page_width: float) -> list[dict]:
    """A band's blocks column by column (columns by left edge), each column top to bottom."""
    columns: list[list[dict]] = []
    for block in sorted(band, key=lambda b: b["bbox"][0]):
        if columns and block["bbox"][0] - columns[-1][0]["bbox"][0] <= COLUMN_GAP_SHARE * page_width:
            columns[-1].append(block)
        elif columns and block["bbox"][0] < max(b["bbox"][2] for b in columns[-1]):
            columns[-1].append(block)  # starts inside the column's width: the same column
        else:
            columns.append([block])
    return [block for column in columns for block in sorted(column, key=lambda b: b["bbox"][1])]


def make_layout(run: KindRun, key: str) -> Made:
    """Every page's blocks, from the layout model's regions and the ocr artifact's spans."""
    detector = run.model("layout_detector")
    spans = run.batch.read_json(run.input("ocr", key))["spans"]
    by_page: dict[int, list[dict]] = {}
    for span in spans:
        by_page.setdefault(span["page"], []).append(span)
    pages: list[dict[str, Any]] = []
    counts: dict[str, int] = {}
    for number, image in load_pages(run.batch, run.input("pages", key)):
        blocks = page_layout_blocks(detector.regions(image), by_page.get(number, []), image.width)
        pages.append({"page": number, "width": image.width, "height": image.height, "blocks": blocks})
        for block in blocks:
            counts[block["class"]] = counts.get(block["class"], 0) + 1
        del image
    figures = {"pages": len(pages), "blocks": sum(counts.values()), "tables": counts.get("table", 0)}
    run.batch.write_json(key, {"pages": pages}, run.digests[key], attributes={**figures, "by_class": counts})
    return Made(figures)


SPEC = ArtifactKind(
    name="layout",
    upstream=("pages", "ocr"),
    logic_version=LAYOUT_VERSION,
    description=lambda build: (
        f"Page blocks (class, bbox, reading order, text) by {build.role_ids['layout_detector']}; "
        "born-digital pages' text from their text layer."
    ),
    make=each_partition(make_layout),
    modalities=("document", "image"),
    model_roles=("layout_detector",),
)
