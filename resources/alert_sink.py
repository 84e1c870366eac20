"""Where alerts go: a JSON-lines file by default, and a webhook when a URL is configured."""

from __future__ import annotations

import json
import urllib.request
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_aws.s3 import S3Resource

WEBHOOK_TIMEOUT_S = 10


ALERTS_PREFIX = "alerts"


class AlertSink(dg.ConfigurableResource):
    """Appends each alert to `path` (JSON lines) and POSTs it to `webhook_url` if set (MM_ALERT_WEBHOOK).

    With an S3 `store_root` (the store is on S3) each alert is instead one object under
    `<store>/alerts/<day>/`, written through dagster-aws's `s3` resource, so every process of a
    deployment writes to the same place (S3 cannot append).
    """

    path: str
    webhook_url: str | None = None
    store_root: str | None = None
    s3: S3Resource | None = None

    def send(self, alert: dict[str, Any]) -> None:
        now = datetime.now(UTC)
        record = {"at": now.isoformat(), **alert}
        line = json.dumps(record, sort_keys=True, default=str)
        if self._on_s3():
            bucket, prefix = self._s3_location()
            key = f"{prefix}{now:%Y-%m-%d}/{now:%H%M%S%f}-{uuid.uuid4().hex[:8]}.json"
            self._s3_client().put_object(Bucket=bucket, Key=key, Body=line.encode(), ContentType="application/json")
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

    def _s3_location(self) -> tuple[str, str]:
        """(bucket, key prefix ending in "/") of the alerts beside the store."""
        from resources.s3_store import parse_s3_uri

        bucket, store_prefix = parse_s3_uri(self.store_root or "")
        return bucket, f"{store_prefix}/{ALERTS_PREFIX}/" if store_prefix else f"{ALERTS_PREFIX}/"

    def _s3_client(self):  # type: ignore[no-untyped-def]
        if self.s3 is None:
            raise ValueError(f"alerts for the S3 store {self.store_root} need the sink's `s3` resource (dagster-aws)")
        return self.s3.get_client()

    def read(self) -> list[dict[str, Any]]:
        if self._on_s3():
            bucket, prefix = self._s3_location()
            client = self._s3_client()
            pages = client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
            keys = [item["Key"] for page in pages for item in page.get("Contents", [])]
            alerts = [json.loads(client.get_object(Bucket=bucket, Key=key)["Body"].read()) for key in keys]
            return sorted(alerts, key=lambda alert: alert["at"])
        target = Path(self.path)
        if not target.exists():
            return []
        return [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines() if line.strip()]
