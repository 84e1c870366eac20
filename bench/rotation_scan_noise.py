"""Where a turned dense scan, stood upright by `pages`, differs from the upright scan (no OCR).

    python bench/rotation_scan_noise.py [--pages 4]

For the first pages of `mm eval rotation-dense`'s held_back_2 slice, five lines per page:
- pages: mean |difference| in grey levels between the upright scan's page and each turned scan's
  page after `pages` turned it back, over the whole page and over the upright page's ink; rendered:
  the same with each scan rendered by PDFium, as `pages` took scans before v5 (now it takes the
  scan's picture at its own pixels, resources/scan_pictures).
- blur, jpeg: the same, for the scan simulation's stages alone (the blur after the turn instead
  of before it; then JPEG quality 75 as Pillow codes the PDF's picture), without the PDF.
- render: for each scan, which whole-pixel shift (rows, along the picture's longer side) best
  matches PDFium's rendering to the picture decoded from the PDF, per band of 150 rows
  (-: no ink in the band).
"""

from __future__ import annotations

import argparse
import io
import re

import numpy as np
from PIL import Image, ImageFilter

from mm_assets.kinds.pages import _upright, render_pdf
from mm_assets.operations.document_pages import SCAN_DPI, paper_grain, render, scanned
from mm_assets.operations.rotation_pages import VARIANTS, held_back_2_pages, page_pdf, scan_options

TURNS = ("turn-90", "turn-180", "turn-270")
TURN_BACK = {90: Image.Transpose.ROTATE_270, 180: Image.Transpose.ROTATE_180, 270: Image.Transpose.ROTATE_90}


def grey(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("RGB"))[:, :, 0].astype(int)


def jpeg(image: Image.Image) -> Image.Image:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=75)
    return Image.open(io.BytesIO(buffer.getvalue()))


def embedded_picture(pdf: bytes) -> Image.Image:
    """The scan's one picture, decoded from its JPEG stream (Pillow writes one image per page)."""
    found = re.search(rb"stream\r?\n(.*?)endstream", pdf, re.S)
    assert found, "no image stream in the scan"
    return Image.open(io.BytesIO(found.group(1)))


def band_shifts(picture: np.ndarray, rendered: np.ndarray, band: int = 150) -> str:
    if picture.shape[0] < picture.shape[1]:  # the longer side as rows
        picture, rendered = picture.T, rendered.T
    shifts = []
    for top in range(band, picture.shape[0] - band, band):
        wanted = picture[top : top + band - 4]
        if not (wanted < 128).any():
            shifts.append("-")
            continue
        errors = {s: np.abs(rendered[top - s : top + band - 4 - s] - wanted).mean() for s in (-1, 0, 1)}
        shifts.append(f"{min(errors, key=errors.__getitem__):+d}")
    return " ".join(shifts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=4)
    args = parser.parse_args()
    for page in held_back_2_pages()[: args.pages]:
        pdf, options = page_pdf(page), scan_options(page)
        scans = {v: scanned(pdf, **VARIANTS[v], **options)[0] for v in ("upright", *TURNS)}  # type: ignore[arg-type]
        for way, take in (
            ("pages", lambda data: next(render_pdf(data, SCAN_DPI))),
            ("rendered", lambda data: render(data)[0]),
        ):
            stood = {v: grey(_upright(take(data))[0]) for v, data in scans.items()}
            ink = stood["upright"] < 128
            line = []
            for turn in TURNS:
                difference = np.abs(stood[turn] - stood["upright"])
                line.append(f"{turn} {difference.mean():.2f} (ink {difference[ink].mean():.2f})")
            print(f"{page.name} {way}: " + ", ".join(line))

        grainy = paper_grain(render(pdf)[0], options["grain"], int(options["grain_seed"]))
        blur = ImageFilter.GaussianBlur(options["blur"])
        blurred = grainy.filter(blur)
        stages = []
        for degrees, back in TURN_BACK.items():
            turned = grainy.rotate(degrees, expand=True).filter(blur)
            after = np.abs(grey(turned.transpose(back)) - grey(blurred)).mean()
            coded = np.abs(grey(jpeg(turned).transpose(back)) - grey(jpeg(blurred))).mean()
            stages.append(f"turn-{degrees} blur {after:.2f} jpeg {coded:.2f}")
        print(f"{page.name} stages: " + ", ".join(stages))
        renders = [f"{v} [{band_shifts(grey(embedded_picture(d)), grey(render(d)[0]))}]" for v, d in scans.items()]
        print(f"{page.name} render shift by band: " + "; ".join(renders))


if __name__ == "__main__":
    main()
