"""PDF text layers: born-digital pages read exactly without OCR, scans OCR'd, mixed PDFs page by page.

The PDFs are written here with pypdfium2 (Helvetica text objects, as a word processor writes
them; scans as full-page pictures), and the OCR engine is the real rapidocr, counted by a spy.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PIL import Image

from mm_assets.kinds.ocr import ocr_model_id, recognize_document
from mm_assets.kinds.pages import render_pdf
from resources.ocr import OcrRunner
from resources.text_layer import TEXT_LAYER_SOURCE, read_text_layer, text_layer_id, unusable_reason
from tests.documents import PDF_MARGIN, born_digital_pdf, pdf_line_top, render_page

DPI = 100
SMALL_PAGE = (360.0, 180.0)  # points; 500 x 250 pixels at DPI: OCR stays around a second a page
MANUAL = [
    ["Pump manual chapter one", "Unpack the pump and check the seals"],
    ["Maintenance schedule", "Replace the filter every six months", "Torque the bolts to 12 Nm"],
]


def scan(lines: list[str]) -> Image.Image:
    return render_page(lines, size=(500, 250), font_size=28)


class CountingRunner:
    """The real OCR runner, with every page it is handed written down."""

    def __init__(self) -> None:
        self.runner = OcrRunner(engine="rapidocr")
        self.engine = self.runner.engine
        self.pages: list[int] = []

    def recognize_pages(self, pages: list[tuple[int, Image.Image]]) -> list:
        self.pages.extend(number for number, _image in pages)
        return self.runner.recognize_pages(pages)


@pytest.fixture
def ocr() -> Iterator[CountingRunner]:
    yield CountingRunner()


def read(pdf: bytes, ocr: CountingRunner) -> tuple[list, list[dict]]:
    images = list(render_pdf(pdf, DPI))
    numbers = list(range(1, len(images) + 1))
    return recognize_document(pdf, DPI, numbers, lambda n: images[n - 1], ocr)  # type: ignore[arg-type]


def test_a_born_digital_pdf_is_read_from_its_text_layer_without_one_ocr_call(ocr: CountingRunner) -> None:
    spans, page_sources = read(born_digital_pdf(MANUAL), ocr)

    assert ocr.pages == []
    assert [span.text for span in spans] == [line for page in MANUAL for line in page]
    assert {span.source for span in spans} == {TEXT_LAYER_SOURCE} and {span.confidence for span in spans} == {1.0}
    assert [entry["source"] for entry in page_sources] == ["text_layer", "text_layer"]
    torque = next(span for span in spans if span.text.startswith("Torque"))
    scale = DPI / 72
    assert torque.page == 2
    assert torque.bbox[0] == pytest.approx(PDF_MARGIN * scale, abs=4)
    assert torque.bbox[1] == pytest.approx(pdf_line_top(2) * scale, abs=4)
    assert torque.bbox[3] - torque.bbox[1] == pytest.approx(14 * scale, abs=5)  # 14 pt Helvetica


def test_a_scanned_pdf_goes_to_the_ocr_engine(ocr: CountingRunner) -> None:
    spans, page_sources = read(born_digital_pdf([scan(["Invoice total 245 EUR"])], size=SMALL_PAGE), ocr)

    assert ocr.pages == [1]
    assert page_sources[0]["source"] == "rapidocr" and page_sources[0]["reason"] == "no text layer"
    assert {span.source for span in spans} == {"rapidocr"}
    assert "245" in " ".join(span.text for span in spans)


def test_a_mixed_pdf_is_read_page_by_page(ocr: CountingRunner) -> None:
    figure = render_page(["Flow rate 40 litres"], size=(700, 250), font_size=40)
    pages = [
        ["Text page one of the mixed file"],
        scan(["Scanned delivery note"]),
        (["Figure one shows the flow rate"], figure),
    ]

    spans, page_sources = read(born_digital_pdf(pages, size=SMALL_PAGE), ocr)

    # The scan whole, and on the third page only the figure (as a region of its own).
    assert ocr.pages == [2, 3]
    assert [entry["source"] for entry in page_sources] == ["text_layer", "rapidocr", "text_layer+rapidocr"]
    by_page = {n: [span for span in spans if span.page == n] for n in (1, 2, 3)}
    assert [span.text for span in by_page[1]] == ["Text page one of the mixed file"]
    assert "delivery" in " ".join(span.text for span in by_page[2]).lower()
    figure_spans = [span for span in by_page[3] if span.source == "rapidocr"]
    assert "40" in " ".join(span.text for span in figure_spans)
    page_height = SMALL_PAGE[1] * DPI / 72
    assert all(span.bbox[1] >= page_height / 2 - 2 for span in figure_spans)  # in the lower half
    assert [span.text for span in by_page[3] if span.source == TEXT_LAYER_SOURCE] == ["Figure one shows the flow rate"]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "no text layer"),
        ("p. 7", "no text layer"),  # a stray page number on a scan
        ("\ufffd\ufffd\ue001\x01 " * 8, "garbage 100%"),  # a font without a Unicode map
        ("Pump manual " + "\ufffd" * 4 + " chapter one, unpack the pump", "garbage 11%"),
        ("Pump manual chapter one, unpack the pump \ufffd", None),
    ],
)
def test_the_rule_trusts_a_text_layer_with_enough_clean_characters(text: str, reason: str | None) -> None:
    assert unusable_reason(text) == reason


def test_a_page_with_a_few_stray_characters_is_ocrd_whole() -> None:
    plan = read_text_layer(born_digital_pdf([["p. 7"]]), DPI)[0]

    assert plan.ocr_whole_page and plan.reason == "no text layer" and plan.spans == []


def test_the_ocr_model_id_names_the_text_layer_reader_and_the_engine() -> None:
    model_id = ocr_model_id("rapidocr-1.4.4-ppocrv4-abcdef12")

    assert model_id.startswith(text_layer_id() + "+") and model_id.endswith("rapidocr-1.4.4-ppocrv4-abcdef12")


def test_a_font_without_glyph_bounds_loses_no_characters() -> None:
    """A Factur-X sample (tuning material, evaluation/real) whose font gives flat glyph boxes:
    pdfium's rectangles drop those characters (",5 €" for "4,55 €", the seller's line whole);
    read character by character, the page says what its own text says."""
    from mm_assets.operations.real_documents import REAL_DIR

    pdf = (REAL_DIR / "invoices" / "facture_fr_basic.pdf").read_bytes()
    texts = [span.text for plan in read_text_layer(pdf, DPI) for span in plan.spans]
    assert "Au bon moulin SARL - 1242 chemin de l'olive - 84340 Malaucène - France" in texts
    joined = " | ".join(texts)
    assert all(value in joined for value in ("4,55", "81,90", "13/11/2017", "Ma jolie boutique"))
    assert any("📞" in text for text in texts)  # a surrogate pair joined, not two halves


def test_a_font_with_glyph_bounds_keeps_pdfiums_rectangles() -> None:
    import pypdfium2 as pdfium

    from resources.text_layer import _has_flat_glyphs

    document = pdfium.PdfDocument(born_digital_pdf([MANUAL[0]], size=SMALL_PAGE))
    assert not _has_flat_glyphs(document[0].get_textpage())
