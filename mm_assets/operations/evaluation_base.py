"""What the retrieval evaluation sets and the evaluation run share: the set and query types, the
error every step raises, and the private MM_HOME an evaluation indexes into."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import dagster as dg

EVAL_TENANT = "eval"
# Settings that choose models travel from the caller's environment into the evaluation's MM_HOME;
# locations (catalog, store, index, Dagster storage) never do, so a run cannot touch real data.
MODEL_ENV = (
    "MM_OCR_ENGINE",
    "MM_OCR_MODEL_DIR",
    "MM_EMBEDDER_FAMILY",
    "MM_EMBEDDER_NAME",
    "MM_EMBEDDER_CHECKPOINT",
    "MM_CAPTIONER_FAMILY",
    "MM_CAPTIONER_NAME",
    "MM_PII_PRESIDIO",
    "MM_RENDER_DPI",
)
MARKER = ".mm-eval"  # marks a folder this module made, so a re-run may replace it


# Builds the code location for a settings object (mm_assets.definitions.build_definitions, handed
# down by the CLI: operations sit below the definitions and never import them).
DefinitionsFactory = Callable[[Any], dg.Definitions]


class EvaluationError(RuntimeError):
    """An evaluation could not run; the message says what to install, free or choose instead."""


@dataclass(frozen=True)
class EvalQuery:
    query_id: str
    text: str
    relevant: frozenset[str]  # item names
    subset: str  # the set the query comes from (differs from the set name only in `mixed`)


# Issue 21's segments, where systems break: every evaluation reports its figures per segment.
SEGMENTS = ("born-digital", "scanned", "rotated", "skewed", "multi-column", "long")
LONG_PAGES = 8  # a document of this many pages or more is `long`


@dataclass(frozen=True)
class EvalSet:
    name: str
    files: dict[str, Path]  # item name -> file to ingest
    queries: tuple[EvalQuery, ...]
    page_level: bool = False  # questions with an answering page and box (the `pages` set)
    segments: dict[str, tuple[str, ...]] = field(default_factory=dict)  # item name -> its SEGMENTS

    def query_segments(self, query: EvalQuery) -> set[str]:
        """The segments of a query: those of any of its relevant items."""
        return {segment for item in query.relevant for segment in self.segments.get(item, ())}


def segments_not_applicable(present: set[str], why: str) -> dict[str, str]:
    """Each segment a report has no figures for, with the reason."""
    return {segment: why for segment in SEGMENTS if segment not in present}


def fresh_folder(folder: Path) -> Path:
    """An empty folder; one left by an earlier evaluation is replaced, anything else is refused."""
    if folder.exists() and any(folder.iterdir()):
        if not (folder / MARKER).exists():
            raise EvaluationError(
                f"{folder} exists and was not made by mm eval; pass another --home, or empty it yourself"
            )
        shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MARKER).write_text("made by mm eval; replaced by the next run\n")
    return folder


def evaluation_settings(mm_home: Path, ocr_engine: str | None = None) -> Any:
    """Settings for a private MM_HOME, keeping the caller's model choices (MODEL_ENV)."""
    from mm_assets.settings import load_settings

    environ = {name: os.environ[name] for name in MODEL_ENV if os.environ.get(name)}
    if ocr_engine:
        environ["MM_OCR_ENGINE"] = ocr_engine
    environ["MM_HOME"] = str(mm_home)
    return load_settings(environ)
