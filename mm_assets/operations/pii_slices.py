"""The slices of `mm eval pii`'s segments, in the order they are reported, and their material.

`tuning` and `tuning_2` (mm_assets/operations/pii_sets.py) are what the redactor may be tuned on;
`tuning_2` was the first held-back slice until its misses were reported on 2026-12-02, and `held_back_2`
(mm_assets/operations/pii_sets_held_back_2.py) the second, until its misses were reported the same day
(run once with `pii-patterns-v6`, tuning material since), and `held_back_3`
(mm_assets/operations/pii_sets_held_back_3.py) the third (run once with `pii-patterns-v7`, tuning
material since). `held_back_4` (mm_assets/operations/pii_sets_held_back_4.py) is never tuned on: it is
run only to report, apart.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from mm_assets.operations.pii_sets import (
    HELD_BACK_MANUALS,
    HELD_BACK_NAMES,
    HELD_BACK_TEMPLATES,
    OTHER_SOURCE_DOCS,
    TUNING_MANUALS,
    TUNING_NAMES,
    TUNING_TEMPLATES,
    Manual,
    OtherSourceValues,
    SourceDocument,
)
from mm_assets.operations.pii_sets_held_back_2 import MANUALS as HELD_BACK_2_MANUALS
from mm_assets.operations.pii_sets_held_back_2 import TEMPLATES, HeldBackValues
from mm_assets.operations.pii_sets_held_back_3 import MANUALS as HELD_BACK_3_MANUALS
from mm_assets.operations.pii_sets_held_back_3 import TEMPLATES as HELD_BACK_3_TEMPLATES
from mm_assets.operations.pii_sets_held_back_3 import HeldBack3Values
from mm_assets.operations.pii_sets_held_back_4 import MANUALS as HELD_BACK_4_MANUALS
from mm_assets.operations.pii_sets_held_back_4 import TEMPLATES as HELD_BACK_4_TEMPLATES
from mm_assets.operations.pii_sets_held_back_4 import HeldBack4Values

# the slices in the order they are reported; `held_back_4` is never tuned on (`held_back_2` and
# `held_back_3` keep their names, but were reported once, with v6 and v7, and are tuning material since)
SLICES = ("tuning", "tuning_2", "held_back_2", "held_back_3", "held_back_4")
HELD_BACK_SLICES = frozenset({"held_back_4"})


def _check_slice(slice_name: str) -> None:
    if slice_name not in SLICES:
        raise ValueError(f"unknown PII evaluation slice {slice_name!r}; the slices are {', '.join(SLICES)}")


def other_source_documents(slice_name: str, count: int = OTHER_SOURCE_DOCS) -> list[SourceDocument]:
    """The letters and forms of one slice; the same slice always gives the same documents."""
    _check_slice(slice_name)
    if slice_name == "held_back_4":
        values: object = HeldBack4Values()
        templates: tuple[Callable, ...] = HELD_BACK_4_TEMPLATES
    elif slice_name == "held_back_3":
        values, templates = HeldBack3Values(), HELD_BACK_3_TEMPLATES
    elif slice_name == "held_back_2":
        values, templates = HeldBackValues(), TEMPLATES
    else:
        source = TUNING_NAMES if slice_name == "tuning" else HELD_BACK_NAMES
        values, templates = (
            OtherSourceValues(source),
            TUNING_TEMPLATES if slice_name == "tuning" else HELD_BACK_TEMPLATES,
        )
    documents = []
    for number in range(count):
        template = templates[number % len(templates)]
        pages, planted = template(values)
        name = f"{slice_name}-{number:03d}-{template.__name__.strip('_')}"
        documents.append(SourceDocument(name, slice_name, pages, planted))
    return documents


def slice_manuals(slice_name: str) -> tuple[Manual, ...]:
    _check_slice(slice_name)
    if slice_name == "held_back_4":
        return HELD_BACK_4_MANUALS
    if slice_name == "held_back_3":
        return HELD_BACK_3_MANUALS
    if slice_name == "held_back_2":
        return HELD_BACK_2_MANUALS
    return TUNING_MANUALS if slice_name == "tuning" else HELD_BACK_MANUALS


def installed_manuals(slice_name: str) -> list[Path]:
    """The slice's manuals that are installed here (`make system-deps` installs them all)."""
    return [Path(path) for _package, path in slice_manuals(slice_name) if Path(path).exists()]
