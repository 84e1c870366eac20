"""The Dagster instance for a settings object: SQLite under MM_HOME/dagster, or dagster-postgres."""

from __future__ import annotations

import dagster as dg
import yaml

from mm_assets.settings import Settings


def instance_config(settings: Settings) -> dict[str, object]:
    config: dict[str, object] = {"telemetry": {"enabled": False}}
    if settings.dagster_postgres_url:
        config["storage"] = {"postgres": {"postgres_url": settings.dagster_postgres_url}}
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


def get_instance(settings: Settings) -> dg.DagsterInstance:
    ensure_dagster_home(settings)
    return dg.DagsterInstance.from_config(str(settings.dagster_home))
