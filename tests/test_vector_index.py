"""The LanceDB hybrid index on a real LanceDB folder, with vectors built so the answer is known."""

from __future__ import annotations

import hashlib
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import lancedb
import numpy as np
import pytest
from lancedb.query import MatchQuery

from resources import vector_index
from resources.index_fusion import RRF_K, SearchHit, SearchRequest
from resources.index_maintenance import MAX_VECTOR_INDEX_SEGMENTS, merging
from resources.index_merger import IndexMerger
from resources.index_schema import CHANNELS, IndexRowError, IndexSchemaError, index_schema
from resources.index_where import QueryRefused, validate_where
from resources.vector_index import VectorIndex

DIM = 16


_NAMES: dict[str, str] = {}  # content hash -> the readable name a test gave the row


def content_hash(name: str) -> str:
    digest = hashlib.sha256(name.encode()).hexdigest()
    _NAMES[digest] = name
    return digest


def names(hits: list[SearchHit]) -> list[str]:
    return [_NAMES[hit.content_hash] for hit in hits]


def axis(*weights: tuple[int, float]) -> np.ndarray:
    """A unit vector from (axis, weight) pairs, so cosine similarities are known by construction."""
    vector = np.zeros(DIM, dtype=np.float32)
    for position, weight in weights:
        vector[position] = weight
    return vector / np.linalg.norm(vector)


def make_row(name: str, **fields: object) -> dict:
    row = {
        "content_hash": content_hash(name),
        "tenant_id": "A",
        "region": "eu",
        "consent": "valid",
        "usage_rights": "approved",
        "modality": "image",
        "visual_vector": axis((0, 1.0)),
        "caption_vector": axis((1, 1.0)),
        "ocr_vector": None,
        "has_ocr": False,
        "text": f"{name} shared words",
        "caption": f"caption of {name}",
        "provenance": {"caption": {"pipeline_version": "1", "model_id": "m", "artifact_id": name}},
    }
    row.update(fields)
    return row


def request(**fields: object) -> SearchRequest:
    defaults: dict[str, object] = {
        "vectors": {"visual": axis((0, 1.0))},
        "fts_text": None,
        "tenant": "A",
    }
    return SearchRequest(**{**defaults, **fields})


@pytest.fixture
def index(tmp_path: Path) -> Iterator[VectorIndex]:
    index = VectorIndex(str(tmp_path / "index"), DIM)
    yield index
    index.close()


# -- writes ------------------------------------------------------------------------------------


def test_upserting_the_same_content_hash_twice_keeps_one_updated_row(index: VectorIndex) -> None:
    index.upsert([make_row("old", caption="first caption")])
    index.upsert([make_row("old", caption="second caption", text="second words")])

    assert index.count() == 1
    hits = index.search(request(fts_text="second"))
    assert [hit.caption for hit in hits] == ["second caption"]


def test_a_repeated_content_hash_within_one_batch_keeps_the_last(index: VectorIndex) -> None:
    index.upsert([make_row("old", caption="first"), make_row("old", caption="last")])

    assert index.count() == 1
    assert [hit.caption for hit in index.search(request())] == ["last"]


def test_rows_added_after_the_fts_index_are_covered_once_refreshed(index: VectorIndex, tmp_path: Path) -> None:
    index.upsert([make_row(f"row{i}") for i in range(5)])
    assert index.unindexed_rows()["text_idx"] == 0

    index.upsert([make_row("new", text="zebra crossing")], refresh=False)
    table = lancedb.connect(str(tmp_path / "index")).open_table("media")
    index_only = table.search(MatchQuery("zebra", "text")).fast_search().select(["content_hash", "_score"])
    assert index.unindexed_rows()["text_idx"] == 1
    assert index_only.to_arrow().num_rows == 0  # the FTS index itself does not hold the row yet

    index.refresh()
    table.checkout_latest()

    assert set(index.unindexed_rows().values()) == {0}
    assert index_only.to_arrow()["content_hash"].to_pylist() == [content_hash("new")]
    assert names(index.search(request(vectors={}, fts_text="zebra"))) == ["new"]


def test_upsert_rejects_rows_that_do_not_fit_the_schema(index: VectorIndex) -> None:
    with pytest.raises(IndexRowError, match="visual_vector has shape"):
        index.upsert([make_row("a", visual_vector=np.ones(DIM + 1))])
    with pytest.raises(IndexRowError, match="64 lowercase hex"):
        index.upsert([make_row("a", content_hash="not-a-hash")])
    with pytest.raises(IndexRowError, match="consent must be one of"):
        index.upsert([make_row("a", consent="maybe")])
    with pytest.raises(IndexRowError, match="missing fields"):
        index.upsert([{"content_hash": content_hash("a")}])
    with pytest.raises(IndexRowError, match="NaN"):
        index.upsert([make_row("a", caption_vector=np.full(DIM, np.nan))])
    assert index.count() == 0


def test_reopening_a_table_with_another_dimension_is_refused(tmp_path: Path) -> None:
    VectorIndex(str(tmp_path / "index"), DIM).upsert([make_row("a")])

    with pytest.raises(IndexSchemaError, match="dimension it was built with"):
        VectorIndex(str(tmp_path / "index"), DIM * 2)


def test_the_schema_has_one_vector_column_per_channel() -> None:
    schema = index_schema(DIM)
    for channel in CHANNELS:
        assert schema.field(f"{channel}_vector").type.list_size == DIM
    assert schema.field("content_hash").nullable is False


# -- governance --------------------------------------------------------------------------------


def test_a_tenant_never_sees_another_tenants_rows(index: VectorIndex) -> None:
    index.upsert([make_row("a", tenant_id="A"), make_row("b", tenant_id="B", region="us")])

    assert names(index.search(request(tenant="A", fts_text="shared"))) == ["a"]
    assert names(index.search(request(tenant="B", fts_text="shared"))) == ["b"]
    # An OR in the user filter stays inside its parentheses, under the tenant clause.
    either_region = request(tenant="A", where="region = 'eu' OR region = 'us'")
    assert names(index.search(either_region)) == ["a"]
    assert set(names(index.search(request(tenant=None, global_scope=True)))) == {"a", "b"}


@pytest.mark.parametrize(
    ("where", "problem"),
    [
        ("tenant_id = 'B'", "tenant_id cannot be used"),
        ("region = 'eu' OR tenant_id = 'B'", "tenant_id cannot be used"),
        ("region = 'eu' OR 1=1", "must start with a column name"),
        ("region = 'eu' OR '1'='1'", "must start with a column name"),
        ("region = 'eu') OR (tenant_id = 'B'", "unexpected ')'"),
        ("region = 'eu') OR (region = 'us'", "unexpected ')'"),
        ("region = 'eu'; DROP TABLE media", "';' is not allowed"),
        ("region = 'eu' -- and the rest", "comments are not allowed"),
        ("region = 'eu' /* hidden */", "comments are not allowed"),
        ("region = 'eu' OR region = 'x", "not closed"),
        ("region IN (SELECT region FROM media)", "subqueries are not allowed"),
        ("lower(region) = 'eu'", "function calls are not allowed"),
        ("\"tenant_id\" = 'B'", "quoted identifiers"),
        ("secret_column = 'x'", "unknown column"),
        ("region = region", "compares with a 'quoted string'"),
        ("has_ocr = 'yes'", "compares with TRUE or FALSE"),
        ("region", "comparison operator"),
        ("", "blank"),
    ],
)
def test_sql_injection_and_malformed_filters_are_refused(where: str, problem: str) -> None:
    with pytest.raises(QueryRefused, match=re.escape(problem)):
        validate_where(where)


def test_an_injection_through_search_is_refused_before_querying(index: VectorIndex) -> None:
    index.upsert([make_row("a", tenant_id="A"), make_row("b", tenant_id="B")])

    for where in ("tenant_id = 'B'", "region = 'eu' OR 1=1", "region = 'x' OR '' = ''"):
        with pytest.raises(QueryRefused):
            index.search(request(tenant="A", where=where))


def test_valid_filters_are_rewritten_as_canonical_sql() -> None:
    assert validate_where("region = 'eu'") == "(region = 'eu')"
    assert validate_where("Region <> 'it''s' and not has_ocr = true") == (
        "((region != 'it''s') AND (NOT (has_ocr = TRUE)))"
    )
    assert validate_where("modality NOT IN ('image', 'document') OR region IS NOT NULL") == (
        "((modality NOT IN ('image', 'document')) OR (region IS NOT NULL))"
    )


def test_expired_consent_and_unapproved_rights_are_never_returned(index: VectorIndex) -> None:
    best_match = {"visual_vector": axis((0, 1.0)), "text": "needle"}
    index.upsert(
        [
            make_row("expired", consent="expired", **best_match),
            make_row("restricted", usage_rights="restricted", **best_match),
            make_row("ok", visual_vector=axis((0, 1.0), (2, 1.0)), text="needle haystack"),
        ]
    )

    assert names(index.search(request(fts_text="needle"))) == ["ok"]
    everyone = request(tenant=None, global_scope=True, fts_text="needle")
    assert names(index.search(everyone)) == ["ok"]
    assert index.search(request(where="consent = 'expired'")) == []


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"tenant": None}, "a tenant is required"),
        ({"tenant": "A", "global_scope": True}, "not both"),
        ({"tenant": ""}, "non-empty"),
        ({"vectors": {}, "fts_text": None}, "empty query"),
        ({"fts_text": "   "}, "blank"),
        ({"k": 0}, "k must be between"),
        ({"k": 5000}, "k must be between"),
        ({"k": 20, "candidates": 10}, "candidates must be between"),
        ({"vectors": {"audio": axis((0, 1.0))}}, "unknown channel"),
        ({"vectors": {"visual": np.ones(DIM + 2)}}, "shape"),
        ({"vectors": {"visual": np.zeros(DIM)}}, "non-zero"),
        ({"fusion": "max"}, "fusion must be"),
        ({"weights": {"colour": 1.0}}, "unknown weight"),
        ({"weights": {"fts": -1.0}}, ">= 0"),
    ],
)
def test_malformed_requests_are_refused(index: VectorIndex, fields: dict, problem: str) -> None:
    with pytest.raises(QueryRefused, match=problem):
        index.search(request(**fields))


# -- fusion ------------------------------------------------------------------------------------


def agreeing_and_single_channel_rows() -> list[dict]:
    """Query: visual e0, caption e1; with 2 candidates per channel, `single` is first for visual
    and absent from caption, `agree` second for visual and first for caption, and a distractor
    takes caption's second place."""
    rows = [
        make_row("single", visual_vector=axis((0, 1.0)), caption_vector=axis((2, 1.0))),
        make_row("agree", visual_vector=axis((0, 1.0), (3, 0.3)), caption_vector=axis((1, 1.0), (3, 0.3))),
    ]
    for i, spread in enumerate((1.0, 1.5, 2.0)):
        rows.append(
            make_row(
                f"row{i}",
                visual_vector=axis((0, 1.0), (4, spread)),
                caption_vector=axis((1, 1.0), (4, spread)),
            )
        )
    return rows


def test_two_agreeing_channels_beat_a_single_channel_hit(index: VectorIndex) -> None:
    index.upsert(agreeing_and_single_channel_rows())
    vectors = {"visual": axis((0, 1.0)), "caption": axis((1, 1.0))}

    for fusion in ("rrf", "weighted"):
        hits = index.search(request(vectors=vectors, fusion=fusion, k=2, candidates=2))
        assert names(hits) == ["agree", "single"], fusion
        assert set(hits[0].channels) == {"visual", "caption"}
        assert set(hits[1].channels) == {"visual"}  # not among the caption candidates: absent


def test_rrf_reports_each_channels_raw_score_and_rank(index: VectorIndex) -> None:
    index.upsert(agreeing_and_single_channel_rows())
    vectors = {"visual": axis((0, 1.0)), "caption": axis((1, 1.0))}

    top, second = index.search(request(vectors=vectors, k=2, candidates=2))

    agree_similarity = float(axis((0, 1.0)) @ axis((0, 1.0), (3, 0.3)))
    assert top.channels["visual"] == {"score": pytest.approx(agree_similarity, abs=1e-5), "rank": 2}
    assert top.channels["caption"] == {
        "score": pytest.approx(agree_similarity, abs=1e-5),
        "rank": 1,
    }
    assert top.score == pytest.approx(1 / (RRF_K + 2) + 1 / (RRF_K + 1))
    assert second.channels == {"visual": {"score": pytest.approx(1.0, abs=1e-5), "rank": 1}}
    assert second.score == pytest.approx(1 / (RRF_K + 1))
    assert top.provenance == {"caption": {"artifact_id": "agree", "model_id": "m", "pipeline_version": "1"}}
    assert (top.caption, top.modality, top.tenant_id) == ("caption of agree", "image", "A")


def test_weighted_fusion_sums_weighted_normalised_scores(index: VectorIndex) -> None:
    index.upsert(
        [
            make_row("a", visual_vector=axis((0, 1.0)), text="apple apple banana"),
            make_row("b", visual_vector=axis((0, 1.0), (5, 1.0)), text="apple cherry"),
        ]
    )
    weights = {"visual": 2.0, "fts": 0.5}

    hits = index.search(request(fts_text="apple", fusion="weighted", weights=weights))

    assert names(hits) == ["a", "b"]
    best_bm25 = max(hit.channels["fts"]["score"] for hit in hits)
    for hit in hits:
        assert set(hit.channels) == {"visual", "fts"}
        expected = 2.0 * hit.channels["visual"]["score"] + 0.5 * hit.channels["fts"]["score"] / best_bm25
        assert hit.score == pytest.approx(expected)
    assert hits[1].channels["visual"]["score"] == pytest.approx(2**-0.5, abs=1e-5)


def test_the_ocr_channel_skips_rows_without_ocr_text(index: VectorIndex) -> None:
    index.upsert(
        [
            make_row("ocr", has_ocr=True, ocr_vector=axis((6, 1.0), (7, 1.0))),
            make_row("no-ocr", has_ocr=False, ocr_vector=None),
        ]
    )

    hits = index.search(request(vectors={"ocr": axis((6, 1.0))}))

    assert names(hits) == ["ocr"]
    assert hits[0].channels["ocr"]["score"] == pytest.approx(2**-0.5, abs=1e-5)


# -- deletion and index lifecycle ----------------------------------------------------------


def table_bytes(folder: Path) -> bytes:
    return b"".join(path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file())


@pytest.mark.parametrize("purge", ["pylance", "companion"])
def test_delete_removes_rows_and_leaves_no_old_versions_or_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, purge: str
) -> None:
    if purge == "pylance":
        pytest.importorskip("lance", reason="pylance is not installed")
    else:  # the path taken without pylance
        monkeypatch.setattr(vector_index, "pylance_available", lambda: False)
    index = VectorIndex(str(tmp_path / "index"), DIM, vector_index_min_rows=10)
    index.upsert([make_row(f"row{i}") for i in range(30)])
    index.upsert([make_row("secret", text="xylophone-quartz confidential")])
    assert b"xylophone-quartz" in table_bytes(tmp_path / "index")

    assert index.delete([content_hash("secret"), content_hash("never-indexed")]) == 1

    assert index.count() == 30
    assert index.search(request(vectors={}, fts_text="xylophone")) == []
    assert len(index.versions()) == 1
    assert b"xylophone-quartz" not in table_bytes(tmp_path / "index")
    assert index.deleted_rows_on_disk() <= 1  # at most the companion's own tombstone
    assert set(index.unindexed_rows().values()) == {0}
    assert index.delete([content_hash("secret")]) == 0
    assert len(index.search(request(k=30, candidates=30))) == 30


def test_vector_indexes_are_built_once_rows_reach_the_threshold(tmp_path: Path) -> None:
    index = VectorIndex(str(tmp_path / "index"), DIM, vector_index_min_rows=20)
    index.upsert([make_row(f"row{i}", visual_vector=axis((0, 1.0), (i % DIM, 0.5))) for i in range(10)])
    assert "visual_vector_idx" not in index.index_types()

    more = [make_row(f"row{i}", visual_vector=axis((1, 1.0), (i % DIM, 0.5))) for i in range(10, 20)]
    index.upsert(more)

    types = index.index_types()
    assert types["visual_vector_idx"] == types["caption_vector_idx"] == "IvfHnswSq"
    assert "ocr_vector_idx" not in types  # no row has OCR text: nothing to train on
    assert types["text_idx"] == "FTS" and types["tenant_id_idx"] == "Bitmap"
    assert set(index.unindexed_rows().values()) == {0}
    hits = index.search(request(vectors={"visual": axis((1, 1.0))}, k=10, candidates=10))
    assert set(names(hits)) == {f"row{i}" for i in range(10, 20)}
    exact = index.search(request(vectors={"visual": axis((1, 1.0))}, k=10, candidates=10, exact=True))
    assert names(exact) == names(hits)


def spread_rows(count: int, prefix: str, seed: int = 0) -> list[dict]:
    """Rows with random visual vectors (a real ANN index to build), each its own word in the text."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(count):
        vector = rng.normal(size=DIM).astype(np.float32)
        rows.append(make_row(f"{prefix}{i}", visual_vector=vector / np.linalg.norm(vector), text=f"word{prefix}{i}"))
    return rows


def vector_segments(index: VectorIndex) -> dict[str, int]:
    return {name: n for name, n in index.index_segments().items() if "vector" in name}


def nearest(index: VectorIndex, row: dict, exact: bool = False) -> list[str]:
    query = request(vectors={"visual": row["visual_vector"]}, k=3, candidates=10, exact=exact)
    return names(index.search(query))


def test_a_write_after_many_writes_does_not_rebuild_the_vector_index_the_merger_does(tmp_path: Path) -> None:
    index = VectorIndex(str(tmp_path / "index"), DIM, vector_index_min_rows=5)
    index.upsert(spread_rows(50, "base"))
    writes = spread_rows(MAX_VECTOR_INDEX_SEGMENTS + 3, "write", seed=1)
    for row in writes:
        index.upsert([row])

    # Every write added a segment and none rebuilt the index inside the write; every row stays
    # covered by every index, and search finds each written row first, as exact search does.
    segments = vector_segments(index)
    assert segments and min(segments.values()) == 1 + len(writes)
    assert not any(index.unindexed_rows().values())
    for row in writes:
        assert nearest(index, row)[0] == _NAMES[row["content_hash"]]
        assert nearest(index, row) == nearest(index, row, exact=True)

    merger = IndexMerger(lambda: VectorIndex(str(tmp_path / "index"), DIM, vector_index_min_rows=5))
    try:
        merger.request()
        assert merger.wait_idle(120)
    finally:
        merger.close(60)
    assert sorted(merger.merged) == sorted(segments) and merger.failures == 0
    reopened = VectorIndex(str(tmp_path / "index"), DIM, vector_index_min_rows=5)
    assert set(vector_segments(reopened).values()) == {1}
    assert not any(reopened.unindexed_rows().values())
    table = lancedb.connect(str(tmp_path / "index")).open_table("media")
    assert table.stats()["fragment_stats"]["num_fragments"] == 1  # one segment: compacted
    assert reopened.count() == 50 + len(writes)
    for row in writes:
        assert nearest(reopened, row) == nearest(index, row, exact=True)


def test_writes_during_a_merge_leave_the_vector_indexes_alone_and_stay_searchable(tmp_path: Path) -> None:
    index = VectorIndex(str(tmp_path / "index"), DIM, vector_index_min_rows=5)
    index.upsert(spread_rows(50, "base"))
    late = spread_rows(3, "late", seed=2)
    with merging(index.merge_key):
        for row in late:
            index.upsert([row])
        uncovered = index.unindexed_rows()
        # The vector indexes (being rebuilt) do not cover the new rows; every other index does.
        assert {name for name, n in uncovered.items() if n} == set(vector_segments(index))
        for row in late:  # scanned while unindexed: found, as exact search finds them
            assert nearest(index, row)[0] == _NAMES[row["content_hash"]]
            hits = index.search(request(vectors={}, fts_text=row["text"], k=3))
            assert names(hits)[0] == _NAMES[row["content_hash"]]
    index.merge_index_segments(max_segments=0)  # merged, and then the rows written meanwhile indexed
    assert not any(index.unindexed_rows().values())
    assert set(vector_segments(index).values()) == {1}


def test_writers_beside_a_running_merge_all_land(tmp_path: Path) -> None:
    path = str(tmp_path / "index")
    writer = VectorIndex(path, DIM, vector_index_min_rows=5)
    writer.upsert(spread_rows(20_000, "bulk"))
    # max_segments=0: one merge of every vector index; a rebuild that loses a race with a write that
    # began before the merge is tried again after retry_s
    merger = IndexMerger(lambda: VectorIndex(path, DIM, vector_index_min_rows=5), max_segments=0, retry_s=0.1)
    written: list[dict] = []
    try:
        merger.request()
        deadline = time.monotonic() + 300
        while not merger.merged or len(written) < 3:
            assert time.monotonic() < deadline, "the merge never landed"
            written.append(spread_rows(1, f"during{len(written)}", seed=len(written) + 10)[0])
            writer.upsert([written[-1]])  # never fails, whichever commit lands first
        assert merger.wait_idle(120)
    finally:
        merger.close(60)
    assert sorted(set(merger.merged)) == sorted(vector_segments(writer))
    reopened = VectorIndex(path, DIM, vector_index_min_rows=5)
    assert reopened.count() == 20_000 + len(written)
    for row in written:
        assert nearest(reopened, row)[0] == _NAMES[row["content_hash"]]


# The child merges with each vector index rebuild wrapped: it says which rebuild it is at and waits for
# the test to read it, so the test kills it at a point it chose, not after a sleep a fast merge outruns.
_PAUSING_MERGE = """
import asyncio, sys
from lancedb.table import AsyncTable
from resources.vector_index import VectorIndex

build, stop_at = AsyncTable.create_index, int(sys.argv[1])
started = 0

async def create_index(self, *args, **kwargs):
    global started
    started += 1
    if started == stop_at:  # killed here: the rebuilds before this one committed, this one never starts
        print(f"pausing before rebuild {started}", flush=True)
        await asyncio.sleep(3600)
    return await build(self, *args, **kwargs)

AsyncTable.create_index = create_index
index = VectorIndex(sys.argv[2], int(sys.argv[3]), vector_index_min_rows=5)
index.merge_index_segments(max_segments=0)
print("merged", flush=True)
"""


@pytest.mark.parametrize("stop_at", [1, 2], ids=["before-the-first-rebuild", "after-the-first-rebuild-committed"])
def test_a_merge_killed_mid_way_leaves_a_working_index(tmp_path: Path, stop_at: int) -> None:
    path = str(tmp_path / "index")
    index = VectorIndex(path, DIM, vector_index_min_rows=5)
    index.upsert(spread_rows(2_000, "bulk"))
    writes = spread_rows(2, "write", seed=3)
    for row in writes:
        index.upsert([row])
    before = vector_segments(index)
    assert len(before) >= 2 and min(before.values()) > 1  # over-split, and more than one rebuild to stop between
    child = subprocess.Popen(
        [sys.executable, "-c", _PAUSING_MERGE, str(stop_at), path, str(DIM)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert child.stdout is not None and child.stdout.readline().strip() == f"pausing before rebuild {stop_at}"
    os.kill(child.pid, signal.SIGKILL)
    child.wait()

    # Every index is either as it was or rebuilt whole; exactly the rebuilds before the kill landed.
    reopened = VectorIndex(path, DIM, vector_index_min_rows=5)
    after = vector_segments(reopened)
    assert set(after) == set(before)
    rebuilt = sorted(name for name in after if after[name] != before[name])
    assert len(rebuilt) == stop_at - 1 and all(after[name] == 1 for name in rebuilt)
    assert reopened.count() == 2_000 + len(writes)
    for row in writes:
        assert nearest(reopened, row)[0] == _NAMES[row["content_hash"]]
        assert nearest(reopened, row) == nearest(reopened, row, exact=True)
    # The next merge finishes what the killed one left (the indexes still split in more than one segment).
    assert reopened.merge_index_segments(max_segments=1) == sorted(name for name in before if name not in rebuilt)
    assert set(vector_segments(reopened).values()) == {1}
    for row in writes:
        assert nearest(reopened, row)[0] == _NAMES[row["content_hash"]]


def test_a_second_handle_sees_writes_when_asked_to_check_for_them(tmp_path: Path) -> None:
    writer = VectorIndex(str(tmp_path / "index"), DIM)
    writer.upsert([make_row("a")])
    reader = VectorIndex(str(tmp_path / "index"), DIM, read_consistency_interval=timedelta(0))

    writer.upsert([make_row("b")])

    assert reader.count() == 2
    assert set(names(reader.search(request(fts_text="shared")))) == {"a", "b"}


def test_a_search_that_encodes_while_full_text_runs_finds_what_one_given_the_vectors_finds(index: VectorIndex) -> None:
    index.upsert([make_row("first"), make_row("second", visual_vector=axis((0, 0.6), (1, 1.0)))])
    vectors = {"visual": axis((0, 1.0)), "caption": axis((1, 1.0))}
    given, encoded = {}, {}

    expected = index.search(request(vectors=vectors, fts_text="second"), given)
    found = index.search(request(vectors={}, fts_text="second"), encoded, encode=lambda: vectors)

    assert found == expected and names(found) == ["second", "first"]
    assert "encode" in encoded and set(encoded) - {"encode"} == set(given)
    with pytest.raises(QueryRefused, match="shape"):  # what encode returns is checked like given vectors
        index.search(request(vectors={}, fts_text="second"), encode=lambda: {"visual": np.ones(3, np.float32)})


def test_an_encoder_that_fails_fails_the_search_and_the_index_keeps_searching(index: VectorIndex) -> None:
    index.upsert([make_row("first"), make_row("second")])

    def broken_encoder() -> dict[str, np.ndarray]:
        raise RuntimeError("the encoder broke")

    with pytest.raises(RuntimeError, match="the encoder broke"):
        index.search(request(vectors={}, fts_text="second"), encode=broken_encoder)
    assert names(index.search(request(vectors={}, fts_text="second"), encode=lambda: {"visual": axis((0, 1.0))}))


def _process_state(pid: int) -> str:
    """'T' while stopped, 'S'/'R' otherwise (the state field of /proc/PID/stat)."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]


def _over_split_index(path: str) -> VectorIndex:
    index = VectorIndex(path, DIM, vector_index_min_rows=5)
    index.upsert(spread_rows(2_000, "bulk"))
    for row in spread_rows(MAX_VECTOR_INDEX_SEGMENTS + 1, "write", seed=4):
        index.upsert([row])
    assert index.over_split_indexes()
    return index


def _running_child(merger: IndexMerger):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + 60
    while merger.child is None:
        assert time.monotonic() < deadline, "the merger never started its child"
        time.sleep(0.01)
    return merger.child


def test_a_merge_child_runs_at_idle_priority_stopped_while_interactive_work_runs(tmp_path: Path) -> None:
    path = str(tmp_path / "index")
    index = _over_split_index(path)
    merger = IndexMerger(lambda: VectorIndex(path, DIM, vector_index_min_rows=5), in_child=(path, DIM))
    try:
        with merger.paused():  # an upload holds the slot when the merge is asked for
            merger.request()
            child = _running_child(merger)
            deadline = time.monotonic() + 10  # a signal's delivery takes a moment
            while _process_state(child.process.pid) != "T":
                assert time.monotonic() < deadline, "the child was not stopped"
                time.sleep(0.01)
            assert child.policy() == os.SCHED_IDLE  # set by the child before lancedb's threads start
            os.kill(child.process.pid, signal.SIGTERM)  # as a Ctrl-C or stop sent to the process group
            time.sleep(1.0)
            assert child.process.poll() is None and not merger.merged  # stopped: it merged nothing
            assert index.over_split_indexes()
        deadline = time.monotonic() + 30
        while child.process.poll() is None and merger.child is child and _process_state(child.process.pid) == "T":
            assert time.monotonic() < deadline, "the child was never continued"
            time.sleep(0.01)
        assert merger.wait_idle(120)
    finally:
        merger.close(60)
    assert merger.failures == 0 and child.process.returncode == 0  # it ignored the SIGTERM
    assert sorted(merger.merged) == sorted(vector_segments(index))
    assert not VectorIndex(path, DIM, vector_index_min_rows=5).over_split_indexes()


def test_a_merge_child_out_of_patience_is_not_stopped_and_runs_at_normal_priority(tmp_path: Path) -> None:
    path = str(tmp_path / "index")
    _over_split_index(path)
    merger = IndexMerger(lambda: VectorIndex(path, DIM, vector_index_min_rows=5), in_child=(path, DIM), patience_s=0.0)
    try:
        with merger.paused():
            merger.request()
            child = _running_child(merger)
            assert child.impatient and not child.stopped and _process_state(child.process.pid) != "T"
            if child.process.poll() is None:
                assert child.policy() == os.SCHED_OTHER
            assert merger.wait_idle(120)  # it finishes although the slot is still held
    finally:
        merger.close(60)
    assert merger.merged and merger.failures == 0


def test_a_writer_whose_view_is_behind_finds_the_indexes_another_built(tmp_path: Path) -> None:
    """Two writers of one index (the server's refresh after an upload, a batch run's): the one whose view predates
    the other's index build lost its CreateIndex commit with Lance's retryable conflict and failed; it now retries
    on the newest version, finds the indexes there and optimizes."""
    uri = str(tmp_path / "index")
    first = VectorIndex(uri, DIM, vector_index_min_rows=10, session=lancedb.Session())
    first.upsert([make_row(f"row{i}") for i in range(5)], refresh=False)
    behind = VectorIndex(uri, DIM, vector_index_min_rows=10, session=lancedb.Session())  # sees 5 rows, no index
    first.upsert([make_row(f"row{i}") for i in range(5, 30)])  # builds every index
    built = first.index_types()
    assert "visual_vector_idx" in built

    behind.refresh()

    assert behind.index_types() == built
    assert set(behind.unindexed_rows().values()) == {0}
