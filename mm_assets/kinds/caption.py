"""caption: a caption per source, from the PII-redacted first page.

The offline default is not a captioning model: it builds a sentence from an ImageNet classifier's
top labels, and its model id says so ("label-caption-..."). A transformers captioner can be
configured instead.
"""

from PIL import Image

from mm_assets.kind_spec import ArtifactKind, KindRun, Made, model_batch
from mm_assets.kinds.pages import load_pages
from mm_assets.operations.compare import compare_captions
from resources.captioner import Caption


def first_redacted_page(run: KindRun, key: str) -> Image.Image:
    return load_pages(run.batch, run.input("pii", key))[0][1]


def write_caption(run: KindRun, key: str, result: Caption) -> Made:
    labels = [[label, round(p, 4)] for label, p in result.labels]
    run.batch.write_json(key, {"text": result.text, "labels": labels}, run.digests[key])
    return Made({"caption": result.text}, {"caption_chars": len(result.text)})  # never the text in Dagster


SPEC = ArtifactKind(
    name="caption",
    upstream=("pii",),
    logic_version="1",
    group="semantics",
    dagster_kinds=frozenset({"caption"}),
    description=lambda build: f"A caption of the redacted first page by {build.model_id}.",
    make=model_batch(first_redacted_page, lambda run, images: run.model("captioner").caption(images), write_caption),
    model_roles=("captioner",),
    comparator=compare_captions,
    index_channels=("caption",),  # the index row's caption text
)
