"""The Definitions load and the asset graph has the expected keys, partitions and code versions."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import dagster as dg

from mm_assets.definitions import GRAPH_JOB, build_definitions
from partitions import (
    CONTENT_HASH_PARTITIONS_NAME,
    InvalidPartitionKey,
    contiguous_runs,
    validate_content_hash,
)

REPO = Path(__file__).resolve().parents[1]


def test_the_graph_has_the_expected_assets_partitioned_by_content_hash(mm_settings):
    defs = build_definitions(mm_settings)
    graph = defs.resolve_asset_graph()
    assert dg.AssetKey("source_media") in graph.materializable_asset_keys
    for key in graph.materializable_asset_keys:
        node = graph.get(key)
        assert isinstance(node.partitions_def, dg.DynamicPartitionsDefinition)
        assert node.partitions_def.name == CONTENT_HASH_PARTITIONS_NAME
        assert node.code_version, f"{key} has no code version"
        assert node.backfill_policy is not None and node.backfill_policy.max_partitions_per_run == 200
    assert graph.get(dg.AssetKey("source_media")).code_version == "1"
    assert defs.resolve_job_def(GRAPH_JOB) is not None
    assert defs.resolve_sensor_def("landing_folder_sensor") is not None


def test_workspace_definitions_validate_with_the_dagster_cli(tmp_path):
    env = {**os.environ, "MM_HOME": str(tmp_path / "mm"), "DAGSTER_HOME": str(tmp_path / "dh")}
    (tmp_path / "dh").mkdir()
    result = subprocess.run(
        [Path(sys.executable).parent / "dagster", "definitions", "validate", "-w", "workspace.yaml"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Validation successful" in result.stdout + result.stderr


def test_partition_keys_must_be_lowercase_sha256_hex():
    good = "a" * 64
    assert validate_content_hash(good) == good
    for bad in ["A" * 64, "a" * 63, "g" * 64, "../" + "a" * 61, ""]:
        try:
            validate_content_hash(bad)
        except InvalidPartitionKey:
            continue
        raise AssertionError(f"{bad!r} was accepted")


def test_a_subset_of_dynamic_keys_splits_into_contiguous_runs():
    assert contiguous_runs(list("abcdefg"), ["b", "c", "e", "g", "z"]) == [["b", "c"], ["e"], ["g"]]
