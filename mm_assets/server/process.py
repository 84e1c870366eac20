"""Start `mm serve` as its own process on a free 127.0.0.1 port and wait for /healthz (tests, bench)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path


class ServerDidNotStart(RuntimeError):
    """The server exited or was not ready in time; the message ends with its log's tail."""


def spawn_server(env: dict[str, str], log_path: Path) -> tuple[subprocess.Popen[bytes], str]:
    """`mm serve` in its own session (stop it with os.killpg), logging to `log_path`; (process, base URL)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "mm_assets.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=log_path.parent,
            start_new_session=True,
        )
    return process, f"http://127.0.0.1:{port}"


def wait_until_ready(
    process: subprocess.Popen[bytes],
    url: str,
    log_path: Path,
    timeout_s: float,
    on_answer: Callable[[int | None], None] | None = None,
) -> None:
    """Poll /healthz until it answers 200; `on_answer` hears each status (None: no answer yet)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerDidNotStart(f"mm serve exited with {process.returncode}:\n{_tail(log_path)}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=5) as answer:
                status: int | None = answer.status
        except urllib.error.HTTPError as exc:
            status = exc.code
        except (urllib.error.URLError, OSError):
            status = None
        if on_answer is not None:
            on_answer(status)
        if status == 200:
            return
        time.sleep(0.5)
    raise ServerDidNotStart(f"mm serve was not ready in {timeout_s} s:\n{_tail(log_path)}")


def stop_server(process: subprocess.Popen[bytes], timeout_s: float = 30) -> None:
    """SIGTERM to the server's process group (uvicorn finishes what it serves), SIGKILL if it lingers."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)  # not yet reaped, so its pid and group cannot be reused
    try:
        process.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _tail(log_path: Path) -> str:
    return log_path.read_text(errors="replace")[-3000:]
