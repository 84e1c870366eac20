"""What a search asks for and gets back, the checks a request passes first, and how the ranked
lists of the channels fuse into one (RRF or weighted scores) with each source's best chunks as
evidence. Pure Python over rows LanceDB returned; `index_search` runs the queries."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from resources.index_schema import CHANNELS, CHUNK_FTS_CHANNEL, CHUNK_TEXT_CHANNEL, CHUNK_VISUAL_CHANNEL, FTS_CHANNEL
from resources.index_where import QueryRefused, sql_string, validate_where

RRF_K = 60
# BM25 at half weight: weighted fusion divides by the query's best BM25 score, so a match on a
# filler word would otherwise count as much as a strong vector match (mm eval, mixed set).
DEFAULT_WEIGHTS: Mapping[str, float] = {
    "visual": 1.0,
    "caption": 1.0,
    "ocr": 1.0,
    FTS_CHANNEL: 0.5,
    # A source's best passage: a page block or transcript window matches a question far more
    # sharply than the source's single whole-text vector does (mm eval pages: file Recall@1
    # .600 without chunks, .667 at weight 1, .867 at 2, 1.0 at 3), from 0.4 similarity up.
    CHUNK_TEXT_CHANNEL: 3.0,
    # Off unless asked for (a channel of weight 0 is not queried): each chunk query adds ~25% to a
    # search's CPU (bench/search.py), a whole-image chunk repeats the source's visual vector for
    # text queries, and BM25 on passages repeats BM25 on the source text. `mm search --image`
    # turns the visual one on (keyframes, image regions).
    CHUNK_VISUAL_CHANNEL: 0.0,
    CHUNK_FTS_CHANNEL: 0.0,
}
# Reciprocal rank fusion gives every channel a full vote, even one with no signal for the query
# (a document quote has visual and caption similarities near 0 for every row): below these
# similarities a channel's rank does not vote. Measured with `mm eval mixed`: RRF mAP .33 -> .55.
RRF_MIN_SIMILARITY: Mapping[str, float] = {
    "visual": 0.2,
    "caption": 0.2,
    "ocr": 0.1,
    CHUNK_TEXT_CHANNEL: 0.1,
    CHUNK_VISUAL_CHANNEL: 0.2,
}
# In weighted fusion a passage votes only from this similarity up: every query finds some passage
# at 0.1-0.3 (a photo query against document text), which outvoted the photos (mm eval mixed,
# skimage queries: mAP .323 without chunks, .199 with chunks and no floor, .323 with 0.4).
WEIGHTED_MIN_SIMILARITY: Mapping[str, float] = {CHUNK_TEXT_CHANNEL: 0.4}
MAX_K = 1_000
MAX_CANDIDATES = 10_000
# What an evidence entry calls the channel that found it.
EVIDENCE_CHANNEL_NAMES: Mapping[str, str] = {
    CHUNK_TEXT_CHANNEL: "text",
    CHUNK_VISUAL_CHANNEL: "visual",
    CHUNK_FTS_CHANNEL: "fts",
}
MAX_EVIDENCE = 3  # evidence entries per result, best first


def evidence_entry(chunk: Mapping[str, Any], channel: str, score: float) -> dict[str, Any]:
    """One evidence entry of a search result, in the format `SearchHit.evidence` promises.

    Documents and images: {"page": int, "bbox": [x0, y0, x1, y1], "text", "channel", "score"};
    audio and video: {"t_start": s, "t_end": s, "text", "channel", "score"} (a keyframe has both
    its time and, when set, its page and bbox). Keys that do not apply are absent, never null.
    `text` is the redacted chunk text; `channel` is "text", "visual" or "fts".
    """
    entry: dict[str, Any] = {}
    if chunk.get("page") is not None:
        entry["page"] = int(chunk["page"])
    if chunk.get("bbox") is not None:
        entry["bbox"] = [round(float(v), 1) for v in chunk["bbox"]]
    if chunk.get("t_start") is not None:
        entry["t_start"] = round(float(chunk["t_start"]), 3)
        entry["t_end"] = round(float(chunk["t_end"]), 3)
    if chunk.get("chunk_kind") == "table_cell":
        entry["table_cell"] = True  # the box is the cell's own: evidence tightening leaves it be
    entry["text"] = chunk["text"]
    entry["channel"] = channel
    entry["score"] = round(float(score), 6)
    return entry


@dataclass(frozen=True)
class SearchRequest:
    """One hybrid search: any channel vectors and/or BM25 text, always scoped by governance."""

    vectors: dict[str, np.ndarray]  # channel -> unit query vector, any subset of CHANNELS
    fts_text: str | None  # BM25 query on `text`; None: no full-text channel
    tenant: str | None  # None only with global_scope=True
    global_scope: bool = False
    k: int = 10
    where: str | None = None  # user filter, validated by validate_where
    fusion: str = "rrf"  # "rrf" | "weighted"
    weights: dict[str, float] | None = None  # per channel incl. "fts"; missing ones default to 1
    candidates: int = 50  # per-channel candidate depth before fusion
    exact: bool = False  # flat search that bypasses vector indexes (ground truth for recall)
    chunks: bool = True  # also search chunk rows: they vote in the fused score and become evidence
    # sources left out whatever else matches: the sensitive media (identity documents) the caller may not see
    exclude_hashes: tuple[str, ...] = ()


@dataclass(frozen=True)
class SearchHit:
    """A fused result, one per source; `channels` holds only the channels whose candidates included it.

    `evidence`: the source's best chunks, best first (at most MAX_EVIDENCE), each as
    `evidence_entry` describes: {"page", "bbox", "text", "channel", "score"} for documents and
    images, {"t_start", "t_end", "text", "channel", "score"} for audio and video. Empty when no
    chunk of the source matched the query.
    """

    content_hash: str
    tenant_id: str
    score: float
    channels: dict[str, dict[str, float | int]]  # channel -> {"score": raw score, "rank": 1-based}
    provenance: dict
    caption: str
    modality: str
    evidence: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Fused:
    key: str  # content hash
    channels: dict[str, dict[str, float | int]] = field(default_factory=dict)
    score: float = 0.0


def check_request(request: SearchRequest, dim: int) -> dict[str, float]:
    """Refuse malformed or ungoverned requests; returns the weight of every channel."""
    if request.tenant is None and not request.global_scope:
        raise QueryRefused("a tenant is required; pass tenant=..., or global_scope=True for all tenants")
    if request.tenant is not None and request.global_scope:
        raise QueryRefused("pass either a tenant or global_scope=True, not both")
    if request.tenant is not None and (not isinstance(request.tenant, str) or not request.tenant):
        raise QueryRefused("tenant must be a non-empty string")
    if request.fts_text is not None and not request.fts_text.strip():
        raise QueryRefused("fts_text is blank; pass None to search without full text")
    if not request.vectors and request.fts_text is None:
        raise QueryRefused("empty query: give at least one channel vector or fts_text")
    if not 1 <= request.k <= MAX_K:
        raise QueryRefused(f"k must be between 1 and {MAX_K}, got {request.k}")
    if not request.k <= request.candidates <= MAX_CANDIDATES:
        raise QueryRefused(f"candidates must be between k ({request.k}) and {MAX_CANDIDATES}, got {request.candidates}")
    if request.fusion not in ("rrf", "weighted"):
        raise QueryRefused(f"fusion must be 'rrf' or 'weighted', got {request.fusion!r}")
    for channel, vector in request.vectors.items():
        _check_query_vector(channel, vector, dim)
    weights = dict(DEFAULT_WEIGHTS)
    for channel, weight in (request.weights or {}).items():
        if channel not in weights:
            raise QueryRefused(f"unknown weight {channel!r}; channels: {', '.join(weights)}")
        if not isinstance(weight, int | float) or not math.isfinite(weight) or weight < 0:
            raise QueryRefused(f"weight of {channel} must be a finite number >= 0, got {weight!r}")
        weights[channel] = float(weight)
    return weights


def _check_query_vector(channel: str, vector: np.ndarray, dim: int) -> None:
    if channel not in CHANNELS:
        raise QueryRefused(f"unknown channel {channel!r}; channels: {', '.join(CHANNELS)}")
    array = np.asarray(vector, dtype=np.float32)
    if array.shape != (dim,):
        raise QueryRefused(f"{channel} query vector has shape {array.shape}, the index holds ({dim},)")
    if not np.isfinite(array).all() or not np.any(array):
        raise QueryRefused(f"{channel} query vector must be finite and non-zero")


def governance_filter(request: SearchRequest) -> str:
    """Tenant (unless global), consent and rights always, sensitive sources left out; the validated
    user filter on top."""
    clauses = [] if request.global_scope else [f"tenant_id = {sql_string(request.tenant or '')}"]
    clauses.append("consent = 'valid' AND usage_rights = 'approved'")
    if request.exclude_hashes:
        clauses.append(f"content_hash NOT IN ({', '.join(sql_string(h) for h in request.exclude_hashes)})")
    if request.where is not None:
        clauses.append(validate_where(request.where))
    return " AND ".join(clauses)


def _normalised(channel: str, raw: float, best: float) -> float:
    # Cosine similarity is already on a 0..1 scale where it matters; BM25 is not, so divide by best.
    if channel in (FTS_CHANNEL, CHUNK_FTS_CHANNEL):
        return raw / best if best > 0 else 0.0
    return min(max(raw, 0.0), 1.0)


def best_per_source(rows: Sequence[Mapping[str, Any]]) -> list[tuple[str, float]]:
    """A channel's rows as (content hash, score), best first, one per source (its best row)."""
    best: dict[str, float] = {}
    for row in rows:
        if row["score"] > best.get(row["content_hash"], float("-inf")):
            best[row["content_hash"]] = row["score"]
    return sorted(best.items(), key=lambda item: (-item[1], item[0]))


def fuse(ranked: Mapping[str, Sequence[tuple[str, float]]], weights: Mapping[str, float], fusion: str) -> list[Fused]:
    """Each candidate source with its fused score and every channel's score and rank, best first."""
    fused: dict[str, Fused] = {}
    for channel, rows in ranked.items():
        best = max((raw for _, raw in rows), default=0.0)
        for rank, (key, raw) in enumerate(rows, start=1):
            entry = fused.setdefault(key, Fused(key=key))
            entry.channels[channel] = {"score": raw, "rank": rank}
            if fusion == "rrf":
                if raw >= RRF_MIN_SIMILARITY.get(channel, float("-inf")):
                    entry.score += weights[channel] / (RRF_K + rank)
            elif raw >= WEIGHTED_MIN_SIMILARITY.get(channel, float("-inf")):
                entry.score += weights[channel] * _normalised(channel, raw, best)
    return sorted(fused.values(), key=lambda entry: (-entry.score, entry.key))


def add_image_evidence(
    evidence: dict[str, list[dict[str, Any]]], image_chunks: list[dict[str, Any]], fused: Mapping[str, Fused]
) -> None:
    """A winning image with no matching passage points at the whole image, scored by its visual match."""
    for chunk in image_chunks:
        visual = fused[chunk["content_hash"]].channels.get("visual", {})
        evidence[chunk["content_hash"]] = [evidence_entry(chunk, "visual", float(visual.get("score", 0.0)))]


def evidence_by_source(
    chunk_matches: Mapping[str, list[dict[str, Any]]], weights: Mapping[str, float]
) -> dict[str, list[dict[str, Any]]]:
    """Each source's best chunks as evidence entries, best first.

    A chunk's score is the weighted sum of its normalised scores over the chunk channels that
    found it (as in weighted fusion); its `channel` is the one that contributed most.
    """
    chunks: dict[int, dict[str, Any]] = {}
    contributions: dict[int, dict[str, float]] = {}
    for channel, rows in chunk_matches.items():
        best = max((row["score"] for row in rows), default=0.0)
        for row in rows:
            chunks.setdefault(row["_rowid"], row)
            share = weights[channel] * _normalised(channel, row["score"], best)
            contributions.setdefault(row["_rowid"], {})[channel] = share
    by_source: dict[str, list[tuple[float, int, dict[str, Any]]]] = {}
    for row_id, shares in contributions.items():
        chunk = chunks[row_id]
        channel = max(shares, key=lambda name: shares[name])
        entry = evidence_entry(chunk, EVIDENCE_CHANNEL_NAMES[channel], sum(shares.values()))
        by_source.setdefault(chunk["content_hash"], []).append((entry["score"], row_id, entry))
    return {
        content_hash: [entry for _score, _row_id, entry in sorted(entries, key=lambda e: (-e[0], e[1]))][:MAX_EVIDENCE]
        for content_hash, entries in by_source.items()
    }
