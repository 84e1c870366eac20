"""Paired figures for `mm eval rotation`: each page's turned / upright CER and a paired bootstrap
interval of the ratio of mean CERs.

A turned scan and the upright scan of the same page share the page's text, type and grain, so the
question "does the turn cost OCR anything?" is asked page by page. Between pages the CER varies
several-fold (how the scan's blur and JPEG coding fell on each picture), so a mean over four pages
cannot tell a 10% effect from that noise; the interval says how far the mean ratio could move
were other pages of the same kind drawn. It resamples whole pages (a page's upright and turned
scans together), seeded, so a rerun prints the same interval.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

# segment -> the turned scans whose CER, averaged per page, is set against the same page upright;
# 90 and 270 both reach OCR through a transpose, so together they ask what a transpose costs
PAIRED_SEGMENTS: dict[str, tuple[str, ...]] = {
    "90": ("turn-90",),
    "180": ("turn-180",),
    "270": ("turn-270",),
    "90 and 270": ("turn-90", "turn-270"),
}
BOOTSTRAP_RESAMPLES = 10_000
BOOTSTRAP_SEED = 2121
INTERVAL_LEVEL = 0.90


@dataclass(frozen=True)
class PairedRatio:
    """One segment's pages: upright and turned CER of each, the ratio of their means, its interval."""

    pages: tuple[str, ...]
    upright: tuple[float, ...]
    turned: tuple[float, ...]
    target: float
    interval: tuple[float, float] | None  # None: fewer than two pages, or no resample had an upright error

    @property
    def ratio(self) -> float | None:
        """Mean turned CER / mean upright CER (None when every upright page was read without an error)."""
        base = sum(self.upright)
        return sum(self.turned) / base if base else None

    @property
    def per_page(self) -> dict[str, float | None]:
        return {page: (t / u if u else None) for page, u, t in zip(self.pages, self.upright, self.turned, strict=True)}

    @property
    def verdict(self) -> str:
        if self.ratio is None:
            return "no ratio: upright read without an error"
        if self.interval is None:
            return "no interval: one page"
        low, high = self.interval
        if low > self.target:
            return f"above {self.target}x (the whole interval)"
        if high <= self.target:
            return f"within {self.target}x (the whole interval)"
        return f"undecided: the interval spans {self.target}x"

    def as_json(self) -> dict[str, Any]:
        return {
            "pages": {
                page: {"upright_cer": u, "turned_cer": round(t, 4), "ratio": _rounded(r)}
                for (page, r), u, t in zip(self.per_page.items(), self.upright, self.turned, strict=True)
            },
            "ratio": _rounded(self.ratio),
            "interval": [round(v, 3) for v in self.interval] if self.interval else None,
            "level": INTERVAL_LEVEL,
            "resamples": BOOTSTRAP_RESAMPLES,
            "seed": BOOTSTRAP_SEED,
            "verdict": self.verdict,
        }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def bootstrap_interval(
    upright: Sequence[float],
    turned: Sequence[float],
    resamples: int = BOOTSTRAP_RESAMPLES,
    level: float = INTERVAL_LEVEL,
    seed: int = BOOTSTRAP_SEED,
) -> tuple[float, float] | None:
    """The percentile interval of sum(turned) / sum(upright) over resamples of whole pages (drawn
    with replacement, each page's two CERs together). Resamples with no upright error have no
    ratio and are left out; None when fewer than two pages or none is left."""
    if len(upright) < 2:
        return None
    picks = np.random.default_rng(seed).integers(0, len(upright), (resamples, len(upright)))
    bases = np.asarray(upright, dtype=np.float64)[picks].sum(axis=1)
    tops = np.asarray(turned, dtype=np.float64)[picks].sum(axis=1)
    ratios = tops[bases > 0] / bases[bases > 0]
    if not len(ratios):
        return None
    tail = (1 - level) / 2
    low, high = np.quantile(ratios, [tail, 1 - tail])
    return float(low), float(high)


def page_pairs(scans: Sequence[dict[str, Any]], variants: tuple[str, ...]) -> list[tuple[str, float, float]]:
    """(page, upright CER, mean CER of its `variants`) for each page scanned upright and every one of them."""
    cers: dict[str, dict[str, float]] = {}
    for scan in scans:
        cers.setdefault(scan["page"], {})[scan["variant"]] = scan["cer"]
    return [
        (page, found["upright"], sum(found[v] for v in variants) / len(variants))
        for page, found in cers.items()
        if "upright" in found and all(v in found for v in variants)
    ]


def paired_ratios(slices: dict[str, Sequence[dict[str, Any]]], target: float) -> dict[str, dict[str, PairedRatio]]:
    """slice -> segment (90, 180, 270, 90 and 270) -> its PairedRatio, for segments with a page."""
    figures: dict[str, dict[str, PairedRatio]] = {}
    for slice_name, scans in slices.items():
        for segment, variants in PAIRED_SEGMENTS.items():
            pairs = page_pairs(scans, variants)
            if not pairs:
                continue
            pages, upright, turned = (tuple(column) for column in zip(*pairs, strict=True))
            figures.setdefault(slice_name, {})[segment] = PairedRatio(
                pages, upright, turned, target, bootstrap_interval(upright, turned)
            )
    return figures


def paired_summary(pairs: dict[str, dict[str, PairedRatio]], target: float) -> list[str]:
    """Report lines: per slice and segment the ratio, its interval and verdict, then each page's ratio."""
    if not pairs:
        return []
    lines = [
        f"paired: turned / upright CER of the same pages, {INTERVAL_LEVEL:.0%} paired bootstrap interval "
        f"({BOOTSTRAP_RESAMPLES} resamples of whole pages, seed {BOOTSTRAP_SEED}), target {target}x:"
    ]
    for slice_name, rows in pairs.items():
        for segment, pair in rows.items():
            ratio = "-" if pair.ratio is None else f"{pair.ratio:.3f}"
            interval = "-" if pair.interval is None else f"[{pair.interval[0]:.3f}, {pair.interval[1]:.3f}]"
            lines.append(f"  {slice_name} {segment}: {len(pair.pages)} pages, {ratio} {interval}: {pair.verdict}")
            each = ", ".join(f"{page} {'-' if r is None else f'{r:.2f}'}" for page, r in pair.per_page.items())
            lines.append(f"    per page: {each}")
    return lines
