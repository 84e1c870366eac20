"""Triage order of the review queue: privacy regressions first, then the larger disagreements."""

from __future__ import annotations

from datetime import datetime

from mm_assets.operations.review_queue import priority, triage


def item(kind: str, reason: str, details: dict, minute: int) -> dict:
    return {"kind": kind, "reason": reason, "details": details, "created_at": datetime(2026, 12, 2, 4, minute)}


def test_privacy_regressions_come_first_then_larger_disagreements_then_older():
    items = [
        item("ocr", "ocr_quality: mean confidence 0.90 < 0.95", {"mean_confidence": 0.9}, 1),
        item("caption", "upgrade past tolerance: caption changed", {"figures": {"similarity": 0.2}}, 2),
        item(
            "pii",
            "upgrade past tolerance: 2 redactions would be removed (a privacy regression)",
            {"figures": {"redactions_removed": 2, "redactions_added": 0}},
            3,
        ),
        item("visual_embedding", "upgrade past tolerance: embedding moved", {"figures": {"min_cosine": 0.5}}, 4),
        item("ocr", "ocr_quality: mean confidence 0.90 < 0.95", {"mean_confidence": 0.9}, 0),
        item("thumbnail", "something without figures", {}, 5),
    ]
    ordered = triage(items)
    assert [(entry["kind"], entry["created_at"].minute) for entry in ordered] == [
        ("pii", 3),
        ("caption", 2),
        ("visual_embedding", 4),
        ("ocr", 0),
        ("ocr", 1),
        ("thumbnail", 5),
    ]
    assert [entry["priority"] for entry in ordered] == [12.0, 0.8, 0.5, 0.1, 0.1, 0.0]


def test_a_pii_item_that_removes_nothing_is_not_a_privacy_regression():
    added_only = item("pii", "upgrade past tolerance", {"figures": {"redactions_removed": 0, "cer": 0.3}}, 0)
    assert priority(added_only) == 0.3
