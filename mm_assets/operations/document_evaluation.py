"""`mm eval tables` and `mm eval fields`: table JSON and invoice fields against generated truth.

Every document is drawn here (operations.document_pages) from a description that is the truth,
then ingested and run through the real asset graph (pages, ocr, layout, table, fields) in a
private MM_HOME. Each document belongs to segments: born-digital or scanned; rotated (a quarter
or half turn) and skewed (a few degrees) scans; multi-column pages; long (several pages, the
table on the last). Figures are reported per segment and for a held-back slice apart: vendor
styles (`HELD_BACK_STYLES`) and table shapes that were never run while the extractor was tuned.

- tables: cell accuracy (truth cells whose text the predicted table has at the same row and
  column; spaces ignored, since the OCR engine drops them; exact text reported too) and
  structure accuracy (tables with the right number of rows and columns).
- fields: per-field accuracy (value equal to the truth), and conflict precision and recall: a
  document whose printed total does not add up must be a conflict, and only those.

Real documents (operations.real_documents: vendored PDFs, hand-checked truth) run in the same
graph and are reported in segments of their own, `real` (the tuning part) and `real held-back`,
never mixed into the generated figures.
"""

from __future__ import annotations

import json
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mm_assets.operations.document_pages import Element, Table, Text, born_digital, scanned
from mm_assets.operations.evaluation_base import EVAL_TENANT, DefinitionsFactory, EvaluationError, fresh_folder
from mm_assets.operations.invoice_set import HELD_BACK_STYLES, STYLES, invoice_elements, invoice_truth, random_invoice
from mm_assets.operations.real_documents import (
    REAL_HELD_BACK_SEGMENT,
    REAL_SEGMENT,
    real_documents,
    score_real_fields,
    score_real_table,
)

SEGMENTS = ("born-digital", "scanned", "rotated", "skewed", "multi-column", "long")
DOCUMENT_KINDS = ("source_media", "pages", "ocr", "layout", "table", "fields")
WORDS = ["Alpha", "Beta", "Gamma", "Delta", "North", "South", "East", "West", "Spare", "Core", "Unit", "Base"]


@dataclass
class Sample:
    name: str
    pdf: bytes
    segments: tuple[str, ...]
    held_back: bool
    truth: dict[str, Any] = field(default_factory=dict)


def variants(rng: random.Random, index: int) -> tuple[dict[str, Any], tuple[str, ...]]:
    """How the index-th document is printed: scan options and its segments (a rotation of six)."""
    kind = index % 6
    if kind in (0, 4):
        return {}, ("born-digital",)
    if kind == 1:
        return {"turn": 0}, ("scanned",)
    if kind == 2:
        return {"turn": rng.choice([90, 180, 270])}, ("scanned", "rotated")
    if kind == 3:
        return {"skew": rng.choice([-3.0, -2.0, 2.0, 3.0])}, ("scanned", "skewed")
    return {"turn": rng.choice([90, 270]), "skew": rng.choice([-1.5, 1.5])}, ("scanned", "rotated", "skewed")


def random_table(rng: random.Random, held_back: bool) -> tuple[tuple[str, ...], ...]:
    columns = rng.randint(5, 6) if held_back else rng.randint(3, 5)
    rows = rng.randint(6, 9) if held_back else rng.randint(3, 7)
    header = tuple(["Name", *[f"{rng.choice(WORDS)} {c}" for c in range(1, columns)]])
    body = []
    for _ in range(rows - 1):
        cells = [f"{rng.choice(WORDS)} {rng.randint(1, 99)}"]
        cells += [
            f"{rng.randint(0, 9999) / 100:,.2f}" if rng.random() < 0.7 else str(rng.randint(1, 500))
            for _ in range(columns - 1)
        ]
        body.append(tuple(cells))
    return (header, *body)


def table_page(rng: random.Random, rows: tuple[tuple[str, ...], ...], columns: bool) -> list[Element]:
    """A page with a title, prose (in two columns when `columns`) and the table under it."""
    width = min(110.0, 460.0 / len(rows[0]))
    elements: list[Element] = [Text(72, 60, f"{rng.choice(WORDS)} figures, quarter {rng.randint(1, 4)}", 16, True)]
    for line in range(5):
        if columns:
            elements.append(Text(72, 100 + 14 * line, f"Left column note {line} about the figures."))
            elements.append(Text(330, 100 + 14 * line, f"Right column note {line} on the method."))
        else:
            elements.append(Text(72, 100 + 14 * line, f"Line {line} of prose that introduces the table below."))
    elements.append(Table(72, 200, rows, tuple([width] * len(rows[0])), ruled=rng.random() < 0.7))
    return elements


def filler_page(number: int) -> list[Element]:
    return [Text(72, 72 + 16 * line, f"Page {number}, paragraph line {line}, no table here.") for line in range(30)]


def table_samples(count: int, seed: int = 2026) -> list[Sample]:
    rng = random.Random(seed)
    samples = []
    for index in range(count):
        held_back = index % 4 == 3
        rows = random_table(rng, held_back)
        multi = index % 5 == 2
        long = index % 7 == 5
        pages = [*([filler_page(1), filler_page(2)] if long else []), table_page(rng, rows, multi)]
        scan, segments = variants(rng, index)
        pdf = born_digital(pages)
        if "scanned" in segments:
            pdf, _upright = scanned(pdf, **scan)
        segments += ("multi-column",) * multi + ("long",) * long
        truth = {"page": len(pages), "rows": [list(row) for row in rows]}
        samples.append(Sample(f"table-{index:03d}", pdf, segments, held_back, truth))
    return samples


def field_samples(count: int, seed: int = 2027) -> list[Sample]:
    rng = random.Random(seed)
    samples = []
    for index in range(count):
        held_back = index % 4 == 3
        style = rng.choice(HELD_BACK_STYLES if held_back else STYLES)
        invoice = random_invoice(rng, style, wrong_total=index % 3 == 1)
        scan, segments = variants(rng, index)
        pdf = born_digital([invoice_elements(invoice)])
        if "scanned" in segments:
            pdf, _upright = scanned(pdf, **scan)
        samples.append(Sample(f"invoice-{index:03d}", pdf, segments, held_back, invoice_truth(invoice)))
    return samples


def real_samples(set_name: str, which: str) -> list[Sample]:
    """The real documents `which` selects, in their own segment (they are all born-digital)."""
    return [
        Sample(name, pdf, (REAL_HELD_BACK_SEGMENT if held_back else REAL_SEGMENT,), held_back, truth)
        for name, pdf, held_back, truth in real_documents(set_name, which)
    ]


# ---------------------------------------------------------------------------------------------
# Running the graph
# ---------------------------------------------------------------------------------------------


def run_documents(samples: list[Sample], home: Path, build_definitions: DefinitionsFactory) -> dict[str, dict]:
    """Ingest the samples into a private home, materialize the document kinds, and return each
    sample's table and fields payloads by name."""
    import dagster as dg

    from mm_assets.artifacts import current_artifacts
    from mm_assets.operations.evaluation_base import evaluation_settings
    from mm_assets.operations.ingest import IngestOptions, ingest_paths
    from mm_assets.orchestration.instance import get_instance
    from mm_assets.orchestration.runs import materialize_partitions
    from partitions import CONTENT_HASH_PARTITIONS_NAME
    from resources.blob_store import store_key_of
    from resources.catalog import CatalogResource
    from resources.stores import open_store

    media = home / "media"
    media.mkdir(parents=True)
    for sample in samples:
        (media / f"{sample.name}.pdf").write_bytes(sample.pdf)
    settings = evaluation_settings(home / "mm")
    catalog, store = CatalogResource(url=settings.catalog_url), open_store(settings.store_root)
    report = ingest_paths(
        [media], catalog=catalog, store=store, caps=settings.caps, options=IngestOptions(tenant=EVAL_TENANT)
    )
    if report.rejected:
        raise EvaluationError(f"the input gate rejected evaluation files: {report.rejected}")
    names = {item["content_hash"]: Path(item["path"]).stem for item in report.accepted}
    instance = get_instance(settings)
    instance.add_dynamic_partitions(CONTENT_HASH_PARTITIONS_NAME, list(names))
    runs = materialize_partitions(
        build_definitions(settings),
        instance,
        [dg.AssetKey(k) for k in DOCUMENT_KINDS],
        list(names),
        settings.run_batch_size,
    )
    found: dict[str, dict] = {name: {"failed": None} for name in names.values()}
    for key, reason in runs.failed.items():
        found[names[key]]["failed"] = reason
    for kind in ("table", "fields"):
        for key, row in current_artifacts(catalog, kind, list(names)).items():
            found[names[key]][kind] = json.loads(store.read_bytes(store_key_of(store, row["payload_uri"])))
    return found


# ---------------------------------------------------------------------------------------------
# Scoring
# ---------------------------------------------------------------------------------------------


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def score_table(truth: dict, payload: dict | None) -> dict[str, float]:
    """Cell accuracy (spaces ignored, and exact) and structure accuracy of the truth's table."""
    if truth.get("real"):
        return score_real_table(truth, payload)
    rows = truth["rows"]
    cells = [(r, c, text) for r, row in enumerate(rows) for c, text in enumerate(row)]
    tables = [t for t in (payload or {}).get("tables", []) if t["page"] == truth["page"]]
    if not tables:
        return {"cells": 0.0, "cells_exact": 0.0, "structure": 0.0}
    table = max(tables, key=lambda t: t["n_rows"] * t["n_cols"])
    got = table["rows"]

    def at(r: int, c: int) -> str:
        return got[r][c] if r < len(got) and c < len(got[r]) else ""

    return {
        "cells": sum(squeeze(at(r, c)) == squeeze(text) for r, c, text in cells) / len(cells),
        "cells_exact": sum(" ".join(at(r, c).split()) == text for r, c, text in cells) / len(cells),
        "structure": float(table["n_rows"] == len(rows) and table["n_cols"] == len(rows[0])),
    }


FIELD_NAMES = ("invoice_number", "invoice_date", "due_date", "vendor", "currency", "subtotal", "tax", "total")


def score_fields(truth: dict, payload: dict | None) -> dict[str, Any]:
    if truth.get("real"):
        return score_real_fields(truth, payload, FIELD_NAMES)
    payload = payload or {"fields": {}, "line_items": [], "verification": {"status": "missing"}}
    scores: dict[str, Any] = {}
    for name in FIELD_NAMES:
        if name in truth["fields"]:
            got = payload["fields"].get(name, {}).get("value")
            same = squeeze(str(got)).lower() == squeeze(str(truth["fields"][name])).lower()
            scores[name] = float(same)
    items = [{p: squeeze(str(v["value"])) for p, v in item.items()} for item in payload["line_items"]]
    expected = [{p: squeeze(v) for p, v in item.items()} for item in truth["line_items"]]
    scores["line_items"] = float(items == expected) if expected else None
    scores["doc_type"] = float(payload.get("doc_type") == truth["doc_type"])
    scores["flagged"] = payload["verification"]["status"] == "conflict"
    scores["inconsistent"] = not truth["consistent"]
    return scores


def _mean(values: list[float]) -> float | None:
    values = [v for v in values if v is not None]
    return round(sum(values) / len(values), 4) if values else None


def by_segment(samples: list[Sample], scores: dict[str, dict], summarise: Callable[[list[dict]], dict]) -> dict:
    """Figures for everything, each segment, the tuned slice and the held-back slice."""
    groups: dict[str, list[dict]] = {"all": [], "tuned": [], "held-back": []}
    groups.update({segment: [] for segment in (*SEGMENTS, REAL_SEGMENT, REAL_HELD_BACK_SEGMENT)})
    for sample in samples:
        score = scores[sample.name]
        if REAL_SEGMENT in sample.segments or REAL_HELD_BACK_SEGMENT in sample.segments:
            groups[sample.segments[0]].append(score)  # real documents: their own figures only
            continue
        groups["all"].append(score)
        groups["held-back" if sample.held_back else "tuned"].append(score)
        for segment in sample.segments:
            groups[segment].append(score)
    return {name: {"documents": len(group), **summarise(group)} for name, group in groups.items() if group}


def summarise_tables(group: list[dict]) -> dict:
    return {metric: _mean([s[metric] for s in group]) for metric in ("cells", "cells_exact", "structure")}


def summarise_fields(group: list[dict]) -> dict:
    figures = {name: _mean([s.get(name) for s in group]) for name in (*FIELD_NAMES, "line_items", "doc_type")}
    flagged = [s for s in group if s["flagged"]]
    wrong = [s for s in group if s["inconsistent"]]
    hits = sum(s["flagged"] and s["inconsistent"] for s in group)
    figures["conflict_precision"] = round(hits / len(flagged), 4) if flagged else None
    figures["conflict_recall"] = round(hits / len(wrong), 4) if wrong else None
    figures["false_conflicts"] = sum(s["flagged"] and not s["inconsistent"] for s in group)
    figures["consistent_documents"] = len(group) - len(wrong)
    return figures


@dataclass
class DocumentReport:
    name: str
    figures: dict[str, dict]
    seconds: float
    failed: dict[str, str]
    path: Path

    def as_json(self) -> dict[str, Any]:
        return {
            "set": self.name,
            "segments": self.figures,
            "seconds": round(self.seconds, 1),
            "failed": self.failed,
            "report": str(self.path),
        }

    def summary(self) -> str:
        metrics = [m for m in next(iter(self.figures.values())) if m != "documents"]
        lines = [f"{self.name}: {self.figures['all']['documents']} documents in {self.seconds:.0f} s"]
        lines.append(f"{'segment':14} {'docs':>4}  " + "  ".join(f"{m[:12]:>12}" for m in metrics))
        for segment, figures in self.figures.items():
            values = "  ".join(f"{'-' if figures[m] is None else figures[m]:>12}" for m in metrics)
            lines.append(f"{segment:14} {figures['documents']:>4}  {values}")
        if self.failed:
            lines.append(f"failed: {self.failed}")
        return "\n".join(lines)


def run_document_evaluation(
    set_name: str,
    home: Path,
    out_dir: Path,
    build_definitions: DefinitionsFactory,
    count: int = 24,
    progress: Callable[[str], None] | None = None,
    real: str = "all",
) -> DocumentReport:
    """`mm eval tables` or `mm eval fields` over `count` generated documents and the real ones
    `real` selects (none, the tuning part, or all)."""
    if set_name not in ("tables", "fields"):
        raise EvaluationError(f"unknown document set {set_name!r}: tables or fields")
    started = time.perf_counter()
    samples = table_samples(count) if set_name == "tables" else field_samples(count)
    samples += real_samples(set_name, real)
    if progress:
        progress(f"{set_name}: {len(samples)} documents, running pages/ocr/layout/table/fields")
    found = run_documents(samples, fresh_folder(home / set_name), build_definitions)
    kind, score, summarise = (
        ("table", score_table, summarise_tables) if set_name == "tables" else ("fields", score_fields, summarise_fields)
    )
    scores = {s.name: score(s.truth, found.get(s.name, {}).get(kind)) for s in samples}
    failed = {name: result["failed"] for name, result in found.items() if result.get("failed")}
    report = DocumentReport(
        set_name,
        by_segment(samples, scores, summarise),
        time.perf_counter() - started,
        failed,
        out_dir / f"eval-{set_name}.json",
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    report.path.write_text(json.dumps({**report.as_json(), "per_document": scores}, indent=2, default=str))
    return report
