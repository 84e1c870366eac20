"""Fault injection: SIGKILL at named points, concurrent writers, broken stores and hostile files.

Every scenario ends with the same proof that nothing is stuck and nothing is lost: `mm fsck` finds
nothing to repair, every original re-hashes to its name, no version key is written twice, every
input is catalogued once, and every partition of the cheap kinds is materialized after a plain
resume (no `--partitions`, no extra flag). The kills are real (`MM_FAULT_POINT`, see
resources/faults.py) in real `mm` processes; the resumes run in-process to keep the suite fast.
Each scenario runs on SQLite and on PostgreSQL (catalog and Dagster instance).
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg
import pypdfium2 as pdfium
import pytest
import sqlalchemy as sa

from mm_assets.cli import EXIT_ERROR, EXIT_OK, EXIT_PARTIAL, main
from mm_assets.kinds import payload_side_files
from mm_assets.operations.fsck import fsck
from mm_assets.orchestration.instance import get_instance
from mm_assets.orchestration.run_health import WORKER_TAG
from mm_assets.settings import load_settings
from partitions import CONTENT_HASH_PARTITIONS_NAME
from resources.catalog import CatalogResource, derived_artifact, quarantine_item, source_media
from resources.media_store import LocalBlobStore
from resources.stores import open_store
from tests.conftest import distinct_images, write_image

CHEAP_KINDS = "source_media,pages"
CHEAP_ASSETS = [dg.AssetKey("source_media"), dg.AssetKey("pages")]
ENV_VARS = ("MM_CONFIG", "MM_CATALOG_URL", "MM_STORE", "MM_DAGSTER_PG_URL", "MM_LANDING", "MM_FAULT_POINT")


# ---- inputs (built once) ---------------------------------------------------------------------


def small_pdf(path: Path, pages: int, size_pt: tuple[float, float] = (200, 260)) -> Path:
    document = pdfium.PdfDocument.new()
    for _ in range(pages):
        document.new_page(*size_pt).close()
    document.save(path)
    document.close()
    return path


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Nine small, distinct originals: eight PNGs and a two-page PDF."""
    folder = tmp_path_factory.mktemp("corpus")
    distinct_images(folder, 8)
    small_pdf(folder / "two-pages.pdf", 2)
    return folder


def hashes_of(folder: Path) -> set[str]:
    return {hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*") if p.is_file()}


# ---- an MM_HOME on SQLite or PostgreSQL ------------------------------------------------------


@dataclass
class Home:
    env: dict[str, str]
    capsys: pytest.CaptureFixture[str]
    runs_killed: list[int] = field(default_factory=list)

    @property
    def settings(self):  # type: ignore[no-untyped-def]
        return load_settings(self.env)

    def mm(self, *argv: str) -> tuple[int, dict]:
        """`mm ... --json` in this process (the environment is this home's)."""
        self.capsys.readouterr()
        code = main([*argv, "--json"])
        out = self.capsys.readouterr().out
        return code, json.loads(out) if out.strip() else {}

    def mm_lines(self, *argv: str) -> tuple[int, list[str]]:
        """`mm ...` in this process, human output: (exit code, stdout+stderr lines)."""
        self.capsys.readouterr()
        code = main(list(argv))
        captured = self.capsys.readouterr()
        return code, (captured.out + captured.err).splitlines()

    def mm_process(self, *argv: str, fault: str | None = None) -> subprocess.CompletedProcess[str]:
        """A real `mm` process; with `fault`, it SIGKILLs itself at that point (MM_FAULT_POINT)."""
        env = {**os.environ, **self.env, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
        if fault:
            env["MM_FAULT_POINT"] = fault
        return subprocess.run(
            [sys.executable, "-m", "mm_assets.cli", *argv], env=env, capture_output=True, text=True, timeout=300
        )

    def killed(self, *argv: str, fault: str) -> None:
        result = self.mm_process(*argv, fault=fault)
        assert result.returncode == -signal.SIGKILL, f"{fault} was never reached: {result.stderr[-2000:]}"


@pytest.fixture(params=["sqlite", "postgres"])
def home(request, tmp_path: Path, monkeypatch, capsys) -> Iterator[Home]:
    env = {"MM_HOME": str(tmp_path / "mm_home")}
    if request.param == "postgres":
        admin = request.getfixturevalue("postgres_admin")
        names = [f"mm_fault_{uuid.uuid4().hex[:10]}" for _ in range(2)]
        with admin.connect() as conn:
            for name in names:
                conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        catalog_url, dagster_url = (admin.url.set(database=n).render_as_string(hide_password=False) for n in names)
        env |= {"MM_CATALOG_URL": catalog_url, "MM_DAGSTER_PG_URL": dagster_url}
    for var in ENV_VARS:
        monkeypatch.delenv(var, raising=False)
    for var, value in env.items():
        monkeypatch.setenv(var, value)
    yield Home(env, capsys)
    if request.param == "postgres":
        with admin.connect() as conn:
            for name in names:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


# ---- the proof after every scenario ----------------------------------------------------------


def assert_nothing_stuck_nothing_lost(home: Home, inputs: set[str]) -> None:
    settings = home.settings
    catalog = CatalogResource(url=settings.catalog_url)
    store = open_store(settings.store_root)
    instance = get_instance(settings)

    report = fsck(catalog, store, instance, side_files=payload_side_files())
    assert report.findings == [], [f"{f.kind}: {f.key}: {f.detail}" for f in report.findings]

    originals = [key for key in store.list_keys("media")]
    for key in originals:
        assert hashlib.sha256(store.read_bytes(key)).hexdigest() == key.rsplit("/", 1)[1], key

    with catalog.engine.connect() as conn:
        catalogued = conn.execute(sa.select(source_media.c.content_hash)).scalars().all()
        version_keys = conn.execute(
            sa.select(
                derived_artifact.c.source_hash,
                derived_artifact.c.kind,
                derived_artifact.c.pipeline_version,
                derived_artifact.c.model_id,
                derived_artifact.c.input_digest,
            )
        ).all()
    assert sorted(catalogued) == sorted(inputs)  # every input once, nothing else
    assert len(version_keys) == len(set(version_keys)), "a version key was written twice"

    partitions = set(instance.get_dynamic_partitions(CONTENT_HASH_PARTITIONS_NAME))
    assert partitions == inputs
    for asset_key in CHEAP_ASSETS:
        assert instance.get_materialized_partitions(asset_key) == inputs, asset_key


def resume(home: Home, *paths: Path) -> dict:
    """A plain resume: ingest the same folders again, then materialize what is missing."""
    code, _ = home.mm("ingest", *map(str, paths))
    assert code == EXIT_OK
    code, report = home.mm("materialize", "--select", CHEAP_KINDS)
    assert code == EXIT_OK, report
    return report


# ---- SIGKILL during ingest -------------------------------------------------------------------


@pytest.mark.parametrize(
    "fault",
    [
        "ingest.original_stored@4",  # three originals stored, no catalog row yet
        "ingest.rows_flushed",  # rows committed, partitions not registered
        "store.temp_written@6",  # a temp file written, never linked into place
    ],
)
def test_sigkill_during_ingest_then_plain_resume(home, corpus, fault):
    home.killed("ingest", str(corpus), fault=fault)

    resume(home, corpus)

    assert_nothing_stuck_nothing_lost(home, hashes_of(corpus))
    assert list(Path(home.settings.store_root, ".tmp").iterdir()) == []  # the dead writer's temp file is gone


# ---- SIGKILL during materialize --------------------------------------------------------------


@pytest.mark.parametrize(
    "fault",
    [
        "artifacts.payload_written@3",  # payloads in the store, no catalog rows
        "artifacts.catalog_flush",  # inside the catalog transaction: rolled back
        "artifacts.step_done",  # rows committed, Dagster never heard of them
    ],
)
def test_sigkill_during_materialize_then_plain_resume(home, corpus, fault):
    assert home.mm("ingest", str(corpus))[0] == EXIT_OK
    home.killed("materialize", "--select", CHEAP_KINDS, fault=fault)

    report = resume(home, corpus)  # finds the dead run itself, fails it, and picks up its partitions

    assert len(report["materialized"]) == len(hashes_of(corpus))  # no --partitions needed
    runs = [run for run in get_instance(home.settings).get_runs() if WORKER_TAG in run.tags]  # newest first
    assert runs[-1].status == dg.DagsterRunStatus.FAILURE  # the killed one
    assert_nothing_stuck_nothing_lost(home, hashes_of(corpus))


def test_mm_status_says_a_run_is_dead_and_counts_its_partitions_failed(home, corpus):
    assert home.mm("ingest", str(corpus))[0] == EXIT_OK
    home.killed("materialize", "--select", CHEAP_KINDS, fault="artifacts.catalog_flush")

    code, lines = home.mm_lines("status", "--global")

    assert code == EXIT_OK
    assert "in_progress" in lines[0].split()
    assert any("dead, marked failed" in line and "is gone" in line for line in lines), lines
    code, status = home.mm("status", "--global")
    assert status["dead_runs_failed"] == [] and status["runs_in_progress"] == []  # failed once, for good
    assert status["assets"]["pages"]["in_progress"] == 0
    assert status["assets"]["pages"]["failed"] == len(hashes_of(corpus))
    resume(home, corpus)
    assert_nothing_stuck_nothing_lost(home, hashes_of(corpus))


# ---- concurrent writers ----------------------------------------------------------------------


def start(home: Home, *argv: str) -> subprocess.Popen[str]:
    env = {**os.environ, **home.env, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    return subprocess.Popen(
        [sys.executable, "-m", "mm_assets.cli", *argv, "--json"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen[str]) -> dict:
    out, err = process.communicate(timeout=300)
    assert process.returncode == EXIT_OK, err[-2000:]
    return json.loads(out)


def test_two_concurrent_ingests_of_overlapping_folders_both_finish(home, corpus, tmp_path):
    left, right = tmp_path / "left", tmp_path / "right"
    distinct_images(left, 6, start=100)
    distinct_images(right, 6, start=103)  # three images in both folders
    # An existing home (Dagster's own first-use schema creation is not safe to race).
    assert home.mm("ingest", str(next(corpus.glob("*.png"))))[0] == EXIT_OK

    first, second = start(home, "ingest", str(corpus), str(left)), start(home, "ingest", str(right), str(corpus))
    reports = [finish(first), finish(second)]

    accepted = [item["content_hash"] for report in reports for item in report["accepted"]]
    assert len(accepted) == len(set(accepted))  # never catalogued twice
    assert all(report["rejected"] == [] for report in reports)
    resume(home, corpus, left, right)
    assert_nothing_stuck_nothing_lost(home, hashes_of(corpus) | hashes_of(left) | hashes_of(right))


def test_two_concurrent_materializes_both_finish(home, corpus):
    assert home.mm("ingest", str(corpus))[0] == EXIT_OK

    first, second = (start(home, "materialize", "--select", CHEAP_KINDS) for _ in range(2))
    reports = [finish(first), finish(second)]

    assert all(report["failed"] == [] for report in reports)
    resume(home, corpus)
    assert_nothing_stuck_nothing_lost(home, hashes_of(corpus))


# ---- broken stores ---------------------------------------------------------------------------


@pytest.fixture
def small_filesystem(tmp_path: Path) -> Iterator[Path | None]:
    """A 4 MiB tmpfs (we run as root in CI); None where this machine cannot mount one."""
    mount_point = tmp_path / "small_fs"
    mount_point.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount_point)], capture_output=True)
    if mounted.returncode != 0:
        yield None
        return
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def break_store(store_dir: Path, mount_point: Path | None, how: str, monkeypatch) -> None:
    """Make the store read-only or full: for real on a tmpfs, else a store whose writes raise the OS error."""
    if mount_point is not None and how == "read-only":
        subprocess.run(["mount", "-o", "remount,ro", str(mount_point)], check=True)
    elif mount_point is not None and how == "full":
        fd = os.open(mount_point / "filler", os.O_WRONLY | os.O_CREAT)
        try:
            for chunk in (65536, 4096, 1):  # down to the last byte
                try:
                    while os.write(fd, b"\0" * chunk):
                        pass
                except OSError as error:
                    assert error.errno == errno.ENOSPC
        finally:
            os.close(fd)
    else:
        code = errno.EROFS if how == "read-only" else errno.ENOSPC

        def refuse(*_args, **_kwargs):
            raise OSError(code, os.strerror(code))

        monkeypatch.setattr(LocalBlobStore, "_publish", refuse)


def repair_store(mount_point: Path | None, monkeypatch) -> None:
    if mount_point is not None:
        subprocess.run(["mount", "-o", "remount,rw", str(mount_point)], check=True)
        (mount_point / "filler").unlink(missing_ok=True)
    monkeypatch.undo()


@pytest.mark.parametrize("how", ["read-only", "full"])
def test_a_broken_store_is_a_store_fault_not_the_files_fault(
    home, corpus, tmp_path, small_filesystem, monkeypatch, how
):
    store_dir = (small_filesystem or tmp_path) / "store"
    home.env["MM_STORE"] = str(store_dir)
    monkeypatch.setenv("MM_STORE", str(store_dir))
    assert home.mm("ingest", str(corpus))[0] == EXIT_OK
    later = distinct_images(tmp_path / "later", 3, start=200)[0].parent

    with monkeypatch.context() as broken:
        break_store(store_dir, small_filesystem, how, broken)
        code, lines = home.mm_lines("ingest", str(later))
        assert code == EXIT_ERROR
        assert len(lines) == 1 and str(store_dir) in lines[0], lines
        assert ("Read-only file system" if how == "read-only" else "No space left on device") in lines[0]
        code, lines = home.mm_lines("materialize", "--select", CHEAP_KINDS)
        assert code == EXIT_PARTIAL
        failed = [line for line in lines if line.startswith("failed")]
        assert len(failed) == len(hashes_of(corpus)) and all("store" in line for line in failed)
        assert not any("Traceback" in line for line in lines)
        if small_filesystem is not None:
            repair_store(small_filesystem, broken)

    settings = home.settings
    with CatalogResource(url=settings.catalog_url).engine.connect() as conn:
        assert conn.execute(sa.select(quarantine_item)).all() == []  # nobody's file was called unreadable
    assert list((store_dir / ".tmp").iterdir()) == []
    resume(home, corpus, later)
    assert_nothing_stuck_nothing_lost(home, hashes_of(corpus) | hashes_of(later))


def test_an_unreachable_s3_store_is_one_line_and_exit_1(home, corpus, monkeypatch):
    monkeypatch.setenv("MM_STORE", "s3://mm-nowhere/store")
    monkeypatch.setenv("MM_S3_ENDPOINT", "http://127.0.0.1:9")  # discard port: nothing listens
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "x")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "y")
    code, lines = home.mm_lines("ingest", str(corpus))
    assert code == EXIT_ERROR
    assert len(lines) == 1 and "127.0.0.1:9" in lines[0] and "mm-nowhere" in lines[0], lines


# ---- hostile files ---------------------------------------------------------------------------


def test_hostile_files_never_stop_the_rest(home, corpus, tmp_path):
    hostile = tmp_path / "hostile"
    good = distinct_images(hostile, 2, start=300)
    non_utf8 = write_image(hostile / "tmp.png", color=(9, 9, 9))
    os.rename(bytes(non_utf8), bytes(hostile) + b"/bad\xff\xfename.png")
    small_pdf(hostile / "page-bomb.pdf", 20, (4500, 4500))  # 3 KB that renders to ~7 GB
    jpeg = write_image(hostile / "photo.jpg", color=(1, 2, 3))
    (hostile / "smuggled.jpg").write_bytes(jpeg.read_bytes() + os.urandom(1024 * 1024))
    (hostile / "padded.jpg").write_bytes(jpeg.read_bytes() + b"\0" * 100)
    os.symlink("/etc/passwd", hostile / "passwd.png")
    os.symlink(hostile / "nowhere", hostile / "dangling.png")

    code, report = home.mm("ingest", str(hostile))

    assert code == EXIT_OK
    reasons = {Path(item["path"]).name: item["reason"] for item in report["rejected"]}
    assert reasons == {
        "page-bomb.pdf": "page_too_large",
        "smuggled.jpg": "trailing_data",
        "passwd.png": "unsupported_type",
        "dangling.png": "unreadable",
    }
    accepted = {Path(item["path"]).name: item for item in report["accepted"]}
    assert set(accepted) == {good[0].name, good[1].name, "bad\\xff\\xfename.png", "photo.jpg", "padded.jpg"}
    assert accepted["padded.jpg"]["warnings"] == ["100 bytes after the JPEG end marker (kept, not decoded)"]
    passwd = next(item for item in report["rejected"] if item["path"].endswith("passwd.png"))
    assert passwd["quarantine_uri"] is None and "symlink to /etc/passwd" in passwd["message"]
    assert "root:" not in passwd["message"]  # not a byte of the link's target in the record
    store = open_store(home.settings.store_root)
    etc_passwd = Path("/etc/passwd").read_bytes()
    assert all(store.read_bytes(key) != etc_passwd for key in store.list_keys("quarantine"))
    with CatalogResource(url=home.settings.catalog_url).engine.connect() as conn:
        gate = conn.execute(
            sa.select(source_media.c.gate).where(source_media.c.original_name == "bad\\xff\\xfename.png")
        ).scalar_one()
    assert bytes.fromhex(gate["original_name_bytes_hex"]) == b"bad\xff\xfename.png"

    code, _ = home.mm("materialize", "--select", CHEAP_KINDS)
    assert code == EXIT_OK
    inputs = {item["content_hash"] for item in report["accepted"]}
    assert_nothing_stuck_nothing_lost(home, inputs)
