"""`mm search` and `mm eval`: query the index, and measure how well it finds things."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from mm_assets.cli.common import (
    EXIT_OK,
    UsageError,
    emit,
)


def _check_search_arguments(args: argparse.Namespace, settings: Any) -> None:
    """Every usage error of a search, found before any model loads (seconds) rather than after."""
    from resources.index_fusion import MAX_K
    from resources.index_where import QueryRefused, validate_where

    if not args.tenant and not args.global_scope:
        raise UsageError(
            "a search is scoped to one tenant: pass --tenant T (or --global for an explicit global search)"
        )
    if not (args.text or "").strip() and not args.image:
        raise UsageError("empty query: give a text, an image (--image), or both")
    if getattr(args, "include_sensitive", False) and not args.global_scope:
        raise UsageError("--include-sensitive (identity documents) needs --global: a global search by an operator")
    if not 1 <= args.k <= MAX_K:
        raise UsageError(f"--k must be between 1 and {MAX_K}, got {args.k}")
    try:
        if args.where is not None:
            validate_where(args.where)
    except QueryRefused as exc:
        raise UsageError(f"--where: {exc}") from exc
    if args.image:
        from mm_assets.operations.gate import InputRejected, check_file  # PDFium and FFmpeg: image queries only

        try:
            verdict = check_file(Path(args.image), settings.caps)
        except InputRejected as exc:
            raise UsageError(f"--image {args.image}: {exc.reason}: {exc.message}") from exc
        if verdict.modality != "image":
            raise UsageError(f"--image {args.image}: a {verdict.mime_type} is not an image")


def cmd_search(args: argparse.Namespace) -> int:
    from mm_assets.settings import load_settings

    settings = load_settings()
    _check_search_arguments(args, settings)
    if os.environ.get("MM_SERVER_URL"):  # ask a running `mm serve` (its key says the tenant)
        from mm_assets.server.client import remote_search

        response = remote_search(os.environ["MM_SERVER_URL"], os.environ.get("MM_API_KEY", ""), args)
        emit(args, response, lambda: _print_hits(response))
        return EXIT_OK
    if args.process_ends_after and not args.image:
        _one_shot_text_search()
    from mm_assets.operations.search import Searcher, SearchQuery
    from resources.index_where import QueryRefused

    query = SearchQuery(
        text=args.text,
        image=Path(args.image) if args.image else None,
        tenant=args.tenant,
        global_scope=args.global_scope,
        k=args.k,
        where=args.where,
        fusion=args.fusion,
        include_sensitive=args.include_sensitive,
    )
    try:
        crops = Path(args.crops) if args.crops else None
        # A text query needs no image model: the cold path loads only the text encoder (issue 20).
        searcher = Searcher.from_settings(settings) if args.image else Searcher.for_text(settings)
        response = searcher.search(query, who=args.who, crops_dir=crops).as_json()
    except QueryRefused as exc:
        raise UsageError(str(exc)) from exc
    emit(args, response, lambda: _print_hits(response))
    return EXIT_OK


def _one_shot_text_search() -> None:
    """Set-up for a process that ends after its text search (issue 20: ~0.2 s of its ~1.2 s of CPU): no
    pandas under pyarrow.dataset (resources/lancedb_imports.py), and no cyclic garbage collection: the
    collector's passes over the ~140,000 objects the imports make cost ~0.09 s, and all it would free
    is ~1,400 objects in cycles, which go back with the rest of the process's memory at exit."""
    import gc

    from resources.lancedb_imports import import_pyarrow_dataset_without_pandas

    gc.disable()
    import_pyarrow_dataset_without_pandas()


def _print_hits(response: dict[str, Any]) -> None:
    if response.get("query_caption"):
        print(f"query image caption: {response['query_caption']}")
    for rank, hit in enumerate(response["results"], 1):
        channels = ", ".join(f"{name} #{c['rank']} ({c['score']:.3f})" for name, c in sorted(hit["channels"].items()))
        print(f"{rank:>2}. {hit['content_hash'][:16]}  {hit['score']:.4f}  [{channels}]  {hit['caption']}")
        for entry in hit["evidence"]:
            print(f"      {_evidence_line(entry)}")
    if not response["results"]:
        print("no results")


def _evidence_line(entry: dict) -> str:
    """One evidence entry for people: where (page and box, or time span), score, snippet, crop."""
    if "t_start" in entry:  # audio and video: the time span first (a keyframe also has its frame's page)
        where = f"{entry['t_start']:.1f}-{entry['t_end']:.1f} s"
        where += f" (frame p.{entry['page']})" if "page" in entry else ""
    else:
        where = f"p.{entry['page']} {[round(v) for v in entry.get('bbox', [])]}"
    snippet = entry["text"] if len(entry["text"]) <= 90 else entry["text"][:87] + "..."
    crop = f"  -> {entry['crop']}" if "crop" in entry else ""
    return f"{where}  {entry['channel']} {entry['score']:.3f}  {snippet!r}{crop}"


def cmd_eval(args: argparse.Namespace) -> int:
    from mm_assets.operations.evaluation_base import EvaluationError
    from mm_assets.settings import load_settings

    settings = load_settings()
    out_dir = Path(args.out) if args.out else settings.home / "reports"
    progress = None if args.json else lambda message: print(message, file=sys.stderr)
    try:
        report = _run_eval_set(args, settings, out_dir, progress)
    except EvaluationError as exc:
        raise UsageError(str(exc)) from exc
    emit(args, report.as_json(), lambda: print(report.summary()))
    return EXIT_OK


def _pii_segments(run_segments: Any, slices: str | None) -> Any:
    """`run_segments` over the slices named on the command line (when none are, every slice but a
    held-back one)."""
    from functools import partial

    return partial(run_segments, slices=chosen_pii_slices(slices))


def chosen_pii_slices(slices: str | None) -> tuple[str, ...]:
    """The slices `--slices` names, or by default those that are tuning material: a held-back slice
    judges a detector once, so it runs only when named, never as a side effect of a plain `mm eval pii`."""
    from mm_assets.operations.pii_slices import HELD_BACK_SLICES, SLICES

    if not slices:
        return tuple(name for name in SLICES if name not in HELD_BACK_SLICES)
    chosen = tuple(name.strip() for name in slices.split(",") if name.strip())
    unknown = sorted(set(chosen) - set(SLICES))
    if unknown:
        raise UsageError(f"unknown --slices {unknown}; the slices are {', '.join(SLICES)}")
    return chosen


def _run_eval_set(args: argparse.Namespace, settings: Any, out_dir: Path, progress: Any) -> Any:
    """The report of one named set: retrieval sets, `pii` (redaction) or `av` (audio and video)."""
    home = settings.home / "eval"
    if args.set_name == "faces":  # face recall and false faces per segment, tuning slices and held_back_2 apart
        from mm_assets.operations.face_eval import run_face_evaluation

        return run_face_evaluation(out_dir, progress=progress)
    if args.set_name == "pii":  # the redactor's precision and recall per entity type
        from mm_assets.model_resources import model_resources
        from mm_assets.operations.pii_eval import run_pii_evaluation
        from mm_assets.operations.pii_eval_segments import run_segments

        models = model_resources(settings)
        detector, ocr = models["pii_detector"], models["ocr_runner"]
        return run_pii_evaluation(
            home,
            out_dir,
            count=args.docs or 48,
            detector=detector,
            ocr=ocr,
            progress=progress,
            segments=None if args.no_segments else _pii_segments(run_segments, args.slices),
        )  # type: ignore[arg-type]
    if args.set_name == "review":  # rejected review decisions, replayed against the catalog
        from mm_assets.operations.review_queue import evaluate_review_cases
        from resources.catalog import CatalogResource

        return evaluate_review_cases(settings.home, CatalogResource(url=settings.catalog_url), out_dir)
    from mm_assets.definitions import build_definitions

    if args.set_name in ("tables", "fields"):  # table JSON and invoice fields against generated truth
        from mm_assets.operations.document_evaluation import run_document_evaluation

        return run_document_evaluation(
            args.set_name, home, out_dir, build_definitions, args.docs or 24, progress, real=args.real
        )
    if args.set_name in ("rotation", "rotation-dense"):  # OCR CER of the same pages upright, turned and skewed
        from mm_assets.operations.rotation_evaluation import (
            DEFAULT_SLICES,
            DENSE_VARIANTS,
            VARIANTS,
            run_rotation_evaluation,
        )

        dense = args.set_name == "rotation-dense"
        return run_rotation_evaluation(
            home,
            out_dir,
            build_definitions,
            args.docs or 6,
            progress,
            variants=DENSE_VARIANTS if dense else tuple(VARIANTS),
            page_set="dense" if dense else "clean",
            slices=tuple(args.slices.split(",")) if args.slices else DEFAULT_SLICES,
        )
    if args.set_name == "av":  # WER per ASR engine, Recall@k of spoken and visual queries, time hits
        from mm_assets.operations.av_evaluation import run_av_evaluation

        return run_av_evaluation(home, out_dir, k=args.k, progress=progress, build_definitions=build_definitions)
    from mm_assets.operations.evaluation import run_evaluation

    return run_evaluation(
        args.set_name, home, out_dir, k=args.k, progress=progress, build_definitions=build_definitions
    )
