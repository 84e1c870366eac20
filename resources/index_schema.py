"""The two pyarrow schemas of the search index (source rows and chunk rows), the validation that
turns rows handed to `VectorIndex.upsert` / `upsert_chunks` into arrow tables of those schemas, and
the copy of one owner's rows for another (`as_owner`)."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pyarrow as pa

CHANNELS = ("visual", "caption", "ocr")
VECTOR_COLUMNS = tuple(f"{channel}_vector" for channel in CHANNELS)
FTS_CHANNEL = "fts"
# Chunk rows (passages with a page box or a time span) are searched as channels of their own.
CHUNK_TEXT_CHANNEL = "chunk_text"  # text_vector against the query text
CHUNK_VISUAL_CHANNEL = "chunk_visual"  # image_vector against the query's visual vector
CHUNK_FTS_CHANNEL = "chunk_fts"  # BM25 on the chunk's redacted text
CHUNK_CHANNELS = (CHUNK_TEXT_CHANNEL, CHUNK_VISUAL_CHANNEL, CHUNK_FTS_CHANNEL)
CONSENT_VALUES = ("valid", "expired")
CONTENT_HASH_PATTERN = re.compile(r"[0-9a-f]{64}")


class IndexRowError(ValueError):
    """A row handed to `upsert` does not fit the schema; the message names the row and field."""


class IndexSchemaError(RuntimeError):
    """The table at the given location has a different schema (often another vector dimension)."""


def check_table_schema(table_name: str, schema: pa.Schema, found: pa.Schema) -> None:
    """Raise IndexSchemaError unless the opened table `found` has every field of `schema`, typed alike."""
    for expected in schema:
        actual = found.field(expected.name).type if expected.name in found.names else None
        if actual != expected.type:
            raise IndexSchemaError(
                f"table {table_name!r} has {expected.name}: {actual}, expected "
                f"{expected.type}; open it with the dimension it was built with, or index "
                f"into a new table name"
            )


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

CHUNK_KINDS = ("page_block", "image", "table_cell", "transcript_window", "keyframe")
# Chunk kinds located on a page image (page + bbox required) and on a time line (t_start/t_end).
PAGE_CHUNK_KINDS = ("page_block", "image", "table_cell")
TIME_CHUNK_KINDS = ("transcript_window", "keyframe")


def chunk_schema(dim: int) -> pa.Schema:
    """The one place the chunk table's schema lives.

    A chunk row is a passage of one source that search can point at:

    - `chunk_id`: unique; `chunk_id_for(content_hash, chunk_kind, ordinal)` makes a stable one.
    - `content_hash`: the source it belongs to; `VectorIndex.delete_chunks` removes a source's
      chunks (and `VectorIndex.delete`, used by `mm forget`, removes them with the source row).
    - `tenant_id`, `region`, `consent`, `usage_rights`, `modality`, `has_ocr`: copied from the
      source row; every chunk query is prefiltered on them exactly like source rows.
    - `chunk_kind`: "page_block" | "image" | "table_cell" (page + bbox required) or "transcript_window" |
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
      artifact the chunk was made from, so a model upgrade can tell stale chunks; its
      `chunk_text_embedding` entry also names the `text_model` behind `text_vector`, so a
      re-index after an image-side upgrade reuses the vector instead of embedding the text again.
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


def owner_chunk_id(chunk_id: str, tenant: str) -> str:
    """The id of a chunk in one owner's row set: every owner of a shared original has its own chunk
    rows (its own governance columns), so the id names the owner too (tenant names have no '@')."""
    return f"{chunk_id.split('@', 1)[0]}@{tenant}"


# The columns that differ between the row sets of two owners of one original.
OWNER_COLUMNS = ("tenant_id", "region", "consent", "usage_rights")


def as_owner(table: pa.Table, owner: Mapping[str, str]) -> pa.Table:
    """The rows with `owner`'s governance columns (and, for chunk rows, the owner's chunk ids)."""
    for name in OWNER_COLUMNS:
        position = table.schema.get_field_index(name)
        table = table.set_column(
            position, table.schema.field(name), pa.array([owner[name]] * table.num_rows, pa.string())
        )
    if "chunk_id" in table.schema.names:
        ids = [owner_chunk_id(chunk_id, owner["tenant_id"]) for chunk_id in table["chunk_id"].to_pylist()]
        position = table.schema.get_field_index("chunk_id")
        table = table.set_column(position, table.schema.field("chunk_id"), pa.array(ids, pa.string()))
    return table


# ---------------------------------------------------------------------------------------------
# Rows: validation into arrow tables
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
    if not isinstance(row["content_hash"], str) or not CONTENT_HASH_PATTERN.fullmatch(row["content_hash"]):
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
    if not isinstance(row["content_hash"], str) or not CONTENT_HASH_PATTERN.fullmatch(row["content_hash"]):
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
