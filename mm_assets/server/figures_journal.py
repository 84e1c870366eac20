"""A durable note of the census observations an upload's answering run left to report after its answer.

The answering run (`mm_interactive_upload`, artifacts.FIGURES_AFTER_RUN) leaves its kinds' census
observations to the server, which reports them right after the answer. So that a crash between the
answer and that report loses none of them, the server writes them here first, one small JSON file per
run (written to a temporary name, flushed to disk, then renamed into place: a file is there whole or not
at all), removes the file once they are reported, and at start reports whatever a killed server left.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Dagster and the artifacts module load with the models, not with the server's state
    import dagster as dg

    from mm_assets.artifacts import DeferredFigures
    from resources.catalog import CatalogResource

log = logging.getLogger("mm.serve")
SUFFIX = ".json"


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

    def done(self, run_id: str) -> None:
        """The run's figures are reported: its note goes."""
        self._path(run_id).unlink(missing_ok=True)

    def pending(self) -> dict[str, list[DeferredFigures]]:
        """Every journalled run's figures not yet reported (a note that does not parse is logged and kept)."""
        from mm_assets.artifacts import DeferredFigures

        found: dict[str, list[DeferredFigures]] = {}
        for path in sorted(self.folder.glob(f"*{SUFFIX}")) if self.folder.is_dir() else []:
            try:
                note = json.loads(path.read_text())
                found[note["run_id"]] = [DeferredFigures.from_json(values) for values in note["figures"]]
            except (ValueError, KeyError, TypeError):
                log.error("figures journal: %s does not parse; left in place", path.name)
        return found

    def replay(self, instance: dg.DagsterInstance, catalog: CatalogResource) -> int:
        """Report what a server killed after an answer left journalled; how many observations."""
        from mm_assets.artifacts import report_figures

        reported = 0
        for run_id, figures in self.pending().items():
            reported += report_figures(instance, catalog, figures)
            self.done(run_id)
        if reported:
            log.info("figures journal: reported %d census observation(s) a stopped server left", reported)
        return reported

    def _path(self, run_id: str) -> Path:
        return self.folder / f"{run_id}{SUFFIX}"


def _fsync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
