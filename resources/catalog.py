"""The catalog as a Dagster resource. Its tables and migrations are in catalog_tables.py, its engines in
catalog_db.py, neither of which imports Dagster; they are re-exported here, where the rest of the code has
always found them."""

from __future__ import annotations

from functools import cached_property

import dagster as dg
from sqlalchemy.engine import Engine

from resources.catalog_db import (
    CatalogAccess,
    CatalogDatabase,
    CatalogSchemaOutdated,
    create_catalog_engine,
    current_artifacts,
    current_version,
    dialect_insert,
    migrate,
    new_id,
    open_catalog_engine,
    shared_catalog_engine,
    utcnow,
)
from resources.catalog_tables import (
    MIGRATIONS,
    SCHEMA_VERSION,
    UNKEYED_HASH_DROPPED,
    api_key,
    budget_alert,
    derived_artifact,
    governance_log,
    metadata,
    partition_claim,
    processing_event,
    processing_step,
    quarantine_item,
    review_item,
    schema_version,
    search_audit,
    source_media,
    source_owner,
    tenant_budget,
)

__all__ = [
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "CatalogDatabase",
    "CatalogResource",
    "CatalogSchemaOutdated",
    "api_key",
    "budget_alert",
    "create_catalog_engine",
    "current_artifacts",
    "current_version",
    "derived_artifact",
    "dialect_insert",
    "governance_log",
    "metadata",
    "migrate",
    "new_id",
    "open_catalog_engine",
    "partition_claim",
    "processing_event",
    "processing_step",
    "quarantine_item",
    "review_item",
    "schema_version",
    "search_audit",
    "shared_catalog_engine",
    "source_media",
    "source_owner",
    "tenant_budget",
    "UNKEYED_HASH_DROPPED",
    "utcnow",
]


class CatalogResource(dg.ConfigurableResource, CatalogAccess):
    """The catalog database, shared by assets, sensors and the CLI."""

    url: str

    @cached_property
    def engine(self) -> Engine:
        return shared_catalog_engine(self.url)
