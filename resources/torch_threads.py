"""One torch intra-op thread for a small forward pass: an upload's one page, its two texts.

On the two cores this runs on, a second intra-op thread on small tensors mostly waits for the first,
spinning: EfficientNet-Lite0 on one 224-pixel page took 308 ms of CPU (763 ms wall) with two threads
against 39 ms (112 ms wall) with one, alternating in one process at load 7.8 (2026-12-04 15:01 UTC;
/tmp probe, see docs/journal/serve.md). MTCNN learnt the same (resources/faces.py, DETECT_THREADS).
A larger batch keeps the process's threads: its tensors are big enough to share out.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

# A batch of at most this many inputs (images or texts) runs on SMALL_BATCH_THREADS threads.
SMALL_BATCH = 4
SMALL_BATCH_THREADS = 1


@contextmanager
def threads_for_batch(size: int) -> Iterator[None]:
    """Torch's intra-op threads for a forward pass over `size` inputs, restored afterwards. Torch keeps
    the setting per calling thread under OpenMP, as resources/faces.py relies on too."""
    import torch

    if size > SMALL_BATCH:
        yield
        return
    threads = torch.get_num_threads()
    torch.set_num_threads(min(threads, SMALL_BATCH_THREADS))
    try:
        yield
    finally:
        torch.set_num_threads(threads)
