"""Search: turn a text and/or image query into per-channel query vectors, search, and audit.

Text queries go to the caption, OCR and visual channels (one shared text-image space) plus BM25;
an image query goes to the visual channel and, through the image's own caption, the text
channels. Every search is written to the `search_audit` table (an HMAC of the query under the home's
secret, never its text: resources/audit_key.py), with the milliseconds of each stage: encode, each
channel, fusion, evidence, fetch, total.

Each result carries `evidence`: its best passages (page and box, or time span), and with a
crops folder a PNG of each box cut from the redacted page, stored as a `crop` artifact too.
"""

from __future__ import annotations

import functools
import getpass
import io
import json
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mm_assets.operations.evidence import query_terms, tighten_evidence
from mm_assets.settings import Settings
from resources.audit_key import audit_key, query_hash
from resources.blob_store import BlobStore
from resources.catalog_db import CatalogDatabase, current_artifacts, new_id, utcnow
from resources.catalog_tables import search_audit
from resources.index_fusion import SearchHit, SearchRequest
from resources.index_schema import CHUNK_VISUAL_CHANNEL
from resources.index_where import QueryRefused
from resources.source_owners import sensitive_hashes
from resources.vector_index import VectorIndex

if TYPE_CHECKING:  # the models load only for searches that need them (a text query needs neither)
    from PIL import Image

    from resources.captioner import Captioner
    from resources.embedder import Embedder

MAX_QUERY_CHARS = 2000
IMAGE_QUERY_CHUNK_VISUAL_WEIGHT = 0.5
# Query texts whose vectors a searcher keeps: a vector is 1.5 KB, so 4,096 of them take 6 MB, and a
# repeated query (a paging client, a dashboard, a popular term) skips the encoder's ~15 ms of CPU.
QUERY_VECTOR_CACHE_SIZE = 4096


@dataclass(frozen=True)
class SearchQuery:
    text: str | None = None
    image: Path | None = None
    tenant: str | None = None
    global_scope: bool = False
    k: int = 10
    where: str | None = None
    fusion: str = "weighted"
    # identity documents and other media flagged `sensitivity` are left out unless this is set, which
    # needs the global scope (CLI --include-sensitive --global; API: an admin key)
    include_sensitive: bool = False


class QueryVectorCache:
    """The last `size` query texts' vectors, keyed by the encoder's model id and the text, least recently
    used out first. Thread-safe (the server searches from many threads); the vectors are read-only."""

    def __init__(self, encoder: Any, size: int = QUERY_VECTOR_CACHE_SIZE) -> None:
        self.encoder, self.size = encoder, size
        model_id = getattr(encoder, "model_id", None)
        self.model_key = model_id() if callable(model_id) else type(encoder).__qualname__
        self._vectors: OrderedDict[tuple[str, str], Any] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def vector(self, text: str) -> Any:
        key = (self.model_key, text)
        with self._lock:
            found = self._vectors.get(key)
            if found is not None:
                self._vectors.move_to_end(key)
                self.hits += 1
                return found
        vector = self.encoder.embed_texts([text])[0]  # outside the lock: other threads keep searching
        vector.setflags(write=False)
        with self._lock:
            self.misses += 1
            self._vectors[key] = vector
            while len(self._vectors) > self.size:
                self._vectors.popitem(last=False)
        return vector


@dataclass
class SearchResponse:
    results: list[SearchHit]
    query_caption: str | None  # the caption used for an image query's text channels
    stage_ms: dict[str, float] = field(default_factory=dict)  # encode, each channel, fusion, fetch, evidence, audit

    def as_json(self) -> dict[str, Any]:
        return {"results": [asdict(hit) for hit in self.results], "query_caption": self.query_caption}


class Searcher:
    """Holds the models and the index so repeated searches pay for loading once."""

    def __init__(
        self,
        settings: Settings,
        embedder: Embedder,
        captioner: Captioner | None,
        index: VectorIndex,
        text_encoder: Any = None,
    ):
        self.settings = settings
        self.embedder = embedder
        self.text_encoder = text_encoder or embedder  # a query text's vector (see query_text_encoder)
        self.query_vectors = QueryVectorCache(self.text_encoder)
        self.captioner = captioner
        self.index = index
        self.catalog = CatalogDatabase(settings.catalog_url)  # no Dagster: a cold text search never loads it
        # Where audit rows go: the catalog, now (a one-shot CLI search); the server hands them to its
        # AuditWriter (operations/audit_writer.py), which writes them off the request path.
        self.write_audit: Callable[[list[dict[str, Any]]], None] = functools.partial(
            self.catalog.insert_rows, search_audit
        )

    @classmethod
    def from_settings(cls, settings: Settings) -> Searcher:
        from mm_assets.model_resources import model_resources
        from resources.search_index_store import SearchIndexResource

        models = model_resources(settings)
        embedder = models["embedder"]
        index = SearchIndexResource(uri=settings.index_uri).open(embedder.dim())
        return cls(settings, embedder, models["captioner"], index, query_text_encoder(settings))

    @classmethod
    def for_text(cls, settings: Settings) -> Searcher:
        """A searcher for text queries only: with the bridge embedder (the default) its text side runs
        as a numpy forward pass (resources/query_encoder.py), so no torch, classifier or captioner loads."""
        encoder = query_text_encoder(settings)
        if encoder is None:
            return cls.from_settings(settings)
        from resources.index_location import open_index

        return cls(settings, encoder, None, open_index(settings.index_uri, encoder.dim, searching=True), encoder)

    def search(self, query: SearchQuery, who: str | None = None, crops_dir: Path | None = None) -> SearchResponse:
        """Search, audit, and with `crops_dir` write each evidence box as a PNG (adds "crop": path)."""
        text = (query.text or "").strip()
        if not text and query.image is None:
            raise QueryRefused("empty query: give a text, an image (--image), or both")
        if len(text) > MAX_QUERY_CHARS:
            raise QueryRefused(f"query text is {len(text)} characters; the limit is {MAX_QUERY_CHARS}")
        if query.include_sensitive and not query.global_scope:
            raise QueryRefused("sensitive media (identity documents) can be included only in a global search")
        started = time.perf_counter()
        vectors, caption, stage_ms = {}, None, {}
        encode = None
        if query.image is None:  # the text's vector is encoded while the full-text channel already runs
            encode = functools.partial(self._text_vectors, text)
        else:
            if self.captioner is None:
                raise QueryRefused("this searcher was built for text queries only (Searcher.for_text)")
            image = load_query_image(query.image, self.settings)
            vectors = self._text_vectors(text) if text else {}
            vectors["visual"] = self.embedder.embed_images([image])[0]
            caption = self.captioner.caption([image])[0].text
            if not text:
                caption_vector = self.query_vectors.vector(caption)
                vectors.update(caption=caption_vector, ocr=caption_vector)
            stage_ms["encode"] = _ms_since(started)
        request = SearchRequest(
            exclude_hashes=() if query.include_sensitive else tuple(sensitive_hashes(self.catalog, query.tenant)),
            vectors=vectors,
            fts_text=text or None,
            tenant=query.tenant,
            global_scope=query.global_scope,
            k=query.k,
            where=query.where,
            fusion=query.fusion,
            # An image query also looks for the regions and keyframes that look like it.
            weights={CHUNK_VISUAL_CHANNEL: IMAGE_QUERY_CHUNK_VISUAL_WEIGHT} if query.image is not None else None,
        )
        hits = self.index.search(request, stage_ms, encode)  # adds each channel's, fusion's and the fetch's ms
        if text:
            tightening = time.perf_counter()
            self.tighten_evidence(hits, text)
            stage_ms["evidence"] = stage_ms.get("evidence", 0.0) + _ms_since(tightening)
        stage_ms["total"] = _ms_since(started)
        auditing = time.perf_counter()
        self._audit(query, hits, who, stage_ms)
        stage_ms["audit"] = _ms_since(auditing)
        if crops_dir is not None:
            self.write_evidence_crops(hits, crops_dir)
        return SearchResponse(results=hits, query_caption=caption, stage_ms=stage_ms)

    def _text_vectors(self, text: str) -> dict[str, Any]:
        """A query text's vector for the caption, OCR and visual channels (one shared text-image space)."""
        vector = self.query_vectors.vector(text)
        return {"caption": vector, "ocr": vector, "visual": vector}

    @functools.cached_property
    def audit_key(self) -> bytes:
        """The home's audit secret, read once per searcher (not a file read on every search)."""
        return audit_key(self.settings.home)

    @functools.cached_property
    def store(self) -> BlobStore:
        """The media store, opened once per searcher (an S3 client is not free to build)."""
        from resources.store_roots import open_store

        return open_store(self.settings.store_root)

    def tighten_evidence(self, hits: list[SearchHit], text: str) -> None:
        """Narrow each page evidence box to its page's line that best matches the query text
        (see operations.evidence); the lines come from the source's current `pii` artifact. A hit whose
        `pii` payload is gone is being forgotten (a forget deletes the payloads before the index and
        catalog rows): it leaves the results, and the search answers without it."""
        from resources.blob_store import store_key_of

        terms = query_terms(text)
        paged = [hit for hit in hits if any("bbox" in entry and "page" in entry for entry in hit.evidence)]
        if not terms or not paged:
            return
        store = self.store
        redacted = current_artifacts(self.catalog, "pii", [hit.content_hash for hit in paged])
        forgotten = set()
        for hit in paged:
            pii = redacted.get(hit.content_hash)
            if pii is None:  # an image without text: its evidence is the whole picture
                continue
            try:
                spans = json.loads(store.read_bytes(store_key_of(store, pii["payload_uri"])))["spans"]
            except FileNotFoundError:
                forgotten.add(hit.content_hash)
                continue
            hit.evidence[:] = tighten_evidence(hit.evidence, spans, terms)
        hits[:] = [hit for hit in hits if hit.content_hash not in forgotten]

    def write_evidence_crops(self, hits: list[SearchHit], folder: Path) -> None:
        """Each evidence box as a crop artifact cut from the redacted page, and a PNG in `folder`."""
        from mm_assets.operations.crop import CropError, store_crop

        folder.mkdir(parents=True, exist_ok=True)
        store = self.store
        redacted = current_artifacts(self.catalog, "pii", [hit.content_hash for hit in hits])
        for rank, hit in enumerate(hits, 1):
            pii = redacted.get(hit.content_hash)
            for number, entry in enumerate(hit.evidence, 1):
                if pii is None or "bbox" not in entry:
                    continue
                try:
                    crop = store_crop(self.catalog, store, pii, entry["page"], entry["bbox"], "evidence")
                except CropError as exc:  # an index row older than its page images: say so, go on
                    entry["crop_error"] = str(exc)
                    continue
                path = folder / f"{rank:02d}-{hit.content_hash[:12]}-p{entry['page']}-e{number}.png"
                path.write_bytes(crop.png)
                entry["crop"] = str(path)

    def _audit(self, query: SearchQuery, hits: list[SearchHit], who: str | None, stage_ms: dict[str, float]) -> None:
        image = query.image.read_bytes() if query.image is not None else None
        digest = query_hash(self.audit_key, query.text or "", image)
        self.write_audit(
            [
                {
                    "audit_id": new_id(),
                    "at": utcnow(),
                    "who": who or current_user(),
                    "tenant_id": query.tenant,
                    "query_hash": digest,
                    "result_ids": [hit.content_hash for hit in hits],
                    "scores": [round(hit.score, 6) for hit in hits],
                    "details": {
                        "k": query.k,
                        "fusion": query.fusion,
                        "where": query.where,
                        "global": query.global_scope,
                        "image": query.image is not None,
                    },
                    "stage_ms": {stage: round(ms, 3) for stage, ms in stage_ms.items()},
                }
            ]
        )


def query_text_encoder(settings: Settings) -> Any:
    """The numpy MiniLM (resources/query_encoder.py) when the embedder is the bridge, else None (the
    embedder's own text side). Also for a searcher that holds the full models (the server's): torch's
    intra-op threads spin while they wait, so one query through sentence-transformers took 288 ms of CPU
    and 1.3 s wall on 2 threads at a load of 22, against 20 ms and 0.1 s here; the vectors are the same."""
    if settings.embedder_family != "bridge":
        return None
    from resources.query_encoder import minilm_query_encoder

    return minilm_query_encoder()


def load_query_image(path: Path, settings: Settings) -> Image.Image:
    """The query image through the same input gate as ingest, so a bad file gets the same clear reason."""
    from PIL import Image  # the gate (PDFium, FFmpeg) and PIL only for an image query, never a cold text search

    from mm_assets.operations.gate import InputRejected, check_file

    try:
        verdict = check_file(path, settings.caps)
    except InputRejected as exc:
        raise QueryRefused(f"--image {path}: {exc.reason}: {exc.message}") from exc
    if verdict.modality != "image":
        raise QueryRefused(
            f"--image {path}: a {verdict.mime_type} is not an image; give a PNG, JPEG, TIFF, WebP or BMP"
        )
    return Image.open(io.BytesIO(path.read_bytes())).convert("RGB")


def _ms_since(started: float) -> float:
    return (time.perf_counter() - started) * 1000.0


def current_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
