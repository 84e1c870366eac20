"""deploy/: the compose stack, the instance file and the Helm values say what runs where, consistently.

No Docker daemon or Helm runs in CI, so these check the files' structure against what the code
expects: the services and their commands, the workspace the webserver and daemon load, a dagster.yaml
that Dagster's own schema accepts, and Helm values for the official chart that launch runs as
Kubernetes jobs of this image."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import yaml
from dagster._core.instance.config import dagster_instance_config

from mm_assets.artifacts import MODEL_STEP_RESOURCES
from mm_assets.definitions import build_definitions
from mm_assets.kinds import MODEL_POOLS

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"


def load(name: str) -> dict:
    return yaml.safe_load((DEPLOY / name).read_text())


def test_compose_runs_postgres_s3_user_code_webserver_and_daemon_from_one_image():
    services = load("docker-compose.yml")["services"]
    assert set(services) == {"postgres", "s3", "user_code", "webserver", "daemon"}
    for role in ("user_code", "webserver", "daemon"):
        assert services[role]["image"] == "mm-assets:latest"
        env = services[role]["environment"]
        assert env["MM_DAGSTER_PG_URL"].endswith("@postgres:5432/mm") and env["MM_STORE"].startswith("s3://")
        assert env["MM_S3_ENDPOINT"] == "http://s3:8333"
    assert services["user_code"]["command"][-4:] == ["-m", "mm_assets.definitions", "-a", "defs"]
    assert services["daemon"]["command"][:2] == ["dagster-daemon", "run"]
    grpc = load("workspace.yaml")["load_from"][0]["grpc_server"]
    assert (grpc["host"], grpc["port"], grpc["location_name"]) == ("user_code", 4000, "mm_assets")
    assert "4000" in services["user_code"]["command"]


def test_the_deployments_dagster_yaml_passes_dagsters_schema_and_queues_runs(tmp_path):
    (tmp_path / "dagster.yaml").write_text((DEPLOY / "dagster.yaml").read_text())
    config, _ = dagster_instance_config(str(tmp_path))
    assert config["run_coordinator"]["class"] == "QueuedRunCoordinator"
    assert config["run_launcher"]["class"] == "DockerRunLauncher"
    assert config["compute_logs"]["class"] == "S3ComputeLogManager"
    assert config["event_log_storage"]["class"] == "PooledPostgresEventLogStorage"
    assert config["concurrency"]["pools"]["default_limit"] >= 1


def test_helm_values_launch_runs_as_kubernetes_jobs_of_the_user_code_image(mm_settings):
    values = load("helm/values.yaml")
    [deployment] = values["dagster-user-deployments"]["deployments"]
    assert deployment["dagsterApiGrpcArgs"] == ["-m", "mm_assets.definitions", "-a", "defs"]
    assert {"name": "MM_EXECUTOR", "value": "k8s_job"} in deployment["env"]
    assert values["runLauncher"]["type"] == "K8sRunLauncher"
    assert values["dagsterDaemon"]["runCoordinator"]["type"] == "QueuedRunCoordinator"
    assert values["computeLogManager"]["type"] == "S3ComputeLogManager"
    # Per-step resources: each model-heavy step asks Kubernetes for its own.
    defs = build_definitions(mm_settings)
    for kind in MODEL_POOLS:
        tags = defs.resolve_assets_def(dg.AssetKey(kind)).op.tags
        assert yaml.safe_load(tags["dagster-k8s/config"])["container_config"]["resources"] == MODEL_STEP_RESOURCES
