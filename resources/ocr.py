"""OCR runner: page images in, text spans with boxes and confidences out.

Three engines behind one resource. `rapidocr` (PP-OCRv4 in ONNX, weights ship in the
rapidocr-onnxruntime wheel) is the offline default and returns one span per text line;
`tesseract` (the Debian `tesseract-ocr` binary) returns one span per word; `paddleocr` is an
optional extra that only runs from local model folders. Loaded engines are cached per process,
so a Dagster run that OCRs many partitions loads the model once.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import io
import os
import re
import shutil
import subprocess
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import cache, cached_property
from pathlib import Path
from typing import Any, Protocol

import dagster as dg
import numpy as np
import yaml
from PIL import Image

from resources.onnx_sessions import quiet_session_at
from resources.package_versions import installed_version

ENGINES = ("rapidocr", "tesseract", "paddleocr")
TESSERACT_TIMEOUT_S = 300


@dataclass(frozen=True)
class OcrSpan:
    """One piece of recognised text: a line (rapidocr, paddleocr) or a word (tesseract)."""

    text: str
    page: int  # 1-based page number
    bbox: tuple[float, float, float, float]  # x0, y0, x1, y1 in pixels of the page image
    confidence: float  # 0..1
    source: str = ""  # where the text came from: "text_layer" (the PDF itself) or the OCR engine's name


class OcrUnavailable(Exception):
    """The configured OCR engine cannot run here; the message says what to install or set."""


class OcrFailed(RuntimeError):
    """The OCR engine was found but failed on an input."""


class OcrBackend(Protocol):
    def model_id(self) -> str: ...

    def recognize(self, page: int, image: Image.Image) -> list[OcrSpan]: ...


class OcrRunner(dg.ConfigurableResource):
    """Runs the configured OCR engine over page images.

    `model_id()` is cheap (no model load) and changes whenever the engine, its package version
    or its model files change; it feeds the OCR asset's code_version.
    """

    engine: str = "rapidocr"  # "rapidocr" | "tesseract" | "paddleocr"
    model_dir: str | None = None  # paddleocr: local folder with its det and rec models
    lang: str = "eng"  # tesseract language(s), e.g. "eng" or "eng+deu"

    def backend(self) -> OcrBackend:
        """The process-wide engine for this configuration (created once, then reused)."""
        return load_backend(self.engine, self.model_dir, self.lang)

    def model_id(self) -> str:
        return self.backend().model_id()

    def recognize_pages(self, pages: Iterable[tuple[int, Image.Image]]) -> list[list[OcrSpan]]:
        """One list of spans per input page, in input order; `pages` holds (page number, image)."""
        backend = self.backend()
        if isinstance(backend, TesseractBackend):
            # one single-threaded tesseract process per core beats one multi-threaded process
            # (a window of one page per worker: `pages` may decode lazily, so never every page at once)
            workers = max(1, os.cpu_count() or 1)
            found: list[list[OcrSpan]] = []
            with ThreadPoolExecutor(max_workers=workers) as pool:
                for window in _windows(pages, workers):
                    found.extend(pool.map(lambda item: backend.recognize(*item), window))
        else:
            found = [backend.recognize(page, image) for page, image in pages]
        return [[replace(span, source=self.engine) for span in spans] for spans in found]


def _windows(items: Iterable[tuple[int, Image.Image]], size: int) -> Iterator[list[tuple[int, Image.Image]]]:
    window: list[tuple[int, Image.Image]] = []
    for item in items:
        window.append(item)
        if len(window) == size:
            yield window
            window = []
    if window:
        yield window


@cache
def load_backend(engine: str, model_dir: str | None, lang: str) -> OcrBackend:
    """Build the backend for a configuration once per process."""
    if engine == "rapidocr":
        return RapidOcrBackend()
    if engine == "tesseract":
        return TesseractBackend(lang)
    if engine == "paddleocr":
        return PaddleOcrBackend(model_dir)
    raise ValueError(f"unknown OCR engine {engine!r}; valid engines are: {', '.join(ENGINES)}")


def _axis_aligned(points: Sequence[Sequence[float]]) -> tuple[float, float, float, float]:
    xs = [float(p[0]) for p in points]
    ys = [float(p[1]) for p in points]
    return (min(xs), min(ys), max(xs), max(ys))


def _fingerprint(files: Sequence[Path]) -> str:
    """Short content hash of model files (cached: they are megabytes and never change in place)."""
    return _fingerprint_cached(tuple(sorted(str(f) for f in files)))


@cache
def _fingerprint_cached(paths: tuple[str, ...]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(Path(path).name.encode())
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()[:8]


@cache
def _configured_model_files(package_dir: Path) -> tuple[Path, ...]:
    """The Det and Rec model files the package's config.yaml names: read once per process (the model id is
    asked before every OCR step; the package's config is the one its imported code loaded)."""
    config = yaml.safe_load((package_dir / "config.yaml").read_text())
    return tuple(package_dir / config[part]["model_path"] for part in ("Det", "Rec"))


def _package_version(distribution: str) -> str:
    try:
        return installed_version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


# ---------------------------------------------------------------------------- rapidocr


class RapidOcrBackend:
    """rapidocr-onnxruntime with the angle classifier off (it drops whole lines)."""

    def __init__(self) -> None:
        spec = importlib.util.find_spec("rapidocr_onnxruntime")
        if spec is None or not spec.submodule_search_locations:
            raise OcrUnavailable(
                "OCR engine 'rapidocr' needs the rapidocr-onnxruntime package: pip install rapidocr-onnxruntime==1.4.4"
            )
        self.package_dir = Path(next(iter(spec.submodule_search_locations)))
        self._engine: Any = None

    def model_files(self) -> list[Path]:
        """The detection and recognition ONNX files the engine loads (no classifier)."""
        return list(_configured_model_files(self.package_dir))

    def model_id(self) -> str:
        files = self.model_files()
        found = re.search(r"PP-OCRv(\d+)", files[0].name, flags=re.IGNORECASE)
        family = f"ppocrv{found.group(1)}" if found else "custom"
        version = _package_version("rapidocr-onnxruntime")
        return f"rapidocr-{version}-{family}-{_fingerprint(files)}"

    @property
    def engine(self) -> Any:
        """The loaded RapidOCR object (loaded on first use)."""
        if self._engine is None:
            from rapidocr_onnxruntime import RapidOCR

            self._engine = RapidOCR(use_cls=False)
            quiet_session_at(getattr(self._engine.text_det, "infer", None), "session")
            quiet_session_at(getattr(self._engine.text_rec, "session", None), "session")
        return self._engine

    def recognize(self, page: int, image: Image.Image) -> list[OcrSpan]:
        # a PIL image is converted RGB -> BGR by rapidocr itself
        result, _elapsed = self.engine(image.convert("RGB"))
        spans = []
        for points, text, score in result or []:
            if text.strip():
                spans.append(OcrSpan(text, page, _axis_aligned(points), _unit(score)))
        return spans


def _unit(score: float) -> float:
    return min(1.0, max(0.0, float(score)))


# ---------------------------------------------------------------------------- tesseract


class TesseractBackend:
    """The tesseract binary, word-level TSV output, one process per page."""

    def __init__(self, lang: str) -> None:
        self.binary = shutil.which("tesseract")
        if self.binary is None:
            raise OcrUnavailable(
                "OCR engine 'tesseract' needs the tesseract binary on PATH: "
                "apt-get install -y tesseract-ocr tesseract-ocr-eng"
            )
        self.lang = lang
        self.model_files = self._traineddata_files(lang)

    def _traineddata_files(self, lang: str) -> list[Path]:
        listing = self._run(["--list-langs"]).stdout
        found = re.search(r'"([^"]+)"', listing)
        if found is None:
            raise OcrUnavailable(f"could not find tesseract's tessdata folder in: {listing!r}")
        tessdata = Path(found.group(1))
        files = []
        for code in lang.split("+"):
            path = tessdata / f"{code}.traineddata"
            if not path.is_file():
                raise OcrUnavailable(
                    f"tesseract has no language {code!r} in {tessdata}: apt-get install -y tesseract-ocr-{code}"
                )
            files.append(path)
        return files

    def _run(self, args: list[str], stdin: bytes | None = None) -> subprocess.CompletedProcess:
        # OMP_THREAD_LIMIT=1: on few cores tesseract's OpenMP threads make it about 2x slower
        env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
        completed = subprocess.run(
            [str(self.binary), *args],
            input=stdin if stdin is not None else b"",
            capture_output=True,
            env=env,
            timeout=TESSERACT_TIMEOUT_S,
        )
        if completed.returncode != 0:
            stderr = completed.stderr.decode(errors="replace").strip()
            raise OcrFailed(f"tesseract {' '.join(args)} exited {completed.returncode}: {stderr}")
        return subprocess.CompletedProcess(
            completed.args, 0, completed.stdout.decode(errors="replace"), completed.stderr
        )

    @cached_property
    def version(self) -> str:
        found = re.search(r"tesseract\s+v?(\S+)", self._run(["--version"]).stdout)
        return found.group(1) if found else "unknown"

    def model_id(self) -> str:
        lang = self.lang.replace("+", "-")
        return f"tesseract-{self.version}-{lang}-{_fingerprint(self.model_files)}"

    def recognize(self, page: int, image: Image.Image) -> list[OcrSpan]:
        png = io.BytesIO()
        image.convert("RGB" if image.mode not in ("L", "RGB") else image.mode).save(png, "PNG")
        tsv = self._run(["stdin", "stdout", "-l", self.lang, "--psm", "3", "tsv"], png.getvalue())
        return parse_tesseract_tsv(tsv.stdout, page)


def parse_tesseract_tsv(tsv: str, page: int) -> list[OcrSpan]:
    """Word spans (TSV level 5) from tesseract's TSV, skipping empty words and conf -1 rows."""
    spans = []
    for row in tsv.splitlines()[1:]:
        fields = row.split("\t", 11)
        if len(fields) < 12 or fields[0] != "5":
            continue
        left, top, width, height = (float(v) for v in fields[6:10])
        confidence, text = float(fields[10]), fields[11].strip()
        if not text or confidence < 0:
            continue
        bbox = (left, top, left + width, top + height)
        spans.append(OcrSpan(text, page, bbox, _unit(confidence / 100.0)))
    return spans


# ---------------------------------------------------------------------------- paddleocr


class PaddleOcrBackend:
    """paddleocr 3.x from local model folders only; it must never reach a model hub.

    `model_dir` holds one detection folder named `*_det` and one recognition folder named
    `*_rec` (e.g. PP-OCRv5_mobile_det, PP-OCRv5_mobile_rec), each with its `inference.yml`.
    """

    def __init__(self, model_dir: str | None) -> None:
        if importlib.util.find_spec("paddleocr") is None:
            raise OcrUnavailable(
                "OCR engine 'paddleocr' is an optional extra that is not installed: "
                "pip install 'mm-assets[paddle]' (paddleocr==3.7.0), then set model_dir to a "
                "folder with the *_det and *_rec model folders; or use engine 'rapidocr'"
            )
        self.det_dir, self.rec_dir = paddle_model_dirs(model_dir)
        self._engine: Any = None

    def model_id(self) -> str:
        files = [f for d in (self.det_dir, self.rec_dir) for f in sorted(d.rglob("*")) if f.is_file()]
        names = f"{self.det_dir.name}-{self.rec_dir.name}".lower()
        return f"paddleocr-{_package_version('paddleocr')}-{names}-{_fingerprint(files)}"

    @property
    def engine(self) -> Any:
        if self._engine is None:
            # skip paddlex's reachability check of model hosts: models come from local folders
            os.environ.setdefault("PADDLE_PDX_DISABLE_MODEL_SOURCE_CHECK", "True")
            from paddleocr import PaddleOCR

            self._engine = PaddleOCR(
                text_detection_model_name=self.det_dir.name,
                text_detection_model_dir=str(self.det_dir),
                text_recognition_model_name=self.rec_dir.name,
                text_recognition_model_dir=str(self.rec_dir),
                use_doc_orientation_classify=False,
                use_doc_unwarping=False,
                use_textline_orientation=False,
            )
        return self._engine

    def recognize(self, page: int, image: Image.Image) -> list[OcrSpan]:
        bgr = np.asarray(image.convert("RGB"))[:, :, ::-1].copy()
        spans = []
        for result in self.engine.predict(bgr):
            for text, score, poly in zip(result["rec_texts"], result["rec_scores"], result["rec_polys"], strict=True):
                if text.strip():
                    spans.append(OcrSpan(text, page, _axis_aligned(poly), _unit(score)))
        return spans


def paddle_model_dirs(model_dir: str | None) -> tuple[Path, Path]:
    """The (detection, recognition) model folders inside model_dir, or OcrUnavailable."""
    if not model_dir:
        raise OcrUnavailable(
            "OCR engine 'paddleocr' needs model_dir: a local folder holding one *_det and one "
            "*_rec PaddleOCR model folder (it never downloads models)"
        )
    root = Path(model_dir)
    if not root.is_dir():
        raise OcrUnavailable(f"paddleocr model_dir {root} does not exist or is not a folder")
    found = {}
    for suffix in ("_det", "_rec"):
        candidates = [
            d
            for d in sorted(root.iterdir())
            if d.is_dir() and d.name.endswith(suffix) and (d / "inference.yml").is_file()
        ]
        if len(candidates) != 1:
            raise OcrUnavailable(
                f"paddleocr model_dir {root} must hold exactly one folder named *{suffix} with "
                f"an inference.yml (found {len(candidates)}); export or copy the PaddleOCR "
                f"models there, e.g. PP-OCRv5_mobile{suffix}"
            )
        found[suffix] = candidates[0]
    return found["_det"], found["_rec"]
