"""Issue 20: `mm serve` answers every search while the index changes under it: another process writes
rows and purges deleted ones (a purge drops every older version's files at once, those a search may be
reading), and the server itself takes an upload and a forget. Real server, real HTTP (tests/serving.py);
every search answers 200, none hangs (resources/index_search.py, tests/test_index_reads.py)."""

from __future__ import annotations

import io
import threading
import time

import numpy as np
from PIL import Image

from mm_assets.settings import load_settings
from resources.search_index_store import SearchIndexResource
from tests.serving import SAMPLES, Served

WRITE_CYCLES = 12  # each: rows written (indexes refreshed), then half of them deleted and purged
ROWS_PER_CYCLE = 20
SEARCH_TIMEOUT_S = 60.0  # a search takes well under a second here; a hung one ends the client's wait
TENANT = "under-writes"


def filler_rows(cycle: int, dim: int) -> list[dict]:
    rng = np.random.default_rng(cycle)
    return [
        {
            "content_hash": f"{cycle:08x}{number:056x}",
            "tenant_id": TENANT,
            "region": "eu",
            "consent": "valid",
            "usage_rights": "approved",
            "modality": "document",
            **{name: rng.normal(size=dim).astype(np.float32) for name in ("visual_vector", "caption_vector")},
            "ocr_vector": rng.normal(size=dim).astype(np.float32),
            "has_ocr": True,
            "text": f"letter filler {cycle} {number}",
            "caption": "filler",
            "provenance": {},
        }
        for number in range(ROWS_PER_CYCLE)
    ]


def search_until(served: Served, stop: threading.Event, answers: list[str]) -> None:
    """The demo tenant's text search, again and again: each answer's status, or the client's error."""
    with served.client("demo", timeout=SEARCH_TIMEOUT_S) as client:
        while not stop.is_set():
            try:
                answer = client.get("/v1/search", params={"q": "letter", "k": 20})
                answers.append("200" if answer.status_code == 200 else f"{answer.status_code}: {answer.text[:300]}")
            except Exception as exc:  # noqa: BLE001 - a timeout or a dropped connection is an answer to count
                answers.append(f"{type(exc).__name__}: {exc}")


def upload_and_forget(served: Served) -> None:
    """The server's own writes meanwhile: an upload until searchable, then its forget (a purge too)."""
    buffer = io.BytesIO()
    Image.new("RGB", (72, 48), (30, 90, 200)).save(buffer, "PNG")
    with served.client("demo") as client:
        uploaded = client.post("/v1/media", params={"wait": "true"}, files={"file": ("blue.png", buffer.getvalue())})
        assert uploaded.status_code == 200, uploaded.text
        forgotten = client.delete(f"/v1/media/{uploaded.json()['content_hash']}")
        assert forgotten.status_code == 200, forgotten.text


def test_every_search_answers_while_other_processes_write_and_purge_and_the_server_forgets(served):
    letter = served.upload_waiting(SAMPLES / "letter.png")  # the index exists and holds what is searched
    served.wait_until_idle()  # the server's index refresh after the answer, before this test's writes
    index_uri = load_settings({"MM_HOME": str(served.home)}).index_uri
    stop, answers = threading.Event(), []
    searchers = [threading.Thread(target=search_until, args=(served, stop, answers)) for _ in range(2)]
    for searcher in searchers:
        searcher.start()
    written, purges_during_searches = [], 0
    try:
        for cycle in range(WRITE_CYCLES):
            # Another process's run: it opens the index, writes, deletes (a purge) and closes it, as
            # `mm materialize` and `mm forget` do; never at once with the server's own writes (below),
            # whose index refresh would race it (a writer's conflict, not a search's).
            index = SearchIndexResource(uri=index_uri).open_existing()
            assert index is not None
            rows = filler_rows(cycle, index.dim)
            index.upsert(rows)
            written += [row["content_hash"] for row in rows]
            index.delete(written[: ROWS_PER_CYCLE // 2])
            written = written[ROWS_PER_CYCLE // 2 :]
            index.close()
            purges_during_searches += bool(answers)
            if cycle == WRITE_CYCLES // 2:
                upload_and_forget(served)
                served.wait_until_idle()
        time.sleep(2.0)  # past the server's read consistency interval: searches of the last version too
    finally:
        stop.set()
        for searcher in searchers:
            searcher.join()
    index = SearchIndexResource(uri=index_uri).open_existing()
    assert index is not None
    index.delete(written)  # the other tests' index as it was
    index.close()
    assert purges_during_searches >= WRITE_CYCLES // 2, "the searches did not run beside the purges"
    failed = [answer for answer in answers if answer != "200"]
    assert not failed, f"{len(failed)} of {len(answers)} searches failed: {sorted(set(failed))[:5]}"
    with served.client("demo") as client:
        found = client.get("/v1/search", params={"q": "letter", "k": 20}).json()["results"]
    assert letter["content_hash"] in {hit["content_hash"] for hit in found}
