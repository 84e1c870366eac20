"""pages: each original as page images; PDFs rendered page by page, images normalised.

Page numbers start at 1 and are kept everywhere downstream. The payload is a JSON manifest; each
page image is a PNG beside it (`...p0001.png`).
"""

import io
import json

import dagster as dg
import pypdfium2 as pdfium
from dagster import AssetExecutionContext
from PIL import Image, ImageOps

from mm_assets.artifacts import ArtifactBatch, Stopwatch, code_version, content_hash_asset
from mm_assets.kinds.keyframes import av_pages, av_pages_model_id
from resources.catalog import CatalogResource
from resources.media_store import MediaStoreResource, media_key

PAGES_VERSION = "1"
# TIFF/WebP frames beyond this are not pages we process (the gate decoded at most this many).
MAX_IMAGE_FRAMES = 16


def pages_model_id(dpi: int) -> str:
    return f"pdfium-{pdfium.PYPDFIUM_INFO}-{dpi}dpi"


def page_suffix(page: int) -> str:
    return f".p{page:04d}.png"


def encode_png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=1)  # speed over size: pages are rewritten rarely
    return buffer.getvalue()


def render_pdf(data: bytes, dpi: int) -> list[Image.Image]:
    document = pdfium.PdfDocument(data)
    try:
        return [document[i].render(scale=dpi / 72).to_pil().convert("RGB") for i in range(len(document))]
    finally:
        document.close()


def normalise_image(data: bytes) -> list[Image.Image]:
    """Upright RGB pages: EXIF orientation applied, palettes/alpha/CMYK flattened, frames split."""
    image = Image.open(io.BytesIO(data))
    frames = []
    for index in range(min(getattr(image, "n_frames", 1), MAX_IMAGE_FRAMES)):
        image.seek(index)
        frame = ImageOps.exif_transpose(image.copy())
        if frame.mode in ("RGBA", "LA", "P", "PA"):
            frame = frame.convert("RGBA")
            background = Image.new("RGB", frame.size, "white")
            background.paste(frame, mask=frame.getchannel("A"))
            frame = background
        frames.append(frame.convert("RGB"))
    return frames


def load_pages(batch: ArtifactBatch, pages_row: dict) -> list[tuple[int, Image.Image]]:
    """(page number, image) for every page of a pages artifact (or a redacted-pages artifact)."""
    manifest = batch.read_json(pages_row)
    return [
        (
            entry["page"],
            Image.open(io.BytesIO(batch.read_bytes(pages_row, page_suffix(entry["page"])))).convert("RGB"),
        )
        for entry in manifest["pages"]
    ]


def build_pages(dpi: int, max_partitions_per_run: int, keyframe_seconds: float = 2.0) -> dg.AssetsDefinition:
    # Video keyframes and audio waveforms are pages too (kinds/keyframes.py): their settings version pages.
    model_id = f"{pages_model_id(dpi)}+{av_pages_model_id(keyframe_seconds)}"

    @content_hash_asset(
        "pages",
        deps=["source_media"],
        code_version=code_version(PAGES_VERSION, model_id),
        max_partitions_per_run=max_partitions_per_run,
        group_name="documents",
        kinds={"pdf", "image"},
        description=f"Page images: PDFs rendered at {dpi} dpi, images upright RGB, video keyframes every "
        f"{keyframe_seconds:g} s and at scene changes (with `t`), audio as its waveform. Page numbers start at 1.",
    )
    def pages(
        context: AssetExecutionContext, catalog: CatalogResource, media_store: MediaStoreResource
    ) -> dg.MaterializeResult:
        batch = ArtifactBatch(context, catalog, media_store.store, "pages", PAGES_VERSION, model_id)
        for key in batch.pending():
            with batch.guard(key):
                source = batch.sources[key]
                if batch.existing(key, "") is not None:
                    batch.reused.add(key)
                    continue
                with Stopwatch() as watch:
                    data = media_store.store.read_bytes(media_key(key))
                    if source["modality"] in ("audio", "video"):
                        av_page_list = av_pages(source["modality"], data, keyframe_seconds)
                        images, times = [im for im, _ in av_page_list], [facts for _, facts in av_page_list]
                    else:
                        images = render_pdf(data, dpi) if source["modality"] == "document" else normalise_image(data)
                        times = [{} for _ in images]
                    entries = [
                        {"page": n, "width": im.width, "height": im.height, **facts}
                        for n, (im, facts) in enumerate(zip(images, times, strict=True), 1)
                    ]
                    batch.write(
                        key,
                        json.dumps({"dpi": dpi, "pages": entries}).encode(),
                        "json",
                        "",
                        attributes={"pages": len(images)},
                        side_files={page_suffix(n): encode_png(im) for n, im in enumerate(images, 1)},
                    )
                batch.step(key, "ok", watch.ms, pages=len(images))
                batch.metadata(key, pages=len(images))
        return batch.finish()

    return pages
