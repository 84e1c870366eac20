"""A durable note of the census observations an upload's answering run left to report after its answer.

The answering run (`mm_interactive_upload`, artifacts.FIGURES_AFTER_RUN) leaves its kinds' census
observations to the server, which reports them right after the answer. So that a crash between the
answer and that report loses none of them, the server writes them here first, one small JSON file per
run (written to a temporary name, flushed to disk, then renamed into place: a file is there whole or not
at all), removes the file once they are reported, and at start reports whatever a killed server left;
`mm materialize --missing` does too. Whoever reports a note first claims it by renaming it to
`<run id>.claimed-<pid>` (atomic: one claimer wins), so the server and a `mm materialize` at the same
time never report it twice; a claim whose process is gone is taken over by the next replay.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # Dagster and the artifacts module load with the models, not with the server's state
    import dagster as dg

    from mm_assets.artifacts import DeferredFigures
    from resources.catalog import CatalogResource

log = logging.getLogger("mm.serve")
SUFFIX = ".json"
CLAIMED = ".claimed-"  # <run id>.claimed-<pid>: being reported by that process


def journal_folder(settings: Any) -> Path:
    """Where a home's journal lives ($MM_HOME/serve/figures-journal)."""
    return Path(settings.home) / "serve" / "figures-journal"


class FiguresJournal:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def write(self, run_id: str, figures: list[DeferredFigures]) -> None:
        """Journal one run's figures, durably, before the server answers (nothing when there are none)."""
        if not figures:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        staging = self.folder / f".{run_id}.tmp"
        with staging.open("w") as out:
            json.dump({"run_id": run_id, "figures": [figure.to_json() for figure in figures]}, out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(staging, self._path(run_id))
        _fsync_folder(self.folder)  # the rename itself survives a power cut

    def report(self, instance: dg.DagsterInstance, catalog: CatalogResource, run_id: str, figures: list[Any]) -> int:
        """Report one run's journalled figures and strike the note; 0 when another process claimed it first."""
        from mm_assets.artifacts import report_figures

        claimed = _claim(self._path(run_id))
        if claimed is None:
            return 0  # none were journalled (`write` skips an empty list), or a replay elsewhere reports them
        reported = report_figures(instance, catalog, figures)
        claimed.unlink(missing_ok=True)
        return reported

    def pending(self) -> dict[str, list[DeferredFigures]]:
        """Every journalled run's figures not yet reported and not being reported by a live process (a note
        that does not parse is logged and kept)."""
        return {run_id: figures for run_id, (_, figures) in self._notes().items()}

    def replay(self, instance: dg.DagsterInstance, catalog: CatalogResource) -> int:
        """Report what a server killed after an answer left journalled; how many observations."""
        from mm_assets.artifacts import report_figures

        reported = 0
        for path, figures in self._notes().values():
            claimed = _claim(path)
            if claimed is None:
                continue  # another replay took it meanwhile
            reported += report_figures(instance, catalog, figures)
            claimed.unlink(missing_ok=True)
        if reported:
            log.info("figures journal: reported %d census observation(s) a stopped server left", reported)
        return reported

    def _notes(self) -> dict[str, tuple[Path, list[DeferredFigures]]]:
        from mm_assets.artifacts import DeferredFigures

        found: dict[str, tuple[Path, list[DeferredFigures]]] = {}
        paths = sorted(self.folder.iterdir()) if self.folder.is_dir() else []
        for path in paths:
            if not (path.name.endswith(SUFFIX) or _orphaned_claim(path)):
                continue
            try:
                note = json.loads(path.read_text())
                found[note["run_id"]] = (path, [DeferredFigures.from_json(values) for values in note["figures"]])
            except FileNotFoundError:
                continue  # reported meanwhile
            except (ValueError, KeyError, TypeError):
                log.error("figures journal: %s does not parse; left in place", path.name)
        return found

    def _path(self, run_id: str) -> Path:
        return self.folder / f"{run_id}{SUFFIX}"


def _claim(path: Path) -> Path | None:
    """Rename a note (or a dead process's claim) to this process's claim; None when another got it first."""
    run_id = path.name.split(CLAIMED)[0].removesuffix(SUFFIX)
    claimed = path.with_name(f"{run_id}{CLAIMED}{os.getpid()}")
    try:
        os.rename(path, claimed)
    except FileNotFoundError:
        return None
    return claimed


def _orphaned_claim(path: Path) -> bool:
    """A claim whose process no longer runs (killed while reporting)."""
    _, marker, pid = path.name.partition(CLAIMED)
    if not marker or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _fsync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
