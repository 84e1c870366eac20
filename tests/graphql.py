"""Ask Dagster's GraphQL API (the one the UI reads) about a real instance, in-process."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
from dagster._core.test_utils import in_process_test_workspace
from dagster._core.types.loadable_target_origin import LoadableTargetOrigin
from dagster._core.workspace.context import WorkspaceRequestContext
from dagster_graphql.test.utils import execute_dagster_graphql

REPO_ROOT = Path(__file__).resolve().parents[1]

CHECK_PARTITIONS_QUERY = """
query CheckPartitions($assetKeys: [AssetKeyInput!]) {
  assetNodes(assetKeys: $assetKeys) {
    assetKey { path }
    assetChecksOrError {
      ... on AssetChecks {
        checks {
          name
          partitionStatuses {
            __typename
            ... on AssetCheckDefaultPartitionStatuses { succeededPartitions failedPartitions }
          }
        }
      }
    }
  }
}
"""

LATEST_CHECK_EXECUTION_QUERY = """
query LatestCheck($assetKey: AssetKeyInput!, $checkName: String!) {
  assetCheckExecutions(assetKey: $assetKey, checkName: $checkName, limit: 1) {
    status
    evaluation { severity description }
  }
}
"""


@contextmanager
def graphql_workspace(instance: dg.DagsterInstance) -> Iterator[WorkspaceRequestContext]:
    """The `mm_assets.definitions` code location loaded in this process, as the webserver sees it."""
    origin = LoadableTargetOrigin(
        module_name="mm_assets.definitions", attribute="defs", working_directory=str(REPO_ROOT)
    )
    with in_process_test_workspace(instance, origin) as context:
        yield context


def query(context: WorkspaceRequestContext, text: str, variables: dict) -> dict:
    result = execute_dagster_graphql(context, text, variables)
    assert not result.errors, result.errors
    return result.data


def check_partition_statuses(context: WorkspaceRequestContext, asset_names: list[str]) -> dict:
    """{(asset, check): (succeeded keys, failed keys)} for every partitioned check of the assets."""
    data = query(context, CHECK_PARTITIONS_QUERY, {"assetKeys": [{"path": [name]} for name in asset_names]})
    statuses = {}
    for node in data["assetNodes"]:
        for check in node["assetChecksOrError"]["checks"]:
            partitions = check["partitionStatuses"]
            if partitions is not None:
                key = (node["assetKey"]["path"][0], check["name"])
                statuses[key] = (set(partitions["succeededPartitions"]), set(partitions["failedPartitions"]))
    return statuses


def latest_check_execution(context: WorkspaceRequestContext, asset: str, check: str) -> dict:
    data = query(context, LATEST_CHECK_EXECUTION_QUERY, {"assetKey": {"path": [asset]}, "checkName": check})
    return data["assetCheckExecutions"][0]
