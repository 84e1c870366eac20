"""The LanceDB multi-vector hybrid index: one row per source, three vector channels plus BM25.

Each source (content hash) is one row holding a visual, a caption and an OCR vector, the redacted
text for full-text search, and the governance columns every search filters on (tenant, consent,
usage rights). A search runs one prefiltered query per channel and fuses the ranked lists (RRF or
weighted scores), keeping each channel's raw score and rank on every hit so a result can be
explained. The module is model-agnostic: callers hand it vectors, never models.

Beside it lives a second table of chunk rows (`<table>_chunks`, schema in `chunk_schema`): the
passages a result can point at (page blocks with a box, whole images, transcript windows and
keyframes with a time span). Chunk rows carry the same governance columns and are searched with
the same prefilter; a source's best chunks vote in its fused score and come back as its
`evidence`. The contract for writers of chunk rows is in `chunk_schema` and `chunk_rows_to_table`.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import math
import re
import threading
import weakref
from collections.abc import Coroutine, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import lancedb
import numpy as np
import pyarrow as pa
from lancedb.index import FTS, Bitmap, BTree, HnswSq
from lancedb.query import AsyncVectorQuery, MatchQuery
from lancedb.table import AsyncTable

CHANNELS = ("visual", "caption", "ocr")
VECTOR_COLUMNS = tuple(f"{channel}_vector" for channel in CHANNELS)
FTS_CHANNEL = "fts"
# Chunk rows (passages with a page box or a time span) are searched as channels of their own.
CHUNK_TEXT_CHANNEL = "chunk_text"  # text_vector against the query text
CHUNK_VISUAL_CHANNEL = "chunk_visual"  # image_vector against the query's visual vector
CHUNK_FTS_CHANNEL = "chunk_fts"  # BM25 on the chunk's redacted text
CHUNK_CHANNELS = (CHUNK_TEXT_CHANNEL, CHUNK_VISUAL_CHANNEL, CHUNK_FTS_CHANNEL)
CONSENT_VALUES = ("valid", "expired")
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
# Below this many rows a flat scan is exact and cheap (it costs about 3 ms of CPU per 1,000 rows
# per 3-channel search on 2 cores; bench/search.py); above it the ANN index pays for itself.
VECTOR_INDEX_MIN_ROWS = 2_000
# Each write adds a vector index segment and each segment adds ~2.5 ms of CPU to a search at 100k
# rows; past this many, refresh() rebuilds the index as one (minutes at 100k rows on 2 cores).
MAX_VECTOR_INDEX_SEGMENTS = 4
MAX_K = 1_000
MAX_CANDIDATES = 10_000
MAX_WHERE_CHARS = 2_000
MAX_IN_LIST = 1_000
MAX_WHERE_DEPTH = 32

# Bitmaps suit the low-cardinality governance columns; the unique key gets a B-tree.
SCALAR_INDEXES: Mapping[str, type[Bitmap] | type[BTree]] = {
    "content_hash": BTree,
    "tenant_id": Bitmap,
    "consent": Bitmap,
    "usage_rights": Bitmap,
    "region": Bitmap,
    "modality": Bitmap,
    "has_ocr": Bitmap,
}
# Columns a user `where` may reference, with the literal type each compares against.
FILTER_COLUMNS: Mapping[str, str] = {
    "region": "string",
    "modality": "string",
    "consent": "string",
    "usage_rights": "string",
    "content_hash": "string",
    "has_ocr": "bool",
}
_CONTENT_HASH = re.compile(r"[0-9a-f]{64}")
# A row that only exists while delete() runs; never a valid content hash, never searchable.
_COMPANION_HASH = "compaction-companion"
_RESULT_COLUMNS = ["content_hash", "tenant_id", "caption", "modality", "provenance"]
_EVIDENCE_COLUMNS = ["content_hash", "page", "bbox", "t_start", "t_end", "text"]
T = TypeVar("T")


def pylance_available() -> bool:
    """Whether pylance (Lance's own Python API) is installed; delete() is much faster with it."""
    return importlib.util.find_spec("lance") is not None


class QueryRefused(ValueError):
    """A search request was refused before it reached the index; the message says what to fix."""


class IndexRowError(ValueError):
    """A row handed to `upsert` does not fit the schema; the message names the row and field."""


class IndexSchemaError(RuntimeError):
    """The table at the given location has a different schema (often another vector dimension)."""


class IndexMaintenanceError(RuntimeError):
    """Index maintenance could not finish what it promises (e.g. deleted bytes still on disk)."""


def vector_column(channel: str) -> str:
    return f"{channel}_vector"


def governance_fields() -> list[pa.Field]:
    """The source's identity and the prefilter columns, alike on source rows and chunk rows."""
    return [
        pa.field(name, pa.string(), nullable=False)
        for name in ("content_hash", "tenant_id", "region", "consent", "usage_rights", "modality")
    ]


def _vector_type(dim: int) -> pa.DataType:
    if dim <= 0:
        raise ValueError(f"vector dimension must be positive, got {dim}")
    return pa.list_(pa.float32(), dim)


def index_schema(dim: int) -> pa.Schema:
    """The one place the index table's schema lives."""
    vector_type = _vector_type(dim)
    return pa.schema(
        [
            *governance_fields(),
            *(pa.field(vector_column(channel), vector_type, nullable=False) for channel in CHANNELS),
            pa.field("has_ocr", pa.bool_(), nullable=False),
            pa.field("text", pa.string(), nullable=False),
            pa.field("caption", pa.string(), nullable=False),
            pa.field("provenance", pa.string(), nullable=False),
            pa.field("updated_at", pa.timestamp("us", tz="UTC"), nullable=False),
        ]
    )


# ---------------------------------------------------------------------------------------------
# Chunk rows: the contract for every writer of evidence (documents, images, audio, video)
# ---------------------------------------------------------------------------------------------

CHUNK_KINDS = ("page_block", "image", "transcript_window", "keyframe")
# Chunk kinds located on a page image (page + bbox required) and on a time line (t_start/t_end).
PAGE_CHUNK_KINDS = ("page_block", "image")
TIME_CHUNK_KINDS = ("transcript_window", "keyframe")
# What an evidence entry calls the channel that found it.
EVIDENCE_CHANNEL_NAMES: Mapping[str, str] = {
    CHUNK_TEXT_CHANNEL: "text",
    CHUNK_VISUAL_CHANNEL: "visual",
    CHUNK_FTS_CHANNEL: "fts",
}
MAX_EVIDENCE = 3  # evidence entries per result, best first
CHUNK_SCALAR_INDEXES: Mapping[str, type[Bitmap] | type[BTree]] = {
    "chunk_id": BTree,
    "content_hash": BTree,
    "tenant_id": Bitmap,
    "consent": Bitmap,
    "usage_rights": Bitmap,
    "region": Bitmap,
    "modality": Bitmap,
    "has_ocr": Bitmap,
    "chunk_kind": Bitmap,
    "has_text": Bitmap,
    "has_image": Bitmap,
}


def chunk_schema(dim: int) -> pa.Schema:
    """The one place the chunk table's schema lives.

    A chunk row is a passage of one source that search can point at:

    - `chunk_id`: unique; `chunk_id_for(content_hash, chunk_kind, ordinal)` makes a stable one.
    - `content_hash`: the source it belongs to; `VectorIndex.delete_chunks` removes a source's
      chunks (and `VectorIndex.delete`, used by `mm forget`, removes them with the source row).
    - `tenant_id`, `region`, `consent`, `usage_rights`, `modality`, `has_ocr`: copied from the
      source row; every chunk query is prefiltered on them exactly like source rows.
    - `chunk_kind`: "page_block" | "image" (page + bbox required) or "transcript_window" |
      "keyframe" (t_start + t_end required; a keyframe may also carry page + bbox).
    - `page`: 1-based page number (null for time chunks); `bbox`: [x0, y0, x1, y1] in pixels of
      the page image rendered at MM_RENDER_DPI (null when not on a page).
    - `t_start`, `t_end`: seconds from the start of the media (null for page chunks).
    - `text`: the REDACTED text of the chunk (from the pii artifact or a redacted transcript),
      never the raw text; empty for a chunk with only a picture.
    - `text_vector`: the text embedding of `text`, the same model and dimension as the source
      rows' caption/OCR channels; `has_text` false (and a zero vector) when `text` is empty.
    - `image_vector`: the visual embedding of the region (whole image, keyframe), in the same
      space as the source rows' visual channel; `has_image` false (and a zero vector) when the
      chunk has none. Zero vectors rather than nulls, as for source rows without OCR text: the
      flag columns keep them out of every query, and LanceDB's ANN indexes train on the rest.
    - `versions`: JSON {kind: {"artifact_id", "pipeline_version", "model_id"}} of every
      artifact the chunk was made from, so a model upgrade can tell stale chunks.
    """
    vector_type = _vector_type(dim)
    return pa.schema(
        [
            pa.field("chunk_id", pa.string(), nullable=False),
            *governance_fields(),
            pa.field("has_ocr", pa.bool_(), nullable=False),
            pa.field("chunk_kind", pa.string(), nullable=False),
            pa.field("page", pa.int32(), nullable=True),
            pa.field("bbox", pa.list_(pa.float32(), 4), nullable=True),
            pa.field("t_start", pa.float64(), nullable=True),
            pa.field("t_end", pa.float64(), nullable=True),
            pa.field("text", pa.string(), nullable=False),
            pa.field("has_text", pa.bool_(), nullable=False),
            pa.field("text_vector", vector_type, nullable=False),
            pa.field("has_image", pa.bool_(), nullable=False),
            pa.field("image_vector", vector_type, nullable=False),
            pa.field("versions", pa.string(), nullable=False),
            pa.field("updated_at", pa.timestamp("us", tz="UTC"), nullable=False),
        ]
    )


def chunk_id_for(content_hash: str, chunk_kind: str, ordinal: int) -> str:
    """A stable chunk id: the same source, kind and position always give the same id."""
    return f"{content_hash}:{chunk_kind}:{ordinal:06d}"


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
    entry["text"] = chunk["text"]
    entry["channel"] = channel
    entry["score"] = round(float(score), 6)
    return entry


@dataclass(frozen=True)
class _TableSpec:
    """What refresh() maintains on a table: its scalar indexes and its vector columns."""

    scalar_indexes: Mapping[str, type[Bitmap] | type[BTree]]
    vector_flags: Mapping[str, str | None]  # vector column -> bool column saying it is real (None: always)


_SOURCE_TABLE = _TableSpec(SCALAR_INDEXES, {"visual_vector": None, "caption_vector": None, "ocr_vector": "has_ocr"})
_CHUNK_TABLE = _TableSpec(CHUNK_SCALAR_INDEXES, {"text_vector": "has_text", "image_vector": "has_image"})


def _sources_predicate(content_hashes: Sequence[str]) -> str | None:
    """`content_hash IN (...)` for validated content hashes; None for an empty list."""
    for content_hash in content_hashes:
        if not isinstance(content_hash, str) or not _CONTENT_HASH.fullmatch(content_hash):
            raise ValueError(f"not a content hash (64 lowercase hex): {content_hash!r}")
    if not content_hashes:
        return None
    keys = ", ".join(sql_string(content_hash) for content_hash in sorted(set(content_hashes)))
    return f"content_hash IN ({keys})"


@dataclass(frozen=True)
class AnnSettings:
    """How vector indexes are built (IVF_HNSW_SQ, cosine) and how deep a query searches them.

    `refine_factor`: the index ranks by 8-bit scalar-quantized vectors; a query fetches
    refine_factor x its candidates from it and re-ranks them by the stored float vectors. Without
    it, quantization error reorders near-tied candidates and the fused top 10 drifts from exact
    search: Recall@10 0.84 (worst query 0.30-0.50) on bench/search.py at 100k rows whatever `ef`
    (100, 300, 1000 all gave 0.840); with 2, 1.000 for about 30% more CPU per search. With 1 (the
    same candidates, re-ranked by the float vectors) the fused top 10 was the same as with 2 for
    all 200 bench queries, at ~12% less CPU per search than 2 (2026-12-01, side by side); with
    chunk rows the top 10 overlapped .994 (worst query .90).
    """

    num_partitions: int = 1
    m: int = 12
    ef_construction: int = 100
    ef: int = 100
    nprobes: int = 1
    refine_factor: int | None = 1


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
class _Fused:
    key: str  # content hash
    channels: dict[str, dict[str, float | int]] = field(default_factory=dict)
    score: float = 0.0


# ---------------------------------------------------------------------------------------------
# The user filter: a small tokenizer and recursive-descent parser that re-emits canonical SQL.
# ---------------------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<string>'(?:[^']|'')*')
  | (?P<number>-?\d+(?:\.\d+)?(?![A-Za-z_]))
  | (?P<ident>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op><=|>=|!=|<>|=|<|>)
  | (?P<lparen>\()
  | (?P<rparen>\))
  | (?P<comma>,)
    """,
    re.VERBOSE,
)
_KEYWORDS = {"AND", "OR", "NOT", "IN", "IS", "NULL", "TRUE", "FALSE"}
_SUBQUERY_WORDS = {"SELECT", "FROM", "UNION", "WITH", "EXISTS"}


@dataclass(frozen=True)
class _Token:
    kind: str  # string | number | ident | keyword | op | lparen | rparen | comma | end
    text: str
    position: int


def _tokenize(where: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    while position < len(where):
        if where.startswith("--", position) or where.startswith("/*", position):
            raise QueryRefused(f"SQL comments are not allowed in where (position {position})")
        char = where[position]
        if char == ";":
            raise QueryRefused("';' is not allowed in where: give one filter expression")
        if char == "'":
            match = _TOKEN.match(where, position)
            if match is None or match.lastgroup != "string":
                raise QueryRefused(f"a string literal in where is not closed (position {position})")
        if char in '"`[':
            raise QueryRefused(
                f"quoted identifiers are not allowed in where (position {position}); "
                f"use plain column names and 'single-quoted' strings"
            )
        match = _TOKEN.match(where, position)
        if match is None:
            raise QueryRefused(f"unexpected character {char!r} in where at position {position}")
        kind = match.lastgroup or ""
        text = match.group()
        if kind == "ident" and text.upper() in _KEYWORDS:
            kind, text = "keyword", text.upper()
        if kind != "space":
            tokens.append(_Token(kind, text, position))
        position = match.end()
    tokens.append(_Token("end", "", len(where)))
    return tokens


class _WhereParser:
    """expr := and (OR and)*; and := not (AND not)*; not := NOT not | '(' expr ')' | predicate."""

    def __init__(self, tokens: list[_Token]) -> None:
        self._tokens = tokens
        self._index = 0
        self._depth = 0

    def parse(self) -> str:
        sql = self._or()
        token = self._peek()
        if token.kind != "end":
            raise QueryRefused(f"unexpected {token.text!r} in where at position {token.position}")
        return sql

    def _peek(self) -> _Token:
        return self._tokens[self._index]

    def _next(self) -> _Token:
        token = self._tokens[self._index]
        self._index += 1
        return token

    def _accept_keyword(self, word: str) -> bool:
        token = self._peek()
        if token.kind == "keyword" and token.text == word:
            self._index += 1
            return True
        return False

    def _expect(self, kind: str, what: str) -> _Token:
        token = self._next()
        if token.kind != kind:
            found = token.text or "the end of the filter"
            raise QueryRefused(f"expected {what} in where at position {token.position}, got {found!r}")
        return token

    def _or(self) -> str:
        parts = [self._and()]
        while self._accept_keyword("OR"):
            parts.append(self._and())
        return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"

    def _and(self) -> str:
        parts = [self._not()]
        while self._accept_keyword("AND"):
            parts.append(self._not())
        return parts[0] if len(parts) == 1 else "(" + " AND ".join(parts) + ")"

    def _not(self) -> str:
        self._depth += 1
        if self._depth > MAX_WHERE_DEPTH:
            raise QueryRefused(f"where nests deeper than {MAX_WHERE_DEPTH} levels; simplify it")
        try:
            if self._accept_keyword("NOT"):
                return f"(NOT {self._not()})"
            if self._peek().kind == "lparen":
                self._next()
                inner = self._or()
                self._expect("rparen", "')'")
                return inner
            return self._predicate()
        finally:
            self._depth -= 1

    def _predicate(self) -> str:
        token = self._next()
        if token.kind == "ident" and token.text.upper() in _SUBQUERY_WORDS:
            raise QueryRefused("subqueries are not allowed in where")
        if token.kind != "ident":
            found = token.text or "the end of the filter"
            raise QueryRefused(
                f"a condition in where must start with a column name, got {found!r} at position {token.position}"
            )
        if self._peek().kind == "lparen":
            raise QueryRefused(f"function calls are not allowed in where: {token.text}(...)")
        column = _filter_column(token.text)
        if self._accept_keyword("IS"):
            negated = self._accept_keyword("NOT")
            if not self._accept_keyword("NULL"):
                raise QueryRefused(f"expected NULL after IS in where (column {column})")
            return f"({column} IS {'NOT ' if negated else ''}NULL)"
        negated = self._accept_keyword("NOT")
        if self._accept_keyword("IN"):
            return self._in_list(column, negated)
        if negated:
            raise QueryRefused(f"expected IN after NOT in where (column {column})")
        operator = self._expect("op", f"a comparison operator after {column}").text
        operator = "!=" if operator == "<>" else operator
        return f"({column} {operator} {self._literal(column)})"

    def _in_list(self, column: str, negated: bool) -> str:
        self._expect("lparen", f"'(' after IN (column {column})")
        values = [self._literal(column)]
        while self._peek().kind == "comma":
            self._next()
            values.append(self._literal(column))
            if len(values) > MAX_IN_LIST:
                raise QueryRefused(f"an IN list in where may hold at most {MAX_IN_LIST} values")
        self._expect("rparen", f"')' closing the IN list of {column}")
        return f"({column} {'NOT IN' if negated else 'IN'} ({', '.join(values)}))"

    def _literal(self, column: str) -> str:
        token = self._next()
        expected = FILTER_COLUMNS[column]
        if token.kind == "ident" and token.text.upper() in _SUBQUERY_WORDS:
            raise QueryRefused("subqueries are not allowed in where")
        if token.kind == "string" and expected == "string":
            return sql_string(token.text[1:-1].replace("''", "'"))
        if token.kind == "keyword" and token.text in {"TRUE", "FALSE"} and expected == "bool":
            return token.text
        found = token.text or "the end of the filter"
        wanted = {"string": "a 'quoted string'", "bool": "TRUE or FALSE"}
        raise QueryRefused(f"{column} compares with {wanted[expected]} in where, got {found!r}")


def _filter_column(name: str) -> str:
    column = name.lower()
    if column == "tenant_id":
        raise QueryRefused("tenant_id cannot be used in where: the tenant comes from the tenant argument")
    if column not in FILTER_COLUMNS:
        allowed = ", ".join(sorted(FILTER_COLUMNS))
        raise QueryRefused(f"unknown column {name!r} in where; filterable columns: {allowed}")
    return column


def validate_where(where: str) -> str:
    """Check a user filter and return it as canonical SQL; raises QueryRefused naming the problem.

    Allowed: the columns in FILTER_COLUMNS, comparisons (= != <> < <= > >=), [NOT] IN lists,
    IS [NOT] NULL, AND/OR/NOT and parentheses, with string or TRUE/FALSE literals.
    """
    if len(where) > MAX_WHERE_CHARS:
        raise QueryRefused(f"where is longer than {MAX_WHERE_CHARS} characters")
    if not where.strip():
        raise QueryRefused("where is blank; pass None for no filter")
    return _WhereParser(_tokenize(where)).parse()


def sql_string(value: str) -> str:
    """A SQL string literal with quotes doubled, for values this module puts into filters."""
    return "'" + value.replace("'", "''") + "'"


# ---------------------------------------------------------------------------------------------
# Rows
# ---------------------------------------------------------------------------------------------

_REQUIRED_FIELDS = (
    "content_hash",
    "tenant_id",
    "region",
    "consent",
    "usage_rights",
    "modality",
    "visual_vector",
    "caption_vector",
    "has_ocr",
    "text",
    "caption",
    "provenance",
)


def _row_vector(row: Mapping[str, Any], channel: str, dim: int, where: str) -> np.ndarray:
    column = vector_column(channel)
    value = row.get(column)
    if value is None and channel == "ocr" and not row["has_ocr"]:
        return np.zeros(dim, dtype=np.float32)  # no OCR text: stored, never searched (has_ocr)
    if value is None:
        raise IndexRowError(f"{where}: {column} is missing (only ocr_vector may be, if not has_ocr)")
    vector = np.asarray(value, dtype=np.float32)
    if vector.shape != (dim,):
        raise IndexRowError(f"{where}: {column} has shape {vector.shape}, the index holds ({dim},)")
    if not np.isfinite(vector).all():
        raise IndexRowError(f"{where}: {column} holds NaN or infinity")
    return vector


def _provenance_json(value: Any, where: str) -> str:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as exc:
            raise IndexRowError(f"{where}: provenance is not JSON ({exc})") from exc
    if not isinstance(value, dict):
        raise IndexRowError(f"{where}: provenance must be a JSON object {{channel: {{...}}}}")
    return json.dumps(value, sort_keys=True)


def _check_row(row: Mapping[str, Any], where: str) -> None:
    missing = [name for name in _REQUIRED_FIELDS if name not in row]
    if missing:
        raise IndexRowError(f"{where}: missing fields {missing}")
    if not isinstance(row["content_hash"], str) or not _CONTENT_HASH.fullmatch(row["content_hash"]):
        raise IndexRowError(f"{where}: content_hash must be 64 lowercase hex characters (sha256)")
    for name in ("tenant_id", "region", "usage_rights", "modality"):
        if not isinstance(row[name], str) or not row[name]:
            raise IndexRowError(f"{where}: {name} must be a non-empty string")
    if row["consent"] not in CONSENT_VALUES:
        raise IndexRowError(f"{where}: consent must be one of {CONSENT_VALUES}, got {row['consent']!r}")
    for name in ("text", "caption"):
        if not isinstance(row[name], str):
            raise IndexRowError(f"{where}: {name} must be a string (redacted text only)")


def rows_to_table(rows: Sequence[Mapping[str, Any]], dim: int) -> pa.Table:
    """Validate rows and build the arrow table; the last row wins when a content_hash repeats."""
    latest: dict[str, Mapping[str, Any]] = {}
    for position, row in enumerate(rows):
        where = f"row {position} ({row.get('content_hash', '?')})"
        _check_row(row, where)
        latest[row["content_hash"]] = row
    unique = list(latest.values())
    now = datetime.now(UTC)
    columns: dict[str, Any] = {
        name: [row[name] for row in unique]
        for name in ("content_hash", "tenant_id", "region", "consent", "usage_rights", "modality")
    }
    for channel in CHANNELS:
        vectors = [_row_vector(row, channel, dim, f"row {row['content_hash']}") for row in unique]
        flat = np.concatenate(vectors) if vectors else np.zeros(0, dtype=np.float32)
        columns[vector_column(channel)] = pa.FixedSizeListArray.from_arrays(pa.array(flat), dim)
    columns["has_ocr"] = [bool(row["has_ocr"]) for row in unique]
    columns["text"] = [row["text"] for row in unique]
    columns["caption"] = [row["caption"] for row in unique]
    columns["provenance"] = [_provenance_json(row["provenance"], f"row {row['content_hash']}") for row in unique]
    columns["updated_at"] = [row.get("updated_at") or now for row in unique]
    return pa.table(columns, schema=index_schema(dim))


_CHUNK_REQUIRED_FIELDS = (
    "chunk_id",
    "content_hash",
    "tenant_id",
    "region",
    "consent",
    "usage_rights",
    "modality",
    "chunk_kind",
    "text",
    "versions",
)


def _finite_numbers(value: Any, count: int) -> list[float] | None:
    try:
        numbers = [float(v) for v in value]
    except (TypeError, ValueError):
        return None
    return numbers if len(numbers) == count and all(math.isfinite(v) for v in numbers) else None


def _check_chunk_place(row: Mapping[str, Any], where: str) -> None:
    """Page chunks need a page and a box; time chunks need a time span."""
    kind = row["chunk_kind"]
    page, bbox = row.get("page"), row.get("bbox")
    t_start, t_end = row.get("t_start"), row.get("t_end")
    if kind in PAGE_CHUNK_KINDS and (page is None or bbox is None):
        raise IndexRowError(f"{where}: a {kind} chunk needs page and bbox")
    if kind in TIME_CHUNK_KINDS and (t_start is None or t_end is None):
        raise IndexRowError(f"{where}: a {kind} chunk needs t_start and t_end (seconds)")
    if kind in PAGE_CHUNK_KINDS and (t_start is not None or t_end is not None):
        raise IndexRowError(f"{where}: a {kind} chunk has no time span; leave t_start/t_end out")
    if page is not None and (not isinstance(page, int) or isinstance(page, bool) or page < 1):
        raise IndexRowError(f"{where}: page must be an integer >= 1, got {page!r}")
    if bbox is not None:
        box = _finite_numbers(bbox, 4)
        if box is None or box[0] > box[2] or box[1] > box[3] or min(box) < 0:
            raise IndexRowError(f"{where}: bbox must be [x0, y0, x1, y1] pixels with x0 <= x1, y0 <= y1")
    if t_start is not None:
        span = _finite_numbers([t_start, t_end], 2)
        if span is None or span[0] < 0 or span[0] > span[1]:
            raise IndexRowError(f"{where}: t_start/t_end must be seconds with 0 <= t_start <= t_end")


def _check_chunk_row(row: Mapping[str, Any], where: str) -> None:
    missing = [name for name in _CHUNK_REQUIRED_FIELDS if name not in row]
    if missing:
        raise IndexRowError(f"{where}: missing fields {missing}")
    if not isinstance(row["content_hash"], str) or not _CONTENT_HASH.fullmatch(row["content_hash"]):
        raise IndexRowError(f"{where}: content_hash must be 64 lowercase hex characters (sha256)")
    for name in ("chunk_id", "tenant_id", "region", "usage_rights", "modality"):
        if not isinstance(row[name], str) or not row[name]:
            raise IndexRowError(f"{where}: {name} must be a non-empty string")
    if row["consent"] not in CONSENT_VALUES:
        raise IndexRowError(f"{where}: consent must be one of {CONSENT_VALUES}, got {row['consent']!r}")
    if row["chunk_kind"] not in CHUNK_KINDS:
        raise IndexRowError(f"{where}: chunk_kind must be one of {CHUNK_KINDS}, got {row['chunk_kind']!r}")
    if not isinstance(row["text"], str):
        raise IndexRowError(f"{where}: text must be a string (redacted text only)")
    _check_chunk_place(row, where)


def _chunk_vector(row: Mapping[str, Any], column: str, dim: int, where: str) -> np.ndarray | None:
    value = row.get(column)
    if value is None:
        return None
    vector = np.asarray(value, dtype=np.float32)
    if vector.shape != (dim,):
        raise IndexRowError(f"{where}: {column} has shape {vector.shape}, the index holds ({dim},)")
    if not np.isfinite(vector).all():
        raise IndexRowError(f"{where}: {column} holds NaN or infinity")
    return vector if np.any(vector) else None


def chunk_rows_to_table(rows: Sequence[Mapping[str, Any]], dim: int) -> pa.Table:
    """Validate chunk rows (see `chunk_schema`) and build the arrow table; the last row wins per chunk_id.

    A row gives `text_vector` when `text` is not empty and may give `image_vector`; `page`,
    `bbox`, `t_start`, `t_end`, `has_ocr` and `updated_at` are optional where the kind allows.
    """
    latest: dict[str, Mapping[str, Any]] = {}
    for position, row in enumerate(rows):
        where = f"chunk row {position} ({row.get('chunk_id', '?')})"
        _check_chunk_row(row, where)
        latest[row["chunk_id"]] = row
    unique = list(latest.values())
    zeros = np.zeros(dim, dtype=np.float32)
    columns: dict[str, list[Any]] = {name: [] for name in chunk_schema(dim).names}
    text_vectors, image_vectors = [], []
    now = datetime.now(UTC)
    for row in unique:
        where = f"chunk {row['chunk_id']}"
        text_vector = _chunk_vector(row, "text_vector", dim, where)
        if row["text"].strip() and text_vector is None:
            raise IndexRowError(f"{where}: text_vector is missing (required when text is not empty)")
        image_vector = _chunk_vector(row, "image_vector", dim, where)
        if text_vector is None and image_vector is None:
            raise IndexRowError(f"{where}: a chunk needs text (with text_vector) or an image_vector")
        for name in ("chunk_id", "content_hash", "tenant_id", "region", "consent", "usage_rights", "modality"):
            columns[name].append(row[name])
        columns["has_ocr"].append(bool(row.get("has_ocr", False)))
        columns["chunk_kind"].append(row["chunk_kind"])
        columns["page"].append(row.get("page"))
        columns["bbox"].append(None if row.get("bbox") is None else [float(v) for v in row["bbox"]])
        columns["t_start"].append(None if row.get("t_start") is None else float(row["t_start"]))
        columns["t_end"].append(None if row.get("t_end") is None else float(row["t_end"]))
        columns["text"].append(row["text"] if text_vector is not None else "")
        columns["has_text"].append(text_vector is not None)
        columns["has_image"].append(image_vector is not None)
        text_vectors.append(zeros if text_vector is None else text_vector)
        image_vectors.append(zeros if image_vector is None else image_vector)
        columns["versions"].append(_provenance_json(row["versions"], where))
        columns["updated_at"].append(row.get("updated_at") or now)
    for name, vectors in (("text_vector", text_vectors), ("image_vector", image_vectors)):
        flat = np.concatenate(vectors) if vectors else np.zeros(0, dtype=np.float32)
        columns[name] = pa.FixedSizeListArray.from_arrays(pa.array(flat, type=pa.float32()), dim)  # type: ignore[assignment]
    return pa.table(columns, schema=chunk_schema(dim))


# ---------------------------------------------------------------------------------------------
# The index
# ---------------------------------------------------------------------------------------------


class VectorIndex:
    """One LanceDB table of searchable sources, with its scalar, FTS and vector indexes.

    Every call is synchronous; underneath, LanceDB's async API runs on a private event loop, so a
    search sends its channel queries concurrently (about half the CPU of the sync query builders).
    """

    def __init__(
        self,
        uri: str,
        dim: int,
        table: str = "media",
        storage_options: dict | None = None,
        vector_index_min_rows: int = VECTOR_INDEX_MIN_ROWS,
        ann: AnnSettings | None = None,
        read_consistency_interval: timedelta | None = None,
    ) -> None:
        """Open (or create) `table` under `uri` (a folder, or s3://... with storage_options).

        `vector_index_min_rows`: rows a channel needs before refresh() builds its ANN index.
        `ann`: index build and query settings. `read_consistency_interval`: how often to look for
        writes made by other processes (None: only at open, plus this object's own writes).
        """
        self.dim = dim
        self.vector_index_min_rows = vector_index_min_rows
        self.ann = ann or AnnSettings()
        self._schema = index_schema(dim)
        self._chunk_schema = chunk_schema(dim)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="mm-vector-index", daemon=True)
        self._thread.start()
        # Stop the loop's thread when the index is dropped without close().
        self._finalizer = weakref.finalize(self, self._loop.call_soon_threadsafe, self._loop.stop)
        # Stable row ids: a chunk's _rowid names it across the channel queries of one search,
        # even if a compaction lands between its channel queries.
        options = {"new_table_enable_stable_row_ids": "true", **(storage_options or {})}
        opening = self._open_or_create(uri, table, self._schema, options, read_consistency_interval)
        self._table: AsyncTable = self._run(opening)
        self._check_schema(self._table, self._schema, self._run(self._table.schema()))
        chunks = self._open_or_create(uri, f"{table}_chunks", self._chunk_schema, options, read_consistency_interval)
        self._chunks: AsyncTable = self._run(chunks)
        self._check_schema(self._chunks, self._chunk_schema, self._run(self._chunks.schema()))

    def _run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result()

    async def _open_or_create(
        self, uri: str, name: str, schema: pa.Schema, options: dict, read_consistency_interval: timedelta | None
    ) -> AsyncTable:
        db = await lancedb.connect_async(
            uri, storage_options=options, read_consistency_interval=read_consistency_interval
        )
        try:
            return await db.open_table(name)
        except ValueError:  # not created yet (LanceDB says "was not found")
            return await db.create_table(name, schema=schema, exist_ok=True)

    @staticmethod
    def _check_schema(table: AsyncTable, schema: pa.Schema, found: pa.Schema) -> None:
        for expected in schema:
            actual = found.field(expected.name).type if expected.name in found.names else None
            if actual != expected.type:
                raise IndexSchemaError(
                    f"table {table.name!r} has {expected.name}: {actual}, expected "
                    f"{expected.type}; open it with the dimension it was built with, or index "
                    f"into a new table name"
                )

    def close(self) -> None:
        """Stop the background event loop; the index cannot be used afterwards."""
        self._finalizer()
        self._thread.join()

    # -- writes --------------------------------------------------------------------------------

    def upsert(self, rows: list[dict], refresh: bool = True) -> None:
        """Insert or update rows by content_hash, then refresh indexes (unless refresh=False)."""
        data = rows_to_table(rows, self.dim)
        if data.num_rows:
            merge = self._table.merge_insert("content_hash").when_matched_update_all().when_not_matched_insert_all()
            self._run(merge.execute(data))
        if refresh:
            self._run(self._refresh_table(self._table, _SOURCE_TABLE))

    def delete(self, content_hashes: list[str]) -> int:
        """Delete source rows and their chunk rows, and rewrite storage so their bytes and every
        older version are gone; returns the number of source rows deleted."""
        predicate = _sources_predicate(content_hashes)
        if predicate is None:
            return 0
        self.delete_chunks(content_hashes)
        deleted = self._run(self._table.count_rows(predicate))
        if deleted:
            self._run(self._table.delete(predicate))
            self.purge_deleted_rows()
        return deleted

    def rebuild_indexes_after_delete(self) -> None:
        """Rebuild the scalar and full-text indexes of both tables and drop the old index files: until
        then they still hold a deleted row's values (its content hash, its tokens and their counts)."""
        self._run(self._rebuild_scalar_and_text_indexes(self._table, _SOURCE_TABLE))
        self._run(self._rebuild_scalar_and_text_indexes(self._chunks, _CHUNK_TABLE))

    async def _rebuild_scalar_and_text_indexes(self, table: AsyncTable, spec: _TableSpec) -> None:
        rows = await table.count_rows()
        for index in await table.list_indices():
            column = index.columns[0]
            if column not in spec.scalar_indexes and column != "text":
                continue
            if rows == 0:  # nothing to index: an index over no rows cannot be built, only dropped
                await table.drop_index(index.name)
            else:
                config = self._index_config(column, spec)
                await table.create_index(column, config=config, name=index.name, replace=True)
        await table.optimize(cleanup_older_than=timedelta(milliseconds=1))

    def purge_deleted_rows(self) -> None:
        """Rewrite the fragments still holding deleted rows' bytes, then drop every old version."""
        self._run(self._purge_deleted_rows())

    # -- chunk rows ----------------------------------------------------------------------------

    def upsert_chunks(
        self, rows: list[dict], sources: Sequence[str] = (), refresh: bool = True, new_sources: bool = False
    ) -> None:
        """Replace the chunk rows of every source named in `rows` (and in `sources`) by `rows`.

        A source's chunks are written as a whole: chunks it had before and that are not in
        `rows` are removed in the same commit. Name a source in `sources` to clear its chunks
        when it now has none. Rows follow `chunk_schema` (validated by `chunk_rows_to_table`).
        `new_sources=True` promises that no source in `rows` has chunks yet (a bulk load): the
        rows are appended without the merge.
        """
        data = chunk_rows_to_table(rows, self.dim)
        if new_sources:
            if data.num_rows:
                self._run(self._chunks.add(data))
        else:
            predicate = _sources_predicate([*sources, *data["content_hash"].to_pylist()])
            if predicate is None:
                return
            merge = (
                self._chunks.merge_insert("chunk_id")
                .when_matched_update_all()
                .when_not_matched_insert_all()
                .when_not_matched_by_source_delete(predicate)
            )
            self._run(merge.execute(data))
        if refresh:
            self._run(self._refresh_table(self._chunks, _CHUNK_TABLE))

    def delete_chunks(self, content_hashes: list[str]) -> int:
        """Delete every chunk row of these sources and purge their bytes; returns rows deleted.

        For `mm forget` and re-indexing; `delete` calls it for the sources it removes.
        """
        predicate = _sources_predicate(content_hashes)
        if predicate is None:
            return 0
        deleted = self._run(self._chunks.count_rows(predicate))
        if deleted:
            self._run(self._chunks.delete(predicate))
            self._run(self._purge_table(self._chunks))
        return deleted

    def chunk_count(self, where: str | None = None) -> int:
        """Chunk rows in the table (matching a SQL `where` this module or a test wrote)."""
        return self._run(self._chunks.count_rows(where))

    def chunk_rows(self, content_hash: str) -> list[dict[str, Any]]:
        """A source's chunk rows without vectors, in chunk_id order (for checks and tests)."""
        predicate = _sources_predicate([content_hash])
        columns = [name for name in self._chunk_schema.names if not name.endswith("_vector")]
        found = self._run(self._chunks.query().where(predicate).select(columns).to_arrow()).to_pylist()
        return sorted(found, key=lambda row: row["chunk_id"])

    async def _purge_deleted_rows(self) -> None:
        if not pylance_available():
            await self._compact_with_companion()
        await self._purge_table(self._table)

    async def _purge_table(self, table: AsyncTable) -> None:
        if pylance_available():
            await self._rewrite_fragments_with_deletions(table)
        # A millisecond rather than 0: same effect, without LanceDB's concurrent-reader warning.
        await table.optimize(cleanup_older_than=timedelta(milliseconds=1))
        remaining = await self._deleted_rows_on_disk(table)
        if remaining > 1:  # the companion's own tombstone is the one allowed
            raise IndexMaintenanceError(
                f"{remaining} deleted rows of {table.name} are still in data files: they are gone "
                f"from search, but their bytes stay until their fragments are rewritten; install "
                f"pylance (pip install pylance==13.0.0) and run purge_deleted_rows()"
            )

    @staticmethod
    async def _rewrite_fragments_with_deletions(table: AsyncTable) -> None:
        # LanceDB's optimize() leaves fragments with under 10% deleted rows as they are; Lance's
        # own compaction takes the threshold. Rewrites only those fragments; indexes stay valid.
        dataset = await table.to_lance()
        await asyncio.to_thread(dataset.optimize.compact_files, materialize_deletions_threshold=0.0)
        await table.checkout_latest()

    async def _compact_with_companion(self) -> None:
        # Without pylance: compaction rewrites a fragment with few deletions only when it merges
        # it with a neighbour covered by the same index segments, so add a one-row companion,
        # index it, merge the vector index segments (a rebuild: slow on big tables), compact.
        await self._table.add(self._companion_row())
        await self._table.optimize()
        await self._merge_vector_index_segments(self._table, _SOURCE_TABLE, max_segments=1)
        await self._table.optimize()
        await self._table.delete(f"content_hash = {sql_string(_COMPANION_HASH)}")

    def _companion_row(self) -> pa.Table:
        zeros = np.zeros(self.dim, dtype=np.float32)
        row: dict[str, Any] = {
            "content_hash": _COMPANION_HASH,
            "tenant_id": "",
            "region": "",
            "consent": "expired",
            "usage_rights": "",
            "modality": "",
            "has_ocr": False,
            "text": "",
            "caption": "",
            "provenance": "{}",
            "updated_at": datetime.now(UTC),
        }
        row.update({vector_column(channel): zeros for channel in CHANNELS})
        return pa.Table.from_pylist([row], schema=self._schema)

    @staticmethod
    async def _deleted_rows_on_disk(table: AsyncTable) -> int:
        versions = await table.list_versions()
        latest = max(versions, key=lambda version: version["version"])
        return int(latest["metadata"].get("total_deletion_file_rows", 0))

    def deleted_rows_on_disk(self) -> int:
        """Deleted rows whose bytes are still in data files (0, or 1 companion tombstone)."""
        return self._run(self._deleted_rows_on_disk(self._table))

    def versions(self) -> list[int]:
        """Table versions still on disk (old ones are removed by delete)."""
        return sorted(version["version"] for version in self._run(self._table.list_versions()))

    # -- indexes -------------------------------------------------------------------------------

    def expected_indexes(self) -> dict[str, str]:
        """Index name -> column for every index the table should have at its current size."""
        return self._run(self._expected_indexes(self._table, _SOURCE_TABLE))

    async def _expected_indexes(self, table: AsyncTable, spec: _TableSpec) -> dict[str, str]:
        expected = {f"{column}_idx": column for column in spec.scalar_indexes}
        expected["text_idx"] = "text"
        rows = await table.count_rows()
        for column, flag in spec.vector_flags.items():
            # Zero vectors (no OCR text, no picture) cannot train a cosine index; never searched.
            flagged = rows if flag is None else await table.count_rows(f"{flag} = true")
            if flagged >= self.vector_index_min_rows:
                expected[f"{column}_idx"] = column
        return expected

    def refresh(self) -> None:
        """Create missing indexes, then optimize so every row is covered by every index (both tables)."""
        self._run(self._refresh_table(self._table, _SOURCE_TABLE))
        self._run(self._refresh_table(self._chunks, _CHUNK_TABLE))

    async def _refresh_table(self, table: AsyncTable, spec: _TableSpec) -> None:
        if await table.count_rows() == 0:
            return
        existing = {index.name for index in await table.list_indices()}
        for name, column in (await self._expected_indexes(table, spec)).items():
            if name not in existing:
                await table.create_index(column, config=self._index_config(column, spec), name=name)
        await table.optimize()
        if await self._merge_vector_index_segments(table, spec, max_segments=MAX_VECTOR_INDEX_SEGMENTS):
            await table.optimize()  # one segment again: the fragments can now be compacted

    async def _merge_vector_index_segments(self, table: AsyncTable, spec: _TableSpec, max_segments: int) -> bool:
        """Rebuild vector indexes split into more than `max_segments` segments; True if any was.

        optimize() indexes new rows into a new segment per write and never compacts fragments
        covered by different segments, so without this, writes pile up fragments and segments.
        """
        rebuilt = False
        for index in await table.list_indices():
            column = index.columns[0]
            if column in spec.vector_flags and (index.num_segments or 1) > max_segments:
                config = self._index_config(column, spec)
                await table.create_index(column, config=config, name=index.name, replace=True)
                rebuilt = True
        return rebuilt

    def _index_config(self, column: str, spec: _TableSpec) -> FTS | Bitmap | BTree | HnswSq:
        if column in spec.scalar_indexes:
            return spec.scalar_indexes[column]()
        if column == "text":
            return FTS()
        return HnswSq(
            distance_type="cosine",
            num_partitions=self.ann.num_partitions,
            m=self.ann.m,
            ef_construction=self.ann.ef_construction,
        )

    def unindexed_rows(self) -> dict[str, int]:
        """Index name -> rows it does not cover; a missing expected index covers none."""
        return self._run(self._unindexed_rows(self._table, _SOURCE_TABLE))

    def chunk_unindexed_rows(self) -> dict[str, int]:
        """The same for the chunk table."""
        return self._run(self._unindexed_rows(self._chunks, _CHUNK_TABLE))

    async def _unindexed_rows(self, table: AsyncTable, spec: _TableSpec) -> dict[str, int]:
        rows = await table.count_rows()
        uncovered = {name: rows for name in await self._expected_indexes(table, spec)}
        for index in await table.list_indices():
            stats = index.num_unindexed_rows
            if stats is None:
                stats = (await table.index_stats(index.name)).num_unindexed_rows
            uncovered[index.name] = int(stats)
        return uncovered

    def index_segments(self) -> dict[str, int]:
        """Index name -> segments it is split into (vector indexes grow one per write)."""
        return {index.name: index.num_segments or 1 for index in self._run(self._table.list_indices())}

    def index_types(self, chunks: bool = False) -> dict[str, str]:
        """Index name -> LanceDB index type, for the indexes that exist now (of the chunk table if asked)."""
        table = self._chunks if chunks else self._table
        return {index.name: index.index_type for index in self._run(table.list_indices())}

    def count(self) -> int:
        return self._run(self._table.count_rows())

    # -- search --------------------------------------------------------------------------------

    def search(self, request: SearchRequest) -> list[SearchHit]:
        """Prefiltered per-channel queries (source rows and chunk rows), fused by RRF or weighted
        scores; top `k` sources, each with its best chunks as evidence."""
        weights = _check_request(request, self.dim)
        return self._run(self._search(request, weights, _governance_filter(request)))

    async def _search(self, request: SearchRequest, weights: dict[str, float], governance: str) -> list[SearchHit]:
        # Every channel, source or chunk, ranks content hashes, so all queries run at once and
        # fuse without a lookup. Source channels bring the display columns of their rows along,
        # so only winners found by chunks alone need one more (governed) fetch.
        queries: dict[str, Coroutine[Any, Any, list[dict[str, Any]]]] = {
            channel: self._vector_channel(channel, request.vectors[channel], governance, request)
            for channel in request.vectors
        }
        if request.fts_text is not None:
            queries[FTS_CHANNEL] = self._fts_channel(request.fts_text, governance, request.candidates)
        if request.chunks:
            queries.update(self._chunk_queries(request, governance, weights))
        found = dict(zip(queries, await asyncio.gather(*queries.values()), strict=True))
        ranked = {channel: _best_per_source(rows) for channel, rows in found.items()}
        best = _fuse(ranked, weights, request.fusion)[: request.k]
        shown = {
            row["content_hash"]: row for channel, rows in found.items() if channel not in CHUNK_CHANNELS for row in rows
        }
        chunk_matches = {channel: rows for channel, rows in found.items() if channel in CHUNK_CHANNELS}
        evidence = _evidence_by_source(chunk_matches, weights)
        return await self._hits(best, shown, evidence, governance, request.chunks)

    async def _vector_channel(
        self, channel: str, vector: np.ndarray, governance: str, request: SearchRequest
    ) -> list[dict[str, Any]]:
        # The zero OCR vector of a row without OCR text would only add noise.
        prefilter = f"{governance} AND has_ocr = true" if channel == "ocr" else governance
        query = (
            self._table.query()
            .nearest_to(np.asarray(vector, dtype=np.float32))
            .column(vector_column(channel))
            .distance_type("cosine")
            .where(prefilter)
            .select([*_RESULT_COLUMNS, "_distance"])
            .limit(request.candidates)
        )
        rows = (await self._ann_query(query, request).to_arrow()).to_pylist()
        return [{**row, "score": 1.0 - row.pop("_distance")} for row in rows]

    def _ann_query(self, query: AsyncVectorQuery, request: SearchRequest) -> AsyncVectorQuery:
        """How deep a vector query searches: flat for `exact`, else the index with `ann`'s settings."""
        if request.exact:
            return query.bypass_vector_index()
        # HNSW refuses an ef below the rows it is asked for, and a refine asks for refine_factor x more.
        fetched = request.candidates * (self.ann.refine_factor or 1)
        query = query.nprobes(self.ann.nprobes).ef(max(self.ann.ef, fetched))
        return query.refine_factor(self.ann.refine_factor) if self.ann.refine_factor else query

    async def _fts_channel(self, text: str, governance: str, candidates: int) -> list[dict[str, Any]]:
        found = await (
            self._table.query()
            .nearest_to_text(MatchQuery(text, "text"))
            .where(governance)
            .select([*_RESULT_COLUMNS, "_score"])
            .limit(candidates)
            .to_arrow()
        )
        return [{**row, "score": row.pop("_score")} for row in found.to_pylist()]

    def _chunk_queries(
        self, request: SearchRequest, governance: str, weights: Mapping[str, float]
    ) -> dict[str, Coroutine[Any, Any, list[dict[str, Any]]]]:
        """One query per chunk channel the request can feed and whose weight is not zero."""
        queries: dict[str, Coroutine[Any, Any, list[dict[str, Any]]]] = {}
        text_vector = request.vectors.get("ocr", request.vectors.get("caption"))
        if text_vector is not None and weights[CHUNK_TEXT_CHANNEL] > 0:
            queries[CHUNK_TEXT_CHANNEL] = self._chunk_vector_channel("text", text_vector, governance, request)
        if "visual" in request.vectors and weights[CHUNK_VISUAL_CHANNEL] > 0:
            queries[CHUNK_VISUAL_CHANNEL] = self._chunk_vector_channel(
                "image", request.vectors["visual"], governance, request
            )
        if request.fts_text is not None and weights[CHUNK_FTS_CHANNEL] > 0:
            queries[CHUNK_FTS_CHANNEL] = self._chunk_fts_channel(request.fts_text, governance, request.candidates)
        return queries

    async def _chunk_vector_channel(
        self, what: str, vector: np.ndarray, governance: str, request: SearchRequest
    ) -> list[dict[str, Any]]:
        query = (
            self._chunks.query()
            .nearest_to(np.asarray(vector, dtype=np.float32))
            .column(f"{what}_vector")
            .distance_type("cosine")
            .where(f"{governance} AND has_{what} = true")
            .select([*_EVIDENCE_COLUMNS, "_distance"])
            .with_row_id()
            .limit(request.candidates)
        )
        rows = (await self._ann_query(query, request).to_arrow()).to_pylist()
        return [{**row, "score": 1.0 - row.pop("_distance")} for row in rows]

    async def _chunk_fts_channel(self, text: str, governance: str, candidates: int) -> list[dict[str, Any]]:
        found = await (
            self._chunks.query()
            .nearest_to_text(MatchQuery(text, "text"))
            .where(governance)
            .select([*_EVIDENCE_COLUMNS, "_score"])
            .with_row_id()
            .limit(candidates)
            .to_arrow()
        )
        return [{**row, "score": row.pop("_score")} for row in found.to_pylist()]

    async def _hits(
        self,
        best: list[_Fused],
        shown: Mapping[str, Mapping[str, Any]],
        evidence: dict[str, list[dict[str, Any]]],
        governance: str,
        chunks: bool,
    ) -> list[SearchHit]:
        """The fused top sources with their display columns, and the whole-image chunk of every
        winner without other evidence. A winner no source channel returned (found by its chunks
        alone) is fetched under the governance filter again, so a chunk never brings back a
        source its own row would not."""
        if not best:
            return []
        fetches = []
        unseen = [entry.key for entry in best if entry.key not in shown]
        if unseen:
            where = f"{governance} AND {_sources_predicate(unseen)}"
            fetches.append(self._table.query().where(where).select(_RESULT_COLUMNS).limit(len(unseen)).to_arrow())
        bare = [entry.key for entry in best if entry.key not in evidence]
        if chunks and bare:
            where = f"{governance} AND chunk_kind = 'image' AND {_sources_predicate(bare)}"
            fetches.append(self._chunks.query().where(where).select(_EVIDENCE_COLUMNS).limit(len(bare)).to_arrow())
        fetched = [table.to_pylist() for table in await asyncio.gather(*fetches)]
        rows = dict(shown)
        if unseen:
            rows.update({row["content_hash"]: row for row in fetched.pop(0)})
        if chunks and bare:
            _add_image_evidence(evidence, fetched.pop(0), {e.key: e for e in best})
        return [
            SearchHit(
                content_hash=row["content_hash"],
                tenant_id=row["tenant_id"],
                score=entry.score,
                channels=entry.channels,
                provenance=json.loads(row["provenance"]),
                caption=row["caption"],
                modality=row["modality"],
                evidence=evidence.get(row["content_hash"], []),
            )
            for entry in best
            if (row := rows.get(entry.key)) is not None  # deleted since, or not governed
        ]


def _check_request(request: SearchRequest, dim: int) -> dict[str, float]:
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


def _governance_filter(request: SearchRequest) -> str:
    """Tenant (unless global), consent and rights always; the validated user filter on top."""
    clauses = [] if request.global_scope else [f"tenant_id = {sql_string(request.tenant or '')}"]
    clauses.append("consent = 'valid' AND usage_rights = 'approved'")
    if request.where is not None:
        clauses.append(validate_where(request.where))
    return " AND ".join(clauses)


def _normalised(channel: str, raw: float, best: float) -> float:
    # Cosine similarity is already on a 0..1 scale where it matters; BM25 is not, so divide by best.
    if channel in (FTS_CHANNEL, CHUNK_FTS_CHANNEL):
        return raw / best if best > 0 else 0.0
    return min(max(raw, 0.0), 1.0)


def _best_per_source(rows: Sequence[Mapping[str, Any]]) -> list[tuple[str, float]]:
    """A channel's rows as (content hash, score), best first, one per source (its best row)."""
    best: dict[str, float] = {}
    for row in rows:
        if row["score"] > best.get(row["content_hash"], float("-inf")):
            best[row["content_hash"]] = row["score"]
    return sorted(best.items(), key=lambda item: (-item[1], item[0]))


def _fuse(ranked: Mapping[str, Sequence[tuple[str, float]]], weights: Mapping[str, float], fusion: str) -> list[_Fused]:
    """Each candidate source with its fused score and every channel's score and rank, best first."""
    fused: dict[str, _Fused] = {}
    for channel, rows in ranked.items():
        best = max((raw for _, raw in rows), default=0.0)
        for rank, (key, raw) in enumerate(rows, start=1):
            entry = fused.setdefault(key, _Fused(key=key))
            entry.channels[channel] = {"score": raw, "rank": rank}
            if fusion == "rrf":
                if raw >= RRF_MIN_SIMILARITY.get(channel, float("-inf")):
                    entry.score += weights[channel] / (RRF_K + rank)
            elif raw >= WEIGHTED_MIN_SIMILARITY.get(channel, float("-inf")):
                entry.score += weights[channel] * _normalised(channel, raw, best)
    return sorted(fused.values(), key=lambda entry: (-entry.score, entry.key))


def _add_image_evidence(
    evidence: dict[str, list[dict[str, Any]]], image_chunks: list[dict[str, Any]], fused: Mapping[str, _Fused]
) -> None:
    """A winning image with no matching passage points at the whole image, scored by its visual match."""
    for chunk in image_chunks:
        visual = fused[chunk["content_hash"]].channels.get("visual", {})
        evidence[chunk["content_hash"]] = [evidence_entry(chunk, "visual", float(visual.get("score", 0.0)))]


def _evidence_by_source(
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
