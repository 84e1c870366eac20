"""`mm eval av`: speech and video made here, run through the whole graph, then measured.

The set: short recordings of two sentences each, spoken by espeak-ng and encoded as WAV, FLAC,
MP3, OGG/Opus and M4A, and videos made with PyAV of scikit-image photos (two scenes each, one with
narration). Because the set is made here, every sentence's and every scene's time span is known.

Measured:
- word error rate of the transcript, for every ASR engine (the configured one through the graph;
  the others on the same 16 kHz audio artifacts), with its real-time factor;
- Recall@1 and Recall@k of spoken queries (words said in a recording) and visual queries (what a
  scene shows), through `mm search`'s own Searcher;
- time-hit rate: the share of queries whose relevant source is returned with a first evidence time
  range that overlaps the answer's span (the sentence or scene) by at least half of the shorter one.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from mm_assets.operations.av_samples import silence, speak, write_audio, write_video
from mm_assets.operations.compare import word_error_rate
from mm_assets.operations.evaluation import (
    EVAL_TENANT,
    EvalSet,
    EvaluationError,
    fresh_folder,
    index_set,
    model_ids,
)
from mm_assets.operations.evaluation_base import DefinitionsFactory
from mm_assets.operations.skimage_set import skimage_pixels
from resources.asr import ENGINES, SpeechRecognizer

SAMPLE_RATE = 16_000
LEAD_SECONDS, GAP_SECONDS = 0.4, 0.7


@dataclass(frozen=True)
class SpokenClip:
    name: str
    codec: str
    sentences: tuple[str, str]
    queries: tuple[str, str]  # one query per sentence, in other words where possible


CLIPS = (
    SpokenClip(
        "bakery.mp3",
        "libmp3lame",
        ("the bakery on main street opens at six in the morning", "fresh bread and croissants sell out before nine"),
        ("when does the bakery open", "croissants sell out"),
    ),
    SpokenClip(
        "hiking.flac",
        "flac",
        ("our hiking trip crossed three mountain passes", "we camped beside a frozen lake under the stars"),
        ("mountain hiking trip", "camping by a frozen lake"),
    ),
    SpokenClip(
        "budget.ogg",
        "libopus",
        ("the quarterly budget review is scheduled for friday", "please bring the spending reports for marketing"),
        ("quarterly budget review", "marketing spending reports"),
    ),
    SpokenClip(
        "vet.m4a",
        "aac",
        ("the veterinarian examined the injured horse", "its leg should heal within six weeks"),
        ("veterinarian and the injured horse", "the leg will heal in six weeks"),
    ),
    SpokenClip(
        "orchestra.wav",
        "pcm_s16le",
        ("the orchestra rehearsed the symphony all afternoon", "the violins still struggle with the final movement"),
        ("orchestra rehearsal of a symphony", "violins struggle with the final movement"),
    ),
    SpokenClip(
        "flood.mp3",
        "libmp3lame",
        ("heavy rain flooded the subway station downtown", "commuters waited hours for the trains to return"),
        ("rain flooded the subway", "commuters waiting for trains"),
    ),
)


@dataclass(frozen=True)
class Scene:
    photo: str  # scikit-image loader
    query: str


@dataclass(frozen=True)
class EvalVideo:
    name: str
    scenes: tuple[Scene, Scene]
    narration: str | None = None
    narration_query: str | None = None


SCENE_SECONDS = 4.0
VIDEOS = (
    EvalVideo("space.mp4", (Scene("astronaut", "an astronaut"), Scene("rocket", "a rocket on the launch pad"))),
    EvalVideo("kitchen.mkv", (Scene("coffee", "a cup of coffee"), Scene("chelsea", "a tabby cat"))),
    EvalVideo(
        "museum.mov",
        (Scene("coins", "a collection of old coins"), Scene("camera", "a man with a camera on a tripod")),
        narration="the museum displays ancient coins from rome",
        narration_query="ancient roman coins in a museum",
    ),
)


@dataclass(frozen=True)
class AvQuery:
    query_id: str
    text: str
    kind: str  # "spoken" or "visual"
    relevant: str  # item name
    answer: tuple[float, float]  # seconds


@dataclass
class AvSet:
    files: dict[str, Path]
    references: dict[str, str]  # item name -> what is said in it
    queries: list[AvQuery]
    seconds: dict[str, float]


@dataclass
class AvEvaluationReport:
    items: int
    media_seconds: float
    wer: dict[str, dict[str, float]]  # engine -> {"wer", "real_time_factor"}
    recall: dict[str, dict[str, float]]  # query kind -> {"recall@1", "recall@k", "time_hit_rate"}
    per_query: list[dict[str, Any]]
    timings: dict[str, float]
    k: int
    report_path: Path
    model_ids: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "set": "av",
            "items": self.items,
            "media_seconds": round(self.media_seconds, 2),
            "k": self.k,
            "wer": self.wer,
            "retrieval": self.recall,
            "timings_s": {name: round(value, 2) for name, value in self.timings.items()},
            "model_ids": self.model_ids,
            "report": str(self.report_path),
        }

    def summary(self) -> str:
        lines = [f"evaluation set av: {self.items} items, {self.media_seconds:.0f} s of media"]
        for engine, figures in self.wer.items():
            lines.append(f"  WER {engine}: {figures['wer']:.3f} (real-time factor {figures['real_time_factor']:.3f})")
        for kind, figures in self.recall.items():
            lines.append(
                f"  {kind:7s} queries {figures['queries']:.0f}: Recall@1 {figures['recall@1']:.3f}, "
                f"Recall@{self.k} {figures[f'recall@{self.k}']:.3f}, time-hit rate {figures['time_hit_rate']:.3f} "
                f"(mean evidence span {figures['mean_evidence_seconds']:.1f} s)"
            )
        lines.append("time: " + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in self.timings.items()))
        lines.append(f"report: {self.report_path}")
        return "\n".join(lines)


# -- the set ----------------------------------------------------------------------------------------


def build_av_set(media: Path) -> AvSet:
    media.mkdir(parents=True, exist_ok=True)
    av_set = AvSet({}, {}, [], {})
    for clip in CLIPS:
        samples, spans = spoken_track(clip.sentences)
        av_set.files[clip.name] = write_audio(media / clip.name, samples, clip.codec)
        av_set.references[clip.name] = " ".join(clip.sentences)
        av_set.seconds[clip.name] = len(samples) / SAMPLE_RATE
        for number, (query, span) in enumerate(zip(clip.queries, spans, strict=True), 1):
            av_set.queries.append(AvQuery(f"{clip.name}#{number}", query, "spoken", clip.name, span))
    for video in VIDEOS:
        scenes = [(scene_image(scene.photo), SCENE_SECONDS) for scene in video.scenes]
        sound, spans = spoken_track((video.narration,)) if video.narration else (None, [])
        av_set.files[video.name] = write_video(media / video.name, scenes, sound=sound, size=(320, 240))
        av_set.seconds[video.name] = SCENE_SECONDS * len(scenes)
        for number, scene in enumerate(video.scenes):
            answer = (number * SCENE_SECONDS, (number + 1) * SCENE_SECONDS)
            av_set.queries.append(AvQuery(f"{video.name}#{scene.photo}", scene.query, "visual", video.name, answer))
        if video.narration and video.narration_query:
            av_set.references[video.name] = video.narration
            av_set.queries.append(AvQuery(f"{video.name}#said", video.narration_query, "spoken", video.name, spans[0]))
    return av_set


def spoken_track(sentences: Sequence[str]) -> tuple[np.ndarray, list[tuple[float, float]]]:
    """The sentences spoken with pauses between them, and each sentence's (start, end) in seconds."""
    pieces, spans, cursor = [silence(LEAD_SECONDS)], [], LEAD_SECONDS
    for sentence in sentences:
        voice = speak(sentence)
        spans.append((round(cursor, 3), round(cursor + len(voice) / SAMPLE_RATE, 3)))
        pieces += [voice, silence(GAP_SECONDS)]
        cursor += len(voice) / SAMPLE_RATE + GAP_SECONDS
    return np.concatenate(pieces), spans


def scene_image(photo: str) -> Image.Image:
    pixels = skimage_pixels(photo)
    if pixels.dtype != np.uint8:
        pixels = (pixels.astype(np.float64) / max(float(pixels.max()), 1.0) * 255).astype(np.uint8)
    return Image.fromarray(pixels).convert("RGB")


# -- measuring --------------------------------------------------------------------------------------

_NUMBER_WORDS = "zero one two three four five six seven eight nine".split()


def normalise_words(text: str) -> list[str]:
    """Lowercase words without punctuation; digits spelled out one by one (so "6" matches "six")."""
    text = re.sub(r"\d", lambda m: f" {_NUMBER_WORDS[int(m.group())]} ", text.lower())
    return re.sub(r"[^a-z' ]+", " ", text).split()


def time_hit(evidence: dict[str, Any] | None, answer: tuple[float, float]) -> bool:
    """The evidence's time range overlaps the answer's span by at least half of the shorter of the two."""
    if not evidence or evidence.get("t_start") is None:
        return False
    start, end = float(evidence["t_start"]), float(evidence["t_end"])
    overlap = min(end, answer[1]) - max(start, answer[0])
    shorter = min(end - start, answer[1] - answer[0])
    return shorter > 0 and overlap >= 0.5 * shorter


def measure_wer(indexed: Any, av_set: AvSet, engine_in_graph: str) -> dict[str, dict[str, float]]:
    """WER and real-time factor per engine over the items that have speech."""
    from mm_assets.artifacts import current_artifacts, store_key_of
    from resources.av_decoder import samples_from_wav
    from resources.catalog import CatalogResource
    from resources.stores import open_store

    catalog = CatalogResource(url=indexed.settings.catalog_url)
    store = open_store(indexed.settings.store_root)
    name_to_hash = {name: key for key, name in indexed.hash_to_name.items()}
    keys = [name_to_hash[name] for name in av_set.references]
    audio_rows = current_artifacts(catalog, "audio", keys)
    samples = {
        key: samples_from_wav(store.read_bytes(store_key_of(store, row["payload_uri"])))[0]
        for key, row in audio_rows.items()
    }
    results = {}
    for engine in ENGINES:
        recognizer = SpeechRecognizer(engine=engine)
        recognizer.transcribe(samples[keys[0]][:SAMPLE_RATE])  # load the model outside the timing
        errors = words = 0
        seconds = spent = 0.0
        for name, key in zip(av_set.references, keys, strict=True):
            started = time.perf_counter()
            hypothesis = " ".join(w.text for w in recognizer.transcribe(samples[key]))
            spent += time.perf_counter() - started
            seconds += len(samples[key]) / SAMPLE_RATE
            reference = normalise_words(av_set.references[name])
            errors += round(word_error_rate(reference, normalise_words(hypothesis)) * len(reference))
            words += len(reference)
        label = f"{engine} ({recognizer.model_id()})" + (" [graph]" if engine == engine_in_graph else "")
        results[label] = {"wer": round(errors / words, 4), "real_time_factor": round(spent / seconds, 4)}
    return results


def measure_retrieval(
    indexed: Any, av_set: AvSet, k: int, search: Callable[[str, int], list[dict[str, Any]]]
) -> tuple[dict[str, dict[str, float]], list[dict[str, Any]]]:
    per_query = []
    for query in av_set.queries:
        results = search(query.text, k)
        ranked = [indexed.hash_to_name.get(r["content_hash"], "other") for r in results]
        rank = ranked.index(query.relevant) + 1 if query.relevant in ranked else None
        evidence = (results[rank - 1].get("evidence") or [None])[0] if rank else None
        per_query.append(
            {
                "query_id": query.query_id,
                "kind": query.kind,
                "text": query.text,
                "rank": rank,
                "answer": list(query.answer),
                "evidence": evidence,
                "time_hit": time_hit(evidence, query.answer),
            }
        )
    summary = {}
    for kind in ("spoken", "visual", "all"):
        rows = [row for row in per_query if kind == "all" or row["kind"] == kind]
        if not rows:
            continue
        summary[kind] = {
            "queries": float(len(rows)),
            "recall@1": round(np.mean([row["rank"] == 1 for row in rows]), 4),
            f"recall@{k}": round(np.mean([row["rank"] is not None and row["rank"] <= k for row in rows]), 4),
            "time_hit_rate": round(np.mean([row["time_hit"] for row in rows]), 4),
            # how sharp the pointer is: a window spanning the whole recording would always "hit"
            "mean_evidence_seconds": round(
                float(np.mean([e["t_end"] - e["t_start"] for e in spans])) if (spans := _spans(rows)) else 0.0, 3
            ),
        }
    return summary, per_query


def _spans(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [row["evidence"] for row in rows if row["evidence"] and row["evidence"].get("t_start") is not None]


def searcher_function(indexed: Any) -> tuple[Callable[[str, int], list[dict[str, Any]]], Callable[[], None]]:
    """`mm search`'s own path (embedding, fusion, AV evidence), scoped to the evaluation tenant."""
    from mm_assets.operations.search import Searcher, SearchQuery

    searcher = Searcher.from_settings(indexed.settings)

    def search(text: str, k: int) -> list[dict[str, Any]]:
        response = searcher.search(SearchQuery(text=text, tenant=EVAL_TENANT, k=k), who="mm-eval-av")
        return response.as_json()["results"]

    return search, searcher.index.close


def run_av_evaluation(
    home: Path,
    out_dir: Path,
    k: int = 5,
    progress: Callable[[str], None] | None = None,
    *,
    build_definitions: DefinitionsFactory,
) -> AvEvaluationReport:
    """Build the set in a fresh `home/av`, materialize the graph, measure, write `eval-av.json`."""
    if k < 1:
        raise EvaluationError(f"k must be at least 1, got {k}")
    say = progress or (lambda _message: None)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    root = fresh_folder(Path(home) / "av")
    say("av: speaking sentences and encoding clips")
    av_set = build_av_set(root / "media")
    timings["build"] = time.perf_counter() - started
    say(f"av: indexing {len(av_set.files)} items")
    indexed = index_set(EvalSet("av", av_set.files, ()), root / "mm", build_definitions)
    timings.update(indexed.timings)
    say("av: word error rate per ASR engine")
    started = time.perf_counter()
    wer = measure_wer(indexed, av_set, indexed.settings.asr_engine)
    timings["wer"] = time.perf_counter() - started
    say(f"av: searching {len(av_set.queries)} queries")
    started = time.perf_counter()
    search, close = searcher_function(indexed)
    try:
        recall, per_query = measure_retrieval(indexed, av_set, k, search)
    finally:
        close()
    timings["search"] = time.perf_counter() - started
    out_dir.mkdir(parents=True, exist_ok=True)
    report_path = out_dir / "eval-av.json"
    report = AvEvaluationReport(
        items=len(av_set.files),
        media_seconds=sum(av_set.seconds.values()),
        wer=wer,
        recall=recall,
        per_query=per_query,
        timings=timings,
        k=k,
        report_path=report_path,
        model_ids=model_ids(indexed.settings),
    )
    report_path.write_text(json.dumps({**report.as_json(), "per_query": per_query}, indent=2))
    return report
