"""The evaluation sets at the nightly report's sizes: the same sets `mm eval` runs, cut down the same
way every night so one night's figures compare with the baseline's.

A retrieval set keeps its first items taken in turn from each of its parts (`mixed`: scikit-image
photos, textiles, documents; `pages`: one part per PDF excerpt), and the queries with a relevant item
among them, their relevance narrowed to the items kept. The audio/video set keeps recordings and
videos in turn. Everything runs through the sets' public functions: building, indexing through the
whole asset graph, searching and scoring are theirs.
"""

from __future__ import annotations

import json
from itertools import zip_longest
from pathlib import Path
from typing import Any

from mm_assets.operations.evaluation_base import DefinitionsFactory, EvalQuery, EvalSet, fresh_folder


def take_in_turn(groups: list[list[str]], count: int) -> list[str]:
    """The first `count` names taking one from each group in turn (0: all of them)."""
    names = [name for row in zip_longest(*groups) for name in row if name is not None]
    return names if count == 0 else names[:count]


def part_of(eval_set: EvalSet, item: str) -> str:
    """The part of the set an item comes from: its first folder ("skimage/astronaut"), or for the
    page-level set the excerpt itself (one PDF is one part)."""
    return item if eval_set.page_level else item.split("/", 1)[0]


def shrink_set(eval_set: EvalSet, items: int) -> EvalSet:
    """`eval_set` with `items` items taken in turn from its parts, and the queries that still have a
    relevant item (0: the whole set)."""
    groups: dict[str, list[str]] = {}
    for name in eval_set.files:
        groups.setdefault(part_of(eval_set, name), []).append(name)
    kept = set(take_in_turn(list(groups.values()), items))
    queries = tuple(
        EvalQuery(query.query_id, query.text, query.relevant & kept, query.subset)
        for query in eval_set.queries
        if query.relevant & kept
    )
    files = {name: path for name, path in eval_set.files.items() if name in kept}
    return EvalSet(eval_set.name, files, queries, eval_set.page_level)


def run_retrieval_set(
    set_name: str, home: Path, out_dir: Path, k: int, items: int, build_definitions: DefinitionsFactory
) -> Any:
    """`mm eval <set_name>` on `items` of the set, in a fresh `home/<set_name>` (an EvaluationReport)."""
    from mm_assets.operations.evaluation import build_set, evaluate_set

    root = fresh_folder(home / set_name)
    eval_set = shrink_set(build_set(set_name, root / "media"), items)
    return evaluate_set(eval_set, root / "mm", out_dir, k, build_definitions=build_definitions)


def shrink_av_set(av_set: Any, items: int) -> Any:
    """The audio/video set with `items` files, recordings and videos in turn (0: all of them)."""
    from mm_assets.operations.av_evaluation import CLIPS, AvSet

    audio = {clip.name for clip in CLIPS}
    groups = [[n for n in av_set.files if n in audio], [n for n in av_set.files if n not in audio]]
    kept = take_in_turn(groups, items)
    return AvSet(
        files={name: av_set.files[name] for name in kept},
        references={name: text for name, text in av_set.references.items() if name in kept},
        queries=[query for query in av_set.queries if query.relevant in kept],
        seconds={name: av_set.seconds[name] for name in kept},
    )


def run_av_set(
    home: Path, out_dir: Path, k: int, items: int, build_definitions: DefinitionsFactory
) -> tuple[dict[str, dict[str, float]], dict[str, dict[str, float]]]:
    """`mm eval av` on `items` files, in a fresh `home/av`: (WER per engine, recall per query kind);
    writes `eval-av.json` with every query's rank and evidence."""
    from mm_assets.operations.av_evaluation import (
        build_av_set,
        measure_retrieval,
        measure_wer,
        searcher_function,
    )
    from mm_assets.operations.evaluation import index_set

    root = fresh_folder(home / "av")
    av_set = shrink_av_set(build_av_set(root / "media"), items)
    if not av_set.references:
        raise ValueError(f"av: {items} item(s) hold no speech; the word error rate needs one recording")
    indexed = index_set(EvalSet("av", av_set.files, ()), root / "mm", build_definitions)
    wer = measure_wer(indexed, av_set, indexed.settings.asr_engine)
    search, close = searcher_function(indexed)
    try:
        recall, per_query = measure_retrieval(indexed, av_set, k, search)
    finally:
        close()
    out_dir.mkdir(parents=True, exist_ok=True)
    report = {"set": "av", "items": sorted(av_set.files), "k": k, "wer": wer, "retrieval": recall}
    (out_dir / "eval-av.json").write_text(json.dumps({**report, "per_query": per_query}, indent=2))
    return wer, recall
