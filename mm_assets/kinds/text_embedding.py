"""text_embedding: two L2-normalised vectors per source, the caption channel and the redacted-OCR channel.

Only redacted text is embedded. A source without text gets a zero OCR vector, listed in
`empty_channels`, so search can skip the channel instead of matching noise.
"""

from typing import Any

import numpy as np

from mm_assets.artifacts import current_artifacts
from mm_assets.kind_checks import KindCheck, Verdict
from mm_assets.kind_spec import ArtifactKind, KindRun, Made
from mm_assets.kinds.visual_embedding import EMBEDDING_VERSION, vector_bytes, vector_from_bytes
from mm_assets.operations.compare import compare_vectors

TEXT_CHANNELS = ("caption", "ocr")
MAX_TEXT_CHARS = 2000  # MiniLM reads 256 word pieces; the rest would be cut anyway
MIN_CAPTION_IMAGE_SIMILARITY = 0.2
MIN_GROUNDING_RATIO = 0.5
_STOPWORDS = frozenset("a an the of or and in on with possibly may show image photo that no confident label".split())


def redacted_text(pii_payload: dict) -> str:
    return "\n".join(pii_payload["text"].values()).strip()[:MAX_TEXT_CHARS]


def caption_and_text(run: KindRun, key: str) -> tuple[str, str]:
    return run.batch.read_json(run.input("caption", key))["text"], redacted_text(
        run.batch.read_json(run.input("pii", key))
    )


def make_text_embedding(run: KindRun) -> None:
    """Both channels of every partition in one embedding call; an empty text gets a zero vector."""
    embedder = run.model("embedder")
    todo = run.load(lambda key: caption_and_text(run, key))
    texts = [text for caption_text, ocr_text in todo.values() for text in (caption_text, ocr_text) if text]
    with run.stopwatch() as watch:
        table = dict(zip(texts, embedder.embed_texts(texts), strict=True)) if texts else {}
    zero = np.zeros(embedder.dim(), dtype=np.float32)

    def write(key: str, channels: tuple[str, str]) -> Made:
        vectors = np.stack([table.get(text, zero) if text else zero for text in channels])
        empty = [name for name, text in zip(TEXT_CHANNELS, channels, strict=True) if not text]
        attributes = {"dim": int(vectors.shape[1]), "channels": list(TEXT_CHANNELS), "empty_channels": empty}
        run.batch.write(key, vector_bytes(vectors), "npy", run.digests[key], attributes=attributes)
        metadata = {"dim": attributes["dim"], "empty_channels": ", ".join(empty) or "none"}
        return Made({"empty_channels": empty}, metadata, units=sum(len(text) for text in channels))

    for key, channels in todo.items():
        run.record(key, watch.effort.share(len(todo)), lambda key=key, channels=channels: write(key, channels))


def caption_grounding_verdicts(resources: Any, keys: list[str]) -> dict[str, Verdict]:
    """Caption-image similarity under the active encoder, and the grounding ratio.

    The grounding ratio is the share of caption words traceable to the labels or the redacted OCR text.
    """
    kinds = ("text_embedding", "visual_embedding", "caption", "pii")
    rows = {kind: current_artifacts(resources.catalog, kind, keys) for kind in kinds}
    complete = [key for key in keys if all(key in rows[kind] for kind in kinds)]
    return {
        key: grounding_verdict(resources.media_store.store, {kind: rows[kind][key] for kind in kinds})
        for key in complete
    }


SPEC = ArtifactKind(
    name="text_embedding",
    upstream=("caption", "pii"),
    logic_version=EMBEDDING_VERSION,
    group="semantics",
    description=lambda build: f"Caption and redacted-OCR text embeddings by {build.model_id}.",
    make=make_text_embedding,
    model_roles=("embedder",),
    unit="characters",  # what it embeds is text, however long the source
    comparator=compare_vectors,
    payload="npy",
    index_channels=("caption_vector", "ocr_vector"),
    checks=(
        KindCheck(
            "caption_grounding", caption_grounding_verdicts, additional_deps=("visual_embedding", "caption", "pii")
        ),
    ),
)


def caption_words(text: str) -> set[str]:
    return {w for w in "".join(c.lower() if c.isalnum() else " " for c in text).split() if w not in _STOPWORDS}


def grounding_ratio(caption_text: str, labels: list, ocr_text: str) -> float:
    """Share of the caption's content words found in the classifier labels or the redacted OCR text."""
    words = caption_words(caption_text)
    if not words:
        return 1.0
    evidence = caption_words(" ".join(label for label, _p in labels)) | caption_words(ocr_text)
    return len(words & evidence) / len(words)


def grounding_verdict(store, rows: dict) -> tuple[bool, dict]:  # type: ignore[no-untyped-def]
    import json

    from mm_assets.artifacts import store_key_of

    def read(kind: str) -> bytes:
        return store.read_bytes(store_key_of(store, rows[kind]["payload_uri"]))

    caption = json.loads(read("caption"))
    text_vectors = vector_from_bytes(read("text_embedding"))
    image_vector = vector_from_bytes(read("visual_embedding"))
    similarity = float(np.dot(text_vectors[0], image_vector))
    ratio = grounding_ratio(caption["text"], caption["labels"], redacted_text(json.loads(read("pii"))))
    problems = []
    if similarity < MIN_CAPTION_IMAGE_SIMILARITY:
        problems.append(f"caption-image similarity {similarity:.3f} < {MIN_CAPTION_IMAGE_SIMILARITY}")
    if ratio < MIN_GROUNDING_RATIO:
        problems.append(f"grounding ratio {ratio:.2f} < {MIN_GROUNDING_RATIO}")
    metadata = {
        "similarity": round(similarity, 4),
        "grounding_ratio": round(ratio, 3),
        "reason": "; ".join(problems) or "ok",
    }
    return (not problems, metadata)
