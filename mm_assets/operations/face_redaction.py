"""The face pass of the pii step and of its coverage check, and the sensitivity it records.

The pii asset fills every face its detector finds on each page image (photos, document pages and
video keyframes are all pages) before writing the redacted page images that thumbnails, captions,
the visual embedding and evidence crops are made from; the originals in the store are untouched.
Each face becomes a redaction of kind `face` with its box and confidence. The coverage check
re-detects faces on the redacted images with `CoverageFaceScanner` (another detector, and MTCNN at
a lower threshold): any face still there fails it, with the box.
"""

from __future__ import annotations

import io
from typing import Any

from PIL import Image

from resources.catalog import source_media
from resources.faces import CoverageFaceScanner, FaceBox, fill_faces
from resources.id_documents import Sensitivity, classify


def redact_faces(detector: Any, page: int, image: Image.Image) -> tuple[Image.Image, list[dict]]:
    """The page with its faces filled, and one redaction (kind "face", box, confidence) per face."""
    return _filled(detector.detect(image), page, image)


def mask_missed_faces(scanner: CoverageFaceScanner, page: int, image: Image.Image) -> tuple[Image.Image, list[dict]]:
    """Mask mode, after the redactor's pass: what the coverage re-detection still finds on the page
    is filled too, so a face the redactor judged too unsure is hidden before anything downstream
    reads the page, and listed as a coverage mask (the check then fails at WARN with its box)."""
    return _filled(scanner.faces(image), page, image)


def _filled(faces: list[FaceBox], page: int, image: Image.Image) -> tuple[Image.Image, list[dict]]:
    if not faces:
        return image, []
    return fill_faces(image, [face.bbox for face in faces]), [face.as_json(page) for face in faces]


def source_sensitivity(texts: dict[int, str], sizes: dict[int, tuple[int, int]], faces: list[dict]) -> Sensitivity:
    """Identity-document signals of a source from its unredacted page texts, page sizes and faces."""
    per_page: dict[int, int] = {}
    for face in faces:
        per_page[face["page"]] = per_page.get(face["page"], 0) + 1
    return classify(texts, sizes, per_page)


def record_sensitivity(catalog: Any, content_hash: str, sensitivity: Sensitivity) -> None:
    """Write the source's `sensitivity` governance column (None clears it: a re-run may unflag)."""
    with catalog.engine.begin() as conn:
        conn.execute(
            source_media.update()
            .where(source_media.c.content_hash == content_hash)
            .values(sensitivity=sensitivity.value)
        )


def face_residuals(read_page: Any, pages: list[int], scanner: CoverageFaceScanner) -> list[dict]:
    """Every face the independent scanner still finds on the redacted page images, by page and box."""
    found = []
    for page in pages:
        image = Image.open(io.BytesIO(read_page(page))).convert("RGB")
        found += [{**face.as_json(page), "masked": False} for face in scanner.faces(image)]
    return found
