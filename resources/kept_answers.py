"""Answers a deterministic model step already gave in this process, kept by a digest of everything it
read, so a second step asking the same question takes the first one's answer. Used where two steps of
one upload or batch run the same pass on the same bytes (resources/faces.py: the coverage scan the check
would repeat; resources/imagenet_classifier.py: the classifier the caption and the bridge embedder both
run). An input that differs by one bit has another digest and is computed afresh."""

from __future__ import annotations

import collections
import threading
from typing import Generic, TypeVar

Answer = TypeVar("Answer")


class KeptAnswers(Generic[Answer]):
    """The last `size` answers by key (least recently used first out), safe across threads, with
    counts of answers taken and computed since the last `clear`."""

    def __init__(self, size: int) -> None:
        self.size, self.lock = size, threading.Lock()
        self.kept: collections.OrderedDict[bytes, Answer] = collections.OrderedDict()
        self.hits = self.misses = 0

    def get(self, key: bytes) -> Answer | None:
        with self.lock:
            found = self.kept.get(key)
            if found is None:
                self.misses += 1
            else:
                self.hits += 1
                self.kept.move_to_end(key)
            return found

    def put(self, key: bytes, answer: Answer) -> None:
        with self.lock:
            self.kept[key] = answer
            self.kept.move_to_end(key)
            while len(self.kept) > self.size:
                self.kept.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.kept.clear()
            self.hits = self.misses = 0
