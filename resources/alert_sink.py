"""Where alerts go: a JSON-lines file by default, and a webhook when a URL is configured."""

from __future__ import annotations

import json
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import dagster as dg

WEBHOOK_TIMEOUT_S = 10


class AlertSink(dg.ConfigurableResource):
    """Appends each alert to `path` (JSON lines) and POSTs it to `webhook_url` if set (MM_ALERT_WEBHOOK)."""

    path: str
    webhook_url: str | None = None

    def send(self, alert: dict[str, Any]) -> None:
        record = {"at": datetime.now(UTC).isoformat(), **alert}
        line = json.dumps(record, sort_keys=True, default=str)
        target = Path(self.path)
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")
        if self.webhook_url:
            request = urllib.request.Request(
                self.webhook_url,
                data=line.encode(),
                headers={"Content-Type": "application/json"},
                method="POST",
            )
            # A webhook outage must not lose the alert: it is already in the file; the error is raised
            # so the sensor tick shows it.
            with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT_S) as response:
                response.read()

    def read(self) -> list[dict[str, Any]]:
        target = Path(self.path)
        if not target.exists():
            return []
        return [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines() if line.strip()]
