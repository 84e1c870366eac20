"""Great Expectations suites over the catalog tables, run through SQL, plus a payload check.

The suites run on a GE SQL datasource over the catalog URL (SQLite or PostgreSQL), so the
database does the counting. GE cannot see the blob store, so whether each payload URI still names
an object is checked in Python against the store and reported in the same shape.

great_expectations is imported inside functions only: it takes seconds and hundreds of MB to
import, and the Definitions must load fast.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from resources.blob_store import BlobStore, store_key_of
from resources.catalog import derived_artifact, open_catalog_engine, source_media

if TYPE_CHECKING:
    from great_expectations.core import ExpectationSuite, ExpectationValidationResult
    from great_expectations.data_context import EphemeralDataContext
    from great_expectations.datasource.fluent import SQLDatasource

ARTIFACT_STATUSES = ("current", "candidate", "superseded", "rejected")
CONTENT_HASH_REGEX = "^[0-9a-f]{64}$"
DEFAULT_MAX_PAYLOAD_ROWS = 10_000
EXAMPLE_IDS = 5
PAYLOAD_EXPECTATION = "derived_artifact.payload_uri.exists_in_store"

# Column expectations report a few ids per failure; the SQL ones need COMPLETE to return rows
# at all (GE caps those at 200 rows).
_SUMMARY = "SUMMARY"
_COMPLETE = "COMPLETE"


class CatalogExpectationError(RuntimeError):
    """An expectation could not run (not: found bad rows); the message says which and why."""


@dataclass(frozen=True)
class ExpectationOutcome:
    """One expectation's verdict: how many rows (or groups) broke it and a few of their ids."""

    name: str
    description: str
    success: bool
    unexpected: int
    checked: int | None
    example_ids: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "success": self.success,
            "description": self.description,
            "unexpected": self.unexpected,
            "checked": self.checked,
            "example_ids": list(self.example_ids),
        }


@dataclass(frozen=True)
class CatalogExpectationReport:
    """Every expectation over the catalog; `success` only if all of them passed."""

    results: tuple[ExpectationOutcome, ...]
    table_rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def success(self) -> bool:
        return all(result.success for result in self.results)

    @property
    def failed(self) -> list[ExpectationOutcome]:
        return [result for result in self.results if not result.success]

    def result(self, name: str) -> ExpectationOutcome:
        for result in self.results:
            if result.name == name:
                return result
        known = ", ".join(r.name for r in self.results)
        raise KeyError(f"no expectation named {name!r}; the report has: {known}")


@dataclass(frozen=True)
class CatalogSuite:
    """An expectation suite, the catalog table it runs on, and how its results are reported."""

    table: str
    id_column: str
    result_format: str
    suite: ExpectationSuite


def run_catalog_expectations(
    catalog_url: str, store: BlobStore, max_payload_rows: int = DEFAULT_MAX_PAYLOAD_ROWS
) -> CatalogExpectationReport:
    """Run the catalog suites through SQL and the payload check against `store`.

    At most `max_payload_rows` payload URIs are checked (a random sample when there are more).
    """
    if max_payload_rows < 1:
        raise ValueError(f"max_payload_rows must be at least 1, got {max_payload_rows}")
    started = time.perf_counter()
    engine = open_catalog_engine(catalog_url)  # refuses an outdated schema with a clear message
    try:
        table_rows = _table_rows(engine)
        results = _run_suites(catalog_url)
        results.append(check_payloads_exist(engine, store, max_payload_rows))
    finally:
        engine.dispose()
    return CatalogExpectationReport(
        results=tuple(results), table_rows=table_rows, seconds=round(time.perf_counter() - started, 3)
    )


def catalog_suites() -> list[CatalogSuite]:
    """The expectation suites over the catalog tables, each with the table it runs on."""
    import great_expectations as gx
    from great_expectations.expectations.row_conditions import Column

    expect = gx.expectations

    def suite(name: str, expectations: list[Any]) -> ExpectationSuite:
        return gx.ExpectationSuite(name=name, expectations=expectations)

    def named(kind: type, name: str, description: str, **kwargs: Any) -> Any:
        return kind(meta={"name": name}, description=description, **kwargs)

    hex_regex = {"regex": CONTENT_HASH_REGEX}
    sources = suite(
        "catalog.source_media",
        [
            named(
                expect.ExpectColumnValuesToNotBeNull,
                "source_media.content_hash.not_null",
                "every source has a content hash",
                column="content_hash",
            ),
            named(
                expect.ExpectColumnValuesToMatchRegex,
                "source_media.content_hash.is_sha256_hex",
                "content hashes are 64 lowercase hex characters",
                column="content_hash",
                **hex_regex,
            ),
            named(
                expect.ExpectColumnValuesToBeUnique,
                "source_media.content_hash.unique",
                "one source row per content hash",
                column="content_hash",
            ),
        ],
    )
    artifacts = suite(
        "catalog.derived_artifact",
        [
            named(
                expect.ExpectColumnValuesToNotBeNull,
                f"derived_artifact.{column}.not_null",
                f"every artifact has a {column}",
                column=column,
            )
            for column in ("source_hash", "kind", "pipeline_version", "model_id", "payload_uri")
        ]
        + [
            named(
                expect.ExpectColumnValuesToMatchRegex,
                "derived_artifact.source_hash.is_sha256_hex",
                "artifact source hashes are 64 lowercase hex characters",
                column="source_hash",
                **hex_regex,
            ),
            named(
                expect.ExpectColumnValuesToBeInSet,
                "derived_artifact.status.in_allowed_set",
                f"status is one of {', '.join(ARTIFACT_STATUSES)}",
                column="status",
                value_set=list(ARTIFACT_STATUSES),
            ),
            named(
                expect.ExpectColumnValuesToNotBeNull,
                "derived_artifact.superseded_by.set_when_superseded",
                "a superseded artifact names the artifact that replaced it",
                column="superseded_by",
                row_condition=Column("status") == "superseded",
            ),
        ],
    )
    # {batch} is GE's placeholder for the table: GE aliases it itself, except in a query with a
    # JOIN, where the alias is ours to write (PostgreSQL refuses a subquery without one).
    artifact_queries = suite(
        "catalog.derived_artifact.sql",
        [
            named(
                expect.UnexpectedRowsExpectation,
                "derived_artifact.one_current_per_source_kind",
                "at most one current artifact per (source_hash, kind); counts offending pairs "
                "(crops are one per page region, so many per source: mm_assets/operations/crop.py)",
                unexpected_rows_query=(
                    "SELECT source_hash, kind, MIN(artifact_id) AS artifact_id FROM {batch} "
                    "WHERE status = 'current' AND kind <> 'crop' GROUP BY source_hash, kind HAVING COUNT(*) > 1"
                ),
            ),
            named(
                expect.UnexpectedRowsExpectation,
                "derived_artifact.source_hash.matches_source",
                "an artifact's source_hash is the content hash of its source_id",
                unexpected_rows_query=(
                    "SELECT a.artifact_id FROM {batch} AS a "
                    "JOIN source_media s ON s.source_id = a.source_id "
                    "WHERE s.content_hash <> a.source_hash"
                ),
            ),
        ],
    )
    return [
        CatalogSuite("source_media", "source_id", _SUMMARY, sources),
        CatalogSuite("derived_artifact", "artifact_id", _SUMMARY, artifacts),
        CatalogSuite("derived_artifact", "artifact_id", _COMPLETE, artifact_queries),
    ]


def _run_suites(catalog_url: str) -> list[ExpectationOutcome]:
    with _quiet_ephemeral_context() as context:
        datasource = _add_catalog_datasource(context, catalog_url)
        try:
            batches = {}
            outcomes = []
            for run in catalog_suites():
                if run.table not in batches:
                    asset = datasource.add_table_asset(name=run.table, table_name=run.table)
                    batches[run.table] = asset.add_batch_definition_whole_table("whole_table").get_batch()
                validation = batches[run.table].validate(
                    run.suite,
                    result_format={
                        "result_format": run.result_format,
                        "unexpected_index_column_names": [run.id_column],
                        "partial_unexpected_count": EXAMPLE_IDS,
                    },
                )
                outcomes.extend(_outcome(result, run.id_column) for result in validation.results)
            return outcomes
        finally:
            datasource.get_engine().dispose()


@contextmanager
def _quiet_ephemeral_context() -> Iterator[EphemeralDataContext]:
    """An in-memory GE context: no folder on disk, no progress bars, only GE's warnings logged."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
        progress_bars=ProgressBarsConfig(globally=False),
        analytics_enabled=False,
    )
    gx_logger = logging.getLogger("great_expectations")
    level = gx_logger.level
    gx_logger.setLevel(max(level, logging.WARNING))
    try:
        yield gx.get_context(project_config=config, mode="ephemeral")
    finally:
        gx_logger.setLevel(level)


def _add_catalog_datasource(context: EphemeralDataContext, catalog_url: str) -> SQLDatasource:
    """GE's own datasource for the catalog's dialect (the generic one warns on SQLite/PostgreSQL)."""
    backend = sa.engine.make_url(catalog_url).get_backend_name()
    sources = context.data_sources
    if backend == "sqlite":
        return sources.add_sqlite(name="catalog", connection_string=catalog_url)
    if backend == "postgresql":
        return sources.add_postgres(name="catalog", connection_string=catalog_url)
    return sources.add_sql(name="catalog", connection_string=catalog_url)


def _outcome(result: ExpectationValidationResult, id_column: str) -> ExpectationOutcome:
    config = result.expectation_config
    name = config.meta.get("name", config.type)
    error = _raised(result)
    if error is not None:
        raise CatalogExpectationError(f"expectation {name} could not run on the catalog: {error}")
    details = result.result or {}
    if config.type == "unexpected_rows_expectation":
        rows = details.get("details", {}).get("unexpected_rows", [])
        unexpected, checked = int(details.get("observed_value") or 0), None
    else:
        # Both counts are None when no row is in scope (an empty table or row condition).
        rows = details.get("partial_unexpected_index_list") or []
        unexpected, checked = (
            int(details.get("unexpected_count") or 0),
            int(details.get("element_count") or 0),
        )
    # Only the id column leaves: the offending values themselves may be anything.
    example_ids = tuple(str(row[id_column]) for row in rows[:EXAMPLE_IDS] if row.get(id_column))
    return ExpectationOutcome(
        name=name,
        description=config.description or "",
        success=bool(result.success),
        unexpected=unexpected,
        checked=checked,
        example_ids=example_ids,
    )


def _raised(result: ExpectationValidationResult) -> str | None:
    """The exception message of an expectation that failed to run, in either shape GE reports."""
    info = result.exception_info or {}
    if info.get("raised_exception"):
        return str(info.get("exception_message")).splitlines()[0]
    for value in info.values():  # metric errors come keyed by metric id
        if isinstance(value, dict) and value.get("exception_message"):
            return str(value["exception_message"]).splitlines()[0]
    return None


def _table_rows(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            table.name: conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
            for table in (source_media, derived_artifact)
        }


def check_payloads_exist(engine: Engine, store: BlobStore, max_rows: int) -> ExpectationOutcome:
    """Every payload URI names an object in the store (all rows up to `max_rows`, else a sample)."""
    rows = _payload_rows(engine, max_rows)
    missing = [row.artifact_id for row in rows if not _payload_exists(store, row.payload_uri)]
    return ExpectationOutcome(
        name=PAYLOAD_EXPECTATION,
        description=f"payload URIs name an object in the store (checked up to {max_rows} rows)",
        success=not missing,
        unexpected=len(missing),
        checked=len(rows),
        example_ids=tuple(missing[:EXAMPLE_IDS]),
    )


def _payload_rows(engine: Engine, max_rows: int) -> Sequence[sa.Row[Any]]:
    query = sa.select(derived_artifact.c.artifact_id, derived_artifact.c.payload_uri)
    with engine.connect() as conn:
        total = conn.execute(sa.select(sa.func.count()).select_from(derived_artifact)).scalar_one()
        if total > max_rows:
            query = query.order_by(sa.func.random()).limit(max_rows)
        return conn.execute(query).all()


def _payload_exists(store: BlobStore, uri: str | None) -> bool:
    if not uri:
        return False
    try:
        return store.exists(store_key_of(store, uri))
    except ValueError:  # a URI outside this store, or one that is not a valid key
        return False
