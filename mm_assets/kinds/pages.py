"""pages: each original as page images; PDFs rendered page by page (a scan's one picture taken at
its own pixels instead), images normalised.

Page numbers start at 1 and are kept everywhere downstream. The payload is a JSON manifest; each
page image is a PNG beside it (`...p0001.png`).

Memory stays bounded by one page, whatever the page count: pages are rendered, encoded, written and
released one at a time, and `load_pages` decodes a page only when it is read (bench/memory.py).
"""

import io
import json
from collections.abc import Iterator, Sequence
from typing import Any, overload

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageChops, ImageOps

from mm_assets.artifacts import ArtifactBatch, payload_key
from mm_assets.kind_spec import PAGE_IMAGES, ArtifactKind, KindBuild, KindRun, Made, each_partition
from mm_assets.kinds.keyframes import av_pages, av_pages_model_id
from mm_assets.page_layout import encode_png, page_suffix
from resources.blob_store import media_key
from resources.document_models import orientation_model_id, page_rotation, page_sample, skew_angle
from resources.scan_pictures import scan_picture

# 2: scanned pages stored upright (rotation and skew recorded); 3: levelled by OpenCV;
# 4: orientation read from the area-averaged thumbnail, one crop; 5: a one-picture scan taken at its
# picture's own pixels, not rendered (resources/scan_pictures), its source recorded per page
PAGES_VERSION = "5"
# An image is turned upright only when it looks like a page (mostly paper-white): on photos the
# orientation classifier guesses (the sample coffee cup came out "180").
MIN_PAPER_SHARE = 0.6
MIN_TEXT_LAYER_CHARS = 16  # a PDF page with this much text keeps its rendering: the layer says where up is


def pages_model_id(dpi: int) -> str:
    return f"pdfium-{pdfium.PYPDFIUM_INFO}-{dpi}dpi"


def render_pdf(data: bytes, dpi: int, facts: list[dict] | None = None) -> Iterator[Image.Image]:
    """Each page at `dpi`, one at a time: a scan's one picture at its own pixels where it is the
    page (resources/scan_pictures), else rendered; PDFium's bitmap and page are freed before the
    next. Each page's `source` ("picture" or "render", and a `note` when a picture was refused) is
    appended to `facts` before it is yielded."""
    document = pdfium.PdfDocument(data)
    try:
        for index in range(len(document)):
            page = document[index]
            try:
                picture = scan_picture(page, dpi)
                image = picture.image if picture.image is not None else _rendered(page, dpi)
            finally:
                page.close()
            if facts is not None:
                source = {"source": "picture" if picture.image is not None else "render"}
                facts.append(source | ({"note": picture.note} if picture.note else {}))
            del picture
            yield image
            del image  # not held while the next page renders
    finally:
        document.close()


def _rendered(page: pdfium.PdfPage, dpi: int) -> Image.Image:
    bitmap = page.render(scale=dpi / 72)
    try:
        return _detached_rgb(bitmap.to_pil())
    finally:
        bitmap.close()


def _detached_rgb(image: Image.Image) -> Image.Image:
    """RGB pixels that own their memory. PDFium renders BGR, which Pillow decodes into a new RGB
    image (a copy, not a view of the bitmap), so that image is kept as it is: a second copy would
    cost a whole page again (~260 MB for a 4500 pt page at 150 dpi)."""
    return image if image.mode == "RGB" else image.convert("RGB")


def normalise_image(data: bytes) -> Iterator[Image.Image]:
    """Upright RGB pages, one frame at a time: EXIF orientation applied, palettes/alpha/CMYK flattened.

    Every frame of a multi-page TIFF (or WebP) is a page; the gate capped their number (MM_MAX_PDF_PAGES).
    """
    image = Image.open(io.BytesIO(data))
    for index in range(getattr(image, "n_frames", 1)):
        image.seek(index)
        frame = ImageOps.exif_transpose(image.copy())
        if frame.mode in ("RGBA", "LA", "P", "PA"):
            frame = frame.convert("RGBA")
            background = Image.new("RGB", frame.size, "white")
            background.paste(frame, mask=frame.getchannel("A"))
            frame = background
        yield frame.convert("RGB")
        del frame


class PageImages(Sequence[tuple[int, Image.Image]]):
    """(page number, image) of every page of a pages artifact, decoded when read and never cached.

    Iterating holds one decoded page at a time; `pages[0]` decodes the first page only.
    """

    def __init__(self, batch: ArtifactBatch, pages_row: dict[str, Any]):
        self.batch, self.row = batch, pages_row
        self.numbers = [entry["page"] for entry in batch.read_json(pages_row)["pages"]]

    def __len__(self) -> int:
        return len(self.numbers)

    def __iter__(self) -> Iterator[tuple[int, Image.Image]]:
        for index in range(len(self.numbers)):
            yield self[index]  # no local keeps the previous page alive while the next one decodes

    @overload
    def __getitem__(self, index: int) -> tuple[int, Image.Image]: ...
    @overload
    def __getitem__(self, index: slice) -> list[tuple[int, Image.Image]]: ...
    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        page = self.numbers[index]
        image = Image.open(io.BytesIO(self.batch.read_bytes(self.row, page_suffix(page))))
        image.load()
        return page, image if image.mode == "RGB" else image.convert("RGB")  # no second copy of an RGB page


def load_pages(batch: ArtifactBatch, pages_row: dict) -> PageImages:
    """(page number, image) for every page of a pages artifact (or a redacted-pages artifact), decoded lazily."""
    return PageImages(batch, pages_row)


def write_pages(
    batch: ArtifactBatch, key: str, images: Iterator[Image.Image], facts: Sequence[dict] = ()
) -> list[dict[str, Any]]:
    """Encode and store each page as it comes, then let it go; returns the manifest entries.

    `facts` holds extra manifest fields per page in order (a keyframe's time), or nothing.
    """
    stem = payload_key(batch.kind, key, batch.pipeline_version, batch.model_id, "", "json").rsplit(".", 1)[0]
    entries: list[dict[str, int]] = []
    # No enumerate(): its reused result tuple would keep the previous page alive during the next render.
    for image in images:
        number = len(entries) + 1
        batch.store.put_bytes_if_absent(stem + page_suffix(number), encode_png(image))
        entries.append(
            {"page": number, "width": image.width, "height": image.height, **(facts[number - 1] if facts else {})}
        )
        del image  # released before the next page is rendered
    return entries


def looks_like_paper(sample: np.ndarray) -> bool:
    """Whether a page sample (`page_sample`: grey, downscaled) is mostly paper-white."""
    return float((sample > 200).mean()) >= MIN_PAPER_SHARE


def pdf_pages_with_text(data: bytes) -> set[int]:
    """1-based numbers of the PDF pages that carry a text layer (those are never rotated)."""
    document = pdfium.PdfDocument(data)
    try:
        numbers = set()
        for index in range(len(document)):
            textpage = document[index].get_textpage()
            if textpage.count_chars() >= MIN_TEXT_LAYER_CHARS:
                numbers.add(index + 1)
            textpage.close()
        return numbers
    finally:
        document.close()


# cv2.rotate's codes for a turn of so many degrees counter-clockwise (as `np.rot90` turns the sample)
QUARTER_TURNS = {90: "ROTATE_90_COUNTERCLOCKWISE", 180: "ROTATE_180", 270: "ROTATE_90_CLOCKWISE"}


def upright_pages(images: Iterator[Image.Image], keep: set[int], facts: list[dict]) -> Iterator[Image.Image]:
    """Scanned pages turned upright: a quarter-turn by the orientation model, then small skew
    levelled. Pages in `keep` (1-based) and pages that do not look like paper pass unchanged.
    Each page's rotation is recorded in its entry of `facts` (added when the renderer made
    none) before it is yielded.

    Cheap around the model call (bench/documents.py): the page's pixels are read out of Pillow
    once, as one plane when the page is grey (`grey_plane`); the model reads only the centre crop
    it needs (`page_rotation`), the paper test and the skew estimate a small grey sample (turned
    with the page, not taken again); a quarter turn is an exact transpose; a level page is not
    touched; a skewed one is turned and levelled by one OpenCV bilinear warp (`level_pixels`)."""
    number = 0
    for image in images:
        number += 1
        if len(facts) < number:  # no entry yet from the renderer (images, or pages without facts)
            facts.append({})
        rotation, skew = 0, 0.0
        if number not in keep:
            image, rotation, skew = _upright(image)
        facts[number - 1].update(rotation=rotation, skew=skew)
        yield image
        del image


def _upright(image: Image.Image) -> tuple[Image.Image, int, float]:
    import cv2  # imported here: loading OpenCV would slow every command that imports the kinds

    page = image if image.mode == "RGB" else image.convert("RGB")
    grey = grey_plane(page)
    pixels = grey if grey is not None else np.asarray(page)
    sample = page_sample(pixels)
    if not looks_like_paper(sample):
        return image, 0, 0.0
    rotation = page_rotation(pixels)
    if rotation:
        sample = np.rot90(sample, rotation // 90)  # counter-clockwise, as the page will turn
    skew = skew_angle(sample)
    if not rotation and not skew:
        return image, 0, 0.0  # a level page is not touched
    if skew:  # the turn and the levelling in one warp: one pass over the page, not two
        pixels = level_pixels(pixels, rotation + skew)
    else:
        pixels = cv2.rotate(pixels, getattr(cv2, QUARTER_TURNS[rotation]))
    upright = Image.fromarray(pixels)
    return (upright.convert("RGB") if grey is not None else upright), rotation, skew


def grey_plane(page: Image.Image) -> np.ndarray | None:
    """One channel of an RGB page whose three channels are equal everywhere (a grey scan renders
    so), else None. Such a page is read, sampled, cropped for the model and moved as that one
    channel and spread back to three at the end: the same arithmetic on each channel, so the same
    pixels, for a third of the work (the warp is most of this step's cost beyond the model)."""
    middle_row = np.asarray(page.crop((0, page.height // 2, page.width, page.height // 2 + 1)))
    if not ((middle_row[..., 0] == middle_row[..., 1]).all() and (middle_row[..., 1] == middle_row[..., 2]).all()):
        return None  # a colour page usually shows it in any row: spares the whole-page test
    red, green, blue = page.split()
    if ImageChops.difference(red, green).getbbox() or ImageChops.difference(green, blue).getbbox():
        return None
    return np.asarray(red)


def level_pixels(pixels: np.ndarray, degrees: float) -> np.ndarray:
    """The page turned `degrees` counter-clockwise, grown to hold every corner, on white.

    OpenCV's bilinear warp: a third of Pillow's bilinear rotation (20 against 65 CPU ms a page),
    and OCR reads it as well as the upright page, where two shears that moved whole pixels (6 ms)
    cost 0.2-0.6% CER in the 1-pixel steps they left along the letters."""
    import cv2

    height, width = pixels.shape[:2]
    # About the middle pixel centre, corners as pixel centres: a quarter turn then moves every pixel
    # onto a pixel exactly (no half-pixel blur)
    right, bottom = width - 1, height - 1
    matrix = cv2.getRotationMatrix2D((right / 2, bottom / 2), degrees, 1.0)  # positive: counter-clockwise
    corners = np.array([[0, 0, 1], [right, 0, 1], [0, bottom, 1], [right, bottom, 1]], dtype=np.float64) @ matrix.T
    low, high = corners.min(axis=0), corners.max(axis=0)
    matrix[:, 2] -= low
    grown = tuple(int(np.ceil(extent - 1e-6)) + 1 for extent in high - low)  # 1e-6: float noise, not a pixel
    return cv2.warpAffine(pixels, matrix, grown, flags=cv2.INTER_LINEAR, borderValue=(255, 255, 255))


def make_pages(run: KindRun, key: str) -> Made:
    """Every page of one original as an image beside a JSON manifest."""
    dpi, modality = run.settings.render_dpi, run.batch.sources[key]["modality"]
    data = run.batch.store.read_bytes(media_key(key))
    if modality in ("audio", "video"):
        images, facts = av_pages(modality, data, run.settings.keyframe_seconds)  # streamed, one frame at a time
    else:
        facts = []
        images = render_pdf(data, dpi, facts) if modality == "document" else normalise_image(data)
        images = upright_pages(images, pdf_pages_with_text(data) if modality == "document" else set(), facts)
    entries = write_pages(run.batch, key, images, facts)
    del data, images
    manifest = json.dumps({"dpi": dpi, "pages": entries}).encode()
    run.batch.write(key, manifest, "json", run.digests[key], attributes={"pages": len(entries)})
    return Made({"pages": len(entries)})


def pages_description(build: KindBuild) -> str:
    dpi, seconds = build.settings.render_dpi, build.settings.keyframe_seconds
    return (
        f"Page images: PDFs rendered at {dpi} dpi (a scan's one picture at its own pixels, when that is "
        f"{dpi} dpi), images upright RGB, video keyframes every "
        f"{seconds:g} s and at scene changes (with `t`), audio as its waveform. Page numbers start at 1."
    )


SPEC = ArtifactKind(
    name="pages",
    upstream=("source_media",),
    inputs=(),  # reads the original itself
    logic_version=PAGES_VERSION,
    group="documents",
    dagster_kinds=frozenset({"pdf", "image"}),
    description=pages_description,
    make=each_partition(make_pages),
    # Video keyframes and audio waveforms are pages too (kinds/keyframes.py): their settings version pages.
    model=lambda settings, _roles: (
        f"{pages_model_id(settings.render_dpi)}+{av_pages_model_id(settings.keyframe_seconds)}+{orientation_model_id()}"
    ),
    side_files=(PAGE_IMAGES,),
    index_channels=("image",),  # the image chunk's page box
)
