"""One settings object decides where everything lives: environment, or a YAML file named by MM_CONFIG.

Precedence: built-in defaults < YAML file < environment variables. Every path is absolute once loaded,
so a sensor tick, a CLI call and `dagster dev` resolve the same places.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from mm_assets.caps import GateCaps, MediaCaps


class SettingsError(ValueError):
    """A setting is malformed; the message names the setting and where it came from."""


# setting name -> environment variable
ENV_NAMES = {
    "home": "MM_HOME",
    "catalog_url": "MM_CATALOG_URL",
    "dagster_postgres_url": "MM_DAGSTER_PG_URL",
    "dagster_event_log": "MM_DAGSTER_EVENT_LOG",
    "store_root": "MM_STORE",
    "index_uri": "MM_INDEX",
    "landing": "MM_LANDING",
    "max_bytes": "MM_MAX_BYTES",
    "max_pixels": "MM_MAX_PIXELS",
    "max_pdf_pages": "MM_MAX_PDF_PAGES",
    "max_pdf_page_points": "MM_MAX_PDF_PAGE_POINTS",
    "max_trailing_bytes": "MM_MAX_TRAILING_BYTES",
    "run_batch_size": "MM_RUN_BATCH_SIZE",
    "sensor_max_files_per_tick": "MM_SENSOR_MAX_FILES",
    "default_tenant": "MM_TENANT",
    "render_dpi": "MM_RENDER_DPI",
    "ocr_engine": "MM_OCR_ENGINE",
    "ocr_model_dir": "MM_OCR_MODEL_DIR",
    "embedder_family": "MM_EMBEDDER_FAMILY",
    "embedder_name": "MM_EMBEDDER_NAME",
    "embedder_checkpoint": "MM_EMBEDDER_CHECKPOINT",
    "captioner_family": "MM_CAPTIONER_FAMILY",
    "captioner_name": "MM_CAPTIONER_NAME",
    "pii_use_presidio": "MM_PII_PRESIDIO",
    "pii_use_ner": "MM_PII_NER",
    "pii_coverage_mode": "MM_PII_COVERAGE_MODE",
    "face_detector": "MM_FACE_DETECTOR",
    "tolerance_ocr_cer": "MM_TOL_OCR_CER",
    "tolerance_pii_removed": "MM_TOL_PII_REMOVED",
    "tolerance_embedding_cosine": "MM_TOL_EMBEDDING_COSINE",
    "tolerance_caption_similarity": "MM_TOL_CAPTION_SIMILARITY",
    "alert_webhook": "MM_ALERT_WEBHOOK",
    # audio and video
    "max_media_seconds": "MM_MAX_MEDIA_SECONDS",
    "max_frame_pixels": "MM_MAX_FRAME_PIXELS",
    "max_media_streams": "MM_MAX_MEDIA_STREAMS",
    "max_sample_rate": "MM_MAX_SAMPLE_RATE",
    "keyframe_seconds": "MM_KEYFRAME_SECONDS",
    "asr_engine": "MM_ASR_ENGINE",
    "tolerance_transcript_wer": "MM_TOL_TRANSCRIPT_WER",
    # Execution at scale (mm_assets/orchestration/instance.py, runs.py).
    "dagster_yaml": "MM_DAGSTER_YAML",
    "run_coordinator": "MM_RUN_COORDINATOR",
    "max_concurrent_runs": "MM_MAX_CONCURRENT_RUNS",
    "model_pool_limit": "MM_MODEL_POOL_LIMIT",
    "executor": "MM_EXECUTOR",
    # Cost accounting (PriceTable below): the price of a CPU second, and per-kind unit prices.
    "price_cpu_second": "MM_PRICE_CPU_SECOND",
    "price_units": "MM_PRICE_UNITS",
    "eval_tolerance": "MM_EVAL_TOLERANCE",
    "eval_sizes": "MM_EVAL_SIZES",
}
INT_SETTINGS = {
    "max_bytes",
    "max_pixels",
    "max_pdf_pages",
    "max_pdf_page_points",
    "max_trailing_bytes",
    "run_batch_size",
    "sensor_max_files_per_tick",
    "render_dpi",
    "tolerance_pii_removed",
    "max_frame_pixels",
    "max_media_streams",
    "max_sample_rate",
    "max_concurrent_runs",
    "model_pool_limit",
}
BOOL_SETTINGS = {"pii_use_presidio", "pii_use_ner"}
FLOAT_SETTINGS = {
    "tolerance_ocr_cer",
    "tolerance_embedding_cosine",
    "tolerance_caption_similarity",
    "max_media_seconds",
    "keyframe_seconds",
    "tolerance_transcript_wer",
    "price_cpu_second",
    "eval_tolerance",
}
# pooled: the pooled-connection event log (mm_assets/dagster_internals/event_log_storage.py), on SQLite
# and PostgreSQL; dagster: Dagster's own class (SqliteEventLogStorage, PostgresEventLogStorage).
EVENT_LOG_CHOICES = ("pooled", "dagster")
# mask: PII-shaped text the independent coverage scan finds is masked and the document goes on (the
# check fails and a review item opens); block: the document stops at the check.
PII_COVERAGE_MODES = ("mask", "block")
FACE_DETECTOR_CHOICES = ("mtcnn", "lbp", "none")  # resources/faces.py FACE_DETECTORS
# "": runs execute where they are started (in-process for `mm`); queued: the instance's run queue.
RUN_COORDINATOR_CHOICES = ("", "queued")
# "": in-process (one process per run, models loaded once per run, also for runs the UI or daemon
# launches); multiprocess: a process per step; k8s_job: a Kubernetes Job per step.
EXECUTOR_CHOICES = ("", "in_process", "multiprocess", "k8s_job")


@dataclass(frozen=True)
class Settings:
    home: Path
    catalog_url: str = ""
    dagster_postgres_url: str | None = None
    dagster_event_log: str = "pooled"
    store_root: str = ""
    index_uri: str = ""
    landing: Path | None = None
    max_bytes: int = GateCaps.max_bytes
    max_pixels: int = GateCaps.max_pixels
    max_pdf_pages: int = GateCaps.max_pdf_pages
    max_pdf_page_points: int = GateCaps.max_pdf_page_points
    max_trailing_bytes: int = GateCaps.max_trailing_bytes
    run_batch_size: int = 200
    sensor_max_files_per_tick: int = 500
    default_tenant: str = "default"
    # The active models: each one's id goes into its asset's code version.
    render_dpi: int = 150
    ocr_engine: str = "rapidocr"
    ocr_model_dir: str | None = None
    embedder_family: str = "bridge"
    embedder_name: str = "efficientnet-lite0"
    embedder_checkpoint: str | None = None
    captioner_family: str = "labels"
    captioner_name: str = "efficientnet-lite0"
    pii_use_presidio: bool = False
    pii_use_ner: bool = True  # person names from the spaCy model shipped in a wheel
    pii_coverage_mode: str = "mask"  # what the coverage check's findings do: mask them, or block the document
    face_detector: str = "mtcnn"  # faces filled in every redacted page image: mtcnn, lbp (weaker) or none
    # Compare before supersede: a new version past these tolerances waits in review.
    tolerance_ocr_cer: float = 0.05
    tolerance_pii_removed: int = 0
    tolerance_embedding_cosine: float = 0.80
    tolerance_caption_similarity: float = 0.5
    alert_webhook: str | None = None
    # Audio and video: gate caps, keyframe interval, speech recogniser (resources/asr.py).
    max_media_seconds: float = MediaCaps.max_seconds
    max_frame_pixels: int = MediaCaps.max_frame_pixels
    max_media_streams: int = MediaCaps.max_streams
    max_sample_rate: int = MediaCaps.max_sample_rate
    keyframe_seconds: float = 2.0
    asr_engine: str = "whisper"
    tolerance_transcript_wer: float = 0.25
    dagster_yaml: str | None = None
    run_coordinator: str = ""
    max_concurrent_runs: int = 4
    model_pool_limit: int = 1
    executor: str = ""
    # USD per process-CPU second (about $0.05 per vCPU-hour), and "kind=usd_per_unit,..." for kinds
    # that pay per unit as well (a page of OCR, a second of ASR): MM_PRICE_UNITS="ocr=0.001,transcript=0.0001".
    price_cpu_second: float = 0.000014
    price_units: str = ""
    # The nightly eval_report fails its check when a figure is worse than the baseline by more than this.
    eval_tolerance: float = 0.02
    # How big each set of the nightly report is, "set=n,..." over its defaults (0: the whole set):
    # MM_EVAL_SIZES="mixed=9,pages=1,pii=6,av=3" (retrieval items, page excerpts, PII documents, AV files).
    eval_sizes: str = ""
    source: dict[str, str] = field(default_factory=dict, compare=False)  # setting -> where it came from

    def portable(self, location: str) -> str:
        """`location` as `$MM_HOME/...` when it lies inside the home (recorded in payloads and metadata,
        so a copied or moved home names no old path), else as it is (an S3 URL, a folder elsewhere)."""
        try:
            return f"$MM_HOME/{Path(location).relative_to(self.home).as_posix()}"
        except ValueError:
            return location

    @property
    def dagster_home(self) -> Path:
        return self.home / "dagster"

    @property
    def caps(self) -> GateCaps:
        return GateCaps(
            max_bytes=self.max_bytes,
            max_pixels=self.max_pixels,
            max_pdf_pages=self.max_pdf_pages,
            max_pdf_page_points=self.max_pdf_page_points,
            render_dpi=self.render_dpi,
            max_trailing_bytes=self.max_trailing_bytes,
            media=self.media_caps,
        )

    @property
    def media_caps(self) -> MediaCaps:
        return MediaCaps(
            max_seconds=self.max_media_seconds,
            max_frame_pixels=self.max_frame_pixels,
            max_streams=self.max_media_streams,
            max_sample_rate=self.max_sample_rate,
        )

    @cached_property  # read on every processing step: parsed once
    def prices(self) -> PriceTable:
        return PriceTable(self.price_cpu_second, parse_unit_prices(self.price_units, self.source.get("price_units")))

    def with_overrides(self, **changes: object) -> Settings:
        return replace(self, **changes)


@dataclass(frozen=True)
class PriceTable:
    """What a processing step costs: its CPU seconds at one price, plus its units at its kind's price."""

    cpu_second: float
    unit_prices: dict[str, float] = field(default_factory=dict)

    def cost_usd(self, kind: str, cpu_s: float, units: float) -> float:
        return cpu_s * self.cpu_second + units * self.unit_prices.get(kind, 0.0)


def name_value_pairs(text: str) -> list[tuple[str, str, str]]:
    """ "a=1, b=2" -> [("a=1", "a", "1"), ("b=2", "b", "2")]: each item as written, its name, its value."""
    pairs = []
    for item in (part.strip() for part in text.split(",")):
        if item:
            name, _, value = item.partition("=")
            pairs.append((item, name.strip(), value.strip()))
    return pairs


def parse_unit_prices(text: str, where: str | None = None) -> dict[str, float]:
    """Parse MM_PRICE_UNITS: "ocr=0.001, transcript=0.0001" -> {"ocr": 0.001, "transcript": 0.0001}."""
    prices: dict[str, float] = {}
    for item, kind, value in name_value_pairs(text):
        try:
            price = float(value)
        except ValueError:
            price = -1.0
        if not kind or price < 0:
            raise SettingsError(
                f"price_units from {where or 'the settings'}: {item!r} is not kind=usd_per_unit "
                "(e.g. MM_PRICE_UNITS='ocr=0.001,transcript=0.0001')"
            )
        prices[kind] = price
    return prices


EVAL_SIZE_SETS = ("mixed", "pages", "pii", "av")


def parse_eval_sizes(text: str, where: str | None = None) -> dict[str, int]:
    """Parse MM_EVAL_SIZES: "mixed=9, pii=6" -> {"mixed": 9, "pii": 6}; 0 means the whole set."""
    sizes: dict[str, int] = {}
    for item, name, value in name_value_pairs(text):
        size = int(value) if value.isdigit() else -1
        if name not in EVAL_SIZE_SETS or size < 0:
            raise SettingsError(
                f"eval_sizes from {where or 'the settings'}: {item!r} is not set=count with a set among "
                f"{list(EVAL_SIZE_SETS)} and a count >= 0 (e.g. MM_EVAL_SIZES='mixed=9,pii=6')"
            )
        sizes[name] = size
    return sizes


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Read settings from MM_CONFIG's YAML file (if set) and then the environment."""
    env = os.environ if environ is None else environ
    raw: dict[str, object] = {}
    source: dict[str, str] = {}
    config_path = env.get("MM_CONFIG")
    if config_path:
        for name, value in _read_yaml(Path(config_path)).items():
            raw[name] = value
            source[name] = config_path
    for name, var in ENV_NAMES.items():
        if env.get(var):
            raw[name] = env[var]
            source[name] = f"${var}"
    return _build(raw, source)


def read_yaml_mapping(path: Path, variable: str, expected: str, error: type[Exception]) -> dict[str, Any]:
    """The YAML mapping in the file `variable` names; `error` says which file and what is wrong with it."""
    try:
        data = yaml.safe_load(path.read_text()) or {}
    except OSError as exc:
        raise error(f"{variable}={path}: cannot read it ({exc.strerror})") from exc
    except yaml.YAMLError as exc:
        raise error(f"{variable}={path}: not valid YAML ({exc})") from exc
    if not isinstance(data, dict):
        raise error(f"{variable}={path}: expected a mapping of {expected}, got {type(data).__name__}")
    return data


def _read_yaml(path: Path) -> dict[str, object]:
    data = read_yaml_mapping(path, "MM_CONFIG", "settings", SettingsError)
    known = {f.name for f in fields(Settings)} - {"source"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise SettingsError(f"MM_CONFIG={path}: unknown settings {unknown}; known: {sorted(known)}")
    return data


def _build(raw: dict[str, object], source: dict[str, str]) -> Settings:
    values: dict[str, object] = {}
    for name, value in raw.items():
        if name in INT_SETTINGS:
            try:
                value = int(value)  # type: ignore[arg-type]
            except (TypeError, ValueError) as exc:
                raise SettingsError(f"{name} from {source[name]} must be an integer, got {value!r}") from exc
            if value < 0 or (value == 0 and name not in ("tolerance_pii_removed", "max_trailing_bytes")):
                raise SettingsError(f"{name} from {source[name]} must be positive, got {value}")
        if name in FLOAT_SETTINGS:
            try:
                value = float(value)  # type: ignore[arg-type]
            except (TypeError, ValueError) as exc:
                raise SettingsError(f"{name} from {source[name]} must be a number, got {value!r}") from exc
        if name in BOOL_SETTINGS and not isinstance(value, bool):
            text = str(value).strip().lower()
            if text not in ("1", "0", "true", "false", "yes", "no"):
                raise SettingsError(f"{name} from {source[name]} must be true or false, got {value!r}")
            value = text in ("1", "true", "yes")
        for choice_name, choices in (
            ("run_coordinator", RUN_COORDINATOR_CHOICES),
            ("executor", EXECUTOR_CHOICES),
            ("pii_coverage_mode", PII_COVERAGE_MODES),
            ("face_detector", FACE_DETECTOR_CHOICES),
        ):
            if name == choice_name and value not in choices:
                raise SettingsError(f"{name} from {source[name]} must be one of {list(choices)}, got {value!r}")
        if name == "dagster_event_log" and value not in EVENT_LOG_CHOICES:
            raise SettingsError(f"{name} from {source[name]} must be one of {list(EVENT_LOG_CHOICES)}, got {value!r}")
        values[name] = value
    home = Path(str(values.pop("home", ".mm"))).expanduser().resolve()
    if "price_units" in values:
        parse_unit_prices(str(values["price_units"]), source.get("price_units"))  # malformed: refuse at load
    if "eval_sizes" in values:
        parse_eval_sizes(str(values["eval_sizes"]), source.get("eval_sizes"))
    if float(values.get("price_cpu_second", 0.0)) < 0:  # type: ignore[arg-type]
        raise SettingsError(f"price_cpu_second from {source['price_cpu_second']} must not be negative")
    landing = values.pop("landing", None)
    settings = Settings(
        home=home,
        landing=Path(str(landing)).expanduser().resolve() if landing else None,
        source=source,
        **values,  # type: ignore[arg-type]
    )
    if not settings.catalog_url:
        settings = replace(settings, catalog_url=f"sqlite:///{home / 'catalog.db'}")
    if not settings.index_uri:
        settings = replace(settings, index_uri=str(home / "index"))
    if not settings.store_root:
        settings = replace(settings, store_root=str(home / "store"))
    elif "://" not in settings.store_root:
        settings = replace(settings, store_root=str(Path(settings.store_root).expanduser().resolve()))
    return settings
