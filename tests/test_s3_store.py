"""Specification of S3BlobStore, against a real SeaweedFS S3 server started for the session."""

from __future__ import annotations

import hashlib
import socket
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

import lancedb
import pytest

from resources.blob_store import SourceChanged, sha256_file
from resources.s3_store import S3BlobStore, S3StoreError, lance_storage_options, parse_s3_uri
from resources.stores import open_store

if TYPE_CHECKING:
    from tests.s3_server import S3Server

# Provides the s3_server and s3_env fixtures (a conftest may import them instead).

MIB = 1024 * 1024  # the store sends files of 8 MiB or more in 8 MiB parts


@pytest.fixture
def s3_store(s3_env: S3Server) -> S3BlobStore:
    """A store under a prefix of its own, so tests sharing the session's bucket never meet."""
    return S3BlobStore.from_uri(f"s3://{s3_env.bucket}/t-{uuid.uuid4().hex[:12]}")


def write_file(path: Path, size: int, seed: int = 0) -> Path:
    path.write_bytes(hashlib.shake_256(f"{seed}".encode()).digest(size))
    return path


def unused_local_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def open_multipart_uploads(server: S3Server) -> list[dict]:
    return server.client().list_multipart_uploads(Bucket=server.bucket).get("Uploads", [])


def count_requests(store: S3BlobStore, operation: str) -> list[str]:
    """Record each `operation` request the store's client sends (appends to the returned list)."""
    seen: list[str] = []
    store.client.meta.events.register(f"after-call.s3.{operation}", lambda **_: seen.append(operation))
    return seen


def test_put_bytes_round_trips_through_exists_size_and_read(s3_store: S3BlobStore) -> None:
    key = "media/ab/ab12"
    assert not s3_store.exists(key)
    assert s3_store.size(key) is None

    assert s3_store.put_bytes_if_absent(key, b"original bytes") is True

    assert s3_store.exists(key)
    assert s3_store.size(key) == len(b"original bytes")
    assert s3_store.read_bytes(key) == b"original bytes"


def test_uri_names_bucket_prefix_and_key(s3_env: S3Server) -> None:
    store = S3BlobStore.from_uri(f"s3://{s3_env.bucket}/tenant-a/")
    assert store.root == f"s3://{s3_env.bucket}/tenant-a"
    assert store.uri("media/ab/ab12") == f"s3://{s3_env.bucket}/tenant-a/media/ab/ab12"
    assert S3BlobStore.from_uri(f"s3://{s3_env.bucket}").uri("k") == f"s3://{s3_env.bucket}/k"


def test_open_store_gives_an_s3_store_for_an_s3_root(s3_env: S3Server) -> None:
    store = open_store(f"s3://{s3_env.bucket}/opened")
    assert isinstance(store, S3BlobStore)
    assert store.endpoint == s3_env.endpoint


def test_second_put_of_a_key_returns_false_and_keeps_the_first_bytes(s3_store: S3BlobStore, tmp_path: Path) -> None:
    assert s3_store.put_bytes_if_absent("k", b"first") is True
    assert s3_store.put_bytes_if_absent("k", b"second") is False
    assert s3_store.put_file_if_absent("k", write_file(tmp_path / "other", 100)) is False
    assert s3_store.read_bytes("k") == b"first"


@pytest.mark.parametrize("size", [1000, 9 * MIB], ids=["single-put", "multipart"])
def test_conditional_write_refuses_an_overwrite_that_slips_past_the_existence_check(
    s3_store: S3BlobStore,
    s3_env: S3Server,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    size: int,
) -> None:
    assert s3_store.put_bytes_if_absent("raced", b"winner") is True
    # A writer whose HEAD ran before the winner landed: only If-None-Match can stop it now.
    monkeypatch.setattr(s3_store, "exists", lambda key: False)

    assert s3_store.put_bytes_if_absent("raced", b"loser") is False
    assert s3_store.put_file_if_absent("raced", write_file(tmp_path / "loser", size)) is False

    assert s3_store.read_bytes("raced") == b"winner"
    assert open_multipart_uploads(s3_env) == []


def test_put_file_stores_the_file_when_its_digest_matches(s3_store: S3BlobStore, tmp_path: Path) -> None:
    source = write_file(tmp_path / "scan.pdf", 3000)
    assert s3_store.put_file_if_absent("media/x", source, expected_sha256=sha256_file(source))
    assert s3_store.read_bytes("media/x") == source.read_bytes()


@pytest.mark.parametrize("size", [3000, 9 * MIB], ids=["single-put", "multipart"])
def test_digest_mismatch_raises_source_changed_and_stores_nothing(
    s3_store: S3BlobStore, s3_env: S3Server, tmp_path: Path, size: int
) -> None:
    source = write_file(tmp_path / "photo.jpg", size, seed=1)
    hashed_before_it_changed = hashlib.sha256(b"the bytes that were hashed").hexdigest()

    with pytest.raises(SourceChanged, match="photo.jpg changed while it was being ingested"):
        s3_store.put_file_if_absent("media/y", source, expected_sha256=hashed_before_it_changed)

    assert not s3_store.exists("media/y")
    assert open_multipart_uploads(s3_env) == []


def test_large_file_is_uploaded_in_parts_and_reads_back_whole(s3_store: S3BlobStore, tmp_path: Path) -> None:
    source = write_file(tmp_path / "big.tif", 20 * MIB, seed=2)
    parts = count_requests(s3_store, "UploadPart")

    assert s3_store.put_file_if_absent("media/big", source, expected_sha256=sha256_file(source))

    assert len(parts) == 3  # 20 MiB in 8 MiB parts
    assert s3_store.size("media/big") == 20 * MIB
    assert hashlib.sha256(s3_store.read_bytes("media/big")).hexdigest() == sha256_file(source)


def test_list_keys_pages_through_keys_under_a_folder_relative_to_the_root(
    s3_env: S3Server,
) -> None:
    root = f"s3://{s3_env.bucket}/list-{uuid.uuid4().hex[:8]}"
    store = S3BlobStore.from_uri(root, list_page_size=2)
    inside = [f"media/ab/ab{i}" for i in range(5)]
    for key in [*inside, "media/abc/not-in-the-folder", "other/zz"]:
        store.put_bytes_if_absent(key, key.encode())
    pages = count_requests(store, "ListObjectsV2")

    assert list(store.list_keys("media/ab")) == inside
    assert len(pages) >= 3  # five keys, two per page
    assert list(store.list_keys("media/ab/ab3")) == ["media/ab/ab3"]
    assert list(store.list_keys("media/none")) == []
    assert sorted(store.list_keys("")) == sorted([*inside, "media/abc/not-in-the-folder", "other/zz"])


def test_delete_removes_the_key_and_reports_whether_it_existed(s3_store: S3BlobStore) -> None:
    s3_store.put_bytes_if_absent("artifacts/ocr/x.json", b"{}")

    assert s3_store.delete("artifacts/ocr/x.json") is True
    assert not s3_store.exists("artifacts/ocr/x.json")
    assert s3_store.delete("artifacts/ocr/x.json") is False


def test_reading_a_missing_key_raises_file_not_found(s3_store: S3BlobStore) -> None:
    with pytest.raises(FileNotFoundError, match="/media/missing does not exist"):
        s3_store.read_bytes("media/missing")


@pytest.mark.parametrize("key", ["", "/abs", "a/../b", ".."])
def test_keys_that_escape_the_root_are_rejected(s3_store: S3BlobStore, key: str) -> None:
    with pytest.raises(ValueError, match="invalid store key"):
        s3_store.exists(key)


@pytest.mark.parametrize("uri", ["bucket/prefix", "s3://", "s3:///prefix", "file:///tmp"])
def test_roots_that_are_not_s3_uris_are_rejected(uri: str) -> None:
    with pytest.raises(ValueError, match="s3://bucket"):
        parse_s3_uri(uri)


def test_missing_bucket_error_names_the_endpoint_the_bucket_and_what_to_check(
    s3_env: S3Server,
) -> None:
    store = S3BlobStore.from_uri("s3://no-such-bucket/p")
    with pytest.raises(S3StoreError) as caught:
        store.put_bytes_if_absent("k", b"x")
    message = str(caught.value)
    assert "'no-such-bucket' does not exist" in message
    assert s3_env.endpoint in message
    assert "create it" in message


def test_unreachable_endpoint_error_names_the_endpoint_and_the_variable_to_fix(
    s3_env: S3Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    nobody_listens = f"http://127.0.0.1:{unused_local_port()}"
    monkeypatch.setenv("MM_S3_ENDPOINT", nobody_listens)
    store = S3BlobStore.from_uri(f"s3://{s3_env.bucket}/p")
    with pytest.raises(S3StoreError) as caught:
        store.exists("k")
    message = str(caught.value)
    assert f"cannot reach S3 endpoint {nobody_listens}" in message
    assert s3_env.bucket in message
    assert "check MM_S3_ENDPOINT" in message


def test_wrong_credentials_error_names_the_credential_variables(
    s3_env: S3Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "not-the-secret")
    store = S3BlobStore.from_uri(f"s3://{s3_env.bucket}/p")
    with pytest.raises(S3StoreError) as caught:
        store.list_keys("media").__next__()
    message = str(caught.value)
    assert "refused the credentials" in message
    assert s3_env.endpoint in message and s3_env.bucket in message
    assert "AWS_SECRET_ACCESS_KEY" in message


def test_lancedb_creates_and_searches_a_table_on_the_s3_server(s3_env: S3Server) -> None:
    prefix = f"lance-{uuid.uuid4().hex[:8]}"
    options = lance_storage_options()
    assert options["aws_endpoint"] == s3_env.endpoint and options["allow_http"] == "true"

    db = lancedb.connect(f"s3://{s3_env.bucket}/{prefix}", storage_options=options)
    rows = [
        {"content_hash": "aa", "vector": [1.0, 0.0, 0.0]},
        {"content_hash": "bb", "vector": [0.0, 1.0, 0.0]},
        {"content_hash": "cc", "vector": [0.0, 0.0, 1.0]},
    ]
    db.create_table("search_index", data=rows)

    reopened = lancedb.connect(f"s3://{s3_env.bucket}/{prefix}", storage_options=options)
    hits = reopened.open_table("search_index").search([0.1, 0.9, 0.0]).limit(1).to_list()
    assert [hit["content_hash"] for hit in hits] == ["bb"]
    stored = list(S3BlobStore.from_uri(f"s3://{s3_env.bucket}/{prefix}").list_keys(""))
    assert any(key.startswith("search_index.lance/") for key in stored)
