"""The moment an upload is searchable, told to the request that waits for it (mm serve's answering run).

A run tagged ANSWER_TAG=<kind> (the server's `mm_interactive_upload`, with the search index as the kind)
signals, from that kind's step, once its rows are committed (`ArtifactBatch.finish`, after every
partition of the batch succeeded): the waiting request answers then, and the run's tail (the step's
output, materialization and success events, the run's success, resource teardown) goes on in the
interactive slot without the uploader waiting for it. The rows are searchable from that moment; a
failure in the tail leaves the run recorded failed, the rows searchable and `mm materialize --missing`
to finish it. A run without the tag, or a partition no request waits for, signals nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

ANSWER_TAG = "mm/answer_when_made"
# How long the run's tail waits for the request to build its answer (a few ms of catalog reads): on a
# GIL and two cores the two would otherwise share, and the answer would come later by the tail's share.
ANSWER_GRACE_S = 1.0
_LOCK = threading.Lock()
_WAITING: dict[str, AnswerWait] = {}


@dataclass
class AnswerWait:
    """One request waiting for its partition: `ready` is set when the kind's rows are committed
    (`run_id` then names the run) or when the run ended without that (`run_id` stays None);
    `answered` once the request has built its answer (the run's tail waits for it, ANSWER_GRACE_S)."""

    partition: str
    ready: threading.Event = field(default_factory=threading.Event)
    answered: threading.Event = field(default_factory=threading.Event)
    run_id: str | None = None


@contextmanager
def waiting_for(partition: str) -> Iterator[AnswerWait]:
    """Register a wait for `partition` (one at a time per partition: the server's slot runs one upload)."""
    wait = AnswerWait(partition)
    with _LOCK:
        _WAITING[partition] = wait
    try:
        yield wait
    finally:
        with _LOCK:
            if _WAITING.get(partition) is wait:
                del _WAITING[partition]


def rows_committed(run_id: str, partitions: Iterable[str]) -> None:
    """Called by the tagged kind's step once its rows are in: wake the requests waiting for these, and
    let them build their answers before the run's tail goes on."""
    with _LOCK:
        waits = [_WAITING[key] for key in partitions if key in _WAITING]
    for wait in waits:
        wait.run_id = run_id
        wait.ready.set()
    for wait in waits:
        wait.answered.wait(ANSWER_GRACE_S)
