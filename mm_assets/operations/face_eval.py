"""`mm eval faces`: face recall and false faces of the redactor's detector, per segment and slice.

The detector runs once per item at threshold 0 (every candidate with its probability); recall and
false faces at any threshold are then counted from those scores. The threshold is TUNED on the
tuning slices only (`tune_threshold`: `tuning` and `tuning_2`) and the held-back slice
(`held_back_2`) is reported at that threshold, apart.
A labelled face counts as found when a detection overlaps it at IoU >= MATCH_IOU; a detection that
matches no labelled face is a false face.
"""

from __future__ import annotations

import csv
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mm_assets.operations.face_set import HELD_BACK_2, SEGMENTS, SLICES, TUNING_SLICES, FaceItem, build_face_set
from resources.faces import MIN_FACE_PX, mtcnn_faces

MATCH_IOU = 0.3
THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.98, 0.99)
# The tuning rule: the lowest threshold (most recall) whose false faces on the tuning slices'
# face-free photos stay at or under half the target's 1 per 20, leaving a margin for the held-back slice.
TUNING_MAX_FALSE_PER_PHOTO = 1 / 40
TARGET_RECALL, TARGET_FALSE_PER_PHOTO = 0.95, 1 / 20


def iou(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    w = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    h = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = w * h
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


@dataclass
class Scored:
    """One item's labelled faces and every detection with its probability."""

    item: FaceItem
    detections: list[tuple[tuple[float, ...], float]]
    cpu_s: float

    def counts(self, threshold: float) -> tuple[int, int, int]:
        """(labelled faces, found, false detections) at `threshold`."""
        kept = [box for box, p in self.detections if p >= threshold]
        found = sum(any(iou(label, box) >= MATCH_IOU for box in kept) for label in self.item.boxes)
        false = sum(not any(iou(label, box) >= MATCH_IOU for label in self.item.boxes) for box in kept)
        return len(self.item.boxes), found, false


@dataclass
class Row:
    slice: str
    segment: str
    items: int
    faces: int
    found: int
    false_faces: int
    built_items: int

    @property
    def recall(self) -> float | None:
        return round(self.found / self.faces, 4) if self.faces else None

    @property
    def false_per_photo(self) -> float:
        return round(self.false_faces / self.items, 4) if self.items else 0.0

    def as_json(self) -> dict:
        return {**self.__dict__, "recall": self.recall, "false_per_photo": self.false_per_photo}


def table(scored: list[Scored], threshold: float, part: str | tuple[str, ...]) -> list[Row]:
    """Per segment and overall ("all") for one slice (or slices together) at one threshold."""
    parts = (part,) if isinstance(part, str) else part
    rows = []
    for segment in (*SEGMENTS, "all"):
        chosen = [s for s in scored if s.item.slice in parts and segment in ("all", s.item.segment)]
        totals = [s.counts(threshold) for s in chosen]
        rows.append(
            Row(
                "+".join(parts),
                segment,
                len(chosen),
                sum(t[0] for t in totals),
                sum(t[1] for t in totals),
                sum(t[2] for t in totals),
                sum(s.item.built for s in chosen),
            )
        )
    return rows


def tune_threshold(scored: list[Scored]) -> tuple[float, list[dict]]:
    """The threshold from the tuning slices alone (never the held-back one), and the sweep it read."""
    tuning = [s for s in scored if s.item.slice in TUNING_SLICES]
    sweep = []
    for threshold in THRESHOLDS:
        rows = {row.segment: row for row in table(tuning, threshold, TUNING_SLICES)}
        sweep.append(
            {
                "threshold": threshold,
                "recall": rows["all"].recall,
                "false_per_face_free_photo": rows["face_free"].false_per_photo,
            }
        )
    allowed = [entry for entry in sweep if entry["false_per_face_free_photo"] <= TUNING_MAX_FALSE_PER_PHOTO]
    return (allowed[0]["threshold"] if allowed else THRESHOLDS[-1]), sweep


@dataclass
class FaceReport:
    threshold: float
    tuned_threshold: float
    sweep: list[dict]
    rows: list[Row]
    cpu_s_per_photo: float
    csv_path: str
    notes: list[str] = field(default_factory=list)

    def held_back(self, segment: str = "all") -> Row:
        return next(r for r in self.rows if r.slice == HELD_BACK_2 and r.segment == segment)

    def targets_met(self) -> bool:
        held = self.held_back()
        free = self.held_back("face_free")
        return (held.recall or 0.0) >= TARGET_RECALL and free.false_per_photo <= TARGET_FALSE_PER_PHOTO

    def as_json(self) -> dict[str, Any]:
        return {
            "threshold": self.threshold,
            "tuned_threshold": self.tuned_threshold,
            "tuning_sweep": self.sweep,
            "rows": [row.as_json() for row in self.rows],
            "cpu_s_per_photo": self.cpu_s_per_photo,
            "targets_met_on_held_back": self.targets_met(),
            "csv": self.csv_path,
            "notes": self.notes,
        }

    def summary(self) -> str:
        lines = [
            f"faces: MTCNN at p >= {self.threshold} (tuned on the tuning slices: {self.tuned_threshold}); "
            f"{self.cpu_s_per_photo:.3f} CPU s per photo",
            f"{'slice':<11} {'segment':<10} {'items':>5} {'built':>5} {'faces':>5} {'recall':>7} "
            f"{'false':>5} {'false/photo':>11}",
        ]
        for row in self.rows:
            recall = "-" if row.recall is None else f"{row.recall:.3f}"
            lines.append(
                f"{row.slice:<11} {row.segment:<10} {row.items:>5} {row.built_items:>5} {row.faces:>5} "
                f"{recall:>7} {row.false_faces:>5} {row.false_per_photo:>11.3f}"
            )
        verdict = "met" if self.targets_met() else "NOT met"
        lines.append(f"targets (held_back_2: recall >= 0.95, <= 1 false face per 20 face-free photos): {verdict}")
        return "\n".join(lines + self.notes)


def score_items(items: list[FaceItem], progress: Any = None) -> list[Scored]:
    scored = []
    for n, item in enumerate(items):
        started = time.process_time()
        faces = mtcnn_faces(item.image, 0.0, MIN_FACE_PX)
        scored.append(Scored(item, [(face.bbox, face.confidence) for face in faces], time.process_time() - started))
        if progress and n % 25 == 0:
            progress(f"faces: {n}/{len(items)}")
    return scored


def run_face_evaluation(out_dir: Path, threshold: float | None = None, progress: Any = None) -> FaceReport:
    """Score the whole set once, tune on the tuning slices, report every slice apart (CSV in out_dir)."""
    from resources.faces import DEFAULT_FACE_THRESHOLD

    scored = score_items(build_face_set(), progress)
    tuned, sweep = tune_threshold(scored)
    used = DEFAULT_FACE_THRESHOLD if threshold is None else threshold
    rows = [row for part in SLICES for row in table(scored, used, part)]
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "faces.csv"
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0].as_json()))
        writer.writeheader()
        writer.writerows(row.as_json() for row in rows)
    notes = []
    if used != tuned:
        notes.append(f"note: the configured threshold {used} differs from what the tuning slice picks ({tuned})")
    cpu = sum(s.cpu_s for s in scored) / max(1, len(scored))
    return FaceReport(used, tuned, sweep, rows, round(cpu, 4), str(path), notes)
