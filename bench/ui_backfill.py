"""A backfill launched the way the Dagster UI launches one vs `mm reprocess`, after the same upgrade.

    python bench/ui_backfill.py [--media samples/] [--home PREBUILT] [--timeout 900] [--json] [--dir D]

Set-up (not timed): a home with --media ingested and the whole graph materialized with the default
embedder (`mm migrate`, `mm ingest`, `mm materialize`; or a copy of --home), copied twice with its
SQLite logs folded in. The upgrade is MM_EMBEDDER_NAME=efficientnet-lite2 on both copies.

- CLI: `mm reprocess --kind <every stale kind> --json` on the first copy, a new process, timed to its exit.
- UI: on the second copy, the deployment's processes (code server, webserver, daemon: `make
  deploy-local`'s topology, with the default in-process executor) are started and ready first (not
  timed); then a backfill of the same stale kinds over their stale partitions goes in through GraphQL
  `launchPartitionBackfill` (what "Materialize selected" > "Launch backfill" sends), timed until the
  backfill is done. The kinds downstream of them (processing_event) are not in the selection, as in the
  UI: the `downstream_follows` automation brings them current; "all current" is timed until `mm
  status`'s rules find no stale, missing or failed partition of any asset.

Target: UI backfill at most 1.5x `mm reprocess`; afterwards 0 stale, missing or failed partitions of
every asset on both copies, downstream included.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

from _common import BenchError, common_arguments, machine, print_json, run_in_workdir, verdict
from reprocess import checkpoint_sqlite_files, environment

from mm_assets.definitions import build_definitions
from mm_assets.operations.status import collect_status
from mm_assets.orchestration.instance import get_instance
from mm_assets.orchestration.local_deployment import LocalDeployment
from mm_assets.orchestration.ui_backfill import launch_backfill, wait_for_backfill
from mm_assets.settings import load_settings

REPO_ROOT = Path(__file__).resolve().parents[1]
TARGET_RATIO = 1.5
UPGRADE = {"MM_EMBEDDER_NAME": "efficientnet-lite2"}
UI_SETTINGS = (*UPGRADE.items(), ("MM_EXECUTOR", "in_process"))
POLL_S = 2.0


def mm(home: Path, *argv: str, extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "MM_HOME": str(home), "PYTHONPATH": str(REPO_ROOT), **(extra_env or {})}
    env.pop("DAGSTER_HOME", None)
    command = [str(Path(sys.executable).parent / "mm"), *argv]
    result = subprocess.run(command, env=env, capture_output=True, text=True, cwd=REPO_ROOT)
    if result.returncode not in (0, 3):
        raise BenchError(f"mm {' '.join(argv)} exited {result.returncode}: {result.stderr[-2000:]}")
    return result


def build_home(home: Path, media: Path) -> None:
    mm(home, "migrate")
    mm(home, "ingest", str(media), "--tenant", "demo")
    mm(home, "materialize", "--missing")


def copy_home(source: Path, target: Path) -> None:
    """`cp -a`: the home as a user copies it (the copy must work at its new place)."""
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target, symlinks=True, ignore=shutil.ignore_patterns("*-shm"))


def home_status(home: Path) -> tuple[dict, list[str]]:
    """`mm status`'s per-asset status of `home` after the upgrade, and its partitions in order."""
    with environment({"MM_HOME": str(home), **UPGRADE}):
        settings = load_settings()
        defs = build_definitions(settings)
        instance = get_instance(settings)
        try:
            return collect_status(defs, instance), list(instance.get_dynamic_partitions("content_hash"))
        finally:
            instance.dispose()


def problems(home: Path) -> dict[str, dict[str, int]]:
    """Per asset with any: how many partitions are stale, missing, failed or in progress (mm status's rules)."""
    found = {}
    for name, asset in home_status(home)[0].items():
        counts = {
            "stale": len(asset.stale),
            "missing": len(asset.missing),
            "failed": len(asset.failed),
            "in_progress": len(asset.in_progress),
        }
        if any(counts.values()):
            found[name] = counts
    return found


def stale_selection(home: Path) -> tuple[list[str], list[str]]:
    """The stale kinds and the union of their stale partitions, as the UI would show them."""
    status, ordered = home_status(home)
    kinds = [name for name, asset in status.items() if asset.stale]
    keys = set().union(*(status[name].stale for name in kinds)) if kinds else set()
    return kinds, [key for key in ordered if key in keys]


def wait_until_current(home: Path, timeout_s: float) -> tuple[float, dict]:
    started = time.perf_counter()
    left = problems(home)
    while left and time.perf_counter() - started < timeout_s:
        time.sleep(POLL_S)
        left = problems(home)
    return time.perf_counter() - started, left


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def cli_side(home: Path, kinds: list[str]) -> dict:
    started = time.perf_counter()
    result = mm(home, "reprocess", "--kind", ",".join(kinds), "--json", extra_env=UPGRADE)
    wall = time.perf_counter() - started
    report = json.loads(result.stdout)
    return {
        "wall_s": round(wall, 1),
        "runs": len(report["run_ids"]),
        "failed": report["failed"],
        "left": problems(home),
    }


def ui_side(home: Path, kinds: list[str], keys: list[str], timeout_s: float) -> dict:
    deployment = LocalDeployment(home, grpc_port=free_port(), webserver_port=free_port(), settings_env=UI_SETTINGS)
    deployment.up()
    try:
        started = time.perf_counter()
        backfill_id = launch_backfill(deployment.graphql_url, kinds, keys, title="bench: reprocess after upgrade")
        backfill = wait_for_backfill(deployment.graphql_url, backfill_id, timeout_s)
        backfill_s = time.perf_counter() - started
        current_s, left = wait_until_current(home, timeout_s)
    finally:
        deployment.down()
    return {
        "backfill_s": round(backfill_s, 1),
        "all_current_s": round(backfill_s + current_s, 1),
        "status": backfill["status"],
        "runs": len(backfill["runs"]),
        "left": left,
    }


def run(args: argparse.Namespace, work: Path) -> int:
    base = work / "base"
    started = time.perf_counter()
    if args.home:
        copy_home(args.home, base)
    else:
        print(f"set-up: ingesting {args.media} and materializing the whole graph", file=sys.stderr)
        build_home(base, args.media)
    checkpoint_sqlite_files(base)
    cli_home, ui_home = work / "cli", work / "ui"
    copy_home(base, cli_home)
    copy_home(base, ui_home)
    kinds, keys = stale_selection(ui_home)
    if not kinds:
        raise BenchError("nothing turned stale after the upgrade")
    print(f"set-up done in {time.perf_counter() - started:.0f} s; stale: {kinds} over {len(keys)}", file=sys.stderr)
    cli = cli_side(cli_home, kinds)
    ui = ui_side(ui_home, kinds, keys, args.timeout)
    ratio = ui["backfill_s"] / cli["wall_s"]
    result = {
        "machine": machine(),
        "stale_kinds": kinds,
        "partitions": len(keys),
        "cli": cli,
        "ui": ui,
        "ratio": round(ratio, 2),
        "all_current_ratio": round(ui["all_current_s"] / cli["wall_s"], 2),
        "target": TARGET_RATIO,
        "met": ratio <= TARGET_RATIO and not cli["left"] and not ui["left"] and not cli["failed"],
    }
    if args.json:
        print_json(result)
    else:
        print(f"stale after the upgrade: {', '.join(kinds)} ({len(keys)} partitions)")
        print(f"mm reprocess: {cli['wall_s']} s in {cli['runs']} run(s); left stale/missing/failed: {cli['left']}")
        print(
            f"UI backfill (GraphQL launchPartitionBackfill): {ui['backfill_s']} s, {ui['status']}, "
            f"{ui['runs']} run(s); "
            f"all assets current after {ui['all_current_s']} s; left: {ui['left']}"
        )
        print(f"ratio {result['ratio']}x (target <= {TARGET_RATIO}x), all-current ratio {result['all_current_ratio']}x")
        print(verdict(result["met"]))
    return 0 if result["met"] else 1


def main() -> int:
    parser = common_arguments(__doc__.splitlines()[0], default_n=0, default_repeats=1)
    parser.add_argument("--media", type=Path, default=REPO_ROOT / "samples", help="what the home ingests")
    parser.add_argument("--home", type=Path, help="a home already built with the default settings (copied)")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds for the backfill, then for all current")
    return run_in_workdir("ui-backfill", parser.parse_args(), run)


if __name__ == "__main__":
    sys.exit(main())
