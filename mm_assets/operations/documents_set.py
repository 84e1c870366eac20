"""The `documents` evaluation set: pages rendered here with distinct text (every other one saved
as a PDF); the queries quote or paraphrase a line of one page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from mm_assets.operations.evaluation_base import EvalQuery, EvalSet, EvaluationError


@dataclass(frozen=True)
class EvalDocument:
    name: str
    lines: tuple[str, ...]
    quote: str  # a line of the page, verbatim
    paraphrase: str  # the same content in other words


DOCUMENTS = (
    EvalDocument(
        "harbor-invoice",
        (
            "Harbor Freight Logistics - Invoice 5521",
            "Container storage at Pier 9, March 2025",
            "Forklift rental: 3 days at 120.00 USD",
            "Payment due within 30 days",
        ),
        "Forklift rental: 3 days at 120.00 USD",
        "bill for renting a forklift at the port",
    ),
    EvalDocument(
        "rye-bread-recipe",
        (
            "Grandmother's Rye Bread",
            "Mix 500 g rye flour with warm water and sourdough starter",
            "Let the dough rise overnight in a cool kitchen",
            "Bake at 230 degrees for 50 minutes",
        ),
        "Let the dough rise overnight in a cool kitchen",
        "how to bake sourdough bread at home",
    ),
    EvalDocument(
        "board-minutes",
        (
            "Minutes of the Board Meeting, 12 June",
            "Present: the treasurer, the secretary and five directors",
            "The board approved the new solar panel budget",
            "Next meeting scheduled for September",
        ),
        "The board approved the new solar panel budget",
        "directors voted to fund renewable energy on the roof",
    ),
    EvalDocument(
        "lease-agreement",
        (
            "Residential Lease Agreement",
            "The tenant shall pay rent on the first day of each month",
            "Pets are not permitted without written consent",
            "The deposit equals two months of rent",
        ),
        "Pets are not permitted without written consent",
        "apartment rental contract rules about dogs and cats",
    ),
    EvalDocument(
        "water-lab-report",
        (
            "Water Quality Laboratory Report",
            "Sample taken from the river at the north bridge",
            "Nitrate level 12 mg per litre, above the limit",
            "Recommend a second test in two weeks",
        ),
        "Nitrate level 12 mg per litre, above the limit",
        "river pollution measurement results",
    ),
    EvalDocument(
        "flight-itinerary",
        (
            "Flight Itinerary for Ms. Rivera",
            "Depart Lisbon 07:40, arrive Oslo 12:15",
            "Seat 14C, one checked bag included",
            "Please be at the gate 30 minutes early",
        ),
        "Depart Lisbon 07:40, arrive Oslo 12:15",
        "airline travel plan from Portugal to Norway",
    ),
    EvalDocument(
        "espresso-warranty",
        (
            "Warranty Certificate - Espresso Machine Model K2",
            "This product is guaranteed for 24 months",
            "The warranty does not cover descaling damage",
            "Keep this card with your receipt",
        ),
        "The warranty does not cover descaling damage",
        "guarantee card for a coffee maker",
    ),
    EvalDocument(
        "school-trip-letter",
        (
            "Riverside Primary School",
            "Dear parents, the school trip to the science museum is on Friday",
            "Children need a packed lunch and a raincoat",
            "The bus leaves at 8:30 sharp",
        ),
        "Children need a packed lunch and a raincoat",
        "note to families about a class excursion",
    ),
    EvalDocument(
        "veterinary-record",
        (
            "Veterinary Record: Bella, Labrador, 6 years",
            "Annual vaccination given against rabies",
            "Weight 31 kg, slightly overweight",
            "Advice: shorter meals and longer walks",
        ),
        "Annual vaccination given against rabies",
        "health check of a dog at the animal clinic",
    ),
    EvalDocument(
        "garden-plan",
        (
            "Community Garden Planting Plan",
            "Bed A: tomatoes, basil and peppers",
            "Bed B: carrots, onions and lettuce",
            "Water every morning during July",
        ),
        "Bed B: carrots, onions and lettuce",
        "which vegetables to grow in each plot",
    ),
    EvalDocument(
        "parking-fine",
        (
            "City of Springfield Parking Violation",
            "Vehicle parked in a loading zone on Elm Street",
            "Fine amount: 65 dollars",
            "Pay online or appeal within 21 days",
        ),
        "Vehicle parked in a loading zone on Elm Street",
        "penalty for leaving a car in a delivery area",
    ),
    EvalDocument(
        "concert-program",
        (
            "Spring Concert Program",
            "The string quartet performs Haydn and Dvorak",
            "Intermission of fifteen minutes after the first half",
            "Tickets are available at the town hall",
        ),
        "The string quartet performs Haydn and Dvorak",
        "classical chamber music evening",
    ),
)
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
)


@lru_cache(maxsize=4)
def document_font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for candidate in FONT_CANDIDATES:
        if Path(candidate).exists():
            return ImageFont.truetype(candidate, size)
    return ImageFont.load_default(size=size)


def render_document(lines: Sequence[str], width: int = 1100, font_size: int = 30) -> Image.Image:
    """A white page with one line of black text per entry, like a clean 150-dpi scan."""
    step = int(font_size * 2.2)
    page = Image.new("RGB", (width, 120 + step * len(lines) + 120), "white")
    draw = ImageDraw.Draw(page)
    for number, line in enumerate(lines):
        draw.text((80, 120 + number * step), line, fill="black", font=document_font(font_size))
    return page


def documents_set(media: Path, count: int = len(DOCUMENTS)) -> EvalSet:
    """`count` rendered pages (every other one a PDF), each found by a quote and by a paraphrase."""
    if not 1 <= count <= len(DOCUMENTS):
        raise EvaluationError(f"documents: count must be between 1 and {len(DOCUMENTS)}, got {count}")
    files, queries, segments = {}, [], {}
    folder = media / "documents"
    folder.mkdir(parents=True, exist_ok=True)
    for number, document in enumerate(DOCUMENTS[:count]):
        page = render_document(document.lines)
        name = f"documents/{document.name}"
        if number % 2:
            files[name] = folder / f"{document.name}.pdf"
            page.save(files[name], "PDF", resolution=150.0)
        else:
            files[name] = folder / f"{document.name}.png"
            page.save(files[name], "PNG")
        segments[name] = ("scanned",)  # a picture of a page (PNG, or a PDF holding only the picture): no text layer
        relevant = frozenset({name})
        queries.append(EvalQuery(f"documents:{document.name}:quote", document.quote, relevant, "documents"))
        queries.append(EvalQuery(f"documents:{document.name}:paraphrase", document.paraphrase, relevant, "documents"))
    return EvalSet("documents", files, tuple(queries), segments=segments)
