"""transcript_embedding: sliding windows over the redacted transcript, each with t_start/t_end and a vector.

Windows overlap by half, so a sentence cut by one window boundary is whole in the next. The payload is
the (windows x dim) float32 matrix; `.windows.json` beside it holds each window's time range and
redacted text (what search shows as evidence). Only redacted text is embedded.
"""

import json

import numpy as np

from mm_assets.kind_spec import ArtifactKind, KindRun, Made
from mm_assets.kinds.audio import AV_MODALITIES
from mm_assets.kinds.transcript import words_from_json
from mm_assets.kinds.visual_embedding import vector_bytes
from mm_assets.operations.compare import compare_vectors
from resources.asr import Word

TRANSCRIPT_EMBEDDING_VERSION = "1"
WINDOW_WORDS = 8
WINDOW_STRIDE = 4
WINDOWS_SUFFIX = ".windows.json"


def transcript_windows(words: list[Word], size: int = WINDOW_WORDS, stride: int = WINDOW_STRIDE) -> list[dict]:
    """[{"t_start", "t_end", "text", "first_word"}] covering every word; the last window ends at the last word."""
    if not words:
        return []
    starts = list(range(0, max(len(words) - size, 0) + 1, stride))
    if starts[-1] + size < len(words):
        starts.append(len(words) - size)
    windows = []
    for start in starts:
        chunk = words[start : start + size]
        windows.append(
            {
                "t_start": chunk[0].t_start,
                "t_end": chunk[-1].t_end,
                "text": " ".join(w.text for w in chunk),
                "first_word": start,
            }
        )
    return windows


def make_transcript_embedding(run: KindRun) -> None:
    """Every window of every partition in one embedding call, then one matrix per partition."""
    embedder = run.model("embedder")
    todo = run.load(
        lambda key: transcript_windows(
            words_from_json(run.batch.read_json(run.input("redacted_transcript", key))["words"])
        )
    )
    texts = [window["text"] for windows in todo.values() for window in windows]
    with run.stopwatch() as watch:
        vectors = embedder.embed_texts(texts) if texts else np.zeros((0, embedder.dim()), dtype=np.float32)
    offsets = dict(zip(todo, np.cumsum([0] + [len(windows) for windows in todo.values()]), strict=False))

    def write(key: str, windows: list[dict]) -> Made:
        start = int(offsets[key])
        matrix = np.asarray(vectors[start : start + len(windows)], dtype=np.float32).reshape(
            len(windows), embedder.dim()
        )
        run.batch.write(
            key,
            vector_bytes(matrix),
            "npy",
            run.digests[key],
            attributes={"windows": len(windows), "dim": embedder.dim()},
            side_files={WINDOWS_SUFFIX: json.dumps(windows).encode()},
        )
        return Made({"windows": len(windows)})

    for key, windows in todo.items():
        run.record(key, watch.effort.share(len(todo)), lambda key=key, windows=windows: write(key, windows))


SPEC = ArtifactKind(
    name="transcript_embedding",
    upstream=("redacted_transcript",),
    logic_version=TRANSCRIPT_EMBEDDING_VERSION,
    description=lambda build: (
        f"Embeddings of {WINDOW_WORDS}-word windows (stride {WINDOW_STRIDE}) of the "
        f"redacted transcript, each with t_start/t_end, by {build.model_id}."
    ),
    make=make_transcript_embedding,
    modalities=AV_MODALITIES,
    model_roles=("embedder",),
    comparator=compare_vectors,
    payload="npy",
    side_files=(WINDOWS_SUFFIX,),
    index_channels=("transcript_window",),
)
