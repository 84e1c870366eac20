"""thumbnail: one small WebP per source, always made from the PII-redacted first page.

Because it comes from the redacted page, no PII ever shows in the Dagster UI or a preview.
"""

import io

from mm_assets.kind_spec import ArtifactKind, KindRun, Made, each_partition
from mm_assets.kinds.pages import load_pages

THUMBNAIL_VERSION = "1"
THUMBNAIL_SIZE = 256
THUMBNAIL_MODEL = f"webp-{THUMBNAIL_SIZE}px"


def make_thumbnail(image) -> bytes:  # type: ignore[no-untyped-def]
    small = image.copy()
    small.thumbnail((THUMBNAIL_SIZE, THUMBNAIL_SIZE))
    buffer = io.BytesIO()
    small.save(buffer, "WEBP", quality=80)
    return buffer.getvalue()


def make_thumbnail_artifact(run: KindRun, key: str) -> Made:
    first_page = load_pages(run.batch, run.input("pii", key))[0][1]
    data = make_thumbnail(first_page)
    run.batch.write(key, data, "webp", run.digests[key], attributes={"bytes": len(data)})
    return Made({}, {"thumbnail_bytes": len(data)})


SPEC = ArtifactKind(
    name="thumbnail",
    upstream=("pii",),
    logic_version=THUMBNAIL_VERSION,
    group="previews",
    description="A 256 px WebP of the PII-redacted first page.",
    make=each_partition(make_thumbnail_artifact),
    model=THUMBNAIL_MODEL,
    payload="webp",
)
