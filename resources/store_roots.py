"""Which blob store a root names: a local folder (media_store.py) or S3 (s3_store.py). No Dagster, so
code that must start fast (a cold `mm search`) can open the store; stores.py wraps it as a resource."""

from __future__ import annotations

from resources.blob_store import BlobStore
from resources.media_store import LocalBlobStore


def open_store(root: str) -> BlobStore:
    """The store for a root: a local folder, or `s3://bucket/prefix` (endpoint from MM_S3_ENDPOINT)."""
    if root.startswith("s3://"):
        from resources.s3_store import S3BlobStore

        return S3BlobStore.from_uri(root)
    return LocalBlobStore(root)
