"""crop: a region of a page image, stored as a content-addressed, version-stamped PNG artifact.

Crops are made on demand, not per partition: `mm search --crops DIR` stores the evidence boxes
of its results (cut from the REDACTED page images of the pii artifact), and the ocr_quality
check stores the low-confidence region of a page it sends to review (cut from the page image
OCR read). Each crop is one `derived_artifact` row of kind "crop": its `region` column holds
{"page", "bbox"}, its input digest names the page artifact and the box, so the same crop asked
for twice is written once, and `mm forget` removes crops with every other artifact of a source.
No asset makes a crop, so this is an operation, not a kind: search and the ocr check both call it.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

import sqlalchemy as sa
from PIL import Image

from mm_assets.artifacts import PIPELINE_NAME, payload_key, store_key_of
from mm_assets.page_layout import encode_png, page_suffix
from resources.blob_store import BlobStore, store_relative_uri
from resources.catalog import CatalogResource, derived_artifact, new_id, utcnow

CROP_VERSION = "1"
CROP_MARGIN_PX = 8  # a little context around the box, so a reviewer sees the line it sits in


class CropError(ValueError):
    """A crop was asked of a page or box the page image does not have; the message says which."""


@dataclass(frozen=True)
class Crop:
    artifact_id: str
    payload_uri: str
    page: int
    bbox: tuple[int, int, int, int]  # the cut, in page pixels (the box plus the margin, clipped)
    png: bytes


def crop_digest(page_artifact_id: str, page: int, bbox: tuple[int, int, int, int]) -> str:
    """The crop's input digest: which page image, which page, which pixels."""
    key = f"{page_artifact_id}|{page}|{','.join(str(v) for v in bbox)}"
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def cut(image: Image.Image, bbox: list[float] | tuple[float, ...]) -> tuple[Image.Image, tuple[int, int, int, int]]:
    """The box plus CROP_MARGIN_PX, clipped to the image; raises CropError for a box outside it."""
    x0 = max(int(bbox[0]) - CROP_MARGIN_PX, 0)
    y0 = max(int(bbox[1]) - CROP_MARGIN_PX, 0)
    x1 = min(int(round(bbox[2])) + CROP_MARGIN_PX, image.width)
    y1 = min(int(round(bbox[3])) + CROP_MARGIN_PX, image.height)
    if x1 <= x0 or y1 <= y0:
        raise CropError(f"box {list(bbox)} lies outside the {image.width}x{image.height} page image")
    box = (x0, y0, x1, y1)
    return image.crop(box), box


def store_crop(
    catalog: CatalogResource,
    store: BlobStore,
    page_artifact: dict,
    page: int,
    bbox: list[float] | tuple[float, ...],
    purpose: str,
) -> Crop:
    """Cut `bbox` from page `page` of a page-image artifact (pii: redacted pages; pages: as rendered)
    and store it as a crop artifact of the same source; an existing identical crop is reused."""
    manifest_key = store_key_of(store, page_artifact["payload_uri"])
    image_key = manifest_key.rsplit(".", 1)[0] + page_suffix(page)
    if not store.exists(image_key):
        raise CropError(f"the {page_artifact['kind']} artifact of {page_artifact['source_hash']} has no page {page}")
    region, box = cut(Image.open(io.BytesIO(store.read_bytes(image_key))).convert("RGB"), bbox)
    png = encode_png(region)
    digest = crop_digest(page_artifact["artifact_id"], page, box)
    model_id = f"{page_artifact['kind']}-{page_artifact['pipeline_version']}"
    key = payload_key("crop", page_artifact["source_hash"], CROP_VERSION, model_id, digest, "png")
    store.put_bytes_if_absent(key, png)  # the payload before its record
    row = _record(catalog, page_artifact, model_id, digest, store_relative_uri(key), page, box, purpose)
    return Crop(row["artifact_id"], row["payload_uri"], page, box, png)


def _record(
    catalog: CatalogResource,
    page_artifact: dict,
    model_id: str,
    digest: str,
    uri: str,
    page: int,
    box: tuple[int, int, int, int],
    purpose: str,
) -> dict:
    version_key = (
        (derived_artifact.c.source_hash == page_artifact["source_hash"])
        & (derived_artifact.c.kind == "crop")
        & (derived_artifact.c.pipeline_version == CROP_VERSION)
        & (derived_artifact.c.model_id == model_id)
        & (derived_artifact.c.input_digest == digest)
    )
    row = {
        "artifact_id": new_id(),
        "source_id": page_artifact["source_id"],
        "source_hash": page_artifact["source_hash"],
        "tenant_id": page_artifact["tenant_id"],
        "kind": "crop",
        "pipeline_name": PIPELINE_NAME,
        "pipeline_version": CROP_VERSION,
        "model_id": model_id,
        "payload_uri": uri,
        "region": {"page": page, "bbox": list(box)},
        "attributes": {"purpose": purpose, "from_artifact": page_artifact["artifact_id"]},
        "created_at": utcnow(),
        "superseded_by": None,
        "status": "current",
        "input_digest": digest,
    }
    with catalog.engine.begin() as conn:
        existing = conn.execute(sa.select(derived_artifact).where(version_key)).first()
        if existing is not None:
            return dict(existing._mapping)
        try:
            conn.execute(derived_artifact.insert().values(**row))
        except sa.exc.IntegrityError:  # written by a concurrent query a moment ago
            conn.rollback()
            return dict(conn.execute(sa.select(derived_artifact).where(version_key)).one()._mapping)
    return row
