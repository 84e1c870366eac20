"""The server's own Prometheus metrics, rendered as the text exposition format (no client library).

Requests and latency per route (a histogram), search stage timings (a histogram per stage), the
interactive upload queue's depth, the search audit rows not yet written and whether the models are loaded.
"""

from __future__ import annotations

import bisect
import threading
from collections import defaultdict

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0)


class _Histogram:
    def __init__(self) -> None:
        self.counts = [0] * (len(LATENCY_BUCKETS) + 1)
        self.total = 0.0
        self.count = 0

    def observe(self, seconds: float) -> None:
        self.counts[bisect.bisect_left(LATENCY_BUCKETS, seconds)] += 1
        self.total += seconds
        self.count += 1

    def lines(self, name: str, labels: str) -> list[str]:
        out, cumulative = [], 0
        for bound, count in zip((*LATENCY_BUCKETS, float("inf")), self.counts, strict=True):
            cumulative += count
            le = "+Inf" if bound == float("inf") else repr(bound)
            out.append(f'{name}_bucket{{{labels},le="{le}"}} {cumulative}')
        out.append(f"{name}_sum{{{labels}}} {self.total:.6f}")
        out.append(f"{name}_count{{{labels}}} {self.count}")
        return out


class ServerMetrics:
    """Thread-safe counters and histograms; `render()` is what GET /metrics answers."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._requests: dict[tuple[str, str, int], int] = defaultdict(int)
        self._latency: dict[tuple[str, str], _Histogram] = defaultdict(_Histogram)
        self._stages: dict[str, _Histogram] = defaultdict(_Histogram)
        self.queue_depth = 0
        self.models_loaded = False

    def observe_request(self, route: str, method: str, status: int, seconds: float) -> None:
        with self._lock:
            self._requests[(route, method, status)] += 1
            self._latency[(route, method)].observe(seconds)

    def observe_stages(self, stages_ms: dict[str, float]) -> None:
        with self._lock:
            for stage, ms in stages_ms.items():
                self._stages[stage].observe(ms / 1000.0)

    def queue_changed(self, delta: int) -> None:
        with self._lock:
            self.queue_depth += delta

    def render(self, audit_pending: int = 0, index_merges: tuple[int, int] = (0, 0)) -> str:
        """The Prometheus text; `index_merges`: (vector indexes rebuilt by the merger, merges that failed)."""
        with self._lock:
            lines = [
                "# HELP mm_http_requests_total HTTP requests by route, method and status.",
                "# TYPE mm_http_requests_total counter",
            ]
            for (route, method, status), count in sorted(self._requests.items()):
                lines.append(f'mm_http_requests_total{{route="{route}",method="{method}",status="{status}"}} {count}')
            lines += [
                "# HELP mm_http_request_seconds HTTP request latency by route and method.",
                "# TYPE mm_http_request_seconds histogram",
            ]
            for (route, method), histogram in sorted(self._latency.items()):
                lines += histogram.lines("mm_http_request_seconds", f'route="{route}",method="{method}"')
            lines += [
                "# HELP mm_search_stage_seconds Time per search stage (encode, index, evidence, audit).",
                "# TYPE mm_search_stage_seconds histogram",
            ]
            for stage, histogram in sorted(self._stages.items()):
                lines += histogram.lines("mm_search_stage_seconds", f'stage="{stage}"')
            lines += [
                "# HELP mm_interactive_queue_depth Uploads waiting for or in the interactive path.",
                "# TYPE mm_interactive_queue_depth gauge",
                f"mm_interactive_queue_depth {self.queue_depth}",
                "# HELP mm_search_audit_pending Search audit rows queued and not yet in the catalog.",
                "# TYPE mm_search_audit_pending gauge",
                f"mm_search_audit_pending {audit_pending}",
                "# HELP mm_index_segment_merges_total Vector indexes rebuilt as one segment, off the request path.",
                "# TYPE mm_index_segment_merges_total counter",
                f"mm_index_segment_merges_total {index_merges[0]}",
                "# HELP mm_index_segment_merge_failures_total Merges that failed or lost a race (tried again).",
                "# TYPE mm_index_segment_merge_failures_total counter",
                f"mm_index_segment_merge_failures_total {index_merges[1]}",
                "# HELP mm_models_loaded 1 once the server's models are loaded.",
                "# TYPE mm_models_loaded gauge",
                f"mm_models_loaded {int(self.models_loaded)}",
            ]
        return "\n".join(lines) + "\n"
