"""The model runners the settings choose, one per role: the definitions, search and the evaluations
all build them here, so each reads the same model configuration."""

from __future__ import annotations

import dagster as dg

from mm_assets.settings import Settings
from resources.asr import SpeechRecognizer
from resources.captioner import Captioner
from resources.document_models import LayoutDetector, TableRecognizer
from resources.embedder import Embedder
from resources.faces import FaceDetector
from resources.ocr import OcrRunner
from resources.pii import PiiDetector


def model_resources(settings: Settings) -> dict[str, dg.ConfigurableResource]:
    """The model runners the settings choose; their model ids become the assets' code versions."""
    return {
        "ocr_runner": OcrRunner(engine=settings.ocr_engine, model_dir=settings.ocr_model_dir),
        "pii_detector": PiiDetector(
            use_presidio=settings.pii_use_presidio,
            use_ner=settings.pii_use_ner,
            coverage_mode=settings.pii_coverage_mode,
        ),
        "face_detector": FaceDetector(detector=settings.face_detector),
        "captioner": Captioner(family=settings.captioner_family, name=settings.captioner_name),
        "speech_recognizer": SpeechRecognizer(engine=settings.asr_engine),
        "layout_detector": LayoutDetector(),
        "table_recognizer": TableRecognizer(),
        "embedder": Embedder(
            family=settings.embedder_family,
            name=settings.embedder_name,
            checkpoint=settings.embedder_checkpoint,
        ),
    }
