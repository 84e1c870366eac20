"""The scale-out topology of deploy/docker-compose.yml as plain processes on 127.0.0.1.

Three long-running processes share one instance (MM_HOME/dagster/dagster.yaml, on PostgreSQL when
MM_DAGSTER_PG_URL is set) and one workspace that points at a gRPC server, exactly as the containers do:
- `dagster code-server start`: the user-code gRPC server for `mm_assets.definitions`; it also starts
  the runs (the default run launcher asks it to), and reloading the code location in the UI reloads it;
- `dagster-webserver`: the UI and GraphQL, loading the code location from that gRPC server;
- `dagster-daemon run`: the run queue (QueuedRunCoordinator), sensors and backfills.
Runs use the multiprocess executor (MM_EXECUTOR=multiprocess). Each process is its own session and
leaves its pid under MM_HOME/deploy/, so `down` stops exactly those process groups.

    python -m mm_assets.orchestration.local_deployment up [--grpc-port 4000] [--webserver-port 3000]
    python -m mm_assets.orchestration.local_deployment down
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import yaml

from mm_assets.orchestration.instance import ensure_dagster_home, initialise_storage
from mm_assets.orchestration.submit import LOCATION_NAME, REPO_ROOT
from mm_assets.settings import load_settings

HOST = "127.0.0.1"
ROLES = ("user_code", "webserver", "daemon")  # started in this order, stopped in the reverse
READY_TIMEOUT_S = 180.0
STOP_TIMEOUT_S = 20.0
RELOAD_TIMEOUT_S = 600.0  # a code location reload waits for the reimport (see reload_code_location)
POLL_S = 0.5
# The environment every process of the deployment shares, on top of the caller's MM_* settings.
DEPLOYMENT_ENV = {"MM_RUN_COORDINATOR": "queued", "MM_EXECUTOR": "multiprocess"}
# The daemons a queued run needs: the queue itself and the sensors (alerts, version checks).
REQUIRED_DAEMONS = {"QUEUED_RUN_COORDINATOR", "SENSOR"}

READY_QUERY = """
{
  workspaceOrError {
    ... on Workspace {
      locationEntries {
        name
        loadStatus
        locationOrLoadError { __typename ... on PythonError { message } }
      }
    }
  }
  instance { daemonHealth { allDaemonStatuses { daemonType healthy } } }
}
"""

RELOAD_MUTATION = """
mutation Reload($name: String!) {
  reloadRepositoryLocation(repositoryLocationName: $name) {
    __typename
    ... on WorkspaceLocationEntry {
      loadStatus
      locationOrLoadError { __typename ... on PythonError { message } }
    }
    ... on PythonError { message }
  }
}
"""


class DeploymentError(RuntimeError):
    """The local deployment did not come up; the message names the process and its log."""


@dataclass(frozen=True)
class LocalDeployment:
    home: Path
    grpc_port: int = 4000
    webserver_port: int = 3000
    # Settings over DEPLOYMENT_ENV and the caller's (a bench or test: MM_EXECUTOR=in_process, an upgrade).
    settings_env: tuple[tuple[str, str], ...] = ()

    @property
    def run_dir(self) -> Path:
        return self.home / "deploy"

    @property
    def workspace_file(self) -> Path:
        return self.run_dir / "workspace.yaml"

    @property
    def graphql_url(self) -> str:
        return f"http://{HOST}:{self.webserver_port}/graphql"

    def pid_file(self, role: str) -> Path:
        return self.run_dir / f"{role}.pid"

    def log_file(self, role: str) -> Path:
        return self.run_dir / f"{role}.log"

    def environment(self) -> dict[str, str]:
        env = {
            **os.environ,
            **DEPLOYMENT_ENV,
            **dict(self.settings_env),
            "MM_HOME": str(self.home),
            "DAGSTER_HOME": str(self.home / "dagster"),
        }
        # The code server, the webserver and the runs import this checkout's mm_assets.
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")]))
        return env

    def command(self, role: str) -> list[str]:
        bin_dir = Path(sys.executable).parent
        if role == "user_code":
            return [
                str(bin_dir / "dagster"), "code-server", "start",
                "-h", HOST, "-p", str(self.grpc_port),
                "-m", "mm_assets.definitions", "-a", "defs",
                "--location-name", LOCATION_NAME,
            ]  # fmt: skip
        if role == "webserver":
            return [
                str(bin_dir / "dagster-webserver"),
                "-h", HOST, "-p", str(self.webserver_port),
                "-w", str(self.workspace_file),
            ]  # fmt: skip
        return [str(bin_dir / "dagster-daemon"), "run", "-w", str(self.workspace_file)]

    def write_config(self) -> None:
        """The workspace (the gRPC server) and the instance (queued runs, default launcher) they share, with
        the instance's tables created."""
        self.run_dir.mkdir(parents=True, exist_ok=True)
        server = {"host": HOST, "port": self.grpc_port, "location_name": LOCATION_NAME}
        workspace = {"load_from": [{"grpc_server": server}]}
        self.workspace_file.write_text(yaml.safe_dump(workspace, sort_keys=False))
        settings = load_settings(self.environment())
        ensure_dagster_home(settings)
        # Dagster's own processes create missing tables on first use, and three of them starting at once on
        # a new PostgreSQL database race (`type "instigators" already exists` failed a CI run): create
        # them here, once, before any starts.
        initialise_storage(settings)

    def up(self) -> None:
        """Start the three processes and wait until the webserver serves the code location and the
        daemon's queue and sensors are healthy; on failure, stop what was started."""
        running = {role: pid for role in ROLES if (pid := self.running_pid(role)) is not None}
        if running:  # checked before anything starts, so a second `up` never stops the first one
            raise DeploymentError(f"already running ({running}) under {self.run_dir}; run `down` first")
        self.write_config()
        try:
            for role in ROLES:
                self.start(role)
            self.wait_until_ready()
        except BaseException:
            self.down()
            raise

    def start(self, role: str) -> None:
        if (pid := self.running_pid(role)) is not None:
            raise DeploymentError(f"{role} already runs (pid {pid}); run `down` first")
        with self.log_file(role).open("ab") as log:
            process = subprocess.Popen(
                self.command(role),
                cwd=REPO_ROOT,
                env=self.environment(),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: `down` stops it and what it spawned
            )
        self.pid_file(role).write_text(str(process.pid))

    def wait_until_ready(self, timeout_s: float = READY_TIMEOUT_S) -> None:
        deadline = time.monotonic() + timeout_s
        problem = "the webserver does not answer yet"
        while time.monotonic() < deadline:
            for role in ROLES:
                if self.running_pid(role) is None:
                    raise DeploymentError(f"{role} exited; see {self.log_file(role)}: {tail(self.log_file(role))}")
            try:
                problem = readiness_problem(graphql(self.graphql_url, READY_QUERY))
            except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
                problem = f"the webserver does not answer yet ({exc})"
            if problem is None:
                return
            time.sleep(POLL_S)
        raise DeploymentError(f"not ready after {timeout_s:.0f} s: {problem}; logs under {self.run_dir}")

    def running_pid(self, role: str) -> int | None:
        path = self.pid_file(role)
        if not path.exists():
            return None
        pid = int(path.read_text())
        return pid if is_running(pid) else None

    def down(self) -> None:
        """Stop each process group by its recorded pid (SIGTERM, then SIGKILL after a grace period)."""
        for role in reversed(ROLES):
            pid = self.running_pid(role)
            if pid is not None:
                stop_group(pid)
            self.pid_file(role).unlink(missing_ok=True)

    def restart(self, role: str) -> None:
        pid = self.running_pid(role)
        if pid is not None:
            stop_group(pid)
        self.start(role)
        if role == "user_code":  # the webserver keeps the old server's snapshot until told to reload
            self.reload_code_location()
        self.wait_until_ready()

    def reload_code_location(self) -> None:
        """What the UI's "Reload" does: the code server reimports the code and the webserver re-reads it
        (whether it loaded is then what `wait_until_ready` waits for)."""
        # The mutation answers only once the code server has reimported the definitions, which takes
        # far over GraphQL's usual 30 s on a loaded machine (a reload timed out at a load of ~6 on 2 cores).
        variables = {"name": LOCATION_NAME}
        result = graphql(self.graphql_url, RELOAD_MUTATION, variables, timeout_s=RELOAD_TIMEOUT_S)[
            "reloadRepositoryLocation"
        ]
        if result["__typename"] != "WorkspaceLocationEntry":
            raise DeploymentError(f"reloading {LOCATION_NAME} failed: {result}")


def readiness_problem(data: dict) -> str | None:
    """What still keeps the deployment from serving runs, or None when it is ready."""
    entries = data["workspaceOrError"].get("locationEntries") or []
    location = next((entry for entry in entries if entry["name"] == LOCATION_NAME), None)
    if location is None or location["loadStatus"] != "LOADED":
        return f"the code location {LOCATION_NAME} is not loaded yet"
    if location["locationOrLoadError"]["__typename"] != "RepositoryLocation":
        return f"the code location failed to load: {location['locationOrLoadError'].get('message')}"
    statuses = data["instance"]["daemonHealth"]["allDaemonStatuses"]
    healthy = {status["daemonType"] for status in statuses if status["healthy"]}
    missing = REQUIRED_DAEMONS - healthy
    return f"daemons not healthy yet: {', '.join(sorted(missing))}" if missing else None


def graphql(url: str, query: str, variables: dict | None = None, timeout_s: float = 30.0) -> dict:
    """POST one GraphQL query to the webserver; its `data`, or an error naming GraphQL's errors."""
    body = json.dumps({"query": query, "variables": variables or {}}).encode()
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            result = json.loads(response.read())
    except urllib.error.HTTPError as exc:  # GraphQL's own errors come with status 4xx/5xx and a JSON body
        raise DeploymentError(f"{url} answered {exc.code}: {exc.read().decode(errors='replace')[:2000]}") from exc
    if result.get("errors"):
        raise DeploymentError(f"GraphQL errors from {url}: {result['errors']}")
    return result["data"]


def is_running(pid: int) -> bool:
    """Alive and not a zombie (a child of this process that exited is reaped here)."""
    try:
        if os.waitpid(pid, os.WNOHANG)[0] == pid:
            return False
    except ChildProcessError:
        pass  # not our child: ask /proc
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def stop_group(pid: int, timeout_s: float = STOP_TIMEOUT_S) -> None:
    """SIGTERM the process group led by `pid`, then SIGKILL it if the leader outlives the grace period."""
    try:
        os.killpg(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and is_running(pid):
        time.sleep(0.2)
    try:
        os.killpg(pid, signal.SIGKILL)  # what is left of the group (a run's step processes, too)
    except ProcessLookupError:
        pass
    while is_running(pid):
        time.sleep(0.1)


def tail(path: Path, chars: int = 2000) -> str:
    return path.read_text(errors="replace")[-chars:] if path.exists() else "(no log)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mm_assets.orchestration.local_deployment")
    parser.add_argument("action", choices=["up", "down"])
    parser.add_argument("--grpc-port", type=int, default=4000)
    parser.add_argument("--webserver-port", type=int, default=3000)
    args = parser.parse_args(argv)
    deployment = LocalDeployment(
        home=load_settings().home, grpc_port=args.grpc_port, webserver_port=args.webserver_port
    )
    if args.action == "down":
        deployment.down()
        print(f"stopped the local deployment of {deployment.home}")
        return 0
    try:
        deployment.up()
    except DeploymentError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(
        f"up: UI and GraphQL at http://{HOST}:{args.webserver_port}, user code on {HOST}:{args.grpc_port}, "
        f"daemon running; logs and pids under {deployment.run_dir}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
