"""What the Dagster UI does when someone backfills assets: GraphQL `launchPartitionBackfill`, then the
backfill's status, on a running webserver (`make ui`, `make deploy-local`). The benchmark against
`mm reprocess` (bench/ui_backfill.py) and the daemon test drive the UI's own path with these."""

from __future__ import annotations

import time
from collections.abc import Sequence

from mm_assets.orchestration.local_deployment import DeploymentError, graphql

LAUNCH_BACKFILL = """
mutation Backfill($params: LaunchBackfillParams!) {
  launchPartitionBackfill(backfillParams: $params) {
    __typename
    ... on LaunchBackfillSuccess { backfillId }
    ... on PythonError { message }
    ... on PartitionSetNotFoundError { message }
    ... on InvalidStepError { invalidStepKey }
    ... on InvalidOutputError { invalidOutputName }
    ... on UnauthorizedError { message }
  }
}
"""

BACKFILL_STATUS = """
query Backfill($id: String!) {
  partitionBackfillOrError(backfillId: $id) {
    __typename
    ... on PartitionBackfill { status runs(limit: 1000) { runId status } }
    ... on PythonError { message }
  }
}
"""
DONE = {"COMPLETED", "COMPLETED_SUCCESS", "COMPLETED_FAILED", "FAILED", "CANCELED"}
POLL_S = 1.0


def launch_backfill(url: str, assets: Sequence[str], partitions: Sequence[str], title: str = "") -> str:
    """Backfill `assets` over `partitions`, as the UI's "Materialize selected" > Launch backfill does."""
    params = {
        "assetSelection": [{"path": [name]} for name in assets],
        "partitionNames": list(partitions),
        "title": title or None,
    }
    result = graphql(url, LAUNCH_BACKFILL, {"params": params})["launchPartitionBackfill"]
    if result["__typename"] != "LaunchBackfillSuccess":
        raise DeploymentError(f"launchPartitionBackfill failed: {result}")
    return result["backfillId"]


def wait_for_backfill(url: str, backfill_id: str, timeout_s: float) -> dict:
    """Poll until the backfill is done; {"status", "runs": [{runId, status}]}."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        backfill = graphql(url, BACKFILL_STATUS, {"id": backfill_id})["partitionBackfillOrError"]
        if backfill["__typename"] != "PartitionBackfill":
            raise DeploymentError(f"backfill {backfill_id}: {backfill}")
        if backfill["status"] in DONE:
            return backfill
        time.sleep(POLL_S)
    raise DeploymentError(f"backfill {backfill_id} not done after {timeout_s:.0f} s")
