"""The LanceDB multi-vector hybrid index: one row per source, three vector channels plus BM25.

Each source (content hash) is one row holding a visual, a caption and an OCR vector, the redacted
text for full-text search, and the governance columns every search filters on (tenant, consent,
usage rights). A search runs one prefiltered query per channel and fuses the ranked lists (RRF or
weighted scores), keeping each channel's raw score and rank on every hit so a result can be
explained. The module is model-agnostic: callers hand it vectors, never models.
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
from lancedb.query import MatchQuery
from lancedb.table import AsyncTable

CHANNELS = ("visual", "caption", "ocr")
VECTOR_COLUMNS = tuple(f"{channel}_vector" for channel in CHANNELS)
FTS_CHANNEL = "fts"
CONSENT_VALUES = ("valid", "expired")
RRF_K = 60
# BM25 at half weight: weighted fusion divides by the query's best BM25 score, so a match on a
# filler word would otherwise count as much as a strong vector match (mm eval, mixed set).
DEFAULT_WEIGHTS: Mapping[str, float] = {"visual": 1.0, "caption": 1.0, "ocr": 1.0, FTS_CHANNEL: 0.5}
# Reciprocal rank fusion gives every channel a full vote, even one with no signal for the query
# (a document quote has visual and caption similarities near 0 for every row): below these
# similarities a channel's rank does not vote. Measured with `mm eval mixed`: RRF mAP .33 -> .55.
RRF_MIN_SIMILARITY: Mapping[str, float] = {"visual": 0.2, "caption": 0.2, "ocr": 0.1}
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


def index_schema(dim: int) -> pa.Schema:
    """The one place the index table's schema lives."""
    if dim <= 0:
        raise ValueError(f"vector dimension must be positive, got {dim}")
    vector_type = pa.list_(pa.float32(), dim)
    return pa.schema(
        [
            pa.field("content_hash", pa.string(), nullable=False),
            pa.field("tenant_id", pa.string(), nullable=False),
            pa.field("region", pa.string(), nullable=False),
            pa.field("consent", pa.string(), nullable=False),
            pa.field("usage_rights", pa.string(), nullable=False),
            pa.field("modality", pa.string(), nullable=False),
            *(pa.field(vector_column(channel), vector_type, nullable=False) for channel in CHANNELS),
            pa.field("has_ocr", pa.bool_(), nullable=False),
            pa.field("text", pa.string(), nullable=False),
            pa.field("caption", pa.string(), nullable=False),
            pa.field("provenance", pa.string(), nullable=False),
            pa.field("updated_at", pa.timestamp("us", tz="UTC"), nullable=False),
        ]
    )


@dataclass(frozen=True)
class AnnSettings:
    """How vector indexes are built (IVF_HNSW_SQ, cosine) and how deep a query searches them."""

    num_partitions: int = 1
    m: int = 12
    ef_construction: int = 100
    ef: int = 100
    nprobes: int = 1
    refine_factor: int | None = None


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


@dataclass(frozen=True)
class SearchHit:
    """A fused result; `channels` holds only the channels whose candidates included it."""

    content_hash: str
    tenant_id: str
    score: float
    channels: dict[str, dict[str, float | int]]  # channel -> {"score": raw score, "rank": 1-based}
    provenance: dict
    caption: str
    modality: str


@dataclass
class _Fused:
    row_id: int
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
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="mm-vector-index", daemon=True)
        self._thread.start()
        # Stop the loop's thread when the index is dropped without close().
        self._finalizer = weakref.finalize(self, self._loop.call_soon_threadsafe, self._loop.stop)
        # Stable row ids let a search fuse channels by _rowid and fetch only the final k rows,
        # even if a compaction lands between its channel queries.
        options = {"new_table_enable_stable_row_ids": "true", **(storage_options or {})}
        opening = self._open_or_create(uri, table, options, read_consistency_interval)
        self._table: AsyncTable = self._run(opening)
        self._check_schema(self._run(self._table.schema()))

    def _run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result()

    async def _open_or_create(
        self, uri: str, name: str, options: dict, read_consistency_interval: timedelta | None
    ) -> AsyncTable:
        db = await lancedb.connect_async(
            uri, storage_options=options, read_consistency_interval=read_consistency_interval
        )
        try:
            return await db.open_table(name)
        except ValueError:  # not created yet (LanceDB says "was not found")
            return await db.create_table(name, schema=self._schema, exist_ok=True)

    def _check_schema(self, found: pa.Schema) -> None:
        for expected in self._schema:
            actual = found.field(expected.name).type if expected.name in found.names else None
            if actual != expected.type:
                raise IndexSchemaError(
                    f"table {self._table.name!r} has {expected.name}: {actual}, expected "
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
            self.refresh()

    def delete(self, content_hashes: list[str]) -> int:
        """Delete rows and rewrite storage so their bytes and every older version are gone."""
        for content_hash in content_hashes:
            if not isinstance(content_hash, str) or not _CONTENT_HASH.fullmatch(content_hash):
                raise ValueError(f"not a content hash (64 lowercase hex): {content_hash!r}")
        if not content_hashes:
            return 0
        keys = ", ".join(sql_string(content_hash) for content_hash in sorted(set(content_hashes)))
        predicate = f"content_hash IN ({keys})"
        deleted = self._run(self._table.count_rows(predicate))
        if deleted:
            self._run(self._table.delete(predicate))
            self.purge_deleted_rows()
        return deleted

    def rebuild_indexes_after_delete(self) -> None:
        """Rebuild the scalar and full-text indexes and drop the old index files: until then they
        still hold a deleted row's values (its content hash, its tokens and their counts)."""
        self._run(self._rebuild_scalar_and_text_indexes())

    async def _rebuild_scalar_and_text_indexes(self) -> None:
        rows = await self._table.count_rows()
        for index in await self._table.list_indices():
            column = index.columns[0]
            if column not in SCALAR_INDEXES and column != "text":
                continue
            if rows == 0:  # nothing to index: an index over no rows cannot be built, only dropped
                await self._table.drop_index(index.name)
            else:
                config = self._index_config(column)
                await self._table.create_index(column, config=config, name=index.name, replace=True)
        await self._table.optimize(cleanup_older_than=timedelta(milliseconds=1))

    def purge_deleted_rows(self) -> None:
        """Rewrite the fragments still holding deleted rows' bytes, then drop every old version."""
        self._run(self._purge_deleted_rows())

    def deleted_rows_on_disk(self) -> int:
        """Deleted rows whose bytes are still in data files (0, or 1 companion tombstone)."""
        return self._run(self._deleted_rows_on_disk())

    async def _purge_deleted_rows(self) -> None:
        if pylance_available():
            await self._rewrite_fragments_with_deletions()
        else:
            await self._compact_with_companion()
        # A millisecond rather than 0: same effect, without LanceDB's concurrent-reader warning.
        await self._table.optimize(cleanup_older_than=timedelta(milliseconds=1))
        remaining = await self._deleted_rows_on_disk()
        if remaining > 1:  # the companion's own tombstone is the one allowed
            raise IndexMaintenanceError(
                f"{remaining} deleted rows are still in data files: they are gone from search, "
                f"but their bytes stay until their fragments are rewritten; install pylance "
                f"(pip install pylance==13.0.0) and run purge_deleted_rows()"
            )

    async def _rewrite_fragments_with_deletions(self) -> None:
        # LanceDB's optimize() leaves fragments with under 10% deleted rows as they are; Lance's
        # own compaction takes the threshold. Rewrites only those fragments; indexes stay valid.
        dataset = await self._table.to_lance()
        await asyncio.to_thread(dataset.optimize.compact_files, materialize_deletions_threshold=0.0)
        await self._table.checkout_latest()

    async def _compact_with_companion(self) -> None:
        # Without pylance: compaction rewrites a fragment with few deletions only when it merges
        # it with a neighbour covered by the same index segments, so add a one-row companion,
        # index it, merge the vector index segments (a rebuild: slow on big tables), compact.
        await self._table.add(self._companion_row())
        await self._table.optimize()
        await self._merge_vector_index_segments(max_segments=1)
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

    async def _deleted_rows_on_disk(self) -> int:
        versions = await self._table.list_versions()
        latest = max(versions, key=lambda version: version["version"])
        return int(latest["metadata"].get("total_deletion_file_rows", 0))

    def versions(self) -> list[int]:
        """Table versions still on disk (old ones are removed by delete)."""
        return sorted(version["version"] for version in self._run(self._table.list_versions()))

    # -- indexes -------------------------------------------------------------------------------

    def expected_indexes(self) -> dict[str, str]:
        """Index name -> column for every index the table should have at its current size."""
        return self._run(self._expected_indexes())

    async def _expected_indexes(self) -> dict[str, str]:
        expected = {f"{column}_idx": column for column in SCALAR_INDEXES}
        expected["text_idx"] = "text"
        rows = await self._table.count_rows()
        # Zero OCR vectors (rows without OCR text) cannot train a cosine index; never searched.
        ocr_rows = await self._table.count_rows("has_ocr = true")
        for channel in CHANNELS:
            if (ocr_rows if channel == "ocr" else rows) >= self.vector_index_min_rows:
                expected[f"{vector_column(channel)}_idx"] = vector_column(channel)
        return expected

    def refresh(self) -> None:
        """Create missing indexes, then optimize so every row is covered by every index."""
        self._run(self._refresh())

    async def _refresh(self) -> None:
        if await self._table.count_rows() == 0:
            return
        existing = {index.name for index in await self._table.list_indices()}
        for name, column in (await self._expected_indexes()).items():
            if name not in existing:
                config = self._index_config(column)
                await self._table.create_index(column, config=config, name=name)
        await self._table.optimize()
        if await self._merge_vector_index_segments(max_segments=MAX_VECTOR_INDEX_SEGMENTS):
            await self._table.optimize()  # one segment again: the fragments can now be compacted

    async def _merge_vector_index_segments(self, max_segments: int) -> bool:
        """Rebuild vector indexes split into more than `max_segments` segments; True if any was.

        optimize() indexes new rows into a new segment per write and never compacts fragments
        covered by different segments, so without this, writes pile up fragments and segments.
        """
        rebuilt = False
        for index in await self._table.list_indices():
            column = index.columns[0]
            if column in VECTOR_COLUMNS and (index.num_segments or 1) > max_segments:
                config = self._index_config(column)
                await self._table.create_index(column, config=config, name=index.name, replace=True)
                rebuilt = True
        return rebuilt

    def _index_config(self, column: str) -> FTS | Bitmap | BTree | HnswSq:
        if column in SCALAR_INDEXES:
            return SCALAR_INDEXES[column]()
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
        return self._run(self._unindexed_rows())

    async def _unindexed_rows(self) -> dict[str, int]:
        rows = await self._table.count_rows()
        uncovered = {name: rows for name in await self._expected_indexes()}
        for index in await self._table.list_indices():
            stats = index.num_unindexed_rows
            if stats is None:
                stats = (await self._table.index_stats(index.name)).num_unindexed_rows
            uncovered[index.name] = int(stats)
        return uncovered

    def index_segments(self) -> dict[str, int]:
        """Index name -> segments it is split into (vector indexes grow one per write)."""
        return {index.name: index.num_segments or 1 for index in self._run(self._table.list_indices())}

    def index_types(self) -> dict[str, str]:
        """Index name -> LanceDB index type, for the indexes that exist now."""
        return {index.name: index.index_type for index in self._run(self._table.list_indices())}

    def count(self) -> int:
        return self._run(self._table.count_rows())

    # -- search --------------------------------------------------------------------------------

    def search(self, request: SearchRequest) -> list[SearchHit]:
        """Prefiltered per-channel queries, fused by RRF or weighted scores; top `k` hits."""
        weights = _check_request(request, self.dim)
        return self._run(self._search(request, weights, _governance_filter(request)))

    async def _search(self, request: SearchRequest, weights: dict[str, float], governance: str) -> list[SearchHit]:
        channels = list(request.vectors)
        queries = [self._vector_channel(channel, request.vectors[channel], governance, request) for channel in channels]
        if request.fts_text is not None:
            channels.append(FTS_CHANNEL)
            queries.append(self._fts_channel(request.fts_text, governance, request.candidates))
        ranked = dict(zip(channels, await asyncio.gather(*queries), strict=True))
        return await self._hits(_fuse(ranked, weights, request.fusion)[: request.k])

    async def _vector_channel(
        self, channel: str, vector: np.ndarray, governance: str, request: SearchRequest
    ) -> list[tuple[int, float]]:
        # The zero OCR vector of a row without OCR text would only add noise.
        prefilter = f"{governance} AND has_ocr = true" if channel == "ocr" else governance
        query = (
            self._table.query()
            .nearest_to(np.asarray(vector, dtype=np.float32))
            .column(vector_column(channel))
            .distance_type("cosine")
            .where(prefilter)
            .select(["_distance"])
            .with_row_id()
            .limit(request.candidates)
        )
        if request.exact:
            query = query.bypass_vector_index()
        else:
            query = query.nprobes(self.ann.nprobes).ef(max(self.ann.ef, request.candidates))
            if self.ann.refine_factor:
                query = query.refine_factor(self.ann.refine_factor)
        found = await query.to_arrow()
        distances = found["_distance"].to_pylist()
        row_ids = found["_rowid"].to_pylist()
        return [(row_id, 1.0 - d) for row_id, d in zip(row_ids, distances, strict=True)]

    async def _fts_channel(self, text: str, governance: str, candidates: int) -> list[tuple[int, float]]:
        found = await (
            self._table.query()
            .nearest_to_text(MatchQuery(text, "text"))
            .where(governance)
            .select(["_score"])
            .with_row_id()
            .limit(candidates)
            .to_arrow()
        )
        return list(zip(found["_rowid"].to_pylist(), found["_score"].to_pylist(), strict=True))

    async def _hits(self, best: list[_Fused]) -> list[SearchHit]:
        """Fetch the display columns of the fused top rows in one take."""
        if not best:
            return []
        taken = self._table.take_row_ids([entry.row_id for entry in best])
        rows = (await taken.select(_RESULT_COLUMNS).with_row_id().to_arrow()).to_pylist()
        by_id = {row["_rowid"]: row for row in rows}
        return [
            SearchHit(
                content_hash=row["content_hash"],
                tenant_id=row["tenant_id"],
                score=entry.score,
                channels=entry.channels,
                provenance=json.loads(row["provenance"]),
                caption=row["caption"],
                modality=row["modality"],
            )
            for entry in best
            if (row := by_id.get(entry.row_id)) is not None  # deleted since the channel queries
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
    if channel == FTS_CHANNEL:
        return raw / best if best > 0 else 0.0
    return min(max(raw, 0.0), 1.0)


def _fuse(ranked: Mapping[str, Sequence[tuple[int, float]]], weights: Mapping[str, float], fusion: str) -> list[_Fused]:
    """Each candidate row with its fused score and every channel's score and rank, best first."""
    fused: dict[int, _Fused] = {}
    for channel, rows in ranked.items():
        best = max((raw for _, raw in rows), default=0.0)
        for rank, (row_id, raw) in enumerate(rows, start=1):
            entry = fused.setdefault(row_id, _Fused(row_id=row_id))
            entry.channels[channel] = {"score": raw, "rank": rank}
            if fusion == "rrf":
                if raw >= RRF_MIN_SIMILARITY.get(channel, float("-inf")):
                    entry.score += weights[channel] / (RRF_K + rank)
            else:
                entry.score += weights[channel] * _normalised(channel, raw, best)
    return sorted(fused.values(), key=lambda entry: (-entry.score, entry.row_id))
