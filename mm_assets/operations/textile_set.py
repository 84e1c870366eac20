"""The `textile` evaluation set: simulated textile images from the `conformal-clip-data` wheel,
20 per class (nominal, local defect, global defect); the queries describe a class; every image of
it is relevant."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from mm_assets.operations.evaluation_base import EvalQuery, EvalSet, EvaluationError

TEXTILE_PER_CLASS = 20
TEXTILE_QUERIES: Mapping[str, tuple[str, ...]] = {
    "nominal": ("a nominal textile without defects", "a plain woven fabric with a uniform texture"),
    "local": ("a textile with a local defect", "fabric with a small flaw in one spot"),
    "global": ("a textile with a global defect", "fabric whose whole texture is distorted"),
}


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
