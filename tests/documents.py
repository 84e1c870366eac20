"""Documents with known text and planted (fake) PII, rendered like 150-dpi scans.

Tests use these as ground truth for OCR and PII; `python -m tests.documents DIR` writes the
sample documents shipped in samples/.
"""

from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from mm_assets.operations.pdf_samples import (  # noqa: F401  (the tests' born-digital pages)
    PDF_FONT_SIZE,
    PDF_LINE_STEP,
    PDF_MARGIN,
    PdfPageContent,
    born_digital_pdf,
    pdf_line_top,
)

PAGE_SIZE = (1240, 1754)  # A4 at 150 dpi
FONT_CANDIDATES = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
]

INVOICE_LINES = [
    "ACME Supplies Ltd - Invoice 2024-117",
    "Bill to: Jordan Example",
    "Email: jordan.example@example.com",
    "Phone: +1 415 555 0134",
    "Card: 4111 1111 1111 1111",
    "SSN: 123-45-6789",
    "Freight charge 45.00 EUR",
    "Total due 1,245.00 EUR",
]
LETTER_LINES = [
    "Dear customer, thank you for your order.",
    "Date of birth: 14/03/1985",
    "IBAN: DE89 3704 0044 0532 0130 00",
    "Server address 192.168.10.42",
    "Your parcel leaves our warehouse today.",
]
PLANTED_PII = {
    "email": "jordan.example@example.com",
    "phone": "+1 415 555 0134",
    "card": "4111 1111 1111 1111",
    "ssn": "123-45-6789",
    "dob": "14/03/1985",
    "iban": "DE89 3704 0044 0532 0130 00",
    "ip": "192.168.10.42",
}


@lru_cache(maxsize=8)
def font(size: int = 30) -> ImageFont.FreeTypeFont:
    for candidate in FONT_CANDIDATES:
        if Path(candidate).exists():
            return ImageFont.truetype(candidate, size)
    return ImageFont.load_default(size=size)


def render_page(
    lines: list[str], size: tuple[int, int] = PAGE_SIZE, font_size: int = 30, degrade: bool = False
) -> Image.Image:
    """A white page with one line of black text per entry, like a clean (or slightly blurred) scan."""
    page = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(page)
    y = 120
    for line in lines:
        draw.text((100, y), line, fill="black", font=font(font_size))
        y += int(font_size * 2.2)
    return page.filter(ImageFilter.GaussianBlur(0.8)) if degrade else page


def write_pdf(path: Path, pages: list[Image.Image]) -> Path:
    pages[0].save(path, "PDF", resolution=150.0, save_all=True, append_images=pages[1:])
    return path


VOICEMAIL = (
    "Hello, this is Maria Gonzalez about the red bicycle order. "
    "Please call me back at five five five, two one three, four five six seven. Thank you."
)
LAUNCH_NARRATION = "The rocket lifts off from the launch pad. Then we stop for a cup of coffee."


def write_samples(folder: Path) -> None:
    """The bundled sample media: four photos (scikit-image's public-domain/CC0 set), two scans, a
    spoken voicemail with a (fake) name and phone number, and a short narrated video of two photos."""
    from skimage import data

    from mm_assets.operations.av_samples import silence, speak, write_audio, write_video

    folder.mkdir(parents=True, exist_ok=True)
    for name in ("astronaut", "chelsea", "coffee", "rocket"):
        image = Image.fromarray(getattr(data, name)())
        image.thumbnail((480, 480))
        image.save(folder / f"{name}.jpg", "JPEG", quality=85)
    write_pdf(folder / "invoice-scan.pdf", [render_page(INVOICE_LINES), render_page(LETTER_LINES, degrade=True)])
    render_page(LETTER_LINES).resize((620, 877)).save(folder / "letter.png", "PNG", optimize=True)
    write_audio(folder / "voicemail.ogg", speak(VOICEMAIL), codec="libopus")
    narration = speak(LAUNCH_NARRATION)
    seconds = len(narration) / 16_000 + 0.5
    scenes = [(Image.fromarray(data.rocket()), seconds / 2), (Image.fromarray(data.coffee()), seconds / 2)]
    write_video(folder / "rocket-launch.mp4", scenes, sound=np.concatenate([narration, silence(0.5)]))


if __name__ == "__main__":
    write_samples(Path(sys.argv[1] if len(sys.argv) > 1 else "samples"))
