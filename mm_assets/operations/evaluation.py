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

Every query is searched once per single channel (visual, caption, ocr, fts) and once per fusion
(rrf, weighted); each ranking gets Recall@1/5/k, mAP and NDCG@k (binary relevance), averaged.
Rankings are cut at the per-channel candidate depth (`candidates`), the same for channels and
fusions, so mAP is the average precision within that depth.
"""

from __future__ import annotations

import math
import os
import shutil
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
from PIL import Image, ImageDraw, ImageFont

SET_NAMES = ("skimage", "textile", "documents", "mixed", "pages")
CHANNEL_RANKINGS = ("visual", "caption", "ocr", "fts", "chunks")
FUSED_RANKINGS = ("rrf", "weighted", "rrf_no_chunks", "weighted_no_chunks")
RANKINGS = CHANNEL_RANKINGS + FUSED_RANKINGS
EVAL_TENANT = "eval"
DEFAULT_CANDIDATES = 50  # SearchRequest's own default depth
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
MAX_SIDE = 512  # photos are shrunk to this: the models see 224-300 px anyway

# scikit-image loaders whose image ships in the wheel (the others need pooch and the network).
# `cat` is left out: it returns the same pixels as `chelsea`, so one content hash.
SKIMAGE_IMAGES = (
    "astronaut",
    "brick",
    "camera",
    "cell",
    "checkerboard",
    "chelsea",
    "clock",
    "coffee",
    "coins",
    "colorwheel",
    "grass",
    "gravel",
    "horse",
    "hubble_deep_field",
    "immunohistochemistry",
    "logo",
    "microaneurysms",
    "moon",
    "page",
    "retina",
    "rocket",
    "shepp_logan_phantom",
    "stereo_motorcycle",
    "text",
)

TEXTILE_PER_CLASS = 20
TEXTILE_QUERIES: Mapping[str, tuple[str, ...]] = {
    "nominal": ("a nominal textile without defects", "a plain woven fabric with a uniform texture"),
    "local": ("a textile with a local defect", "fabric with a small flaw in one spot"),
    "global": ("a textile with a global defect", "fabric whose whole texture is distorted"),
}


@dataclass(frozen=True)
class EvalDocument:
    name: str
    lines: tuple[str, ...]
    quote: str  # a line of the page, verbatim
    paraphrase: str  # the same content in other words


DOCUMENTS = (
    EvalDocument(
        "harbor-invoice",
        (
            "Harbor Freight Logistics - Invoice 5521",
            "Container storage at Pier 9, March 2025",
            "Forklift rental: 3 days at 120.00 USD",
            "Payment due within 30 days",
        ),
        "Forklift rental: 3 days at 120.00 USD",
        "bill for renting a forklift at the port",
    ),
    EvalDocument(
        "rye-bread-recipe",
        (
            "Grandmother's Rye Bread",
            "Mix 500 g rye flour with warm water and sourdough starter",
            "Let the dough rise overnight in a cool kitchen",
            "Bake at 230 degrees for 50 minutes",
        ),
        "Let the dough rise overnight in a cool kitchen",
        "how to bake sourdough bread at home",
    ),
    EvalDocument(
        "board-minutes",
        (
            "Minutes of the Board Meeting, 12 June",
            "Present: the treasurer, the secretary and five directors",
            "The board approved the new solar panel budget",
            "Next meeting scheduled for September",
        ),
        "The board approved the new solar panel budget",
        "directors voted to fund renewable energy on the roof",
    ),
    EvalDocument(
        "lease-agreement",
        (
            "Residential Lease Agreement",
            "The tenant shall pay rent on the first day of each month",
            "Pets are not permitted without written consent",
            "The deposit equals two months of rent",
        ),
        "Pets are not permitted without written consent",
        "apartment rental contract rules about dogs and cats",
    ),
    EvalDocument(
        "water-lab-report",
        (
            "Water Quality Laboratory Report",
            "Sample taken from the river at the north bridge",
            "Nitrate level 12 mg per litre, above the limit",
            "Recommend a second test in two weeks",
        ),
        "Nitrate level 12 mg per litre, above the limit",
        "river pollution measurement results",
    ),
    EvalDocument(
        "flight-itinerary",
        (
            "Flight Itinerary for Ms. Rivera",
            "Depart Lisbon 07:40, arrive Oslo 12:15",
            "Seat 14C, one checked bag included",
            "Please be at the gate 30 minutes early",
        ),
        "Depart Lisbon 07:40, arrive Oslo 12:15",
        "airline travel plan from Portugal to Norway",
    ),
    EvalDocument(
        "espresso-warranty",
        (
            "Warranty Certificate - Espresso Machine Model K2",
            "This product is guaranteed for 24 months",
            "The warranty does not cover descaling damage",
            "Keep this card with your receipt",
        ),
        "The warranty does not cover descaling damage",
        "guarantee card for a coffee maker",
    ),
    EvalDocument(
        "school-trip-letter",
        (
            "Riverside Primary School",
            "Dear parents, the school trip to the science museum is on Friday",
            "Children need a packed lunch and a raincoat",
            "The bus leaves at 8:30 sharp",
        ),
        "Children need a packed lunch and a raincoat",
        "note to families about a class excursion",
    ),
    EvalDocument(
        "veterinary-record",
        (
            "Veterinary Record: Bella, Labrador, 6 years",
            "Annual vaccination given against rabies",
            "Weight 31 kg, slightly overweight",
            "Advice: shorter meals and longer walks",
        ),
        "Annual vaccination given against rabies",
        "health check of a dog at the animal clinic",
    ),
    EvalDocument(
        "garden-plan",
        (
            "Community Garden Planting Plan",
            "Bed A: tomatoes, basil and peppers",
            "Bed B: carrots, onions and lettuce",
            "Water every morning during July",
        ),
        "Bed B: carrots, onions and lettuce",
        "which vegetables to grow in each plot",
    ),
    EvalDocument(
        "parking-fine",
        (
            "City of Springfield Parking Violation",
            "Vehicle parked in a loading zone on Elm Street",
            "Fine amount: 65 dollars",
            "Pay online or appeal within 21 days",
        ),
        "Vehicle parked in a loading zone on Elm Street",
        "penalty for leaving a car in a delivery area",
    ),
    EvalDocument(
        "concert-program",
        (
            "Spring Concert Program",
            "The string quartet performs Haydn and Dvorak",
            "Intermission of fifteen minutes after the first half",
            "Tickets are available at the town hall",
        ),
        "The string quartet performs Haydn and Dvorak",
        "classical chamber music evening",
    ),
)
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
)


class EvaluationError(RuntimeError):
    """An evaluation could not run; the message says what to install, free or choose instead."""


@dataclass(frozen=True)
class EvalQuery:
    query_id: str
    text: str
    relevant: frozenset[str]  # item names
    subset: str  # the set the query comes from (differs from the set name only in `mixed`)


@dataclass(frozen=True)
class EvalSet:
    name: str
    files: dict[str, Path]  # item name -> file to ingest
    queries: tuple[EvalQuery, ...]
    page_level: bool = False  # questions with an answering page and box (the `pages` set)


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
            f"models: {models}\n"
            f"time: {timings}\n"
            f"table: {self.csv_path}\nper query: {self.per_query_csv_path}\n"
            f"chart: {self.chart_path}"
        )

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
            "csv": str(self.csv_path),
            "per_query_csv": str(self.per_query_csv_path),
            "chart": str(self.chart_path),
        }


# -- metrics (binary relevance) ------------------------------------------------------------------


def recall_at(ranked: Sequence[str], relevant: Collection[str], k: int) -> float:
    """Share of the relevant items found in the top k."""
    if not relevant:
        raise ValueError("a query needs at least one relevant item")
    return len(set(ranked[:k]) & set(relevant)) / len(relevant)


def average_precision(ranked: Sequence[str], relevant: Collection[str]) -> float:
    """Mean of precision@r over the ranks r of the relevant items; unranked relevant ones add 0."""
    if not relevant:
        raise ValueError("a query needs at least one relevant item")
    hits, total = 0, 0.0
    for rank, name in enumerate(ranked, 1):
        if name in relevant:
            hits += 1
            total += hits / rank
    return total / len(relevant)


def ndcg_at(ranked: Sequence[str], relevant: Collection[str], k: int) -> float:
    """DCG of the top k (gain 1 per relevant item, discount log2(rank + 1)) over the ideal DCG."""
    if not relevant:
        raise ValueError("a query needs at least one relevant item")
    dcg = sum(1.0 / math.log2(rank + 1) for rank, name in enumerate(ranked[:k], 1) if name in relevant)
    ideal = sum(1.0 / math.log2(rank + 1) for rank in range(1, min(len(relevant), k) + 1))
    return dcg / ideal


def metric_names(k: int) -> list[str]:
    return [f"recall@{cut}" for cut in recall_cutoffs(k)] + ["map", f"ndcg@{k}"]


def recall_cutoffs(k: int) -> list[int]:
    return sorted({1, 5, k})


def ranking_metrics(ranked: Sequence[str], relevant: Collection[str], k: int) -> dict[str, float]:
    metrics = {f"recall@{cut}": recall_at(ranked, relevant, cut) for cut in recall_cutoffs(k)}
    metrics["map"] = average_precision(ranked, relevant)
    metrics[f"ndcg@{k}"] = ndcg_at(ranked, relevant, k)
    return metrics


# -- evaluation sets ------------------------------------------------------------------------------


def docstring_description(doc: str | None) -> str:
    """The human description that opens a numpydoc docstring: its first paragraph, on one line."""
    paragraph: list[str] = []
    for line in (doc or "").strip().splitlines():
        if not line.strip():
            break
        paragraph.append(line.strip())
    return " ".join(paragraph)


def skimage_set(media: Path) -> EvalSet:
    """scikit-image's bundled images, each queried by its loader's docstring description."""
    from skimage import data

    files, queries = {}, []
    for loader_name in SKIMAGE_IMAGES:
        loader = getattr(data, loader_name)
        description = docstring_description(loader.__doc__)
        if not description:
            raise EvaluationError(f"skimage.data.{loader_name} has no docstring description to query with")
        name = f"skimage/{loader_name}"
        files[name] = save_photo(skimage_pixels(loader_name), media / "skimage" / f"{loader_name}.png")
        queries.append(EvalQuery(f"skimage:{loader_name}", description, frozenset({name}), "skimage"))
    return EvalSet("skimage", files, tuple(queries))


def skimage_pixels(loader_name: str) -> np.ndarray:
    from skimage import data

    try:
        pixels = getattr(data, loader_name)()
    except (ImportError, OSError, ValueError) as exc:
        raise EvaluationError(
            f"skimage.data.{loader_name}() cannot load here ({exc}); reinstall scikit-image==0.26.0"
        ) from exc
    return pixels[0] if isinstance(pixels, tuple) else pixels  # stereo pairs: the left view


def save_photo(pixels: np.ndarray, path: Path) -> Path:
    """Any scikit-image array (bool, float, gray, RGBA) as an RGB PNG at most MAX_SIDE wide."""
    if pixels.dtype == bool:
        pixels = pixels.astype(np.uint8) * 255
    elif pixels.dtype != np.uint8:
        low, high = float(pixels.min()), float(pixels.max())
        pixels = ((pixels - low) / ((high - low) or 1.0) * 255).round().astype(np.uint8)
    image = Image.fromarray(pixels).convert("RGB")
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "PNG")
    return path


def textile_root() -> Path:
    try:
        import conformal_clip_data
    except ImportError as exc:
        raise EvaluationError(
            "the textile set needs the conformal-clip-data wheel: pip install conformal-clip-data==0.1.4"
        ) from exc
    return conformal_clip_data.textile_simulated_root()


def textile_set(per_class: int = TEXTILE_PER_CLASS) -> EvalSet:
    """The first `per_class` images (by file name) per class; a class query finds all of them."""
    root = textile_root()
    files, queries = {}, []
    for label, texts in TEXTILE_QUERIES.items():
        chosen = sorted((root / label).glob("*.jpg"))[:per_class]
        if len(chosen) < per_class:
            raise EvaluationError(f"{root / label} holds {len(chosen)} images, expected {per_class}")
        names = {f"textile/{label}/{path.name}": path for path in chosen}
        files.update(names)
        for number, text in enumerate(texts, 1):
            queries.append(EvalQuery(f"textile:{label}:{number}", text, frozenset(names), "textile"))
    return EvalSet("textile", files, tuple(queries))


@lru_cache(maxsize=4)
def document_font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for candidate in FONT_CANDIDATES:
        if Path(candidate).exists():
            return ImageFont.truetype(candidate, size)
    return ImageFont.load_default(size=size)


def render_document(lines: Sequence[str], width: int = 1100, font_size: int = 30) -> Image.Image:
    """A white page with one line of black text per entry, like a clean 150-dpi scan."""
    step = int(font_size * 2.2)
    page = Image.new("RGB", (width, 120 + step * len(lines) + 120), "white")
    draw = ImageDraw.Draw(page)
    for number, line in enumerate(lines):
        draw.text((80, 120 + number * step), line, fill="black", font=document_font(font_size))
    return page


def documents_set(media: Path, count: int = len(DOCUMENTS)) -> EvalSet:
    """`count` rendered pages (every other one a PDF), each found by a quote and by a paraphrase."""
    if not 1 <= count <= len(DOCUMENTS):
        raise EvaluationError(f"documents: count must be between 1 and {len(DOCUMENTS)}, got {count}")
    files, queries = {}, []
    folder = media / "documents"
    folder.mkdir(parents=True, exist_ok=True)
    for number, document in enumerate(DOCUMENTS[:count]):
        page = render_document(document.lines)
        name = f"documents/{document.name}"
        if number % 2:
            files[name] = folder / f"{document.name}.pdf"
            page.save(files[name], "PDF", resolution=150.0)
        else:
            files[name] = folder / f"{document.name}.png"
            page.save(files[name], "PNG")
        relevant = frozenset({name})
        queries.append(EvalQuery(f"documents:{document.name}:quote", document.quote, relevant, "documents"))
        queries.append(EvalQuery(f"documents:{document.name}:paraphrase", document.paraphrase, relevant, "documents"))
    return EvalSet("documents", files, tuple(queries))


def pages_set(media: Path) -> EvalSet:
    """GLPK manual excerpts (born-digital PDFs) and questions written from one page each."""
    from mm_assets.operations.page_evaluation import QUESTIONS, PageSetUnavailable, item_name, write_excerpts

    try:
        files = write_excerpts(media / "pages")
    except PageSetUnavailable as exc:
        raise EvaluationError(str(exc)) from exc
    queries = tuple(
        EvalQuery(f"pages:{question.query_id}", question.text, frozenset({item_name(question.excerpt)}), "pages")
        for question in QUESTIONS
    )
    return EvalSet("pages", files, queries, page_level=True)


def build_set(set_name: str, media: Path) -> EvalSet:
    """The named evaluation set, its files written under `media` (textile images stay in place)."""
    if set_name == "skimage":
        return skimage_set(media)
    if set_name == "textile":
        return textile_set()
    if set_name == "documents":
        return documents_set(media)
    if set_name == "pages":
        return pages_set(media)
    if set_name == "mixed":
        parts = [skimage_set(media), textile_set(), documents_set(media)]
        files = {name: path for part in parts for name, path in part.files.items()}
        return EvalSet("mixed", files, tuple(query for part in parts for query in part.queries))
    raise EvaluationError(f"unknown evaluation set {set_name!r}; choose one of: {', '.join(SET_NAMES)}")


# -- indexing through the real pipeline -----------------------------------------------------------


@dataclass
class IndexedSet:
    eval_set: EvalSet
    settings: Any  # mm_assets.settings.Settings
    hash_to_name: dict[str, str]
    timings: dict[str, float]


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


def index_set(
    eval_set: EvalSet,
    mm_home: Path,
    ocr_engine: str | None = None,
    on_partition_done: Callable[[float], None] | None = None,
) -> IndexedSet:
    """Ingest the set's files (tenant `eval`) and materialize the whole asset graph for them."""
    from mm_assets.definitions import build_definitions
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


def score_pages(eval_set: EvalSet, evidence: Mapping[str, list[Any]], dpi: int, out_dir: Path) -> dict[str, Any]:
    """Page-level scores of every question (also written to `eval-<set>-pages.csv`), and their means."""
    from mm_assets.operations.page_evaluation import page_scores, page_truths, summarise

    truths = page_truths(eval_set.files, dpi)
    per_question = {query.query_id: page_scores(evidence.get(query.query_id, []), truths[query.query_id])
                    for query in eval_set.queries}  # fmt: skip
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = [{"query_id": query_id, **scores} for query_id, scores in per_question.items()]
    pl.DataFrame(rows).write_csv(out_dir / f"eval-{eval_set.name}-pages.csv")
    return summarise(per_question)


def model_ids(settings: Any) -> dict[str, str]:
    from mm_assets.model_resources import model_resources

    return {role: resource.model_id() for role, resource in model_resources(settings).items()}


def evaluate_set(
    eval_set: EvalSet,
    mm_home: Path,
    out_dir: Path,
    k: int = 10,
    *,
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
    indexed = index_set(eval_set, mm_home, ocr_engine, _partition_counter(eval_set, say) if progress else None)
    say(f"{eval_set.name}: searching {len(eval_set.queries)} queries")
    started = time.perf_counter()
    evidence: dict[str, list[Any]] = {}
    rankings = search_rankings(indexed, candidates, weights, evidence)
    indexed.timings["search"] = time.perf_counter() - started
    results, table = score_rankings(eval_set, rankings, k)
    page_metrics = None
    if eval_set.page_level:
        page_metrics = score_pages(eval_set, evidence, indexed.settings.render_dpi, out_dir)
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
        ocr_engine=ocr_engine,
        candidates=candidates,
        weights=weights,
        progress=progress,
    )
    report.timings = {"build": built, **report.timings, "total": time.perf_counter() - started}
    return report


def _cli_progress(message: str) -> None:  # pragma: no cover - for `python -m mm_assets.operations.evaluation`
    print(message, flush=True)


if __name__ == "__main__":  # pragma: no cover - the CLI wrapper lives in mm_assets.cli
    import sys

    for name in sys.argv[1:] or SET_NAMES:
        evaluation = run_evaluation(name, Path(".mm-eval"), Path("eval-reports"), progress=_cli_progress)
        print(evaluation.summary())
