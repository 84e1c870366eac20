"""Chunk rows in the LanceDB index: the contract, evidence on results, governance, deletion."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest

from resources.index_fusion import DEFAULT_WEIGHTS
from resources.index_schema import IndexRowError, chunk_id_for, chunk_schema
from resources.vector_index import VectorIndex
from tests.test_vector_index import DIM, axis, content_hash, make_row, names, request, table_bytes

VERSIONS = {"pii": {"artifact_id": "p1", "pipeline_version": "1", "model_id": "m"}}


def make_chunk(source: str, ordinal: int, **fields: object) -> dict:
    row = {
        "chunk_id": chunk_id_for(content_hash(source), "page_block", ordinal),
        "content_hash": content_hash(source),
        "tenant_id": "A",
        "region": "eu",
        "consent": "valid",
        "usage_rights": "approved",
        "modality": "document",
        "has_ocr": True,
        "chunk_kind": "page_block",
        "page": 1,
        "bbox": [10.0, 20.0, 110.0, 60.0],
        "text": f"{source} passage {ordinal}",
        "text_vector": axis((2, 1.0)),
        "versions": VERSIONS,
    }
    row.update(fields)
    return row


@pytest.fixture
def index(tmp_path: Path) -> Iterator[VectorIndex]:
    index = VectorIndex(str(tmp_path / "index"), DIM)
    yield index
    index.close()


def test_the_chunk_schema_carries_place_time_governance_and_both_vectors() -> None:
    schema = chunk_schema(DIM)
    for name in ("tenant_id", "consent", "usage_rights", "region", "modality", "has_ocr", "versions"):
        assert not schema.field(name).nullable
    for name in ("page", "bbox", "t_start", "t_end"):
        assert schema.field(name).nullable
    assert schema.field("text_vector").type.list_size == schema.field("image_vector").type.list_size == DIM


def test_the_best_passage_comes_back_as_evidence_with_its_page_and_box(index: VectorIndex) -> None:
    index.upsert([make_row("manual", modality="document"), make_row("other", modality="document")])
    index.upsert_chunks(
        [
            make_chunk("manual", 0, page=1, text_vector=axis((3, 1.0))),
            make_chunk("manual", 1, page=7, bbox=[40.0, 300.0, 500.0, 380.0], text="torque is 12 Nm"),
            make_chunk("other", 0, page=2, text_vector=axis((2, 0.5), (3, 1.0))),
        ]
    )

    hits = index.search(request(vectors={"ocr": axis((2, 1.0))}))

    assert names(hits)[0] == "manual"
    best = hits[0].evidence[0]
    assert best == {
        "page": 7,
        "bbox": [40.0, 300.0, 500.0, 380.0],
        "text": "torque is 12 Nm",
        "channel": "text",
        "score": pytest.approx(DEFAULT_WEIGHTS["chunk_text"] * 1.0, abs=1e-5),  # weight x cosine
    }
    assert [entry["score"] for entry in hits[0].evidence] == sorted(
        (entry["score"] for entry in hits[0].evidence), reverse=True
    )
    assert "chunk_text" in hits[0].channels  # the chunk voted in the source's fused score


def test_a_source_found_only_through_a_chunk_is_returned_once(index: VectorIndex) -> None:
    index.upsert([make_row("long", modality="document"), make_row("short", modality="document")])
    index.upsert_chunks([make_chunk("long", ordinal, text_vector=axis((4, 1.0))) for ordinal in range(5)])

    hits = index.search(request(vectors={"ocr": axis((4, 1.0))}, k=10))

    assert names(hits).count("long") == 1
    assert names(hits)[0] == "long"
    assert len(hits[0].evidence) == 3  # MAX_EVIDENCE


def test_time_chunks_give_a_time_span_and_no_page_keys(index: VectorIndex) -> None:
    index.upsert([make_row("talk", modality="audio")])
    window = make_chunk(
        "talk",
        0,
        chunk_id=chunk_id_for(content_hash("talk"), "transcript_window", 0),
        chunk_kind="transcript_window",
        page=None,
        bbox=None,
        t_start=12.5,
        t_end=42.0,
        text="the budget was approved",
    )
    index.upsert_chunks([window])

    evidence = index.search(request(vectors={"ocr": axis((2, 1.0))}))[0].evidence

    assert evidence[0]["t_start"] == 12.5 and evidence[0]["t_end"] == 42.0
    assert "page" not in evidence[0] and "bbox" not in evidence[0]


def test_no_chunk_of_another_tenant_or_without_consent_is_ever_returned(index: VectorIndex) -> None:
    index.upsert(
        [
            make_row("mine", tenant_id="A"),
            make_row("theirs", tenant_id="B"),
            make_row("expired", tenant_id="A", consent="expired"),
        ]
    )
    # The other tenant's and the expired source's chunks match the query best.
    index.upsert_chunks(
        [
            make_chunk("mine", 0, text_vector=axis((2, 0.3), (5, 1.0))),
            make_chunk("theirs", 0, tenant_id="B", text="their secret"),
            make_chunk("expired", 0, consent="expired", text="withdrawn"),
        ]
    )

    hits = index.search(request(vectors={"ocr": axis((2, 1.0))}, fts_text="secret withdrawn passage"))

    assert names(hits) == ["mine"]
    assert all(entry["text"] == "mine passage 0" for hit in hits for entry in hit.evidence)
    global_hits = index.search(request(vectors={"ocr": axis((2, 1.0))}, tenant=None, global_scope=True))
    assert set(names(global_hits)) == {"mine", "theirs"}


def test_a_chunk_whose_source_row_is_missing_is_never_returned(index: VectorIndex) -> None:
    index.upsert([make_row("indexed")])
    index.upsert_chunks([make_chunk("orphan", 0)])

    assert "orphan" not in names(index.search(request(vectors={"ocr": axis((2, 1.0))})))


def test_upserting_a_sources_chunks_replaces_all_of_them(index: VectorIndex) -> None:
    index.upsert_chunks([make_chunk("doc", ordinal) for ordinal in range(4)] + [make_chunk("keep", 0)])

    index.upsert_chunks([make_chunk("doc", 0, text="rewritten")])

    rows = index.chunk_rows(content_hash("doc"))
    assert [row["text"] for row in rows] == ["rewritten"]
    assert len(index.chunk_rows(content_hash("keep"))) == 1
    index.upsert_chunks([], sources=[content_hash("doc")])
    assert index.chunk_rows(content_hash("doc")) == []
    assert index.chunk_count() == 1


def test_deleting_a_source_removes_its_chunk_rows_and_their_bytes(index: VectorIndex, tmp_path: Path) -> None:
    index.upsert([make_row("secret"), make_row("kept")])
    index.upsert_chunks([make_chunk("secret", 0, text="xylophone-quartz confidential"), make_chunk("kept", 0)])
    assert b"xylophone-quartz" in table_bytes(tmp_path / "index")

    assert index.delete([content_hash("secret")]) == 1

    assert index.chunk_rows(content_hash("secret")) == []
    assert index.chunk_count() == 1
    assert b"xylophone-quartz" not in table_bytes(tmp_path / "index")
    assert index.delete_chunks([content_hash("kept")]) == 1
    assert index.chunk_count() == 0


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"chunk_kind": "paragraph"}, "chunk_kind must be one of"),
        ({"page": None}, "needs page and bbox"),
        ({"bbox": [10, 20, 5, 60]}, "bbox must be"),
        ({"bbox": [1, 2, 3]}, "bbox must be"),
        ({"page": 0}, "page must be an integer"),
        ({"t_start": 1.0, "t_end": 2.0}, "has no time span"),
        ({"chunk_kind": "transcript_window", "page": None, "bbox": None}, "needs t_start and t_end"),
        ({"text_vector": None}, "text_vector is missing"),
        ({"text_vector": np.ones(DIM + 1)}, "has shape"),
        ({"tenant_id": ""}, "tenant_id must be"),
        ({"content_hash": "not-a-hash"}, "content_hash must be"),
        ({"consent": "maybe"}, "consent must be"),
    ],
)
def test_chunk_rows_that_break_the_contract_are_refused(index: VectorIndex, fields: dict, problem: str) -> None:
    with pytest.raises(IndexRowError, match=problem):
        index.upsert_chunks([make_chunk("doc", 0, **fields)])
    assert index.chunk_count() == 0


def test_chunk_indexes_are_built_once_rows_reach_the_threshold(tmp_path: Path) -> None:
    index = VectorIndex(str(tmp_path / "index"), DIM, vector_index_min_rows=10)
    index.upsert([make_row("doc")])
    index.upsert_chunks([make_chunk("doc", i, text_vector=axis((i % DIM, 1.0), (2, 0.5))) for i in range(12)])

    types = index.index_types(chunks=True)
    assert types["text_vector_idx"] == "IvfHnswSq"
    assert "image_vector_idx" not in types  # no chunk has a picture: nothing to train on
    assert types["text_idx"] == "FTS" and types["tenant_id_idx"] == "Bitmap"
    assert set(index.chunk_unindexed_rows().values()) == {0}
    for exact in (True, False):
        evidence = index.search(request(vectors={"ocr": axis((2, 1.0))}, exact=exact))[0].evidence
        assert evidence[0]["text"] == "doc passage 2"  # the one chunk on the query's axis alone


def image_chunk(source: str, **fields: object) -> dict:
    chunk = make_chunk(
        source,
        0,
        chunk_id=chunk_id_for(content_hash(source), "image", 0),
        chunk_kind="image",
        modality="image",
        has_ocr=False,
        bbox=[0.0, 0.0, 640.0, 480.0],
        text="",
        text_vector=None,
        image_vector=axis((0, 1.0)),
    )
    chunk.update(fields)
    return chunk


def test_a_winning_image_without_a_matching_passage_points_at_the_whole_image(index: VectorIndex) -> None:
    index.upsert([make_row("photo")])
    index.upsert_chunks([image_chunk("photo")])

    hits = index.search(request(vectors={"visual": axis((0, 1.0))}))

    assert hits[0].evidence == [
        {"page": 1, "bbox": [0.0, 0.0, 640.0, 480.0], "text": "", "channel": "visual", "score": pytest.approx(1.0)}
    ]
    assert "chunk_visual" not in hits[0].channels  # off by default: the source's visual vector decides


def test_the_visual_chunk_channel_votes_when_weighted(index: VectorIndex) -> None:
    index.upsert([make_row("photo", visual_vector=axis((1, 1.0))), make_row("other", visual_vector=axis((1, 1.0)))])
    index.upsert_chunks([image_chunk("photo", image_vector=axis((0, 1.0)))])

    hits = index.search(request(vectors={"visual": axis((0, 1.0))}, weights={"chunk_visual": 0.5}, fusion="weighted"))

    assert names(hits)[0] == "photo" and "chunk_visual" in hits[0].channels
    assert hits[0].evidence[0]["channel"] == "visual"


def test_an_index_without_chunk_rows_skips_the_chunk_queries_until_some_are_written(tmp_path: Path) -> None:
    writer = VectorIndex(str(tmp_path / "index"), DIM)
    follower = VectorIndex(str(tmp_path / "index"), DIM, read_consistency_interval=timedelta(0))
    try:
        writer.upsert([make_row("manual", modality="document")])
        query = request(vectors={"visual": axis((0, 1.0)), "ocr": axis((2, 1.0))})
        for view in (writer, follower):
            stages: dict[str, float] = {}
            hits = view.search(query, stages)
            assert names(hits) == ["manual"] and hits[0].evidence == []
            assert "channel.chunk_text" not in stages  # nothing to find there: not queried

        writer.upsert_chunks([make_chunk("manual", 0, page=3)])

        for view in (writer, follower):  # its own write; another object's, seen at its consistency interval
            stages = {}
            hits = view.search(query, stages)
            assert "channel.chunk_text" in stages
            assert hits[0].evidence[0]["page"] == 3 and hits[0].evidence[0]["channel"] == "text"
    finally:
        writer.close()
        follower.close()
