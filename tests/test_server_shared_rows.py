"""Issue 20: a tenant's upload of bytes another tenant holds writes its search rows in the interactive
slot, never between a running upload's index refresh and its freshness check, and without its
answer waiting for that upload (the delay would say someone holds the bytes).

In process, no models: the index holds one hand-made row set, and the test itself plays the running
upload by holding the slot. The interleaving is forced, not left to load: a hook runs the freshness
check at the one moment the race needs, when a shared row set is in the table and its own refresh
has not run yet.
"""

from __future__ import annotations

import shutil
import threading
from types import SimpleNamespace

import numpy as np

from mm_assets.kinds.search_index import index_freshness_verdict
from mm_assets.operations.ingest import IngestOptions
from mm_assets.server.routers.media import _ingest_one
from mm_assets.server.state import ServerState
from resources.search_index_store import SearchIndexResource
from resources.vector_index import VectorIndex
from tests.conftest import write_image

DIM = 8
WAIT_S = 60  # only a broken fix waits this long (a request blocked on the slot the test holds)


def _row_set(content_hash: str, tenant: str) -> dict:
    rng = np.random.default_rng(20)
    return {
        "content_hash": content_hash,
        "tenant_id": tenant,
        "region": "eu",
        "consent": "valid",
        "usage_rights": "approved",
        "modality": "image",
        **{name: rng.normal(size=DIM).astype(np.float32) for name in ("visual_vector", "caption_vector", "ocr_vector")},
        "has_ocr": True,
        "text": "a red square",
        "caption": "red",
        "provenance": {},
    }


def _check_when_a_share_lands(monkeypatch, resources, slot_held: threading.Event) -> list:
    """Patch VectorIndex so that, while the test holds the slot, the slot's freshness check runs
    right after a shared row set is written and before share_rows refreshes the indexes; the verdicts."""
    verdicts: list = []
    sharing = threading.local()
    share_rows, refresh = VectorIndex.share_rows, VectorIndex.refresh

    def share_rows_marked(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        sharing.on = True
        try:
            return share_rows(self, *args, **kwargs)
        finally:
            sharing.on = False

    def refresh_after_the_check(self):  # type: ignore[no-untyped-def]
        if getattr(sharing, "on", False) and slot_held.is_set():
            verdicts.append(index_freshness_verdict(resources, []))
        refresh(self)

    monkeypatch.setattr(VectorIndex, "share_rows", share_rows_marked)
    monkeypatch.setattr(VectorIndex, "refresh", refresh_after_the_check)
    return verdicts


def test_a_held_originals_rows_land_in_the_slot_not_between_its_refresh_and_check(mm_settings, tmp_path, monkeypatch):
    state = ServerState(mm_settings)
    state.open_instance()
    original = write_image(tmp_path / "demo" / "square.png")
    copy = tmp_path / "other" / "mine.png"
    copy.parent.mkdir()
    shutil.copy(original, copy)

    first = _ingest_one(state, original, IngestOptions(tenant="demo"))
    content_hash = first.accepted[0]["content_hash"]
    store = SearchIndexResource(uri=mm_settings.index_uri)
    index = store.open(DIM)
    index.upsert([_row_set(content_hash, "demo")])  # indexed, and every index covers it
    index.close()
    resources = SimpleNamespace(search_index_store=store)
    assert index_freshness_verdict(resources, [])[0]

    slot_held = threading.Event()
    verdicts = _check_when_a_share_lands(monkeypatch, resources, slot_held)
    answers: list = []
    request = threading.Thread(target=lambda: answers.append(_ingest_one(state, copy, IngestOptions(tenant="other"))))
    with state.interactive_slot():  # the running upload: its refresh done, its freshness check next
        slot_held.set()
        request.start()
        request.join(WAIT_S)
        answered_meanwhile = not request.is_alive()
        own_check = index_freshness_verdict(resources, [])
        slot_held.clear()
    request.join(WAIT_S)
    assert answers and answers[0].joined == [content_hash]  # the race's case: bytes another tenant holds
    assert answered_meanwhile, "the upload of held bytes waited for the running upload (a timing hint)"
    assert own_check[0], own_check[1]
    assert all(passed for passed, _ in verdicts), [meta for _, meta in verdicts]

    state.close()  # the queued slot work ends
    assert len(state.shared_rows) == 0
    index = store.open_existing()
    assert index is not None
    assert index.owners(content_hash) == ["demo", "other"]  # the new owner's rows, written in the slot
    index.close()
    assert index_freshness_verdict(resources, [])[0]
