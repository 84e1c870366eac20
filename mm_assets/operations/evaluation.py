"""Retrieval evaluation (`mm eval`): how well each search channel, and their fusion, find items.

Four evaluation sets, each indexed into its own fresh MM_HOME by the real pipeline (ingest, then
every asset of the graph) and searched through the real index:

- `skimage`: scikit-image's bundled photos; the queries are the human descriptions that open each
  loader's docstring (`skimage.data.coffee.__doc__` -> "Coffee cup."). One relevant image each.
- `textile`: simulated textile images from the `conformal-clip-data` wheel, 20 per class (nominal,
  local defect, global defect); the queries describe a class; every image of it is relevant.
- `documents`: pages rendered here with distinct text; the queries quote or paraphrase a line.
- `mixed`: the union of the three in one index, with every set's queries.
- `pages`: real born-digital PDFs (GLPK's manuals from Debian's glpk-doc), a question written from
  one page each; besides file-level metrics it scores the evidence: page-level Recall@k and the
  IoU of evidence boxes with the answer (see `page_evaluation`).

Rankings: the single channels (visual, caption, ocr, fts) search source rows only, as before
chunk rows existed; `chunks` is the chunk channels alone (passage text vector, BM25 on passages,
whole-image vectors); `rrf` and `weighted` are the fusions `mm search` runs (source channels and
chunks); `rrf_no_chunks` and `weighted_no_chunks` are the same fusions over source rows only, so
a table shows what chunking changed.

Each set is a module of its own (`skimage_set`, `textile_set`, `documents_set`, and `pages_set` in
`page_evaluation`); `evaluation_base` holds what they share, `retrieval_metrics` the metrics.

Every query is searched once per single channel (visual, caption, ocr, fts) and once per fusion
(rrf, weighted); each ranking gets Recall@1/5/k, mAP and NDCG@k (binary relevance), averaged.
Rankings are cut at the per-channel candidate depth (`candidates`), the same for channels and
fusions, so mAP is the average precision within that depth.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from mm_assets.operations.documents_set import documents_set
from mm_assets.operations.evaluation_base import (
    EVAL_TENANT,
    SEGMENTS,
    DefinitionsFactory,
    EvalSet,
    EvaluationError,
    evaluation_settings,
    fresh_folder,
    segments_not_applicable,
)
from mm_assets.operations.retrieval_metrics import metric_names, ranking_metrics
from mm_assets.operations.skimage_set import skimage_set
from mm_assets.operations.textile_set import textile_set

SET_NAMES = ("skimage", "textile", "documents", "mixed", "pages")
CHANNEL_RANKINGS = ("visual", "caption", "ocr", "fts", "chunks")
FUSED_RANKINGS = ("rrf", "weighted", "rrf_no_chunks", "weighted_no_chunks")
RANKINGS = CHANNEL_RANKINGS + FUSED_RANKINGS
DEFAULT_CANDIDATES = 50  # SearchRequest's own default depth


@dataclass(frozen=True)
class QueryResult:
    set_name: str
    subset: str
    query_id: str
    text: str
    ranking: str  # a channel or a fusion
    ranked: tuple[str, ...]  # item names, best first, cut at the candidate depth
    relevant: frozenset[str]
    metrics: dict[str, float]

    @property
    def first_relevant_rank(self) -> int | None:
        return next((rank for rank, name in enumerate(self.ranked, 1) if name in self.relevant), None)


@dataclass
class EvaluationReport:
    set_name: str
    table: pl.DataFrame  # one row per (subset, ranking): mean of each metric over the queries
    per_query: list[QueryResult]
    csv_path: Path
    per_query_csv_path: Path
    chart_path: Path
    timings: dict[str, float]  # seconds: build, ingest, materialize, search, total
    model_ids: dict[str, str]
    items: int
    settings: dict[str, Any] = field(default_factory=dict)  # candidates, weights, k, ocr engine
    page_metrics: dict[str, Any] | None = None  # the `pages` set: page recall and box IoU
    # issue 21's segments: segment -> ranking -> mean metrics (and `page_metrics` on the pages set)
    segments: dict[str, Any] = field(default_factory=dict)
    segments_not_applicable: dict[str, str] = field(default_factory=dict)  # segment -> why no figures

    def overall(self) -> pl.DataFrame:
        """The rows over all of the set's queries (mixed also has one row group per source set)."""
        return self.table.filter(pl.col("subset") == "all")

    def best(self, kind: str, metric: str = "map") -> tuple[str, float]:
        """The best `channel` or `fused` ranking over all queries by `metric`, with its value."""
        rows = self.overall().filter(pl.col("kind") == kind).sort(metric, "ranking", descending=[True, False])
        return rows["ranking"][0], rows[metric][0]

    def summary(self) -> str:
        (channel, channel_map), (fusion, fusion_map) = self.best("channel"), self.best("fused")
        with pl.Config(tbl_rows=40, tbl_cols=12, tbl_hide_dataframe_shape=True, float_precision=3):
            table = str(self.table)
        timings = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in self.timings.items())
        models = ", ".join(f"{role}={model}" for role, model in self.model_ids.items())
        pages = ""
        if self.page_metrics:
            pages = (
                "page level (weighted fusion, evidence): "
                + ", ".join(
                    f"{name} {value:.3f}" for name, value in self.page_metrics.items() if isinstance(value, float)
                )
                + "\n"
            )
        return (
            f"evaluation set {self.set_name}: {self.items} items, {len(self.queries())} queries\n"
            f"{table}\n"
            f"best single channel by mAP: {channel} {channel_map:.3f}; best fusion: {fusion} {fusion_map:.3f}\n"
            f"{pages}"
            f"{self.segment_summary()}"
            f"models: {models}\n"
            f"time: {timings}\n"
            f"table: {self.csv_path}\nper query: {self.per_query_csv_path}\n"
            f"chart: {self.chart_path}"
        )

    def segment_summary(self) -> str:
        """Per segment, the weighted fusion's figures (the `mm search` default); then what has none."""
        lines = []
        if self.segments:
            lines.append(f"per segment (weighted fusion): {'segment':14} {'queries':>7} {'R@1':>6} {'mAP':>6}")
            for segment, figures in self.segments.items():
                row = figures["rankings"]["weighted"]
                page = figures.get("page_metrics") or {}
                extra = f"  page R@1 {page['page_recall@1']:.3f}" if "page_recall@1" in page else ""
                lines.append(
                    f"{'':30} {segment:14} {row['queries']:>7} {row['recall@1']:>6.3f} {row['map']:>6.3f}{extra}"
                )
        lines += [f"segment {segment}: n/a ({why})" for segment, why in self.segments_not_applicable.items()]
        return "\n".join(lines) + "\n" if lines else ""

    def queries(self) -> set[str]:
        return {result.query_id for result in self.per_query}

    def as_json(self) -> dict[str, Any]:
        return {
            "set": self.set_name,
            "items": self.items,
            "queries": len(self.queries()),
            "rows": self.table.to_dicts(),
            "timings_s": self.timings,
            "model_ids": self.model_ids,
            "settings": self.settings,
            "page_metrics": self.page_metrics,
            "segments": self.segments,
            "segments_not_applicable": self.segments_not_applicable,
            "csv": str(self.csv_path),
            "per_query_csv": str(self.per_query_csv_path),
            "chart": str(self.chart_path),
        }


def build_set(set_name: str, media: Path) -> EvalSet:
    """The named evaluation set, its files written under `media` (textile images stay in place)."""
    if set_name == "skimage":
        return skimage_set(media)
    if set_name == "textile":
        return textile_set()
    if set_name == "documents":
        return documents_set(media)
    if set_name == "pages":
        from mm_assets.operations.page_evaluation import pages_set  # pdfium: only for this set

        return pages_set(media)
    if set_name == "mixed":
        parts = [skimage_set(media), textile_set(), documents_set(media)]
        files = {name: path for part in parts for name, path in part.files.items()}
        segments = {item: marks for part in parts for item, marks in part.segments.items()}
        return EvalSet("mixed", files, tuple(query for part in parts for query in part.queries), segments=segments)
    raise EvaluationError(f"unknown evaluation set {set_name!r}; choose one of: {', '.join(SET_NAMES)}")


# -- indexing through the real pipeline -----------------------------------------------------------


@dataclass
class IndexedSet:
    eval_set: EvalSet
    settings: Any  # mm_assets.settings.Settings
    hash_to_name: dict[str, str]
    timings: dict[str, float]


def index_set(
    eval_set: EvalSet,
    mm_home: Path,
    build_definitions: DefinitionsFactory,
    ocr_engine: str | None = None,
    on_partition_done: Callable[[float], None] | None = None,
    kinds: Sequence[str] | None = None,
) -> IndexedSet:
    """Ingest the set's files (tenant `eval`) and materialize the whole asset graph for them, as
    `build_definitions` (the code location's, handed down by the CLI) defines it, or only `kinds`
    (which must hold their upstream kinds too)."""
    from mm_assets.operations.ingest import IngestOptions, ingest_paths
    from mm_assets.orchestration.instance import get_instance
    from mm_assets.orchestration.runs import materialize_partitions
    from partitions import CONTENT_HASH_PARTITIONS_NAME
    from resources.catalog import CatalogResource
    from resources.stores import open_store

    settings = evaluation_settings(mm_home, ocr_engine)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    report = ingest_paths(
        list(eval_set.files.values()),
        catalog=CatalogResource(url=settings.catalog_url),
        store=open_store(settings.store_root),
        caps=settings.caps,
        options=IngestOptions(tenant=EVAL_TENANT),
    )
    if report.rejected:
        reasons = "; ".join(f"{item['path']}: {item['reason']}" for item in report.rejected)
        raise EvaluationError(f"the input gate rejected evaluation files: {reasons}")
    path_to_name = {str(path): name for name, path in eval_set.files.items()}
    # Duplicates too: a re-run into the same home finds its files already ingested.
    hash_to_name = {item["content_hash"]: path_to_name[item["path"]] for item in report.accepted + report.duplicates}
    if len(hash_to_name) != len(eval_set.files):
        raise EvaluationError(f"{eval_set.name}: two evaluation files have the same bytes; each must be distinct")
    keys = list(hash_to_name)
    instance = get_instance(settings)
    instance.add_dynamic_partitions(CONTENT_HASH_PARTITIONS_NAME, keys)
    timings["ingest"] = time.perf_counter() - started

    started = time.perf_counter()
    defs = build_definitions(settings)
    asset_keys = sorted(defs.resolve_asset_graph().materializable_asset_keys)
    if kinds is not None:
        asset_keys = [key for key in asset_keys if key.to_user_string() in kinds]
    runs = materialize_partitions(
        defs, instance, asset_keys, keys, settings.run_batch_size, on_partition_done=on_partition_done
    )
    if runs.failed:
        failures = "; ".join(f"{hash_to_name[key]}: {reason}" for key, reason in runs.failed.items())
        raise EvaluationError(f"materializing the {eval_set.name} set failed for: {failures}")
    timings["materialize"] = time.perf_counter() - started
    return IndexedSet(eval_set, settings, hash_to_name, timings)


# -- searching and scoring ------------------------------------------------------------------------


def search_rankings(
    indexed: IndexedSet,
    candidates: int = DEFAULT_CANDIDATES,
    weights: Mapping[str, float] | None = None,
    evidence: dict[str, list[Any]] | None = None,
) -> dict[str, dict[str, tuple[str, ...]]]:
    """query id -> ranking (channel or fusion) -> item names best first, cut at `candidates`.

    With `evidence`, fills query id -> the weighted fusion's evidence pages, best first.
    """
    from mm_assets.operations.page_evaluation import EvidencePage
    from mm_assets.operations.search import Searcher
    from resources.index_fusion import SearchHit, SearchRequest
    from resources.index_schema import CHANNELS, CHUNK_CHANNELS

    searcher = Searcher.from_settings(indexed.settings)
    queries = indexed.eval_set.queries
    vectors = searcher.embedder.embed_texts([query.text for query in queries])
    # The chunk channels alone: every source channel weighs nothing, and hits no chunk found go.
    chunks_only = {**(weights or {}), **dict.fromkeys((*CHANNELS, "fts"), 0.0)}

    def search(vector_channels: Sequence[str], vector: np.ndarray, text: str | None, fusion: str, **extra: Any):
        request = SearchRequest(
            vectors={channel: vector for channel in vector_channels},
            fts_text=text,
            tenant=EVAL_TENANT,
            k=candidates,
            candidates=candidates,
            fusion=fusion,
            weights=extra.pop("weights", dict(weights) if weights else None),
            **extra,
        )
        return searcher.index.search(request)

    def names(hits: list[SearchHit]) -> tuple[str, ...]:
        # A row of some other source in a reused home is a distractor, never relevant.
        return tuple(indexed.hash_to_name.get(hit.content_hash, f"other/{hit.content_hash[:16]}") for hit in hits)

    rankings: dict[str, dict[str, tuple[str, ...]]] = {}
    try:
        for query, vector in zip(queries, vectors, strict=True):
            per_query = {channel: names(search([channel], vector, None, "rrf", chunks=False)) for channel in CHANNELS}
            per_query["fts"] = names(search([], vector, query.text, "rrf", chunks=False))
            found = search(["ocr", "visual"], vector, query.text, "weighted", weights=chunks_only)
            per_query["chunks"] = names([hit for hit in found if set(hit.channels) & set(CHUNK_CHANNELS)])
            for fusion in ("rrf", "weighted"):
                hits = search(CHANNELS, vector, query.text, fusion)
                per_query[fusion] = names(hits)
                per_query[f"{fusion}_no_chunks"] = names(search(CHANNELS, vector, query.text, fusion, chunks=False))
                if fusion == "weighted" and evidence is not None:
                    searcher.tighten_evidence(hits, query.text)
                    evidence[query.query_id] = [
                        EvidencePage(name, entry["page"], tuple(entry["bbox"]))
                        for name, hit in zip(names(hits), hits, strict=True)
                        for entry in hit.evidence
                        if "bbox" in entry
                    ]
            rankings[query.query_id] = per_query
    finally:
        searcher.index.close()
    return rankings


def score_rankings(
    eval_set: EvalSet, rankings: Mapping[str, Mapping[str, Sequence[str]]], k: int
) -> tuple[list[QueryResult], pl.DataFrame]:
    """Per-query metrics, and their means per (subset, ranking); `all` covers every query."""
    results = [
        QueryResult(
            eval_set.name,
            query.subset,
            query.query_id,
            query.text,
            ranking,
            tuple(rankings[query.query_id][ranking]),
            query.relevant,
            ranking_metrics(rankings[query.query_id][ranking], query.relevant, k),
        )
        for query in eval_set.queries
        for ranking in RANKINGS
    ]
    return results, metrics_table(results, k)


def metrics_table(results: Sequence[QueryResult], k: int) -> pl.DataFrame:
    names = metric_names(k)
    rows = pl.DataFrame(
        [{"subset": r.subset, "ranking": r.ranking, **r.metrics} for r in results],
        schema={"subset": pl.String, "ranking": pl.String, **{name: pl.Float64 for name in names}},
    )
    every = rows.with_columns(pl.lit("all").alias("subset"))
    by_subset = rows if rows["subset"].n_unique() > 1 else rows.clear()
    order = pl.Enum(list(RANKINGS))
    return (
        pl.concat([every, by_subset])
        .group_by("subset", "ranking")
        .agg(pl.len().alias("queries"), *[pl.col(name).mean() for name in names])
        .with_columns(
            pl.when(pl.col("ranking").is_in(FUSED_RANKINGS))
            .then(pl.lit("fused"))
            .otherwise(pl.lit("channel"))
            .alias("kind"),
            pl.col("ranking").cast(order),
            (pl.col("subset") != "all").alias("_by_subset"),
        )
        .sort("_by_subset", "subset", "ranking")
        .select("subset", "ranking", "kind", "queries", *names)
        .with_columns(pl.col("ranking").cast(pl.String))
    )


def segment_figures(
    eval_set: EvalSet, results: Sequence[QueryResult], k: int, page_scores: Mapping[str, dict] | None = None
) -> tuple[dict[str, Any], dict[str, str]]:
    """segment -> {"queries", "rankings": ranking -> mean metrics, "page_metrics"}, for each segment
    that some query's relevant item belongs to; and segment -> why there are none, for the rest."""
    from mm_assets.operations.page_evaluation import summarise

    figures: dict[str, Any] = {}
    for segment in SEGMENTS:
        wanted = {query.query_id for query in eval_set.queries if segment in eval_set.query_segments(query)}
        if not wanted:
            continue
        table = metrics_table([r for r in results if r.query_id in wanted], k)
        table = table.filter(pl.col("subset") == "all").drop("subset", "kind")
        rankings = {row.pop("ranking"): row for row in table.to_dicts()}
        figures[segment] = {"queries": len(wanted), "rankings": rankings}
        if page_scores:
            figures[segment]["page_metrics"] = summarise({q: page_scores[q] for q in wanted if q in page_scores})
    why = (
        "no document in this set is one"
        if eval_set.segments
        else "photos and textile images, not documents: no document segment applies"
    )
    return figures, segments_not_applicable(set(figures), why)


def per_query_table(results: Sequence[QueryResult]) -> pl.DataFrame:
    return pl.DataFrame(
        [
            {
                "query_id": r.query_id,
                "subset": r.subset,
                "text": r.text,
                "ranking": r.ranking,
                "relevant": len(r.relevant),
                "first_relevant_rank": r.first_relevant_rank,
                "top1": r.ranked[0] if r.ranked else None,
                **r.metrics,
            }
            for r in results
        ]
    )


def write_chart(table: pl.DataFrame, path: Path, title: str) -> Path:
    """Grouped bars: one group per metric, one bar per channel or fusion (fusions hatched)."""
    import matplotlib

    matplotlib.use("Agg")  # files only: no display here, and none needed
    import matplotlib.pyplot as plt

    overall = table.filter(pl.col("subset") == "all")
    metrics = [name for name in overall.columns if "@" in name or name == "map"]
    figure, axes = plt.subplots(figsize=(10, 4.8))
    width = 0.8 / max(overall.height, 1)
    positions = np.arange(len(metrics))
    for number, row in enumerate(overall.iter_rows(named=True)):
        axes.bar(
            positions + (number - (overall.height - 1) / 2) * width,
            [row[name] for name in metrics],
            width,
            label=row["ranking"],
            hatch="//" if row["kind"] == "fused" else None,
            edgecolor="black",
            linewidth=0.5,
        )
    axes.set_xticks(positions, metrics)
    axes.set_ylim(0, 1)
    axes.set_ylabel("mean over queries")
    axes.set_title(title)
    axes.legend(ncols=len(RANKINGS), loc="upper center", bbox_to_anchor=(0.5, -0.08), frameon=False)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=120)
    plt.close(figure)
    return path


def score_pages(
    eval_set: EvalSet, evidence: Mapping[str, list[Any]], dpi: int, out_dir: Path
) -> tuple[dict[str, Any], dict[str, dict[str, float]]]:
    """Page-level scores of every question (also written to `eval-<set>-pages.csv`): their means,
    and each question's own."""
    from mm_assets.operations.page_evaluation import page_scores, page_truths, summarise

    truths = page_truths(eval_set.files, dpi)
    per_question = {query.query_id: page_scores(evidence.get(query.query_id, []), truths[query.query_id])
                    for query in eval_set.queries}  # fmt: skip
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = [{"query_id": query_id, **scores} for query_id, scores in per_question.items()]
    pl.DataFrame(rows).write_csv(out_dir / f"eval-{eval_set.name}-pages.csv")
    return summarise(per_question), per_question


def model_ids(settings: Any) -> dict[str, str]:
    from mm_assets.model_resources import model_resources

    return {role: resource.model_id() for role, resource in model_resources(settings).items()}


def evaluate_set(
    eval_set: EvalSet,
    mm_home: Path,
    out_dir: Path,
    k: int = 10,
    *,
    build_definitions: DefinitionsFactory,
    ocr_engine: str | None = None,
    candidates: int = DEFAULT_CANDIDATES,
    weights: Mapping[str, float] | None = None,
    progress: Callable[[str], None] | None = None,
) -> EvaluationReport:
    """Index `eval_set` into `mm_home`, search every query, score, and write the table and chart."""
    if not 1 <= k <= candidates:
        raise EvaluationError(f"k must be between 1 and the candidate depth ({candidates}), got {k}")
    say = progress or (lambda _message: None)
    say(f"{eval_set.name}: indexing {len(eval_set.files)} items")
    indexed = index_set(
        eval_set, mm_home, build_definitions, ocr_engine, _partition_counter(eval_set, say) if progress else None
    )
    say(f"{eval_set.name}: searching {len(eval_set.queries)} queries")
    started = time.perf_counter()
    evidence: dict[str, list[Any]] = {}
    rankings = search_rankings(indexed, candidates, weights, evidence)
    indexed.timings["search"] = time.perf_counter() - started
    results, table = score_rankings(eval_set, rankings, k)
    page_metrics, per_question = None, None
    if eval_set.page_level:
        page_metrics, per_question = score_pages(eval_set, evidence, indexed.settings.render_dpi, out_dir)
    segments, not_applicable = segment_figures(eval_set, results, k, per_question)
    out_dir.mkdir(parents=True, exist_ok=True)
    csv_path = out_dir / f"eval-{eval_set.name}.csv"
    table.write_csv(csv_path)
    per_query_csv = out_dir / f"eval-{eval_set.name}-queries.csv"
    per_query_table(results).write_csv(per_query_csv)
    models = model_ids(indexed.settings)
    title = f"{eval_set.name}: {len(eval_set.files)} items, {len(eval_set.queries)} queries ({models['embedder']})"
    chart = write_chart(table, out_dir / f"eval-{eval_set.name}.png", title)
    return EvaluationReport(
        set_name=eval_set.name,
        table=table,
        per_query=results,
        csv_path=csv_path,
        per_query_csv_path=per_query_csv,
        chart_path=chart,
        timings=indexed.timings,
        model_ids=models,
        items=len(eval_set.files),
        settings={
            "k": k,
            "candidates": candidates,
            "weights": dict(weights) if weights else None,
            "ocr_engine": indexed.settings.ocr_engine,
        },
        page_metrics=page_metrics,
        segments=segments,
        segments_not_applicable=not_applicable,
    )


def _partition_counter(eval_set: EvalSet, say: Callable[[str], None]) -> Callable[[float], None]:
    """A progress line each time another tenth of the set's partitions has been materialized."""
    total, state = len(eval_set.files), {"done": 0.0, "said": 0}

    def count(more: float) -> None:
        state["done"] += more
        tenth = int(10 * state["done"] / max(total, 1))
        if tenth > state["said"]:
            state["said"] = tenth
            say(f"{eval_set.name}: {state['done']:.0f}/{total} partitions materialized")

    return count


def run_evaluation(
    set_name: str,
    home: Path,
    out_dir: Path,
    k: int = 10,
    *,
    build_definitions: DefinitionsFactory,
    ocr_engine: str | None = None,
    candidates: int = DEFAULT_CANDIDATES,
    weights: Mapping[str, float] | None = None,
    progress: Callable[[str], None] | None = None,
) -> EvaluationReport:
    """Evaluate retrieval on one named set in a fresh MM_HOME at `home/<set_name>`.

    Writes `eval-<set>.csv`, `eval-<set>-queries.csv` and `eval-<set>.png` to `out_dir`.
    `ocr_engine` overrides MM_OCR_ENGINE for this run; `candidates` and `weights` go into every
    SearchRequest. Model choices (MM_EMBEDDER_*, MM_CAPTIONER_*, ...) come from the environment.
    """
    if set_name not in SET_NAMES:
        raise EvaluationError(f"unknown evaluation set {set_name!r}; choose one of: {', '.join(SET_NAMES)}")
    started = time.perf_counter()
    root = fresh_folder(Path(home) / set_name)
    eval_set = build_set(set_name, root / "media")
    built = time.perf_counter() - started
    report = evaluate_set(
        eval_set,
        root / "mm",
        Path(out_dir),
        k,
        build_definitions=build_definitions,
        ocr_engine=ocr_engine,
        candidates=candidates,
        weights=weights,
        progress=progress,
    )
    report.timings = {"build": built, **report.timings, "total": time.perf_counter() - started}
    return report
