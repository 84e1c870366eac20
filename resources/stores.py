"""The blob store as a Dagster resource; which store a root names is store_roots.py's `open_store`."""

from __future__ import annotations

from functools import cached_property

import dagster as dg

from resources.blob_store import BlobStore
from resources.store_roots import open_store as open_store  # where the code has always found it


class MediaStoreResource(dg.ConfigurableResource):
    """The blob store for originals, payloads and quarantine (`MM_STORE`: a folder or s3://...)."""

    root: str

    @cached_property
    def store(self) -> BlobStore:
        return open_store(self.root)
