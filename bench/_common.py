"""Shared parts of the benchmarks: realistic sample photos, interleaved timing, tables and JSON.

Benchmarks print ratios measured side by side in one process; the machine is shared and noisy, so
every measurement runs several times interleaved (A, B, A, B, ...) and the median is reported.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import sqlalchemy as sa
from PIL import Image

from mm_assets.settings import EVENT_LOG_CHOICES, Settings, load_settings

IMAGE_SIDE = 128
# Photos that ship inside the scikit-image wheel (no download); greyscale ones are kept as they are.
SAMPLE_PHOTOS = (
    "astronaut",
    "coffee",
    "chelsea",
    "rocket",
    "camera",
    "immunohistochemistry",
    "hubble_deep_field",
    "retina",
    "stereo_motorcycle",
    "coins",
    "moon",
    "clock",
    "brick",
    "grass",
    "gravel",
)


class BenchError(RuntimeError):
    """A benchmark could not measure what it promises (a step failed, an input was refused)."""


def load_sample_photos() -> list[np.ndarray]:
    from skimage import data

    photos = []
    for name in SAMPLE_PHOTOS:
        photo = getattr(data, name)()
        photos.append(photo[0] if isinstance(photo, tuple) else photo)
    return photos


def _random_crop(photo: np.ndarray, rng: np.random.Generator) -> Image.Image:
    height, width = photo.shape[:2]
    side = int(rng.integers(min(height, width) // 4, min(height, width) + 1))
    top = int(rng.integers(0, height - side + 1))
    left = int(rng.integers(0, width - side + 1))
    crop = Image.fromarray(photo[top : top + side, left : left + side])
    if rng.random() < 0.5:
        crop = crop.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    return crop.resize((IMAGE_SIDE, IMAGE_SIDE), Image.Resampling.LANCZOS, reducing_gap=3.0)


def make_sample_images(folder: Path, count: int, seed: int = 0) -> list[Path]:
    """`count` distinct 128x128 crops of scikit-image's sample photos, PNG and JPEG alternating."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    photos = load_sample_photos()
    seen: set[str] = set()
    paths: list[Path] = []
    while len(paths) < count:
        image = _random_crop(photos[int(rng.integers(len(photos)))], rng)
        index = len(paths)
        path = folder / f"photo_{index:05d}.{'png' if index % 2 == 0 else 'jpg'}"
        if path.suffix == ".png":
            image.save(path, "PNG")
        else:
            image.save(path, "JPEG", quality=int(rng.integers(80, 96)))
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest in seen:  # a repeated crop would be a duplicate, not a new original
            path.unlink()
            continue
        seen.add(digest)
        paths.append(path)
    return paths


def median(samples: Sequence[float]) -> float:
    return statistics.median(samples)


def interleaved(
    trials: dict[str, Callable[[int], float]], repeats: int, swap_pairs: bool = False
) -> dict[str, list[float]]:
    """Run each trial once per round, in the given order, for `repeats` rounds; seconds per trial.

    Each trial gets the round number and returns the seconds it measured (its own setup excluded).
    Dirty pages are flushed before each trial so one side's writes are not paid by the other.
    `swap_pairs`: on odd rounds the 1st and 2nd trial swap places, the 3rd and 4th, ..., so each
    side of a pair runs first, and after the previous pair's work, equally often (an even
    `repeats` balances it exactly). A trial runs slower right after a different model's work.
    """
    samples: dict[str, list[float]] = {name: [] for name in trials}
    names = list(trials)
    swapped = [name for i in range(0, len(names), 2) for name in reversed(names[i : i + 2])]
    for round_number in range(repeats):
        for name in swapped if swap_pairs and round_number % 2 else names:
            os.sync()
            samples[name].append(trials[name](round_number))
    return samples


def machine() -> dict[str, Any]:
    return {
        "date": date.today().isoformat(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "dagster_event_log": os.environ.get("MM_DAGSTER_EVENT_LOG", "pooled"),
    }


def print_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    cells = [[str(h) for h in headers]] + [[_cell(value) for value in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    for line_number, row in enumerate(cells):
        print("  ".join(value.ljust(width) for value, width in zip(row, widths, strict=True)).rstrip())
        if line_number == 0:
            print("  ".join("-" * width for width in widths))


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.4f}" if value < 10 else f"{value:.2f}"
    return str(value)


def verdict(met: bool) -> str:
    return "met" if met else "NOT met"


def print_json(payload: dict[str, Any]) -> None:
    json.dump(payload, sys.stdout, indent=2, default=str)
    sys.stdout.write("\n")


def common_arguments(description: str, default_n: int, default_repeats: int) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--n", type=int, default=default_n, help=f"items (default {default_n})")
    parser.add_argument(
        "--repeats",
        type=int,
        default=default_repeats,
        help=f"interleaved rounds; the median is reported (default {default_repeats})",
    )
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    parser.add_argument("--dir", type=Path, default=None, help="where to build the temp data (default: system temp)")
    return parser


def add_event_log_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--event-log",
        choices=EVENT_LOG_CHOICES,
        default="pooled",
        help="Dagster event log of the SQLite instance: pooled (the default, "
        "mm_assets/dagster_internals/event_log_storage.py) or dagster (Dagster's own SqliteEventLogStorage); "
        "sets MM_DAGSTER_EVENT_LOG",
    )


def use_event_log(args: argparse.Namespace) -> None:
    """The --event-log choice, for every settings object and in-process CLI call of the benchmark."""
    os.environ["MM_DAGSTER_EVENT_LOG"] = args.event_log


def bench_settings(env: dict[str, str]) -> Settings:
    """Settings from `env` alone (not the caller's environment), with the --event-log choice."""
    return load_settings({**env, "MM_DAGSTER_EVENT_LOG": os.environ.get("MM_DAGSTER_EVENT_LOG", "pooled")})


def positive(parser: argparse.ArgumentParser, **values: int) -> None:
    for name, value in values.items():
        if value <= 0:
            parser.error(f"--{name.replace('_', '-')} must be positive, got {value}")


def run_in_workdir(name: str, args: argparse.Namespace, run: Callable[[argparse.Namespace, Path], int]) -> int:
    """Run a benchmark in a fresh temp folder (under --dir), report a BenchError, always clean up."""
    work = Path(tempfile.mkdtemp(prefix=f"mm-bench-{name}-", dir=args.dir))
    try:
        return run(args, work)
    except BenchError as exc:
        print(f"{name} benchmark failed: {exc}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


POSTGRES_ADMIN_URL = os.environ.get("MM_BENCH_PG_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres")


@contextmanager
def postgres_database(prefix: str) -> Iterator[str]:
    """A fresh PostgreSQL database (URL) on MM_BENCH_PG_URL's server, dropped afterwards."""
    admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as exc:
        raise BenchError(f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL} (set MM_BENCH_PG_URL): {exc}") from exc
    try:
        yield admin.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


class ConnectionCounter:
    """Counts new PostgreSQL connections (psycopg2.connect calls) while active."""

    def __init__(self) -> None:
        self.opened = 0
        self._real: Callable[..., Any] | None = None

    def __enter__(self) -> ConnectionCounter:
        import psycopg2

        self._real = psycopg2.connect

        def counting(*args: Any, **kwargs: Any) -> Any:
            self.opened += 1
            return self._real(*args, **kwargs)  # type: ignore[misc]

        psycopg2.connect = counting
        return self

    def __exit__(self, *_exc: object) -> None:
        import psycopg2

        psycopg2.connect = self._real
