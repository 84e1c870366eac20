"""The review queue for people: triage order, the boxes to highlight, and rejected cases as an
evaluation set (`mm eval review`).

Triage: privacy regressions first (a PII or redacted-transcript candidate that would remove
redactions), then by how far the versions disagree (1 - cosine, character or word error rate,
1 - caption similarity, 1 - OCR confidence), oldest first among equals.

A rejected case is appended to `$MM_HOME/eval/review/cases.jsonl`: the source, the kind, the
rejected artifact and its version, and the version kept. `mm eval review` replays the set against
the catalog: a rejected candidate regresses when its version has since become current for that
source; a rejected output (a current artifact judged wrong) is unresolved while it is still current.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from mm_assets.page_layout import page_suffix
from resources.blob_store import BlobStore, store_key_of
from resources.catalog import CatalogResource, derived_artifact

PRIVACY_KINDS = ("pii", "redacted_transcript")


def priority(item: dict[str, Any]) -> float:
    """Higher first: 10 + removed redactions for a privacy regression, else the disagreement in [0, 1]."""
    details = item.get("details") or {}
    figures = details.get("figures", details)
    removed = figures.get("redactions_removed") or 0
    if item["kind"] in PRIVACY_KINDS and (removed or "privacy" in item["reason"]):
        return 10.0 + float(removed)
    for name, disagreement in (
        ("min_cosine", lambda v: 1.0 - v),
        ("cer", lambda v: v),
        ("wer_vs_previous", lambda v: v),
        ("similarity", lambda v: 1.0 - v),
        ("mean_confidence", lambda v: 1.0 - v),
    ):
        value = figures.get(name)
        if isinstance(value, int | float):
            return round(min(max(float(disagreement(value)), 0.0), 1.0), 4)
    return 0.0


def triage(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The items with their `priority`, highest first, then oldest first."""
    ranked = [{**item, "priority": priority(item)} for item in items]
    return sorted(ranked, key=lambda item: (-item["priority"], item["created_at"]))


@dataclass
class ReviewBoxes:
    """What the review page draws on a page: the kept version's boxes and the one under review."""

    page_image_key: str | None
    old: list[list[float]] = field(default_factory=list)
    new: list[list[float]] = field(default_factory=list)


def review_boxes(catalog: CatalogResource, store: BlobStore, item: dict[str, Any], page: int = 1) -> ReviewBoxes:
    """Page `page` of the source as rendered, the old boxes (the current artifact of the kind, when the
    item is about another one) and the new ones (the artifact under review)."""
    with catalog.engine.connect() as conn:
        rows = {
            row.artifact_id: dict(row._mapping)
            for row in conn.execute(
                sa.select(derived_artifact).where(
                    derived_artifact.c.source_hash == item["source_hash"],
                    derived_artifact.c.kind.in_(["pages", item["kind"]]),
                    derived_artifact.c.status.in_(["current", "candidate"]),
                )
            )
        }
    pages = next((row for row in rows.values() if row["kind"] == "pages" and row["status"] == "current"), None)
    image_key = None
    if pages is not None:
        image_key = store_key_of(store, pages["payload_uri"]).rsplit(".", 1)[0] + page_suffix(page)
        image_key = image_key if store.exists(image_key) else None
    reviewed = rows.get(item.get("artifact_id") or "")
    current = next((row for row in rows.values() if row["kind"] == item["kind"] and row["status"] == "current"), None)
    boxes = ReviewBoxes(image_key)
    if reviewed is not None:
        boxes.new = _boxes(store, reviewed, page)
    if current is not None and current is not reviewed:
        boxes.old = _boxes(store, current, page)
    return boxes


def _boxes(store: BlobStore, artifact: dict[str, Any], page: int) -> list[list[float]]:
    """Boxes on `page` of a JSON payload: its redactions (PII), else its spans (OCR)."""
    try:
        payload = json.loads(store.read_bytes(store_key_of(store, artifact["payload_uri"])))
    except (ValueError, OSError):
        return []
    if not isinstance(payload, dict):
        return []
    entries = payload.get("redactions") or payload.get("spans") or []
    return [list(e["bbox"]) for e in entries if isinstance(e, dict) and e.get("page") == page and e.get("bbox")]


# ---------------------------------------------------------------- the evaluation set of rejections


def cases_path(home: Path) -> Path:
    return home / "eval" / "review" / "cases.jsonl"


def add_rejected_case(home: Path, catalog: CatalogResource, item: dict[str, Any], who: str) -> str:
    """Append a rejected review item as an evaluation case; returns the case id (the review id).

    Two shapes: a rejected *candidate* (an upgrade people refused: its version must not become
    current later) and a rejected *output* (a current artifact people judged wrong, such as an
    ocr_quality item: it stays open until another version replaces it)."""
    rejected = kept = None
    with catalog.engine.connect() as conn:
        for row in conn.execute(
            sa.select(derived_artifact).where(
                derived_artifact.c.source_hash == item["source_hash"], derived_artifact.c.kind == item["kind"]
            )
        ):
            if row.artifact_id == item.get("artifact_id"):
                rejected = row
            elif row.status == "current":
                kept = f"{row.pipeline_version}+{row.model_id}"
    case = {
        "case_id": item["review_id"],
        "content_hash": item["source_hash"],
        "tenant_id": item["tenant_id"],
        "kind": item["kind"],
        "reason": item["reason"],
        "shape": "candidate" if rejected is not None and rejected.status == "rejected" else "output",
        "rejected_artifact_id": item.get("artifact_id"),
        "rejected_version": f"{rejected.pipeline_version}+{rejected.model_id}" if rejected is not None else None,
        "kept_version": kept,
        "details": item.get("details"),
        "decided_by": who,
        "decided_at": datetime.now(UTC).isoformat(),
    }
    path = cases_path(home)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as out:
        out.write(json.dumps(case, default=str) + "\n")
    return case["case_id"]


@dataclass
class ReviewEvalReport:
    cases: int
    regressions: list[dict[str, Any]]  # a rejected candidate's version became current after all
    unresolved: list[dict[str, Any]]  # a rejected output is still the current artifact
    by_kind: dict[str, int]
    csv: str

    def as_json(self) -> dict[str, Any]:
        return {
            "cases": self.cases,
            "regressions": self.regressions,
            "unresolved": self.unresolved,
            "by_kind": self.by_kind,
            "csv": self.csv,
        }

    def summary(self) -> str:
        kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(self.by_kind.items())) or "none"
        lines = [
            f"review set: {self.cases} rejected case(s) ({kinds}); {len(self.regressions)} regression(s), "
            f"{len(self.unresolved)} rejected output(s) still current"
        ]
        lines += [
            f"  regression {r['content_hash'][:16]} {r['kind']}: {r['rejected_version']} is current again"
            for r in self.regressions
        ]
        lines += [f"  unresolved {r['content_hash'][:16]} {r['kind']}: {r['reason']}" for r in self.unresolved]
        return "\n".join(lines) + f"\nwritten to {self.csv}"


def evaluate_review_cases(home: Path, catalog: CatalogResource, out_dir: Path) -> ReviewEvalReport:
    """Each rejected case against the catalog now (see add_rejected_case for the two shapes)."""
    path = cases_path(home)
    cases = [json.loads(line) for line in path.read_text().splitlines() if line.strip()] if path.exists() else []
    rows, by_kind = [], {}
    with catalog.engine.connect() as conn:
        for case in cases:
            by_kind[case["kind"]] = by_kind.get(case["kind"], 0) + 1
            now = conn.execute(
                sa.select(derived_artifact).where(
                    derived_artifact.c.source_hash == case["content_hash"],
                    derived_artifact.c.kind == case["kind"],
                    derived_artifact.c.status == "current",
                )
            ).first()
            current = f"{now.pipeline_version}+{now.model_id}" if now else None
            regressed = case["shape"] == "candidate" and current is not None and current == case["rejected_version"]
            unresolved = (
                case["shape"] == "output" and now is not None and now.artifact_id == case["rejected_artifact_id"]
            )
            rows.append({**case, "current_version": current, "regressed": regressed, "unresolved": unresolved})
    out_dir.mkdir(parents=True, exist_ok=True)
    csv = out_dir / "review-cases.csv"
    header = ["case_id", "content_hash", "kind", "shape", "reason", "rejected_version", "current_version"]
    header += ["regressed", "unresolved"]
    lines = [",".join(header)] + [",".join(json.dumps(str(row[name])) for name in header) for row in rows]
    csv.write_text("\n".join(lines) + "\n")
    regressions = [row for row in rows if row["regressed"]]
    return ReviewEvalReport(len(cases), regressions, [row for row in rows if row["unresolved"]], by_kind, str(csv))
