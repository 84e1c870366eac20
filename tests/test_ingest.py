"""Ingest: content addressing, dedupe, immutability, and quarantine of every bad-input class."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import sqlalchemy as sa

from mm_assets.operations.gate import DEFAULT_CAPS, GateCaps
from mm_assets.operations.ingest import IngestOptions, IngestUsageError, ingest_paths
from mm_assets.operations.lifecycle import LifecycleError, owned_source
from resources.blob_store import media_key, sha256_file
from resources.catalog import CatalogResource, quarantine_item, source_media
from resources.media_store import LocalBlobStore
from resources.source_owners import owners_of
from tests.conftest import distinct_images, write_image
from tests.test_gate import pillow_pdf, png_declaring


def ingest(paths: list[Path], catalog: CatalogResource, store: LocalBlobStore, caps: GateCaps = DEFAULT_CAPS, **opts):
    return ingest_paths(paths, catalog=catalog, store=store, caps=caps, options=IngestOptions(**opts))


def count(catalog: CatalogResource, table: sa.Table) -> int:
    with catalog.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()


def test_ingest_stores_the_original_by_hash_and_records_the_seed_schema_row(tmp_path, catalog, store):
    photo = write_image(tmp_path / "in" / "photo.jpg")
    report = ingest([tmp_path / "in"], catalog, store, tenant="acme", region="eu", consent="expired")

    expected_hash = sha256_file(photo)
    assert [item["content_hash"] for item in report.accepted] == [expected_hash]
    assert store.read_bytes(media_key(expected_hash)) == photo.read_bytes()
    row = catalog.source_rows([expected_hash])[expected_hash]
    assert row["uri"] == f"store:media/{expected_hash[:2]}/{expected_hash}"  # relative: the home can move
    assert (row["modality"], row["mime_type"], row["bytes"]) == ("image", "image/jpeg", photo.stat().st_size)
    assert (row["tenant_id"], row["region"], row["consent"]) == ("acme", "eu", "expired")
    assert row["retention_class"] == "standard" and row["uploaded_at"] is not None


def test_reingesting_same_bytes_is_a_noop_reported_as_duplicate(tmp_path, catalog, store):
    first = write_image(tmp_path / "a.png")
    copy = tmp_path / "b" / "same-bytes-other-name.png"
    copy.parent.mkdir()
    copy.write_bytes(first.read_bytes())
    ingest([first], catalog, store)
    stored = store.path(media_key(sha256_file(first)))
    before = (stored.stat().st_ino, stored.stat().st_mtime_ns)

    report = ingest([first, copy], catalog, store)

    assert report.accepted == [] and len(report.duplicates) == 2
    assert {item["content_hash"] for item in report.duplicates} == {sha256_file(first)}
    assert count(catalog, source_media) == 1
    assert (stored.stat().st_ino, stored.stat().st_mtime_ns) == before


def test_identical_files_in_one_batch_are_stored_once(tmp_path, catalog, store):
    first = write_image(tmp_path / "x.png")
    (tmp_path / "y.png").write_bytes(first.read_bytes())
    report = ingest([tmp_path / "x.png", tmp_path / "y.png"], catalog, store)
    assert len(report.accepted) == 1 and len(report.duplicates) == 1
    assert count(catalog, source_media) == 1


def test_an_existing_original_is_never_rewritten(tmp_path, catalog, store):
    photo = write_image(tmp_path / "p.png")
    content_hash = sha256_file(photo)
    # Someone (or a crash) left bytes at the key: the store refuses to replace them.
    assert store.put_bytes_if_absent(media_key(content_hash), b"pre-existing") is True
    assert store.put_file_if_absent(media_key(content_hash), photo) is False
    ingest([photo], catalog, store)
    assert store.read_bytes(media_key(content_hash)) == b"pre-existing"


def test_stored_originals_are_read_only_copies_independent_of_the_input(tmp_path, catalog, store):
    photo = write_image(tmp_path / "p.png")
    original = photo.read_bytes()
    ingest([photo], catalog, store)
    photo.write_bytes(b"user edited the file afterwards")
    assert store.read_bytes(media_key(sha256_file_bytes(original))) == original


def sha256_file_bytes(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def make_bad_inputs(folder: Path) -> dict[str, str]:
    """One file per bad-input class -> the reason the gate must give."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "empty.png").write_bytes(b"")
    png = write_image(folder / "whole.png", size=(64, 64)).read_bytes()
    (folder / "whole.png").unlink()
    (folder / "truncated.png").write_bytes(png[: len(png) // 2])
    jpeg = write_image(folder / "whole.jpg", size=(64, 64)).read_bytes()
    (folder / "whole.jpg").unlink()
    (folder / "truncated.jpg").write_bytes(jpeg[: len(jpeg) // 2])
    (folder / "notes.jpg").write_text("this is a text file, not a JPEG\n")
    (folder / "fake.pdf").write_bytes(b"%PDF-1.7\nthis is not a pdf at all\n")
    png_declaring(folder / "bomb.png", 100_000, 100_000)
    pillow_pdf(folder / "long.pdf", pages=3)
    os.symlink(folder / "does-not-exist.png", folder / "dangling.png")
    os.symlink(folder / "loop_b", folder / "loop_a")
    os.symlink(folder / "loop_a", folder / "loop_b")
    return {
        "empty.png": "empty_file",
        "truncated.png": "truncated_image",
        "truncated.jpg": "truncated_image",
        "notes.jpg": "unsupported_type",
        "fake.pdf": "corrupt_pdf",
        "bomb.png": "too_many_pixels",
        "long.pdf": "too_many_pages",
        "dangling.png": "unreadable",
        "loop_a": "unreadable",
        "loop_b": "unreadable",
    }


def test_every_bad_input_class_is_quarantined_while_good_files_in_the_batch_are_ingested(tmp_path, catalog, store):
    batch = tmp_path / "batch"
    expected = make_bad_inputs(batch)
    good = distinct_images(batch / "good", 3) + [pillow_pdf(batch / "good" / "one-page.pdf", pages=1)]

    report = ingest([batch], catalog, store, caps=GateCaps(max_pdf_pages=2))

    assert sorted(Path(item["path"]).name for item in report.accepted) == sorted(p.name for p in good)
    reasons = {Path(item["path"]).name: item["reason"] for item in report.rejected}
    assert reasons == expected
    for item in report.rejected:
        assert Path(item["path"]).name in item["message"] or item["path"] in item["message"]
    # Readable rejects keep their bytes and a reason record in quarantine; unreadable ones keep a record.
    for item in report.rejected:
        if item["reason"] == "unreadable":
            assert item["quarantine_uri"] is None
            continue
        key = f"quarantine/{item['content_hash'][:2]}/{item['content_hash']}"
        assert store.read_bytes(key) == Path(item["path"]).read_bytes()
        assert json.loads(store.read_bytes(key + ".reason.json"))["reason"] == item["reason"]
    with catalog.engine.connect() as conn:
        recorded = {Path(r.path).name: r.reason for r in conn.execute(sa.select(quarantine_item))}
    assert recorded == expected
    assert count(catalog, source_media) == len(good)


def test_an_unreadable_top_level_path_is_reported_not_raised(tmp_path, catalog, store):
    good = write_image(tmp_path / "ok.png")
    report = ingest([tmp_path / "missing.png", good], catalog, store)
    assert [item["reason"] for item in report.rejected] == ["unreadable"]
    assert len(report.accepted) == 1


def test_the_same_bytes_from_another_tenant_are_accepted_as_if_fresh_and_owned_apart(tmp_path, catalog, store):
    photo = write_image(tmp_path / "p.png")
    fresh = ingest([photo], catalog, store, tenant="tenant-a", region="eu").as_json()
    second = tmp_path / "b" / "b-name.png"
    second.parent.mkdir()
    second.write_bytes(photo.read_bytes())
    report = ingest([second], catalog, store, tenant="tenant-b", region="us", consent="expired")
    # The same answer as for bytes nobody held: no rejection, no hint, nothing beyond the path.
    shared = report.as_json()
    assert shared["rejected"] == [] and shared["duplicates"] == []
    assert [{k: v for k, v in item.items() if k != "path"} for item in shared["accepted"]] == [
        {k: v for k, v in item.items() if k != "path"} for item in fresh["accepted"]
    ]
    assert set(shared) == {"accepted", "duplicates", "rejected"}
    content_hash = sha256_file(photo)
    assert count(catalog, source_media) == 1 and len(list(store.list_keys("media"))) == 1
    owners = {row["tenant_id"]: row for row in owners_of(catalog, [content_hash])[content_hash]}
    assert {t: (o["original_name"], o["region"], o["consent"]) for t, o in owners.items()} == {
        "tenant-a": ("p.png", "eu", "valid"),
        "tenant-b": ("b-name.png", "us", "expired"),
    }
    # Each tenant sees its own facts; a third sees nothing. Re-ingest by b is b's duplicate.
    assert owned_source(catalog, content_hash, "tenant-b")["original_name"] == "b-name.png"
    assert owned_source(catalog, content_hash, "tenant-a")["region"] == "eu"
    with pytest.raises(LifecycleError):
        owned_source(catalog, content_hash, "tenant-c")
    again = ingest([second], catalog, store, tenant="tenant-b")
    assert (len(again.duplicates), again.accepted) == (1, [])
    assert count(catalog, quarantine_item) == 0


@pytest.mark.parametrize("options", [{"tenant": "bad tenant!"}, {"consent": "maybe"}])
def test_invalid_ingest_options_are_refused_before_anything_is_stored(tmp_path, catalog, store, options):
    write_image(tmp_path / "p.png")
    with pytest.raises(IngestUsageError):
        ingest([tmp_path / "p.png"], catalog, store, **options)
    assert list(store.list_keys("media")) == []
