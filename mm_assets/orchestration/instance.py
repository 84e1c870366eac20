"""The Dagster instance for a settings object: SQLite under MM_HOME/dagster, or dagster-postgres.

`MM_HOME/dagster/dagster.yaml` is generated from the settings and then merged, never overwritten:
top-level sections someone added by hand (a run launcher, a compute-log manager, ...) are kept, and
a fragment file named by MM_DAGSTER_YAML is merged over everything (its values win), so a deployment
chooses its run launcher, run coordinator, run monitoring and compute-log manager in one place.
What the settings decide:
- storage: SQLite or PostgreSQL (MM_DAGSTER_PG_URL), either with the pooled event log or, with
  MM_DAGSTER_EVENT_LOG=dagster, Dagster's stock one;
- run coordinator: MM_RUN_COORDINATOR=queued puts runs in the instance's queue, at most
  MM_MAX_CONCURRENT_RUNS at a time, with a pool limit per model-heavy asset (see `mm_assets.kinds.MODEL_POOLS`);
  `mm materialize` then submits runs to that queue for the daemon to launch;
- compute logs: on S3 through dagster-aws when the store (MM_STORE) is on S3.
"""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import dagster as dg
import yaml

from mm_assets.settings import Settings, read_yaml_mapping
from resources.file_lock import exclusive_file_lock

# Sections the generator owns; any other top-level section found in an existing file is kept.
GENERATED_SECTIONS = {
    "telemetry",
    "storage",
    "run_storage",
    "event_log_storage",
    "schedule_storage",
    "run_coordinator",
    "concurrency",
    "compute_logs",
}


DAGSTER_HOME_ENV = "DAGSTER_HOME"
# where dagster.yaml finds the pooled event log storages
EVENT_LOG_MODULE = "mm_assets.dagster_internals.event_log_storage"
RUN_STORAGE_MODULE = "mm_assets.dagster_internals.run_storage"


class InstanceConfigError(ValueError):
    """The dagster.yaml fragment cannot be merged; the message names the file and what to fix."""


def instance_config(settings: Settings) -> dict[str, object]:
    config: dict[str, object] = {"telemetry": {"enabled": False}}
    if settings.dagster_postgres_url:
        config.update(postgres_storages(settings.dagster_postgres_url, pooled=settings.dagster_event_log == "pooled"))
    elif settings.dagster_event_log == "pooled":
        # Dagster's default layout (history/runs/*.db), pooled connections: dagster_internals/event_log_storage.py.
        # The home comes from DAGSTER_HOME when the instance loads, so the file holds no absolute path
        # and a copied or moved home works from whichever entry point starts first (make ui, dagster dev, mm).
        config["event_log_storage"] = {
            "module": EVENT_LOG_MODULE,
            "class": "PooledSqliteEventLogStorage",
            "config": {"dagster_home": {"env": DAGSTER_HOME_ENV}},
        }
        config["run_storage"] = {  # history/runs.db, its connections kept open as the event log's
            "module": RUN_STORAGE_MODULE,
            "class": "PooledSqliteRunStorage",
            "config": {"dagster_home": {"env": DAGSTER_HOME_ENV}},
        }
    if settings.run_coordinator == "queued":
        config["run_coordinator"] = {"module": "dagster", "class": "QueuedRunCoordinator"}
        config["concurrency"] = {
            "runs": {"max_concurrent_runs": settings.max_concurrent_runs},
            "pools": {"default_limit": settings.model_pool_limit},
        }
    if settings.store_root.startswith("s3://"):
        config["compute_logs"] = s3_compute_logs(settings.store_root)
    return config


def postgres_storages(postgres_url: str, pooled: bool) -> dict[str, object]:
    """dagster-postgres's three storages; with `pooled`, the event log is the subclass with a connection
    pool and per-partition check statuses that work for dynamic partitions (dagster_internals/event_log_storage.py)."""
    postgres = {"postgres_url": postgres_url}
    event_log = (
        {"module": EVENT_LOG_MODULE, "class": "PooledPostgresEventLogStorage"}
        if pooled
        else {"module": "dagster_postgres.event_log", "class": "PostgresEventLogStorage"}
    )
    return {
        "run_storage": {
            "module": "dagster_postgres.run_storage",
            "class": "PostgresRunStorage",
            "config": dict(postgres),
        },
        "schedule_storage": {
            "module": "dagster_postgres.schedule_storage",
            "class": "PostgresScheduleStorage",
            "config": dict(postgres),
        },
        "event_log_storage": {**event_log, "config": dict(postgres)},
    }


def s3_compute_logs(store_root: str) -> dict[str, object]:
    """dagster-aws's S3ComputeLogManager beside the store: s3://bucket/prefix/dagster-compute-logs."""
    from resources.s3_store import ENDPOINT_ENV, parse_s3_uri

    bucket, prefix = parse_s3_uri(store_root)
    config: dict[str, object] = {
        "bucket": bucket,
        "prefix": f"{prefix}/dagster-compute-logs" if prefix else "dagster-compute-logs",
    }
    if os.environ.get(ENDPOINT_ENV):  # unset: AWS itself
        config["endpoint_url"] = os.environ[ENDPOINT_ENV]
    return {"module": "dagster_aws.s3.compute_log_manager", "class": "S3ComputeLogManager", "config": config}


def merged_config(settings: Settings, existing: Mapping[str, Any] | None) -> dict[str, object]:
    """Generated config, plus hand-added sections of the existing file, with the fragment merged over."""
    config: dict[str, object] = {
        name: value for name, value in (existing or {}).items() if name not in GENERATED_SECTIONS
    }
    config.update(instance_config(settings))
    if settings.dagster_yaml:
        config = deep_merge(config, read_fragment(Path(settings.dagster_yaml)))
    return config


def read_fragment(path: Path) -> dict[str, Any]:
    return read_yaml_mapping(path, "MM_DAGSTER_YAML", "dagster.yaml sections", InstanceConfigError)


def deep_merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """`override` over `base`, mappings merged key by key; a section that names another class replaces."""
    merged = dict(base)
    for name, value in override.items():
        current = merged.get(name)
        if isinstance(value, dict) and isinstance(current, dict) and current.get("class") == value.get("class"):
            merged[name] = deep_merge(current, value)
        else:
            merged[name] = value
    return merged


def ensure_dagster_home(settings: Settings) -> None:
    """Write MM_HOME/dagster/dagster.yaml so `dagster dev`, the daemon and the CLI share one instance."""
    home = settings.dagster_home
    home.mkdir(parents=True, exist_ok=True)
    config_file = home / "dagster.yaml"
    existing = yaml.safe_load(config_file.read_text()) if config_file.exists() else None
    wanted = yaml.safe_dump(merged_config(settings, existing if isinstance(existing, dict) else None), sort_keys=True)
    if not config_file.exists() or config_file.read_text() != wanted:
        config_file.write_text(wanted)


# dagster-postgres opens a new connection for every query (NullPool) unless it is told to pool.
POOL_RECYCLE_S = 3600
POOL_MAX_OVERFLOW = 8


def get_instance(settings: Settings, capture_compute_logs: bool = True) -> dg.DagsterInstance:
    """The instance for `settings`; on PostgreSQL its storages keep a connection pool for this process.

    `capture_compute_logs=False` (the server's interactive runs): the same storages, but no step's
    stdout/stderr is captured into compute-log files, which cost each upload about 0.12 s of 1.1 s
    (redirecting and flushing files around every step). The runs, their step events, logs
    (`context.log`), materializations and checks are in the event log as for any run; only the
    "stdout/stderr" tab of those runs is empty. `mm materialize` and the daemon keep capturing."""
    from mm_assets.dagster_internals.event_log_storage import load_instance

    ensure_dagster_home(settings)
    # dagster.yaml names the home as DAGSTER_HOME (no absolute path in it); this process, and every
    # run or daemon it starts, uses MM_HOME's instance.
    os.environ[DAGSTER_HOME_ENV] = str(settings.dagster_home)
    with _first_use_lock(settings.dagster_home):
        instance = load_instance(str(settings.dagster_home), capture_compute_logs)
    if settings.dagster_postgres_url:
        # The same switch `dagster-webserver` flips: a pool of one kept-open connection (plus overflow)
        # per storage instead of a connection per query. 0 = no statement timeout (long status scans).
        instance.optimize_for_webserver(
            statement_timeout=0, pool_recycle=POOL_RECYCLE_S, max_overflow=POOL_MAX_OVERFLOW
        )
    return instance


@contextlib.contextmanager
def _first_use_lock(dagster_home: Path) -> Iterator[None]:
    """One process at a time opens the instance on this home: opening creates Dagster's tables when they
    are missing, and two processes creating them at once fail (`table run_tags already exists`).
    `mm migrate` creates them up front (`initialise_storage`), which also covers other machines."""
    with exclusive_file_lock(dagster_home / ".instance.lock"):
        yield


def initialise_storage(settings: Settings) -> list[str]:
    """Create (or upgrade) Dagster's run, event-log and schedule storage now, not at first use; the
    lines Dagster printed."""
    lines: list[str] = []
    instance = get_instance(settings)
    printed = io.StringIO()  # Dagster prints part of its progress itself: keep stdout for `--json`
    with _first_use_lock(settings.dagster_home), contextlib.redirect_stdout(printed):
        instance.upgrade(print_fn=lines.append)
    instance.dispose()
    return lines + printed.getvalue().splitlines()


def has_run_queue(instance: dg.DagsterInstance) -> bool:
    """True when dagster.yaml configures a QueuedRunCoordinator: `mm` then submits instead of executing.

    Dagster 1.13 queues by default even when nothing is configured; a queue nobody asked for (and no
    daemon serving it) must not take `mm`'s runs, so only a configured one counts.
    """
    config_file = Path(instance.root_directory) / "dagster.yaml"
    config = (yaml.safe_load(config_file.read_text()) if config_file.exists() else None) or {}
    coordinator = config.get("run_coordinator") or {}
    return bool(config.get("run_queue")) or coordinator.get("class") == "QueuedRunCoordinator"
