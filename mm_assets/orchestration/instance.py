"""The Dagster instance for a settings object: SQLite under MM_HOME/dagster, or dagster-postgres."""

from __future__ import annotations

import dagster as dg
import yaml

from mm_assets.settings import Settings


def instance_config(settings: Settings) -> dict[str, object]:
    config: dict[str, object] = {"telemetry": {"enabled": False}}
    if settings.dagster_postgres_url:
        # dagster-postgres's three storages; the event log is its subclass with a connection pool
        # and per-partition check statuses that work for dynamic partitions (orchestration/event_log.py).
        postgres = {"postgres_url": settings.dagster_postgres_url}
        config["run_storage"] = {
            "module": "dagster_postgres.run_storage",
            "class": "PostgresRunStorage",
            "config": postgres,
        }
        config["schedule_storage"] = {
            "module": "dagster_postgres.schedule_storage",
            "class": "PostgresScheduleStorage",
            "config": postgres,
        }
        config["event_log_storage"] = {
            "module": "mm_assets.orchestration.event_log",
            "class": "PooledPostgresEventLogStorage",
            "config": postgres,
        }
    elif settings.dagster_event_log == "pooled":
        # Dagster's default layout (history/runs/*.db) with pooled connections; see orchestration/event_log.py.
        config["event_log_storage"] = {
            "module": "mm_assets.orchestration.event_log",
            "class": "PooledSqliteEventLogStorage",
            "config": {"base_dir": str(settings.dagster_home / "history" / "runs")},
        }
    return config


def ensure_dagster_home(settings: Settings) -> None:
    """Write MM_HOME/dagster/dagster.yaml so `dagster dev` and the CLI share one instance."""
    home = settings.dagster_home
    home.mkdir(parents=True, exist_ok=True)
    wanted = yaml.safe_dump(instance_config(settings), sort_keys=True)
    config_file = home / "dagster.yaml"
    if not config_file.exists() or config_file.read_text() != wanted:
        config_file.write_text(wanted)


# dagster-postgres opens a new connection for every query (NullPool) unless it is told to pool.
POOL_RECYCLE_S = 3600
POOL_MAX_OVERFLOW = 8


def get_instance(settings: Settings) -> dg.DagsterInstance:
    """The instance for `settings`; on PostgreSQL its storages keep a connection pool for this process."""
    ensure_dagster_home(settings)
    instance = dg.DagsterInstance.from_config(str(settings.dagster_home))
    if settings.dagster_postgres_url:
        # The same switch `dagster-webserver` flips: a pool of one kept-open connection (plus overflow)
        # per storage instead of a connection per query. 0 = no statement timeout (long status scans).
        instance.optimize_for_webserver(
            statement_timeout=0, pool_recycle=POOL_RECYCLE_S, max_overflow=POOL_MAX_OVERFLOW
        )
    return instance
