"""One PNG chart: a figure, drawn by the caller, titled, saved and closed (headless, files only)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any


def plot_png(
    path: Path,
    title: str,
    draw: Callable[[Any], None],
    ylabel: str = "",
    size: tuple[float, float] = (8, 4.5),
    *,
    dpi: int = 100,
    legend: dict[str, Any] | None = None,
) -> Path:
    """`draw(axis)` on a fresh figure, then the title, a legend if anything is labelled (small, where
    it hides least; or as `legend` says), and the PNG."""
    import matplotlib

    matplotlib.use("Agg")  # files only: no display here, and none needed
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots(figsize=size)
    draw(axis)
    axis.set_title(title)
    if ylabel:
        axis.set_ylabel(ylabel)
    if axis.get_legend_handles_labels()[0]:
        axis.legend(**(legend or {"fontsize": "small"}))
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=dpi)
    plt.close(figure)
    return path
