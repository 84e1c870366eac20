"""search_index: one LanceDB row per source plus its chunk rows, upserted per batch, indexes refreshed.

A source row holds the visual, caption and OCR vectors, the redacted OCR text plus caption for
full-text search (never unredacted text: it comes from the pii asset), the governance columns
search filters on, and the (pipeline_version, model_id, artifact_id) of every channel.

Each owner of an original has its own row set (its source row and chunk rows, with its own
tenant, region, consent and usage rights): every search prefilters on one owner's columns, so a
tenant finds its copy and never another's, and governance stays per owner. The vectors are the
content's, computed once; a tenant that joins an indexed original later gets a copy of a row set
(`VectorIndex.share_rows`, from operations/ownership.py), and forget removes one owner's set.

Chunk rows are the passages a search result points at (`evidence`): for documents, the redacted
spans grouped by layout into page blocks with their page and box; for images, the whole image
(its visual vector) and page blocks when it has text. Chunk texts are embedded here with the
same text model as the source rows. The row contract is `resources.vector_index.chunk_schema`.
"""

import json
from typing import Any

import dagster as dg
import numpy as np

from mm_assets.artifacts import ArtifactBatch, input_digest
from mm_assets.kind_checks import KindCheck, Verdict
from mm_assets.kind_spec import ArtifactKind, KindRun, Made
from mm_assets.kinds.av_chunks import AV_CHUNK_KINDS, av_upstream, with_av_chunks
from mm_assets.kinds.table import TABLE_MODALITIES, table_cell_chunks
from mm_assets.kinds.text_embedding import redacted_text
from mm_assets.kinds.visual_embedding import vector_from_bytes
from mm_assets.page_layout import page_blocks
from resources.catalog import utcnow
from resources.embedder import Embedder
from resources.index_schema import chunk_id_for, chunk_rows_to_table, owner_chunk_id, rows_to_table
from resources.source_owners import owners_of

INDEX_VERSION = "3"  # 3: table cells are chunks
INPUT_KINDS = ("visual_embedding", "text_embedding", "caption", "pii", "pages")


def provenance(rows: dict[str, dict]) -> dict[str, dict[str, str]]:
    """Which artifact (and so which code and model version) feeds each channel."""
    channel_source = {"visual": "visual_embedding", "caption": "text_embedding", "ocr": "text_embedding"}
    return {
        channel: {
            "kind": kind,
            "artifact_id": rows[kind]["artifact_id"],
            "pipeline_version": rows[kind]["pipeline_version"],
            "model_id": rows[kind]["model_id"],
        }
        for channel, kind in channel_source.items()
    }


def index_row(source: dict, rows: dict[str, dict], batch: ArtifactBatch) -> dict:
    text_vectors = vector_from_bytes(batch.read_bytes(rows["text_embedding"]))
    caption = batch.read_json(rows["caption"])["text"]
    ocr_text = redacted_text(batch.read_json(rows["pii"]))
    return {
        "content_hash": source["content_hash"],
        "tenant_id": source["tenant_id"],
        "region": source["region"],
        "consent": source["consent"],
        "usage_rights": source["usage_rights"],
        "modality": source["modality"],
        "visual_vector": vector_from_bytes(batch.read_bytes(rows["visual_embedding"])).astype(np.float32),
        "caption_vector": text_vectors[0].astype(np.float32),
        "ocr_vector": text_vectors[1].astype(np.float32),
        "has_ocr": "ocr" not in (rows["text_embedding"]["attributes"] or {}).get("empty_channels", []),
        "text": f"{caption}\n{ocr_text}".strip(),
        "caption": caption,
        "provenance": json.dumps(provenance(rows)),
        "updated_at": utcnow(),
    }


# ---------------------------------------------------------------------------------------------
# Chunks: the passages a result can point at
# ---------------------------------------------------------------------------------------------


def artifact_version(row: dict) -> dict[str, str]:
    return {key: row[key] for key in ("artifact_id", "pipeline_version", "model_id")}


def chunk_rows(source: dict, rows: dict[str, dict], batch: ArtifactBatch, has_ocr: bool) -> list[dict]:
    """A source's chunk rows (see resources.vector_index.chunk_schema), text vectors still to fill.

    Documents: one page_block per layout block of the redacted spans. Images: the whole image
    (its visual vector, page 1, the full frame as box), plus page blocks when it has text.
    """
    pii = batch.read_json(rows["pii"])
    text_versions = {"pii": artifact_version(rows["pii"])}
    chunks = []
    for ordinal, block in enumerate(page_blocks(pii["spans"])):
        chunks.append(
            {
                "chunk_id": chunk_id_for(source["content_hash"], "page_block", ordinal),
                "chunk_kind": "page_block",
                "page": block.page,
                "bbox": [round(v, 1) for v in block.bbox],
                "text": block.text,
                "versions": text_versions,
            }
        )
    if source["modality"] == "image":
        first = batch.read_json(rows["pages"])["pages"][0]
        chunks.append(
            {
                "chunk_id": chunk_id_for(source["content_hash"], "image", 0),
                "chunk_kind": "image",
                "page": first["page"],
                "bbox": [0.0, 0.0, float(first["width"]), float(first["height"])],
                "text": "",
                "image_vector": vector_from_bytes(batch.read_bytes(rows["visual_embedding"])).astype(np.float32),
                "versions": {"visual_embedding": artifact_version(rows["visual_embedding"])},
            }
        )
    return governed(source, chunks, has_ocr)


def governed(source: dict, chunks: list[dict], has_ocr: bool, versions: dict | None = None) -> list[dict]:
    """Chunks with their source's hash and governance columns (and the artifacts they came from, when given)."""
    governance = {name: source[name] for name in ("tenant_id", "region", "consent", "usage_rights", "modality")}
    extra = {"versions": versions} if versions else {}
    return [
        {"content_hash": source["content_hash"], "has_ocr": has_ocr, **governance, **chunk, **extra} for chunk in chunks
    ]


def owner_governance(owner: dict) -> dict:
    return {name: owner[name] for name in ("tenant_id", "region", "consent", "usage_rights")}


def per_owner(row: dict, chunks: list[dict], owners: list[dict]) -> tuple[list[dict], list[dict]]:
    """One row set per owner of the source: its governance columns, its own chunk ids."""
    rows, owned_chunks = [], []
    for owner in owners:
        governance = owner_governance(owner)
        rows.append({**row, **governance})
        owned_chunks += [
            {**chunk, **governance, "chunk_id": owner_chunk_id(chunk["chunk_id"], owner["tenant_id"])}
            for chunk in chunks
        ]
    return rows, owned_chunks


def embed_chunk_texts(
    chunks: list[dict], embedder: Embedder, versions: dict[str, str], known: dict[str, np.ndarray] | None = None
) -> None:
    """Fill every chunk's text_vector in one batch; the embedding's own version joins `versions`.
    `known`: vectors of texts that the same text model already embedded (see `reusable_text_vectors`)."""
    # A chunk that brings its own text vector (a transcript window from transcript_embedding) keeps it.
    wanted = {chunk["text"] for chunk in chunks if chunk["text"].strip() and "text_vector" not in chunk}
    vectors = {text: vector for text, vector in (known or {}).items() if text in wanted}
    texts = sorted(wanted - set(vectors))
    vectors.update(zip(texts, embedder.embed_texts(texts), strict=True) if texts else ())
    for chunk in chunks:
        if chunk["text"].strip() and "text_vector" not in chunk:
            chunk["text_vector"] = vectors[chunk["text"]].astype(np.float32)
            chunk["versions"] = {**chunk["versions"], "chunk_text_embedding": versions}


def reusable_text_vectors(index: Any, keys: list[str], text_model: str) -> dict[str, np.ndarray]:
    """The chunk text vectors these sources' rows already hold from `text_model`: an upgrade of the
    image side of the embedder (a bridge classifier) leaves every text vector as it was, so the chunk
    texts are not embedded again."""
    return index.chunk_text_vectors(
        keys, lambda versions: (versions.get("chunk_text_embedding") or {}).get("text_model") == text_model
    )


# A run tagged INDEX_REFRESH_TAG=REFRESH_AFTER_RUN writes its rows without refreshing the indexes (the
# server's uploads: 0.25 s of index updates at 100k rows, done right after the answer, before the index
# freshness check). Searches find the rows meanwhile: LanceDB scans the rows an index does not cover.
INDEX_REFRESH_TAG = "mm/index_refresh"
REFRESH_AFTER_RUN = "after_run"
FRESHNESS_CHECK = "index_freshness"


def make_search_index(run: KindRun) -> dict:
    """Upsert every partition's source row and chunk rows (even ones already recorded: a merge is
    idempotent, and it heals an index folder that was lost or rebuilt), then record each."""
    batch, store = run.batch, run.resources.search_index_store
    av_inputs = av_upstream(batch)  # audio/video only: transcript windows and keyframes
    paper = [key for key in batch.pending() if batch.sources[key]["modality"] in TABLE_MODALITIES]
    table_rows = batch.upstream("table", paper)  # documents and images only: table cells
    rows, digests, chunks = {}, {}, {}
    for key in run.todo:
        with batch.guard(key):
            upstream = {kind: run.input(kind, key) for kind in INPUT_KINDS}
            av_rows = {kind: by_key[key] for kind, by_key in av_inputs.items() if key in by_key}
            tables = [table_rows[key]] if key in table_rows else []
            digests[key] = input_digest([*upstream.values(), *av_rows.values(), *tables])
            rows[key] = index_row(batch.sources[key], upstream, batch)
            page_chunks = chunk_rows(batch.sources[key], upstream, batch, rows[key]["has_ocr"])
            for table_row in tables:
                cells = table_cell_chunks(key, batch.read_json(table_row), batch.read_json(upstream["pii"]))
                made_from = {"table": artifact_version(table_row), "pii": artifact_version(upstream["pii"])}
                page_chunks += governed(batch.sources[key], cells, rows[key]["has_ocr"], made_from)
            chunks[key] = with_av_chunks(batch.sources[key], page_chunks, av_rows, batch)
    if not rows:
        return {}
    # The dimension comes from the vectors themselves.
    dim = len(next(iter(rows.values()))["visual_vector"])
    index = store.open(dim)
    with run.stopwatch() as watch:
        embedder = run.model("embedder")
        text_model = embedder.text_model_id()
        versions = {"pipeline_version": INDEX_VERSION, "model_id": run.model_id, "text_model": text_model}
        known = reusable_text_vectors(index, list(rows), text_model)
        embed_chunk_texts([chunk for key in rows for chunk in chunks[key]], embedder, versions, known)
        valid = set()
        for key in rows:
            with batch.guard(key):  # a row the index would refuse fails its own partition only
                rows_to_table([rows[key]], dim)
                chunk_rows_to_table(chunks[key], dim)
                valid.add(key)
        rows = {key: row for key, row in rows.items() if key in valid}
        # Read as late as possible: a tenant joining after this read gets its copy from share_rows.
        owners = owners_of(batch.catalog, list(rows))
        owned_rows, owned_chunks = [], []
        for key, row in rows.items():
            source_owners = owners.get(key) or [batch.sources[key]]  # a row ingested before source_owner
            made = per_owner(row, chunks[key], source_owners)
            owned_rows += made[0]
            owned_chunks += made[1]
        # Chunks replace each source's chunks whole (every owner's, and ids of an older layout).
        refresh = run.context.run.tags.get(INDEX_REFRESH_TAG) != REFRESH_AFTER_RUN
        index.upsert(owned_rows, refresh=refresh)
        index.upsert_chunks(owned_chunks, sources=list(rows), refresh=refresh)
    index_rows, index_chunks = index.count(), index.chunk_count()
    index.close()
    for key, row in rows.items():
        # The artifact is shared by every owner: no owner's governance columns in it.
        private = {"updated_at", *owner_governance(row)}
        record = {k: v for k, v in row.items() if not k.endswith("_vector") and k not in private}
        listed = [{k: chunk.get(k) for k in ("chunk_id", "chunk_kind", "page", "bbox")} for chunk in chunks[key]]
        payload = {"index": run.settings.portable(store.uri), "table": store.table, **record, "chunks": listed}

        def write(key: str = key, payload: dict = payload) -> Made:
            batch.write_json(key, payload, digests[key])
            # no caption or text in Dagster metadata
            return Made({}, {"has_ocr": payload["has_ocr"], "chunks": len(payload["chunks"])})

        run.record(key, watch.effort.share(len(rows)), write)
    return {"index_rows": index_rows, "index_chunk_rows": index_chunks}


def index_freshness_verdict(resources: Any, _keys: list[str]) -> Verdict:
    """Every row must be covered by every index (full-text search would miss it otherwise); the vector
    indexes may lag while this process merges their segments."""
    index = resources.search_index_store.open_existing()
    if index is None:
        return False, {"reason": "no index table"}
    unindexed = index.unindexed_rows()
    unindexed.update({f"chunks.{name}": count for name, count in index.chunk_unindexed_rows().items()})
    merging = index.merging()
    index.close()
    # While a merge rebuilds the vector indexes, writes leave them alone: a vector search scans the rows
    # they do not cover (exact for those rows), and the merge takes them in when it lands.
    stale = {name: count for name, count in unindexed.items() if count and not (merging and "vector" in name)}
    return not stale, {
        "unindexed_rows": dg.MetadataValue.json(unindexed),
        "indexes": len(unindexed),
        "vector_segments_merging": merging,
    }


SPEC = ArtifactKind(
    name="search_index",
    upstream=(*INPUT_KINDS, *AV_CHUNK_KINDS, "table"),
    # the audio/video chunk kinds are read for AV sources only (av_upstream), tables for documents and images
    inputs=INPUT_KINDS,
    reuse=False,
    logic_version=INDEX_VERSION,
    group="search",
    dagster_kinds=frozenset({"lancedb"}),
    description="A LanceDB row per source (three vector channels, redacted text, filters) and its chunk rows.",
    make=make_search_index,
    model_roles=("embedder",),  # embeds the chunk texts
    resources=("search_index_store",),
    checks=(
        KindCheck(
            FRESHNESS_CHECK,
            index_freshness_verdict,
            resources=("search_index_store",),
            severity=dg.AssetCheckSeverity.ERROR,
            partitioned=False,
        ),
    ),
)
