"""What the server loads once and shares between requests.

Models load in a background thread at start-up (GET /healthz answers 503 until they are in);
the searcher, the Dagster definitions and instance, the catalog and the store are opened once.
Uploads that wait (`?wait=true`) run one at a time through `interactive_lock`: the models are
shared, and two runs at once would only slow each other down on the same cores. An upload's kinds
that search does not need, and its non-blocking checks, run after its answer, in a second run that
takes the same slot.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from datetime import timedelta
from functools import cached_property
from typing import Any

from PIL import Image

from mm_assets.server.figures_journal import FiguresJournal, journal_folder
from mm_assets.server.metrics import ServerMetrics
from mm_assets.server.shared_rows import SharedRowsQueue
from mm_assets.settings import Settings
from resources.blob_store import BlobStore
from resources.catalog import CatalogResource
from resources.index_location import open_index
from resources.index_merger import IndexMerger
from resources.index_session import reset_process_session
from resources.vector_index import VectorIndex

log = logging.getLogger("mm.serve")
INTERACTIVE_JOB = "mm_interactive_upload"  # the kinds a search needs, while the uploader waits
INTERACTIVE_REST_JOB = "mm_interactive_upload_rest"  # the others, right after the answer
SEARCHABLE_ASSET = "search_index"
REST_SHUTDOWN_WAIT_S = 300.0
INDEX_CONSISTENCY_S = 1.0  # how stale the server's view of the index may be after another process writes
INDEX_MERGE_POLL_S = 300.0  # how often the server looks for index segments that other processes' writes added


class RateLimiter:
    """A token bucket per key: `rate_per_minute` tokens, refilled continuously."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._buckets: dict[str, tuple[float, float]] = {}  # key id -> (tokens, last refill)

    def allow(self, key_id: str, rate_per_minute: int) -> float:
        """0 when the request may go ahead, else the seconds until a token is free."""
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.get(key_id, (float(rate_per_minute), now))
            tokens = min(float(rate_per_minute), tokens + (now - last) * rate_per_minute / 60.0)
            if tokens >= 1.0:
                self._buckets[key_id] = (tokens - 1.0, now)
                return 0.0
            self._buckets[key_id] = (tokens, now)
            return (1.0 - tokens) * 60.0 / rate_per_minute


class ServerState:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.catalog = CatalogResource(url=settings.catalog_url)
        self.metrics = ServerMetrics()
        self.limiter = RateLimiter()
        self.ready = threading.Event()
        self.load_error: str | None = None
        self.interactive_lock = threading.Lock()
        self.searcher: Any = None
        self.defs: Any = None
        self.interactive_job: Any = None
        self.interactive_rest_job: Any = None  # None when every kind is upstream of the index
        # The two jobs made ready once for many runs on `instance` (PreparedInProcessJob), after load().
        self.interactive_run: Any = None
        self.interactive_rest_run: Any = None
        self.run_resources = contextlib.ExitStack()  # keeps the runs' resources set up (warm_resource_defs)
        self.instance: Any = None
        self.rest_pending: set[str] = set()  # uploads whose other kinds still have to run (under the lock)
        self._later: list[threading.Thread] = []
        self.audit_writer: Any = None  # an AuditWriter once the searcher is loaded
        self.index_merger: IndexMerger | None = None  # merges vector index segments after uploads' writes
        # census observations of answered uploads, on disk until reported (server/figures_journal.py)
        self.figures_journal = FiguresJournal(journal_folder(settings))
        self.shared_rows = SharedRowsQueue()  # new owners' search rows, written in the slot (shared_rows.py)

    @cached_property
    def store(self) -> BlobStore:
        from resources.stores import open_store

        return open_store(self.settings.store_root)

    def open_instance(self) -> None:
        """The Dagster instance, before anything else: uploads register partitions even while models load."""
        from mm_assets.orchestration.instance import get_instance

        # No compute-log capture for the uploads' runs (orchestration/instance.get_instance): ~0.12 s each.
        self.instance = get_instance(self.settings, capture_compute_logs=False)

    def load(self) -> None:
        """Build the definitions, open the index and run every model once, so none loads on a request."""
        try:
            from mm_assets.dagster_internals.run_submission import PreparedInProcessJob, warm_resource_defs
            from mm_assets.definitions import build_definitions
            from mm_assets.model_resources import model_resources
            from mm_assets.operations.search import Searcher
            from mm_assets.orchestration.runs import QUIET_RUN_CONFIG

            started = time.perf_counter()
            self.defs, self.interactive_job, self.interactive_rest_job = with_interactive_jobs(
                build_definitions(self.settings)
            )
            # Both jobs' runs share one set of resources, built here once (~36 ms of CPU less per run).
            warm = warm_resource_defs(self.defs.resources, self.instance, self.run_resources)
            self.interactive_run, self.interactive_rest_run = (
                None if job is None else PreparedInProcessJob(job, self.instance, QUIET_RUN_CONFIG, warm)
                for job in (self.interactive_job, self.interactive_rest_job)
            )
            from mm_assets.operations.audit_writer import AuditWriter

            self.searcher = Searcher.from_settings(self.settings)
            self.audit_writer = AuditWriter(self.searcher.catalog)
            self.searcher.write_audit = self.audit_writer.put  # audit rows off the request path
            self.searcher.text_encoder.embed_texts(["warm up"])  # the query encoder's pages, before a request
            self.refresh_index_tables()  # rows an upload wrote before the server stopped (none, mostly)
            warm_index(self.searcher)  # the indexes a search reads, loaded before /healthz says ready
            self.figures_journal.replay(self.instance, self.catalog)  # observations a killed server left
            dim = self.searcher.index.dim
            self.index_merger = IndexMerger(
                lambda: open_index(self.settings.index_uri, dim),
                on_merged=lambda _: self.refresh_index(fresh_caches=True),
                poll_s=INDEX_MERGE_POLL_S,
                in_child=(self.settings.index_uri, dim),  # idle priority, stopped while an upload runs
            )
            self.index_merger.request()  # segments that other processes' writes left
            _warm_models(model_resources(self.settings))
            self.metrics.models_loaded = True
            self.ready.set()
            log.info("models loaded in %.1f s", time.perf_counter() - started)
        except Exception as exc:  # noqa: BLE001 - reported by /healthz, not a crash of the server
            self.load_error = f"{type(exc).__name__}: {exc}"
            log.exception("loading the models failed")

    def flush_audit(self) -> None:
        """Every queued search audit row into the catalog (before a forget rewrites the rows naming a hash)."""
        if self.audit_writer is not None:
            self.audit_writer.flush()

    def close(self) -> None:
        """At shutdown: the runs queued after an upload's answer finish (up to REST_SHUTDOWN_WAIT_S; a
        partition left unfinished is `mm materialize --missing`'s), and the queued audit rows are written."""
        for thread in self._later:
            thread.join(REST_SHUTDOWN_WAIT_S)
        self.run_resources.close()  # the runs' resources' teardown, none of which a run still needs
        if self.index_merger is not None:
            self.index_merger.close()  # a merge cut short commits nothing; the next one redoes it
        if self.audit_writer is not None:
            self.audit_writer.close()

    def refresh_index_tables(self) -> None:
        """Cover the rows that uploads' runs wrote without refreshing the indexes (search_index's
        INDEX_REFRESH_TAG), then look for over-split indexes; run right after an upload's answer."""
        index = open_index(self.settings.index_uri, self.searcher.index.dim)
        try:
            index.refresh()
        finally:
            index.close()
        self.index_written()

    def index_written(self) -> None:
        """After this process wrote to the index: a fresh view of it, and a look for over-split indexes
        (merged on the merger's thread; the writer does not wait)."""
        self.refresh_index()
        if self.index_merger is not None:
            self.index_merger.request()

    def refresh_index(self, fresh_caches: bool = False) -> None:
        """A fresh view of the index after this process wrote to it (an upload, a forget). Writes by other
        processes (`mm materialize`) show within INDEX_CONSISTENCY_S without this. The view shares the
        indexes the old one loaded (resources/index_session.py); `fresh_caches` (after a merge of index
        segments, whose old segments no version uses) starts it with empty caches instead."""
        if fresh_caches:
            reset_process_session()
        if self.searcher is not None:
            # The old view is dropped, not closed: a search running on it finishes; its loop stops when freed.
            self.searcher.index = open_server_index(self.settings, self.searcher.index.dim)

    @contextmanager
    def interactive_slot(self):  # type: ignore[no-untyped-def]
        """One interactive run at a time; the queue depth (waiting + running) is a metric."""
        self.metrics.queue_changed(+1)
        try:
            with self.merge_paused(), self.interactive_lock:
                yield
        finally:
            self.metrics.queue_changed(-1)

    @contextmanager
    def merge_paused(self):  # type: ignore[no-untyped-def]
        """An index merge running meanwhile is stopped (resources/index_merge_process.py): it would take
        the cores an upload the user waits for needs (uploads after a merge was due took 6-9 s, not 1 s)."""
        merger = self.index_merger
        if merger is None:
            yield
            return
        with merger.paused():
            yield

    def run_later_in_slot(self, work: Callable[[], None]) -> None:
        """`work` on a background thread, in the interactive slot once it is free; it counts in the queue
        depth from now on, so a client that waits for depth 0 waits for it too."""
        self.metrics.queue_changed(+1)

        def run() -> None:
            try:
                with self.merge_paused(), self.interactive_lock:
                    work()
            except Exception:  # noqa: BLE001 - a failed run is on the Dagster instance; say it here too
                log.exception("a run queued after an upload's answer failed")
            finally:
                self.metrics.queue_changed(-1)

        thread = threading.Thread(target=run, name="mm-interactive-rest", daemon=True)
        self._later = [*(t for t in self._later if t.is_alive()), thread]
        thread.start()


def with_interactive_jobs(defs: Any) -> tuple[Any, Any, Any]:
    """The definitions plus the interactive path's two jobs. The first holds the kinds upstream of the
    search index (and the index): the upload is searchable when it ends. The second holds every other
    kind (thumbnail, fields, processing events, ...), run right after the answer, in the same slot
    (None when there are none). The first holds only the blocking checks of its kinds (the PII redaction
    coverage checks: a failure holds the downstream kinds, the index among them, back); every other
    check of the upload's kinds runs in the second, since none of them changes what is searchable. Neither
    holds the checks over a whole kind or the whole catalog (version_consistency, catalog_expectations):
    they say nothing about the upload, their cost grows with the catalog (Great Expectations took 3.9 s
    of a 13 s upload at 7 sources), and batch runs and version_consistency_sensor keep running them."""
    import dagster as dg

    from expectations import CHECK_NAME as CATALOG_CHECK
    from mm_assets.artifacts import FIGURES_AFTER_RUN, FIGURES_TAG
    from mm_assets.kinds.search_index import FRESHNESS_CHECK, INDEX_REFRESH_TAG, REFRESH_AFTER_RUN
    from mm_assets.orchestration.version_consistency import CHECK_NAME as VERSION_CHECK

    graph = defs.resolve_asset_graph()
    kept = [key for key in graph.asset_check_keys if key.name not in (CATALOG_CHECK, VERSION_CHECK)]
    searchable = dg.AssetSelection.assets(SEARCHABLE_ASSET).upstream().resolve(graph)
    rest = set(graph.materializable_asset_keys) - searchable

    # Only a blocking check must end before the answer. The others run after it: the index's freshness
    # check once the server has refreshed the indexes (refresh_index_tables; the upload's run writes its
    # rows without, search_index.INDEX_REFRESH_TAG), the quality checks (ocr_quality, caption_grounding,
    # table_structure, ...) because they only judge and open review items, never change an artifact. A
    # check that must gate what is searchable is declared blocking, and so stays before the answer.
    freshness = dg.AssetCheckKey(dg.AssetKey(SEARCHABLE_ASSET), FRESHNESS_CHECK)
    blocking = {key for key in kept if graph.get_check_spec(key).blocking}
    moved = [key for key in kept if key.asset_key in searchable and key not in blocking] if rest else []

    def job(name: str, assets: set[Any], checks: list[Any], tags: dict[str, str] | None = None) -> Any:
        selection = dg.AssetSelection.assets(*assets).without_checks() | dg.AssetSelection.checks(*checks)
        return dg.define_asset_job(name, selection=selection, tags=tags)

    searchable_checks = [key for key in kept if key.asset_key in searchable and key not in moved]
    rest_checks = [key for key in kept if key.asset_key in rest] + moved
    # The kinds' census observations, too, are reported after the answer (artifacts.FIGURES_TAG).
    refresh_later = freshness in moved
    deferred = {FIGURES_TAG: FIGURES_AFTER_RUN, **({INDEX_REFRESH_TAG: REFRESH_AFTER_RUN} if refresh_later else {})}
    jobs = [
        job(INTERACTIVE_JOB, searchable, searchable_checks, deferred),
        *([job(INTERACTIVE_REST_JOB, rest, rest_checks)] if rest else []),
    ]
    merged = dg.Definitions.merge(defs, dg.Definitions(jobs=jobs))
    rest_job = merged.resolve_job_def(INTERACTIVE_REST_JOB) if rest else None
    return merged, merged.resolve_job_def(INTERACTIVE_JOB), rest_job


def open_server_index(settings: Settings, dim: int) -> VectorIndex:
    """The server's view of the index: it looks for other processes' writes every INDEX_CONSISTENCY_S."""
    return open_index(
        settings.index_uri, dim, read_consistency_interval=timedelta(seconds=INDEX_CONSISTENCY_S), searching=True
    )


def warm_index(searcher: Any) -> None:
    """One search over every channel a text query reads (the vector indexes, the full-text index, the
    scalar indexes of the prefilter, the chunk table), not audited: the first request no longer loads
    them (~1 s at 100k rows on 2 cores). Views opened later share what it loaded."""
    from resources.index_fusion import SearchRequest

    vector = searcher.query_vectors.vector("warm up")
    vectors = {"caption": vector, "ocr": vector, "visual": vector}
    searcher.index.search(SearchRequest(vectors=vectors, fts_text="warm up", tenant=None, global_scope=True, k=1))


def _warm_models(resources: dict[str, Any]) -> None:
    """One call to each model of an image's kinds (the ones an upload waits for)."""
    from resources.ocr import OcrSpan

    page = Image.new("RGB", (64, 64), "white")
    resources["embedder"].embed_images([page])
    resources["embedder"].embed_texts(["warm up"])
    resources["captioner"].caption([page])
    resources["ocr_runner"].recognize_pages([(1, page)])
    resources["pii_detector"].redact_spans([OcrSpan("Call Jo Smith at 555-213-4567", 1, (0, 0, 9, 9), 1.0)])
    resources["face_detector"].detect(page)  # MTCNN's weights load on the first page otherwise
