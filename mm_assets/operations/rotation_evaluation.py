"""`mm eval rotation`: OCR's character error rate on the same pages upright, turned and skewed.

Issue 21's target: OCR of a page rotated 90 or 180 degrees within 1.1x the character error rate
of the same page upright. Each prose page is drawn (operations.rotation_pages, with
operations.document_pages), so its text is the truth, then scanned several ways: upright (the
baseline: a scan too, same blur, so only the turn differs), a quarter, half and three-quarter
turn, a few degrees of skew either way, and a quarter turn with skew. Every scan is ingested into
a private MM_HOME and run through the real `pages` (which turns and levels it) and `ocr` kinds.

CER per page = edit distance between the OCR text and the truth / truth length, both read line by
line, top to bottom, with whitespace removed (rapidocr drops the spaces between words on renders).
Reported per variant, as the mean over the pages and as the ratio to the upright CER of the same
pages. The held-back pages (other wording, another font size, two columns) were never run while
the orientation step was tuned; they are reported apart.

`mm eval rotation-dense` runs `dense_pages` instead: small type on grainy paper, scanned with more
blur, which OCR misreads a little even upright, so the ratio to upright exists; it is reported
per segment too (90, 180, 270, skew: `summarise_segments`), and per page with a paired bootstrap
interval (`operations.rotation_pairs`). Its slice `held_back_2` is a second seed of twelve dense
pages, scanned only upright and turned, made to tell a 10% effect from scan noise; `held_back_3` a
third (upright, 90 and 180), fixed before `pages` took a scan's picture at its native pixels.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mm_assets.operations.compare import character_error_rate
from mm_assets.operations.document_pages import scanned
from mm_assets.operations.evaluation_base import DefinitionsFactory, EvalSet, EvaluationError, fresh_folder
from mm_assets.operations.rotation_pages import (
    SEED_SLICES,
    VARIANTS,
    ProsePage,
    page_pdf,
    scan_options,
    slice_pages,
    squeeze,
)
from mm_assets.operations.rotation_pairs import PairedRatio, paired_ratios, paired_summary

TARGET_RATIO = 1.1  # for the quarter and half turns
TARGET_VARIANTS = ("turn-90", "turn-180")
# Segments the ratio is reported for: each turn alone, and every skewed scan together
SEGMENTS: dict[str, tuple[str, ...]] = {
    "90": ("turn-90",),
    "180": ("turn-180",),
    "270": ("turn-270",),
    "skew": ("skew+2.5", "skew-2", "turn-90+skew-1.5"),
}
PAGE_SETS = ("clean", "dense")
# The dense set's scans: each turn, and skew alone and on a turned page (OCR of a dense scan is slow)
DENSE_VARIANTS = ("upright", "turn-90", "turn-180", "turn-270", "skew+2.5", "turn-90+skew-1.5")
SLICES = ("tuning", "held_back", "held_back_2", "held_back_3")
DEFAULT_SLICES = ("tuning", "held_back")  # the seed slices (dense only) are asked for by name: many slow scans
# How each slice is reported; a score without a slice is tuning or held-back by its flag
SLICE_LABELS = {"tuning": "tuned", "held_back": "held-back", "held_back_2": "held-back-2", "held_back_3": "held-back-3"}
OCR_KINDS = ("source_media", "pages", "ocr")


def ocr_text(payload: dict[str, Any], columns: tuple[float, ...]) -> str:
    """The OCR spans read as the truth is: column by column (split at the page's middle for two),
    lines top to bottom, left to right within a line."""
    spans = payload.get("spans", [])
    if not spans:
        return ""
    middle = max(s["bbox"][2] for s in spans) / 2 if len(columns) > 1 else float("inf")

    def order(span: dict) -> tuple[int, float, float]:
        x0, y0, _x1, y1 = span["bbox"]
        return (int(x0 >= middle), round((y0 + y1) / 2 / 10), x0)

    return squeeze("".join(s["text"] for s in sorted(spans, key=order)))


def run_ocr(pdfs: dict[str, bytes], home: Path, build_definitions: DefinitionsFactory) -> dict[str, dict]:
    """Ingest the scans into a private home, materialize source_media, pages and ocr for them
    (`index_set`, which raises naming any scan that failed), and return each one's pages and ocr
    payloads by name."""
    from mm_assets.artifacts import current_artifacts
    from mm_assets.operations.evaluation import index_set
    from resources.blob_store import store_key_of
    from resources.catalog import CatalogResource
    from resources.stores import open_store

    media = home / "media"
    media.mkdir(parents=True)
    files = {}
    for name, pdf in pdfs.items():
        files[name] = media / f"{name}.pdf"
        files[name].write_bytes(pdf)
    indexed = index_set(EvalSet("rotation", files, ()), home / "mm", build_definitions, kinds=OCR_KINDS)
    catalog, store = CatalogResource(url=indexed.settings.catalog_url), open_store(indexed.settings.store_root)
    found: dict[str, dict] = {name: {} for name in pdfs}
    for kind in ("pages", "ocr"):
        for key, row in current_artifacts(catalog, kind, list(indexed.hash_to_name)).items():
            found[indexed.hash_to_name[key]][kind] = json.loads(
                store.read_bytes(store_key_of(store, row["payload_uri"]))
            )
    return found


def score_scans(pages: list[ProsePage], found: dict[str, dict]) -> dict[str, dict[str, Any]]:
    """scan name -> its CER and what `pages` recorded (rotation, skew)."""
    scores = {}
    for page in pages:
        for variant in page.variants:
            name = f"{page.name}-{variant}"
            result = found.get(name, {})
            stored = (result.get("pages") or {}).get("pages", [{}])[0]
            scores[name] = {
                "page": page.name,
                "variant": variant,
                "held_back": page.held_back,
                "slice": page.slice,
                "cer": round(character_error_rate(page.truth, ocr_text(result.get("ocr") or {}, page.columns)), 4),
                "rotation": stored.get("rotation"),
                "skew": stored.get("skew"),
            }
    return scores


def slice_label(score: dict[str, Any]) -> str:
    """How a scan's slice is reported: tuned, held-back, held-back-2."""
    return SLICE_LABELS[score.get("slice") or ("held_back" if score["held_back"] else "tuning")]


def by_slice(scores: dict[str, dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """slice label -> its scans, in SLICE_LABELS' order (slices without a scan left out)."""
    rows = [(slice_label(s), s) for s in scores.values()]
    grouped = {label: [s for found, s in rows if found == label] for label in SLICE_LABELS.values()}
    return {label: scans for label, scans in grouped.items() if scans}


def summarise(scores: dict[str, dict[str, Any]]) -> dict[str, dict[str, dict[str, Any]]]:
    """slice (all, tuned, held-back, held-back-2) -> variant -> pages, mean CER, ratio to upright on the same pages."""
    slices = {"all": list(scores.values()), **by_slice(scores)}
    figures: dict[str, dict[str, dict[str, Any]]] = {}
    for slice_name, rows in slices.items():
        if not rows:
            continue
        upright = {s["page"]: s["cer"] for s in rows if s["variant"] == "upright"}
        base = sum(upright.values()) / len(upright) if upright else None
        figures[slice_name] = {}
        for variant in VARIANTS:
            cers = [s["cer"] for s in rows if s["variant"] == variant]
            if not cers:
                continue
            mean = sum(cers) / len(cers)
            # a perfect upright read makes any ratio undefined; the CERs themselves then tell
            ratio = round(mean / base, 3) if base else None
            figures[slice_name][variant] = {"pages": len(cers), "cer": round(mean, 4), "ratio": ratio}
    return figures


def summarise_segments(scores: dict[str, dict[str, Any]]) -> dict[str, dict[str, dict[str, Any]]]:
    """slice (tuned, held-back, held-back-2) -> segment (90, 180, 270, skew) -> scans, mean CER and
    its ratio to the mean upright CER of the same pages (None where upright was read without an error)."""
    figures: dict[str, dict[str, dict[str, Any]]] = {}
    for slice_name, rows in by_slice(scores).items():
        for segment, variants in SEGMENTS.items():
            scans = [s for s in rows if s["variant"] in variants]
            pages = {s["page"] for s in scans}
            upright = [s["cer"] for s in rows if s["variant"] == "upright" and s["page"] in pages]
            if not scans or not upright:
                continue
            mean, base = sum(s["cer"] for s in scans) / len(scans), sum(upright) / len(upright)
            figures.setdefault(slice_name, {})[segment] = {
                "scans": len(scans),
                "cer": round(mean, 4),
                "upright_cer": round(base, 4),
                "ratio": round(mean / base, 3) if base else None,
            }
    return figures


def target_met(figures: dict[str, dict[str, dict[str, Any]]], slice_name: str = "all") -> bool:
    """Quarter and half turns within TARGET_RATIO of upright (a CER that is no worse counts when
    upright is read perfectly and no ratio exists)."""
    rows = figures.get(slice_name, {})
    upright = rows.get("upright", {}).get("cer")
    for variant in TARGET_VARIANTS:
        row = rows.get(variant)
        if row is None or upright is None:
            return False
        if not (row["ratio"] <= TARGET_RATIO if row["ratio"] is not None else row["cer"] <= upright):
            return False
    return True


@dataclass
class RotationReport:
    figures: dict[str, dict[str, dict[str, Any]]]
    scans: dict[str, dict[str, Any]]
    seconds: float
    path: Path
    page_set: str = "clean"

    @property
    def segments(self) -> dict[str, dict[str, dict[str, Any]]]:
        return summarise_segments(self.scans)

    @property
    def pairs(self) -> dict[str, dict[str, PairedRatio]]:
        slices = by_slice(self.scans)
        pooled = {"all": list(self.scans.values())} if len(slices) > 1 else {}  # one slice: "all" is the same pages
        return paired_ratios({**pooled, **slices}, TARGET_RATIO)

    def as_json(self) -> dict[str, Any]:
        return {
            "set": "rotation",
            "target": f"turn-90 and turn-180 CER <= {TARGET_RATIO}x upright",
            "target_met": target_met(self.figures),
            "target_met_held_back": target_met(self.figures, "held-back") if "held-back" in self.figures else None,
            "page_set": self.page_set,
            "segments": self.figures,
            "ratio_by_segment": self.segments,
            "paired_ratios": {
                name: {turn: pair.as_json() for turn, pair in rows.items()} for name, rows in self.pairs.items()
            },
            "seconds": round(self.seconds, 1),
            "report": str(self.path),
        }

    def summary(self) -> str:
        pages = len({s["page"] for s in self.scans.values()})
        variants = len({s["variant"] for s in self.scans.values()})
        lines = [
            f"rotation ({self.page_set} pages): {pages} pages x {variants} scans through pages + ocr "
            f"in {self.seconds:.0f} s"
        ]
        for slice_name, rows in self.figures.items():
            lines.append(f"{slice_name}:")
            lines.append(f"  {'variant':18} {'pages':>5} {'CER':>7} {'x upright':>9}")
            for variant, row in rows.items():
                ratio = "-" if row["ratio"] is None else f"{row['ratio']:.3f}"
                lines.append(f"  {variant:18} {row['pages']:>5} {row['cer']:>7.4f} {ratio:>9}")
        for slice_name, rows in self.segments.items():
            lines.append(f"{slice_name}, rotated CER / upright CER by segment:")
            for segment, row in rows.items():
                ratio = "-" if row["ratio"] is None else f"{row['ratio']:.3f}"
                lines.append(
                    f"  {segment:6} {row['scans']:>3} scans  CER {row['cer']:.4f} / upright {row['upright_cer']:.4f}"
                    f" = {ratio}"
                )
        lines.extend(paired_summary(self.pairs, TARGET_RATIO))
        measured = all(variant in self.figures.get("all", {}) for variant in TARGET_VARIANTS)
        verdict = ("met" if target_met(self.figures) else "NOT met") if measured else "not measured in this run"
        lines.append(f"target (turn-90, turn-180 within {TARGET_RATIO}x upright, all pages): {verdict}")
        return "\n".join(lines)


def run_rotation_evaluation(
    home: Path,
    out_dir: Path,
    build_definitions: DefinitionsFactory,
    count: int = 6,
    progress: Callable[[str], None] | None = None,
    variants: tuple[str, ...] = tuple(VARIANTS),
    page_set: str = "clean",
    slices: tuple[str, ...] = DEFAULT_SLICES,
) -> RotationReport:
    """`mm eval rotation` over `count` generated pages (`clean`: prose_pages, `dense`: dense_pages),
    each scanned once per variant it is made into; `slices` picks tuning pages, held-back pages,
    both, or (dense) the second held-back seed too."""
    unknown = [v for v in variants if v not in VARIANTS]
    if unknown or "upright" not in variants:
        raise EvaluationError(f"variants must include upright and come from {', '.join(VARIANTS)}; got {unknown}")
    if page_set not in PAGE_SETS or not slices or set(slices) - set(SLICES):
        raise EvaluationError(f"page set is one of {', '.join(PAGE_SETS)}, slices from {', '.join(SLICES)}")
    if page_set != "dense" and set(slices) & set(SEED_SLICES):
        raise EvaluationError("the held_back_2 and held_back_3 slices are dense pages: run them with rotation-dense")
    started = time.perf_counter()
    pages = slice_pages(page_set, count, slices)
    pdfs = {}
    for page in pages:
        pdf = page_pdf(page)
        for variant in (v for v in variants if v in page.variants):
            pdfs[f"{page.name}-{variant}"] = scanned(pdf, **VARIANTS[variant], **scan_options(page))[0]  # type: ignore[arg-type]
    if progress:
        progress(f"rotation: {len(pages)} pages, {len(pdfs)} scans, running pages + ocr")
    found = run_ocr(pdfs, fresh_folder(home / "rotation"), build_definitions)
    scores = {name: s for name, s in score_scans(pages, found).items() if s["variant"] in variants}
    path = out_dir / f"eval-rotation{'-dense' if page_set == 'dense' else ''}.json"
    report = RotationReport(summarise(scores), scores, time.perf_counter() - started, path, page_set)
    out_dir.mkdir(parents=True, exist_ok=True)
    report.path.write_text(json.dumps({**report.as_json(), "per_scan": scores}, indent=2, default=str))
    return report
