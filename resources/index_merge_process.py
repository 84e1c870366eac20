"""A merge of a search index's vector index segments in a child process that yields to interactive work.

A merge rebuilds whole vector indexes (about a minute at 100k rows on 2 cores). On the server's own
thread it took the cores that an upload the user waits for needs: uploads after a merge was due took
6-9 s instead of about 1 s. So the server merges in a child process at SCHED_IDLE (it runs only on
otherwise idle cores) and stops it outright (SIGSTOP) while an interactive upload waits for or holds
the slot, continuing it (SIGCONT) afterwards. A stream of uploads must not starve the merge forever:
once a merge has waited PATIENCE_S it is no longer stopped and runs at normal priority.

The child ignores SIGINT and SIGTERM: Ctrl-C on `mm serve` goes to the whole process group, and the
server decides itself when to end the merge (MergeChild.kill); a merge killed mid-way commits nothing
(resources/index_maintenance.merge_segments).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time

PATIENCE_S = 120.0
READY = "ready"
START_TIMEOUT_S = 60.0

_CHILD = "from resources.index_merge_process import child_main; child_main()"


def child_main() -> None:
    """In the child: idle priority first (before lancedb starts its threads, which inherit it), then
    merge and print the rebuilt index names as JSON on stdout."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    print(READY, flush=True)  # the parent stops it only from now on: a signal never finds it unprepared
    from resources.index_location import open_index

    uri, dim, max_segments = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    index = open_index(uri, dim)
    try:
        rebuilt = index.merge_index_segments(max_segments)
    finally:
        index.close()
    print(json.dumps(rebuilt), flush=True)


class MergeFailed(RuntimeError):
    """The child exited with an error (e.g. its commit lost a race with a write: tried again later)."""


class MergeChild:
    """One merge in a child process: paused and continued by the server, at normal priority after
    `patience_s`."""

    def __init__(self, uri: str, dim: int, max_segments: int, patience_s: float = PATIENCE_S) -> None:
        self.patience_s = patience_s
        self.started = time.monotonic()
        self.stopped = False
        self.impatient = False  # past patience_s: never stopped again, normal priority
        self._lock = threading.Lock()
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(path for path in sys.path if path)}
        self.process = subprocess.Popen(
            [sys.executable, "-c", _CHILD, uri, str(dim), str(max_segments)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,  # same process group: a Ctrl-C reaches it, and it ignores it
        )
        self._await_ready()

    def _await_ready(self) -> None:
        """Back once the child ignores SIGINT/SIGTERM at idle priority (tens of ms: it imports nothing
        heavy before), so a pause or a stop signal never reaches a child that is not ready for it."""
        assert self.process.stdout is not None
        timer = threading.Timer(START_TIMEOUT_S, self.process.kill)  # a child that hangs at start
        timer.start()
        try:
            line = self.process.stdout.readline().strip()
        finally:
            timer.cancel()
        if line != READY:
            self.process.kill()
            _, err = self.process.communicate()
            raise MergeFailed(f"index merge child did not start: {err.strip()[-2000:]}")

    def pause(self) -> None:
        """Stop the child (an interactive upload needs the cores), unless it has waited long enough."""
        with self._lock:
            if self._out_of_patience() or self.stopped or self.process.poll() is not None:
                return
            self._signal(signal.SIGSTOP)
            self.stopped = True

    def resume(self) -> None:
        with self._lock:
            if self.stopped:
                self._signal(signal.SIGCONT)
                self.stopped = False

    def tick(self) -> None:
        """Called while waiting for the child: past its patience it is continued at normal priority."""
        with self._lock:
            if self._out_of_patience() and self.stopped:
                self._signal(signal.SIGCONT)
                self.stopped = False

    def wait(self, should_stop: threading.Event | None = None, poll_s: float = 0.5) -> list[str]:
        """The rebuilt index names once the child exits; MergeFailed if it failed. With `should_stop`
        set meanwhile, the child is killed (its merge commits nothing) and nothing is returned."""
        while True:
            try:
                out, err = self.process.communicate(timeout=poll_s)
                break
            except subprocess.TimeoutExpired:
                self.tick()
                if should_stop is not None and should_stop.is_set():
                    self.kill()
                    return []
        if self.process.returncode != 0:
            raise MergeFailed(f"index merge child exited {self.process.returncode}: {err.strip()[-2000:]}")
        lines = [line for line in out.splitlines() if line.strip()]
        return list(json.loads(lines[-1])) if lines else []

    def kill(self) -> None:
        with self._lock:
            if self.process.poll() is None:
                self.process.kill()  # a stopped process dies of SIGKILL too
        self.process.wait()

    def _out_of_patience(self) -> bool:
        if not self.impatient and time.monotonic() - self.started >= self.patience_s:
            self.impatient = True
            self._normal_priority()
        return self.impatient

    def _normal_priority(self) -> None:
        """Every thread of the child back to SCHED_OTHER; without the privilege to (CAP_SYS_NICE or
        RLIMIT_NICE), it stays idle priority but is no longer stopped."""
        try:
            tasks = os.listdir(f"/proc/{self.process.pid}/task")
        except OSError:
            return
        for tid in tasks:
            try:
                os.sched_setscheduler(int(tid), os.SCHED_OTHER, os.sched_param(0))
            except (PermissionError, ProcessLookupError):
                pass

    def _signal(self, signum: int) -> None:
        if self.process.poll() is None:
            try:
                os.kill(self.process.pid, signum)
            except ProcessLookupError:
                pass

    def policy(self) -> int:
        """The child's main thread's scheduling policy (for tests)."""
        return os.sched_getscheduler(self.process.pid)
