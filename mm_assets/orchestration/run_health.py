"""Runs whose process is gone are failed, so their partitions are picked up again without any flag.

A SIGKILLed, OOM-killed or powered-off `mm materialize` leaves its Dagster run `STARTED` forever, and
Dagster counts the run's partitions as in progress, which `--missing`, `--stale` and `mm reprocess`
skip. Every run `mm` launches carries its worker's identity (host, pid and the process's start time,
so a recycled pid is not mistaken for the worker) and a heartbeat tag refreshed while it runs.
`recover_dead_runs` (called before partitions are selected, and by `mm status`) reports a run as
failed when its worker is provably gone: on this host, the pid is not that process any more; on
another host, the heartbeat is older than `MM_RUN_HEARTBEAT_TIMEOUT` seconds (600). Dagster then
counts its unfinished partitions as failed.

Runs `mm` did not launch (a daemon or UI launch) carry no worker tag and are left to Dagster's own
run monitoring.
"""

from __future__ import annotations

import os
import socket
import threading
import time
import weakref
from dataclasses import asdict, dataclass

import dagster as dg

WORKER_TAG = "mm/worker"  # host:pid:process-start-ticks
HEARTBEAT_TAG = "mm/heartbeat"  # unix seconds, refreshed every HEARTBEAT_SECONDS while the worker lives
HEARTBEAT_SECONDS = 30
DEFAULT_HEARTBEAT_TIMEOUT = 600
UNFINISHED = [dg.DagsterRunStatus.NOT_STARTED, dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.STARTED]


@dataclass(frozen=True)
class RunHealth:
    run_id: str
    worker: str
    alive: bool
    reason: str

    def as_json(self) -> dict[str, object]:
        return asdict(self)


def _process_start_ticks(pid: int) -> str | None:
    """The process's start time (clock ticks since boot, /proc/PID/stat field 22), or None if gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            stat = handle.read().decode(errors="replace")
    except OSError:
        return None
    # The command name (field 2) may hold spaces and parentheses: split after its closing one.
    return stat.rsplit(")", 1)[1].split()[19]


def this_worker() -> str:
    pid = os.getpid()
    return f"{socket.gethostname()}:{pid}:{_process_start_ticks(pid) or '?'}"


def worker_tags(instance: dg.DagsterInstance) -> dict[str, str]:
    """Tags for a run this process executes; also keeps this process's heartbeat going on `instance`."""
    _Heartbeat.keep_alive(instance)
    return {WORKER_TAG: this_worker(), HEARTBEAT_TAG: str(int(time.time()))}


def check_worker(worker: str, heartbeat: str | None, timeout_s: float) -> tuple[bool, str]:
    """(alive, why) for a worker tag value."""
    host, _, rest = worker.partition(":")
    pid_text, _, ticks = rest.partition(":")
    if host == socket.gethostname() and pid_text.isdigit():
        current = _process_start_ticks(int(pid_text))
        if current is None:
            return False, f"its process {pid_text} on {host} is gone"
        if ticks not in ("?", current):
            return False, f"its process {pid_text} on {host} is gone (the pid now belongs to another process)"
        return True, f"process {pid_text} on {host} is running"
    age = time.time() - float(heartbeat) if heartbeat and heartbeat.replace(".", "", 1).isdigit() else None
    if age is None or age > timeout_s:
        seen = "never" if age is None else f"{age:.0f} s ago"
        return False, f"its worker on {host} sent no heartbeat for over {timeout_s:.0f} s (last {seen})"
    return True, f"worker on {host} sent a heartbeat {age:.0f} s ago"


def heartbeat_timeout() -> float:
    value = os.environ.get("MM_RUN_HEARTBEAT_TIMEOUT", "")
    return float(value) if value.replace(".", "", 1).isdigit() else DEFAULT_HEARTBEAT_TIMEOUT


def recover_dead_runs(instance: dg.DagsterInstance) -> list[RunHealth]:
    """Fail every unfinished run whose worker is gone; return the health of every unfinished mm run."""
    timeout_s = heartbeat_timeout()
    verdicts = []
    for run in instance.get_runs(filters=dg.RunsFilter(statuses=UNFINISHED)):
        worker = run.tags.get(WORKER_TAG)
        if worker is None:
            continue  # not launched by mm: Dagster's run monitoring owns it
        alive, why = check_worker(worker, run.tags.get(HEARTBEAT_TAG), timeout_s)
        if not alive:
            instance.report_run_failed(
                run,
                f"run worker died ({why}); its unfinished partitions count as failed and "
                "`mm materialize` / `mm reprocess` pick them up again",
            )
        verdicts.append(RunHealth(run.run_id, worker, alive, why))
    return verdicts


class _Heartbeat(threading.Thread):
    """One daemon thread per process: refreshes the heartbeat tag of this worker's unfinished runs."""

    _lock = threading.Lock()
    _thread: _Heartbeat | None = None

    def __init__(self) -> None:
        super().__init__(name="mm-run-heartbeat", daemon=True)
        self.instances: weakref.WeakSet[dg.DagsterInstance] = weakref.WeakSet()

    @classmethod
    def keep_alive(cls, instance: dg.DagsterInstance) -> None:
        with cls._lock:
            if cls._thread is None or not cls._thread.is_alive():
                cls._thread = _Heartbeat()
                cls._thread.start()
            cls._thread.instances.add(instance)

    def run(self) -> None:
        worker = this_worker()
        while True:
            time.sleep(HEARTBEAT_SECONDS)
            for instance in list(self.instances):
                try:
                    mine = dg.RunsFilter(statuses=UNFINISHED, tags={WORKER_TAG: worker})
                    for run in instance.get_runs(filters=mine):
                        instance.add_run_tags(run.run_id, {HEARTBEAT_TAG: str(int(time.time()))})
                except Exception:  # noqa: BLE001 - a closed or unreachable instance: stop beating for it
                    self.instances.discard(instance)
