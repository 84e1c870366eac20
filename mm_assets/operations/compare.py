"""Compare before supersede: a new version of an artifact replaces the current one only when the two
agree within the configured tolerance; otherwise the new one waits as a candidate in the review queue.

Each kind has its own comparison: OCR by character error rate and changed spans, PII by added and
removed redactions, embeddings by cosine between versions, captions by text similarity. Kinds
without a comparison (pages, thumbnails, the index row, events) supersede directly. Each kind's
spec names its comparison (`ArtifactKind.comparator`); the batch calls it with the upgrade policy.
"""

from __future__ import annotations

import difflib
import io
import json
from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from resources.upgrade_policy import UpgradePolicy


@dataclass(frozen=True)
class Comparison:
    figures: dict[str, Any]
    within_tolerance: bool
    reason: str

    def as_json(self) -> dict[str, Any]:
        return {"figures": self.figures, "within_tolerance": self.within_tolerance, "reason": self.reason}


def edit_error_rate(reference: Sequence[Hashable], hypothesis: Sequence[Hashable]) -> float:
    """Levenshtein distance between two sequences, divided by the reference length."""
    if not reference:
        return 0.0 if not hypothesis else 1.0
    previous = list(range(len(hypothesis) + 1))
    for i, ref_item in enumerate(reference, 1):
        current = [i]
        for j, hyp_item in enumerate(hypothesis, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ref_item != hyp_item)))
        previous = current
    return previous[-1] / len(reference)


def character_error_rate(reference: str, hypothesis: str) -> float:
    """Edit distance over characters, divided by the reference length."""
    return edit_error_rate(reference, hypothesis)


def compare_ocr(old: bytes, new: bytes, policy: UpgradePolicy) -> Comparison:
    old_spans, new_spans = json.loads(old)["spans"], json.loads(new)["spans"]
    old_text = " ".join(s["text"] for s in old_spans)
    new_text = " ".join(s["text"] for s in new_spans)
    cer = character_error_rate(old_text, new_text)
    old_set = {(s["page"], s["text"]) for s in old_spans}
    new_set = {(s["page"], s["text"]) for s in new_spans}
    figures = {
        "cer": round(cer, 4),
        "spans_removed": len(old_set - new_set),
        "spans_added": len(new_set - old_set),
    }
    ok = cer <= policy.ocr_max_cer
    return Comparison(figures, ok, "ok" if ok else f"OCR text changed: CER {cer:.3f} > {policy.ocr_max_cer}")


def compare_pii(old: bytes, new: bytes, policy: UpgradePolicy) -> Comparison:
    def per_page(redaction: dict) -> tuple[str, int]:
        return (redaction["kind"], redaction["page"])

    return _redaction_change(old, new, policy, per_page, "redaction(s)")


def _redaction_change(
    old: bytes, new: bytes, policy: UpgradePolicy, key: Callable[[dict], Any], what: str
) -> Comparison:
    """How many redactions (counted per `key`) the new payload removes and adds; removing more than
    the policy allows is a privacy regression."""
    before, after = (Counter(key(r) for r in json.loads(payload)["redactions"]) for payload in (old, new))
    removed, added = sum((before - after).values()), sum((after - before).values())
    ok = removed <= policy.pii_max_removed_redactions
    reason = "ok" if ok else f"{removed} {what} would be removed (a privacy regression)"
    return Comparison({"redactions_removed": removed, "redactions_added": added}, ok, reason)


def compare_vectors(old: bytes, new: bytes, policy: UpgradePolicy) -> Comparison:
    before = np.atleast_2d(np.load(io.BytesIO(old)))
    after = np.atleast_2d(np.load(io.BytesIO(new)))
    if before.shape != after.shape:
        return Comparison(
            {"old_shape": list(before.shape), "new_shape": list(after.shape)},
            False,
            "dimensions changed: vectors are not comparable, review the upgrade on the evaluation set",
        )
    # Zero rows (an empty channel) are skipped: they carry no direction to compare.
    live = (np.linalg.norm(before, axis=1) > 0) & (np.linalg.norm(after, axis=1) > 0)
    cosines = np.sum(before[live] * after[live], axis=1) if live.any() else np.ones(1)
    worst = float(cosines.min())
    ok = worst >= policy.embedding_min_cosine
    reason = "ok" if ok else f"embedding moved: cosine {worst:.3f} < {policy.embedding_min_cosine}"
    return Comparison({"min_cosine": round(worst, 4), "mean_cosine": round(float(cosines.mean()), 4)}, ok, reason)


def compare_captions(old: bytes, new: bytes, policy: UpgradePolicy) -> Comparison:
    before, after = json.loads(old)["text"], json.loads(new)["text"]
    similarity = difflib.SequenceMatcher(None, before, after).ratio()
    ok = similarity >= policy.caption_min_similarity
    figures = {"similarity": round(similarity, 4), "old": before, "new": after}
    return Comparison(figures, ok, "ok" if ok else f"caption changed: similarity {similarity:.2f}")


def word_error_rate(reference: list[str], hypothesis: list[str]) -> float:
    """Edit distance over words, divided by the reference length."""
    return edit_error_rate(reference, hypothesis)


def compare_transcripts(old: bytes, new: bytes, policy: UpgradePolicy) -> Comparison:
    def words(payload: bytes) -> list[str]:
        return [w["text"].lower().strip(".,?!") for w in json.loads(payload)["words"]]

    before, after = words(old), words(new)
    wer = word_error_rate(before, after)
    ok = wer <= policy.transcript_max_wer
    figures = {"wer_vs_previous": round(wer, 4), "words_before": len(before), "words_after": len(after)}
    return Comparison(figures, ok, "ok" if ok else f"transcript changed: WER {wer:.3f} > {policy.transcript_max_wer}")


def compare_transcript_redactions(old: bytes, new: bytes, policy: UpgradePolicy) -> Comparison:
    return _redaction_change(old, new, policy, lambda redaction: redaction["kind"], "spoken redaction(s)")
