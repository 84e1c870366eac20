"""The catalog's tables (SQLAlchemy Core) and the ordered migrations that bring a database to them.

One place for the schema: sources and their owners, derived artifacts, processing events and steps,
reviews, quarantine, search audit, governance log, claims, API keys and budgets. `MIGRATIONS` records
every change in order (append, never edit an applied one); catalog_db.py runs them and opens engines.
No Dagster here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection

metadata = sa.MetaData()

schema_version = sa.Table(
    "schema_version",
    metadata,
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
)


def owner_fact_columns() -> list[sa.Column]:
    """What a tenant chose or named when it ingested a file (new Column objects for each table):
    source_media has them for the owner it records, source_owner for every owner."""
    return [
        sa.Column("retention_class", sa.String(32), nullable=False),
        sa.Column("region", sa.String(32), nullable=False),
        sa.Column("consent", sa.String(16), nullable=False),
        sa.Column("usage_rights", sa.String(16), nullable=False),
        sa.Column("original_name", sa.Text, nullable=False),
    ]


# Seed 003's schema; TIMESTAMPTZ/JSONB become portable types, UUIDs are stored as text.
source_media = sa.Table(
    "source_media",
    metadata,
    sa.Column("source_id", sa.String(36), primary_key=True),
    sa.Column("content_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("uri", sa.Text, nullable=False),
    sa.Column("modality", sa.String(16), nullable=False),
    sa.Column("mime_type", sa.String(64), nullable=False),
    sa.Column("bytes", sa.BigInteger, nullable=False),
    sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    *owner_fact_columns(),
    sa.Column("gate", sa.JSON, nullable=False),
    sa.Column("sensitivity", sa.String(32)),  # "id_document", or NULL; set by the pii step
)

derived_artifact = sa.Table(
    "derived_artifact",
    metadata,
    sa.Column("artifact_id", sa.String(36), primary_key=True),
    sa.Column("source_id", sa.String(36), sa.ForeignKey("source_media.source_id"), nullable=False),
    sa.Column("source_hash", sa.String(64), nullable=False),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("pipeline_name", sa.String(64), nullable=False),
    sa.Column("pipeline_version", sa.String(32), nullable=False),
    sa.Column("model_id", sa.String(200)),
    sa.Column("payload_uri", sa.Text, nullable=False),
    sa.Column("region", sa.JSON),
    sa.Column("attributes", sa.JSON),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("superseded_by", sa.String(36), sa.ForeignKey("derived_artifact.artifact_id")),
    # current | candidate (awaiting comparison or review) | superseded | rejected
    sa.Column("status", sa.String(16), nullable=False),
    # Digest of the upstream artifacts it was made from ("" for kinds read straight from the
    # original): a PII artifact made from OCR v1 and one made from OCR v2 share pipeline version
    # and model id but not content, so the digest completes the version key.
    sa.Column("input_digest", sa.String(16), nullable=False),
    # The version key: writing the same artifact twice is a no-op.
    sa.UniqueConstraint(
        "source_hash", "kind", "pipeline_version", "model_id", "input_digest", name="uq_artifact_version"
    ),
)
sa.Index("ix_artifact_source_kind", derived_artifact.c.source_id, derived_artifact.c.kind)
sa.Index("ix_artifact_version", derived_artifact.c.pipeline_version, derived_artifact.c.model_id)
sa.Index("ix_artifact_current", derived_artifact.c.source_hash, derived_artifact.c.kind, derived_artifact.c.status)

processing_event = sa.Table(
    "processing_event",
    metadata,
    sa.Column("event_id", sa.String(36), primary_key=True),
    sa.Column("source_hash", sa.String(64), nullable=False, index=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("run_id", sa.String(64)),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("event", sa.JSON, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

# One row per step per source per run; the processing_event asset folds them into one event.
processing_step = sa.Table(
    "processing_step",
    metadata,
    sa.Column("step_id", sa.String(36), primary_key=True),
    sa.Column("run_id", sa.String(64), nullable=False),
    sa.Column("source_hash", sa.String(64), nullable=False),
    sa.Column("step", sa.String(32), nullable=False),
    sa.Column("outcome", sa.String(16), nullable=False),
    sa.Column("ms", sa.Float, nullable=False),
    sa.Column("details", sa.JSON),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)
sa.Index("ix_step_run_source", processing_step.c.run_id, processing_step.c.source_hash)
# What a step cost (migration 4): who it was for, CPU seconds, units of work, model calls, USD.
STEP_COST_COLUMNS = (
    sa.Column("tenant_id", sa.String(64)),
    sa.Column("modality", sa.String(16)),
    sa.Column("cpu_s", sa.Float),
    sa.Column("units", sa.Float),
    sa.Column("unit", sa.String(16)),
    sa.Column("model_calls", sa.Float),
    sa.Column("cost_usd", sa.Float),
)
for _column in STEP_COST_COLUMNS:
    processing_step.append_column(_column)
step_tenant_day = sa.Index("ix_step_tenant_day", processing_step.c.tenant_id, processing_step.c.created_at)

review_item = sa.Table(
    "review_item",
    metadata,
    sa.Column("review_id", sa.String(36), primary_key=True),
    sa.Column("source_hash", sa.String(64), nullable=False, index=True),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("details", sa.JSON),
    sa.Column("artifact_id", sa.String(36)),
    sa.Column("status", sa.String(16), nullable=False, default="open"),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("resolved_at", sa.DateTime(timezone=True)),
)

quarantine_item = sa.Table(
    "quarantine_item",
    metadata,
    sa.Column("quarantine_id", sa.String(36), primary_key=True),
    sa.Column("path", sa.Text, nullable=False),
    sa.Column("content_hash", sa.String(64)),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("reason", sa.String(32), nullable=False),
    sa.Column("message", sa.Text, nullable=False),
    sa.Column("quarantine_uri", sa.Text),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)


# Every search, for audit: who asked, for which tenant, an HMAC of the query under the home's secret
# (never the text; resources/audit_key.py), what came back.
search_audit = sa.Table(
    "search_audit",
    metadata,
    sa.Column("audit_id", sa.String(36), primary_key=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("who", sa.String(128), nullable=False),
    sa.Column("tenant_id", sa.String(64)),
    sa.Column("query_hash", sa.String(64), nullable=False),
    sa.Column("result_ids", sa.JSON, nullable=False),
    sa.Column("scores", sa.JSON, nullable=False),
    sa.Column("details", sa.JSON),
)

# Milliseconds per search stage (migration 4): encode, each channel, fusion, fetch, evidence.
SEARCH_STAGE_COLUMN = sa.Column("stage_ms", sa.JSON)
search_audit.append_column(SEARCH_STAGE_COLUMN)

# Deletions and other governance actions, kept after the data itself is gone.
governance_log = sa.Table(
    "governance_log",
    metadata,
    sa.Column("entry_id", sa.String(36), primary_key=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("who", sa.String(128), nullable=False),
    sa.Column("action", sa.String(32), nullable=False),
    sa.Column("content_hash", sa.String(64), nullable=False),
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("details", sa.JSON),
)


# Partitions a worker is processing now: two `mm materialize` on one catalog split the work instead
# of both running the models on the same partition (mm_assets/orchestration/claims.py).
partition_claim = sa.Table(
    "partition_claim",
    metadata,
    sa.Column("content_hash", sa.String(64), primary_key=True),
    sa.Column("worker", sa.String(128), nullable=False),
    sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
)

# API keys of `mm serve` (mm_assets/operations/keys.py): only a salted hash of the secret is kept.
api_key = sa.Table(
    "api_key",
    metadata,
    sa.Column("key_id", sa.String(32), primary_key=True),  # the public part of the key, for lookup
    sa.Column("tenant_id", sa.String(64), nullable=False),
    sa.Column("name", sa.String(128), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),  # "tenant" or "admin" (cross-tenant)
    sa.Column("salt", sa.String(64), nullable=False),
    sa.Column("secret_hash", sa.String(64), nullable=False),
    sa.Column("rate_per_minute", sa.Integer, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("revoked_at", sa.DateTime(timezone=True)),
)


# A tenant's daily spending cap (USD): at or over it, its partitions are held, not run.
tenant_budget = sa.Table(
    "tenant_budget",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("daily_usd", sa.Float, nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_by", sa.String(128), nullable=False),
)

# The budget alerts sent: one per tenant, day and level (80 or 100 percent), never twice.
budget_alert = sa.Table(
    "budget_alert",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("day", sa.String(10), primary_key=True),
    sa.Column("level", sa.Integer, primary_key=True),
    sa.Column("spent_usd", sa.Float, nullable=False),
    sa.Column("daily_usd", sa.Float, nullable=False),
    sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
)

# Who holds each original (migration 7): one row per (content hash, tenant). The original, its
# artifacts and its Dagster partition are shared by content; everything a tenant chose or is told
# (its file name, upload time, consent, region, retention, usage rights) is its own row here, so a
# second tenant's ingest of the same bytes is answered like a fresh one and a forget by one owner
# leaves the others whole. source_media keeps the facts of one current owner (any of them) only for
# the columns it always had; every read for a tenant goes through this table.
source_owner = sa.Table(
    "source_owner",
    metadata,
    sa.Column("content_hash", sa.String(64), primary_key=True),
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
    *owner_fact_columns(),
)
sa.Index("ix_owner_tenant", source_owner.c.tenant_id, source_owner.c.content_hash)
OWNER_COLUMNS = tuple(column.name for column in source_owner.columns)


def _add_missing_columns(conn: Connection, table: sa.Table, columns: Sequence[sa.Column]) -> None:
    """ALTER TABLE ADD COLUMN for each column the table lacks (a catalog created by migration 1 from
    today's table definitions has them already)."""
    present = {column["name"] for column in sa.inspect(conn).get_columns(table.name)}
    for column in columns:
        if column.name not in present:
            type_sql = column.type.compile(dialect=conn.dialect)
            conn.execute(sa.text(f'ALTER TABLE {table.name} ADD COLUMN "{column.name}" {type_sql}'))


def _add_cost_accounting(conn: Connection) -> None:
    _add_missing_columns(conn, processing_step, STEP_COST_COLUMNS)
    _add_missing_columns(conn, search_audit, [SEARCH_STAGE_COLUMN])
    step_tenant_day.create(conn, checkfirst=True)
    metadata.create_all(conn, tables=[tenant_budget, budget_alert])


def _add_sensitivity(conn: Connection) -> None:
    if sa.inspect(conn).has_table(source_media.name):  # an older partial catalog may not have it
        _add_missing_columns(conn, source_media, [sa.Column("sensitivity", sa.String(32))])


def _create_initial_tables(conn: Connection) -> None:
    tables = [
        source_media,
        derived_artifact,
        processing_event,
        processing_step,
        review_item,
        quarantine_item,
        search_audit,
        governance_log,
    ]
    metadata.create_all(conn, tables=tables)


UNKEYED_HASH_DROPPED = "unkeyed-hash-dropped"


def _drop_unkeyed_query_hashes(conn: Connection) -> None:
    """Plain sha256 hashes of queries can be confirmed by hashing guesses, and cannot be re-keyed
    (the query text was never kept): they are replaced by a marker."""
    if "query_hash" in {column["name"] for column in sa.inspect(conn).get_columns(search_audit.name)}:
        conn.execute(search_audit.update().values(query_hash=UNKEYED_HASH_DROPPED))


def _add_source_owners(conn: Connection) -> None:
    """One ownership row per existing original, from the facts its source_media row holds."""
    metadata.create_all(conn, tables=[source_owner])
    if not sa.inspect(conn).has_table(source_media.name):
        return
    columns = [source_media.c[name] for name in OWNER_COLUMNS]
    held = sa.select(source_owner.c.content_hash)
    missing = sa.select(*columns).where(source_media.c.content_hash.not_in(held))
    conn.execute(source_owner.insert().from_select(list(OWNER_COLUMNS), missing))


# Ordered migrations: (version, description, apply). Append; never edit an applied one.
MIGRATIONS: list[tuple[int, str, Callable[[Connection], None]]] = [
    (
        1,
        "seed 003 schema: source_media, derived_artifact, processing_event, review_item, quarantine",
        _create_initial_tables,
    ),
    (2, "partition_claim: workers claim partitions", lambda conn: metadata.create_all(conn, tables=[partition_claim])),
    (3, "api_key: salted hashes of the HTTP API's keys", lambda conn: metadata.create_all(conn, tables=[api_key])),
    (4, "cost accounting: step cost columns, search stage timings, tenant budgets", _add_cost_accounting),
    (5, "search_audit: unkeyed query hashes dropped (now an HMAC under the home's secret)", _drop_unkeyed_query_hashes),
    (6, "source_media.sensitivity: identity documents flagged, left out of search unless allowed", _add_sensitivity),
    (7, "source_owner: one ownership row per (content hash, tenant); no cross-tenant oracle", _add_source_owners),
]
SCHEMA_VERSION = MIGRATIONS[-1][0]
