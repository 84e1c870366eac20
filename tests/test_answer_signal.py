"""answer_signal: the index step wakes the request waiting for its partition, and the run's tail waits
(at most ANSWER_GRACE_S) until that request has built its answer; other partitions wake nobody."""

from __future__ import annotations

import threading
import time

from mm_assets import answer_signal
from mm_assets.answer_signal import rows_committed, waiting_for


def test_the_waiting_request_wakes_with_the_run_id_and_the_tail_waits_for_its_answer():
    order: list[str] = []
    with waiting_for("hash-a") as wait:
        tail = threading.Thread(target=lambda: (rows_committed("run-1", ["hash-a"]), order.append("tail")))
        tail.start()
        assert wait.ready.wait(5)
        assert wait.run_id == "run-1"
        time.sleep(0.05)  # the tail is still held back while the answer is built
        order.append("answer")
        wait.answered.set()
        tail.join(5)
    assert order == ["answer", "tail"]
    assert "hash-a" not in answer_signal._WAITING


def test_a_partition_nobody_waits_for_wakes_nobody_and_does_not_hold_the_run():
    with waiting_for("hash-b") as wait:
        started = time.monotonic()
        rows_committed("run-2", ["hash-c"])
        assert time.monotonic() - started < answer_signal.ANSWER_GRACE_S / 2
        assert not wait.ready.is_set() and wait.run_id is None


def test_a_request_that_never_answers_holds_the_tail_at_most_the_grace(monkeypatch):
    monkeypatch.setattr(answer_signal, "ANSWER_GRACE_S", 0.2)
    with waiting_for("hash-d") as wait:
        started = time.monotonic()
        rows_committed("run-3", ["hash-d"])
        assert wait.ready.is_set() and 0.15 < time.monotonic() - started < 2
