"""A real `mm serve` for the tests: uvicorn on 127.0.0.1 on a free port, in its own process
(stopped by pid at the end), over a fresh MM_HOME, with keys made by the real `mm keys create`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from mm_assets.server.process import ServerDidNotStart, spawn_server, stop_server, wait_until_ready

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "samples"
STARTUP_TIMEOUT_S = 900  # the models load in the server; the machine may be shared
MAX_BYTES = 4 * 1024 * 1024  # the server's gate cap, small so a too-large upload is cheap to send


@dataclass
class Served:
    url: str
    home: Path
    env: dict[str, str]
    keys: dict[str, str]  # role -> key
    pid: int
    uploaded: dict[str, dict] = field(default_factory=dict)  # file name -> upload answer (wait=true)
    healthz_answers: list[int | None] = field(default_factory=list)  # until the first 200
    log_path: Path | None = None

    def client(self, role: str | None = None, timeout: float = 600.0) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.keys[role]}"} if role else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=timeout)

    def mm(self, *argv: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "mm_assets.cli", *argv],
            env={**self.env, **(env or {})},
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )

    def wait_until_idle(self, timeout_s: float = 600.0) -> None:
        """Until no upload waits or runs, the runs queued after an answer included (the kinds a search
        does not need, and the non-blocking checks: a quality check's review item comes with them)."""
        deadline = time.monotonic() + timeout_s
        with self.client() as client:
            while "mm_interactive_queue_depth 0\n" not in client.get("/metrics").text:
                assert time.monotonic() < deadline, "the interactive queue never emptied"
                time.sleep(0.1)

    def upload_waiting(self, path: Path, role: str = "demo") -> dict:
        """Upload with wait=true once per file name (tests share the server and its data)."""
        if path.name not in self.uploaded:
            with self.client(role) as client:
                answer = client.post(
                    "/v1/media", params={"wait": "true"}, files={"file": (path.name, path.read_bytes())}
                )
            assert answer.status_code == 200, answer.text
            self.uploaded[path.name] = answer.json()
        return self.uploaded[path.name]


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    work = tmp_path_factory.mktemp("serve")
    home = work / "mm_home"
    env = {key: value for key, value in os.environ.items() if not key.startswith("MM_")}
    env.update(MM_HOME=str(home), MM_MAX_BYTES=str(MAX_BYTES), PYTHONPATH=str(REPO))
    served = Served("", home, env, {}, 0)
    for role, argv in {
        "demo": ["--tenant", "demo"],
        "other": ["--tenant", "other"],
        "admin": ["--tenant", "ops", "--admin"],
        "slow": ["--tenant", "demo", "--rate", "3"],
    }.items():
        made = served.mm("keys", "create", *argv, "--name", role, "--json")
        assert made.returncode == 0, made.stderr
        served.keys[role] = json.loads(made.stdout)["key"]
    log_path = served.log_path = work / "serve.log"
    process, served.url = spawn_server(env, log_path)
    served.pid = process.pid
    try:
        wait_until_ready(process, served.url, log_path, STARTUP_TIMEOUT_S, served.healthz_answers.append)
        yield served
    except ServerDidNotStart as exc:
        pytest.fail(str(exc))
    finally:
        stop_server(process)
    assert served.keys["demo"] not in log_path.read_text(errors="replace"), "an API key was written to the log"
