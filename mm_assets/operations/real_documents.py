"""Real documents for `mm eval tables` and `mm eval fields`: PDFs we did not draw, truth by hand.

The files are vendored under evaluation/real (MIT-licensed sdists of tabula-py and invoice2data,
BSD factur-x, AGPL-3 OCA invoice-import addons as evaluation data; sources, licences and the
tuning / held-back split in its SPLIT.md, written before the first run), so the evaluation
fetches nothing. Their truth (truth.json) is checked by hand or read from an invoice's own
embedded XML, and looser in form than the generated truth, because a real table has a title,
notes and wrapped headings round the cells we check:

- tables: the truth is blocks of cells that must stand together in one table of the page, at any
  row and column offset (a wrapped heading adds rows above them); label cells compare without
  their dot leaders ("Robbery. . . . ." is "Robbery"), all cells without spaces.
- fields: amounts compare as numbers ("1939" is "1939.00"); the vendor and the number may be any
  of the listed forms, the vendor without its legal form ("Au bon moulin SARL" is "Au bon
  moulin"); a field absent from the document or ambiguous on it is not scored.
  Every real document is consistent, so each conflict raised on one is a false conflict.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from mm_assets.operations.evaluation_base import EvaluationError
from mm_assets.operations.invoice_fields import LEGAL_FORMS

REAL_DIR = Path(__file__).resolve().parents[2] / "evaluation" / "real"
REAL_SEGMENT, REAL_HELD_BACK_SEGMENT = "real", "real held-back"
REAL_CHOICES = ("none", "tuning", "all")  # `--real`: which real documents join the generated ones
MAX_OFFSET = 12  # rows (and columns) a block may sit away from the table's top left corner


def real_truth(folder: Path = REAL_DIR) -> dict[str, Any]:
    path = folder / "truth.json"
    if not path.is_file():
        raise EvaluationError(f"the real documents are missing: {path} (they ship in the repository's samples/)")
    return json.loads(path.read_text(encoding="utf-8"))


def real_documents(set_name: str, which: str, folder: Path = REAL_DIR) -> list[tuple[str, bytes, bool, dict]]:
    """(name, pdf, held_back, truth) of the real documents of `set_name` that `which` selects."""
    if which not in REAL_CHOICES:
        raise EvaluationError(f"--real must be one of {', '.join(REAL_CHOICES)}, not {which!r}")
    if which == "none":
        return []
    truth = real_truth(folder)
    held_back = set(truth["held_back"])
    chosen = []
    for relative, expected in truth[set_name].items():
        if relative in held_back and which != "all":
            continue
        name = "real-" + Path(relative).stem.replace("_", "-")
        chosen.append((name, (folder / relative).read_bytes(), relative in held_back, {**expected, "real": True}))
    return chosen


def _cell_key(text: str) -> str:
    """A cell as compared: no spaces, no dot leaders after a label."""
    return re.sub(r"(?:\s*\.){2,}\s*$", "", text).replace(" ", "").replace("\u00a0", "")


def _block_score(block: list[list[str]], grid: list[list[str]]) -> int:
    """Most cells of `block` found in `grid` with the block placed at one offset."""
    best = 0
    for dr in range(MAX_OFFSET + 1):
        for dc in range(MAX_OFFSET + 1):
            hits = 0
            for r, row in enumerate(block):
                for c, text in enumerate(row):
                    got = grid[r + dr][c + dc] if r + dr < len(grid) and c + dc < len(grid[r + dr]) else None
                    hits += got is not None and _cell_key(got) == _cell_key(text)
            best = max(best, hits)
    return best


def score_real_table(truth: dict, payload: dict | None) -> dict[str, float]:
    """Cell accuracy over every truth block (each in the page's table that holds most of it) and
    structure: the share of blocks found whole."""
    tables = [t for t in (payload or {}).get("tables", []) if t["page"] == truth["page"]]
    cells = found = whole = 0
    for block in truth["blocks"]:
        size = sum(len(row) for row in block)
        hits = max((_block_score(block, t["rows"]) for t in tables), default=0)
        cells, found, whole = cells + size, found + hits, whole + (hits == size)
    accuracy = found / cells if cells else 0.0
    return {"cells": accuracy, "cells_exact": accuracy, "structure": whole / len(truth["blocks"])}


def _same_value(name: str, got: Any, expected: Any) -> bool:
    options = expected if isinstance(expected, list) else [expected]
    if got is None:
        return False
    if name in ("subtotal", "tax", "total"):
        try:
            return any(Decimal(str(got)) == Decimal(option) for option in options)
        except InvalidOperation:
            return False
    key = _vendor_key if name == "vendor" else _squeezed
    return any(key(str(got)) == key(option) for option in options)


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text).lower()


def _vendor_key(name: str) -> str:
    """A company's name without its legal form or punctuation: "Au bon moulin SARL" is the seller
    "Au bon moulin" of the document's XML, "WS Retail Services Pvt. Ltd.," its listed name."""
    return _squeezed(re.sub(LEGAL_FORMS, " ", name, flags=re.I).strip(" ,.;:"))


def score_real_fields(truth: dict, payload: dict | None, field_names: tuple[str, ...]) -> dict[str, Any]:
    payload = payload or {"fields": {}, "line_items": [], "verification": {"status": "missing"}}
    scores: dict[str, Any] = {}
    for name in field_names:
        if name in truth["fields"]:
            got = payload["fields"].get(name, {}).get("value")
            scores[name] = float(_same_value(name, got, truth["fields"][name]))
    scores["line_items"] = None  # not scored on real documents: see SPLIT.md
    scores["doc_type"] = float(payload.get("doc_type") == truth["doc_type"])
    scores["flagged"] = payload["verification"]["status"] == "conflict"
    scores["inconsistent"] = False
    return scores
