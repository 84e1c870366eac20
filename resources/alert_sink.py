"""Where alerts go: a JSON-lines file by default, and a webhook when a URL is configured."""

from __future__ import annotations

import json
import urllib.request
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import dagster as dg

WEBHOOK_TIMEOUT_S = 10


ALERTS_PREFIX = "alerts"


class AlertSink(dg.ConfigurableResource):
    """Appends each alert to `path` (JSON lines) and POSTs it to `webhook_url` if set (MM_ALERT_WEBHOOK).

    With an S3 `store_root` (the store is on S3) each alert is instead one object under
    `<store>/alerts/<day>/`, so every process of a deployment writes to the same place (S3 cannot append).
    """

    path: str
    webhook_url: str | None = None
    store_root: str | None = None

    def send(self, alert: dict[str, Any]) -> None:
        now = datetime.now(UTC)
        record = {"at": now.isoformat(), **alert}
        line = json.dumps(record, sort_keys=True, default=str)
        if self._on_s3():
            key = f"{ALERTS_PREFIX}/{now:%Y-%m-%d}/{now:%H%M%S%f}-{uuid.uuid4().hex[:8]}.json"
            self._store().put_bytes_if_absent(key, line.encode())
        else:
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

    def _on_s3(self) -> bool:
        return bool(self.store_root and self.store_root.startswith("s3://"))

    def _store(self):  # type: ignore[no-untyped-def]
        from resources.stores import open_store

        return open_store(self.store_root)  # type: ignore[arg-type]

    def read(self) -> list[dict[str, Any]]:
        if self._on_s3():
            store = self._store()
            alerts = [json.loads(store.read_bytes(key)) for key in store.list_keys(ALERTS_PREFIX)]
            return sorted(alerts, key=lambda alert: alert["at"])
        target = Path(self.path)
        if not target.exists():
            return []
        return [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines() if line.strip()]
