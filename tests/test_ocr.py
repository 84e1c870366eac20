"""The OCR runner on pages rendered here with known text: rapidocr and tesseract, for real."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from resources.ocr import (
    OcrRunner,
    OcrSpan,
    OcrUnavailable,
    RapidOcrBackend,
    paddle_model_dirs,
)

LINES = [
    "Quarterly report for the northern region",
    "Revenue grew by 12 percent over last year",
    "Shipping costs fell after the new contract",
    "Next review meeting is scheduled in March",
]
BOX_TOLERANCE_PX = 8


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    candidates = sorted(Path("/usr/share/fonts").rglob("DejaVuSans.ttf"))
    if candidates:
        return ImageFont.truetype(str(candidates[0]), size)
    return ImageFont.load_default(size=size)


def render_lines(lines: list[str], width: int = 1000) -> tuple[Image.Image, list[tuple[float, ...]]]:
    """A white page at ~150 dpi with one text line per entry; returns it and each line's box."""
    font = _font(30)
    # at least 200 px high: rapidocr letterboxes and upscales very wide, flat images (slow)
    image = Image.new("RGB", (width, max(200, 60 + 55 * len(lines))), "white")
    draw = ImageDraw.Draw(image)
    boxes = []
    for index, line in enumerate(lines):
        origin = (50, 30 + 55 * index)
        draw.text(origin, line, font=font, fill="black")
        boxes.append(draw.textbbox(origin, line, font=font))
    return image, boxes


def edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        previous = current
    return previous[-1]


def character_error_rate(recognised: str, truth: str) -> float:
    return edit_distance(recognised, truth) / len(truth)


def text_per_line(spans: list[OcrSpan], line_boxes: list[tuple[float, ...]]) -> list[str]:
    """Each drawn line's recognised text: spans whose centre lies in its band, left to right."""
    lines = []
    for _, top, _, bottom in line_boxes:
        in_band = [s for s in spans if top <= (s.bbox[1] + s.bbox[3]) / 2 <= bottom]
        lines.append(" ".join(s.text for s in sorted(in_band, key=lambda s: s.bbox[0])))
    return lines


@pytest.fixture(scope="module")
def page() -> tuple[Image.Image, list[tuple[float, ...]]]:
    return render_lines(LINES)


@pytest.fixture(scope="module")
def second_page() -> Image.Image:
    return render_lines(["Appendix with one line"], width=500)[0]


@pytest.fixture(scope="module", params=["rapidocr", "tesseract"])
def engine_result(request, page, second_page) -> tuple[str, list[list[OcrSpan]]]:
    """Each engine's spans for two pages numbered 3 and 7 (each engine loads once)."""
    runner = OcrRunner(engine=request.param)
    return request.param, runner.recognize_pages([(3, page[0]), (7, second_page)])


def test_recognised_text_matches_the_rendered_lines(engine_result, page):
    engine, (spans, _) = engine_result
    for recognised, truth in zip(text_per_line(spans, page[1]), LINES, strict=True):
        if engine == "rapidocr":  # rapidocr drops spaces between words; the letters must be right
            recognised, truth = recognised.replace(" ", ""), truth.replace(" ", "")
        assert character_error_rate(recognised, truth) <= 0.03, (recognised, truth)


def test_span_boxes_lie_on_the_drawn_text(engine_result, page):
    _, (spans, _) = engine_result
    assert spans
    for span in spans:
        x0, y0, x1, y1 = span.bbox
        assert x0 < x1 and y0 < y1
        drawn = [b for b in page[1] if b[1] <= (y0 + y1) / 2 <= b[3]]
        assert len(drawn) == 1, f"{span} is not on exactly one drawn line"
        left, top, right, bottom = drawn[0]
        tolerance = BOX_TOLERANCE_PX
        assert left - tolerance <= x0 and x1 <= right + tolerance, span
        assert top - tolerance <= y0 and y1 <= bottom + tolerance, span


def test_rapidocr_gives_line_spans_and_tesseract_gives_word_spans(engine_result):
    engine, (spans, _) = engine_result
    if engine == "rapidocr":
        assert len(spans) == len(LINES)
    else:
        assert len(spans) == sum(len(line.split()) for line in LINES)


def test_confidences_are_in_unit_interval_and_page_numbers_are_carried(engine_result):
    engine, (first, second) = engine_result
    assert first and second
    assert {s.page for s in first} == {3}
    assert {s.page for s in second} == {7}
    confidences = [s.confidence for s in first + second]
    assert all(0.0 <= c <= 1.0 for c in confidences)
    assert min(confidences) > 0.5, f"{engine} was unsure of clean rendered text"
    assert "Appendix" in " ".join(s.text for s in second)


def test_engine_is_loaded_once_per_process(second_page):
    first_runner, second_runner = OcrRunner(), OcrRunner()
    first_runner.recognize_pages([(1, second_page)])
    loaded = first_runner.backend().engine
    second_runner.recognize_pages([(1, second_page)])
    assert second_runner.backend() is first_runner.backend()
    assert second_runner.backend().engine is loaded


def test_an_empty_page_gives_no_spans():
    blank = Image.new("L", (300, 200), 255)
    for engine in ("rapidocr", "tesseract"):
        assert OcrRunner(engine=engine).recognize_pages([(1, blank)]) == [[]]


def test_model_id_is_stable_and_differs_per_engine():
    rapid, tesseract = OcrRunner().model_id(), OcrRunner(engine="tesseract").model_id()
    assert rapid == OcrRunner(engine="rapidocr").model_id()
    assert tesseract == OcrRunner(engine="tesseract", lang="eng").model_id()
    assert rapid != tesseract
    assert re.fullmatch(r"rapidocr-1\.4\.4-ppocrv4-[0-9a-f]{8}", rapid)
    assert re.fullmatch(r"tesseract-[\d.]+-eng-[0-9a-f]{8}", tesseract)


def test_model_id_does_not_load_the_model():
    backend = RapidOcrBackend()
    backend.model_id()
    assert backend._engine is None


def test_paddleocr_without_models_raises_ocr_unavailable_saying_what_to_do(tmp_path):
    with pytest.raises(OcrUnavailable, match="paddleocr") as raised:
        OcrRunner(engine="paddleocr", model_dir=str(tmp_path)).model_id()
    assert "pip install" in str(raised.value) or "model_dir" in str(raised.value)
    with pytest.raises(OcrUnavailable, match="needs model_dir"):
        paddle_model_dirs(None)
    with pytest.raises(OcrUnavailable, match=r"\*_det"):
        paddle_model_dirs(str(tmp_path))


def test_paddle_model_dirs_finds_the_detection_and_recognition_folders(tmp_path):
    for name in ("PP-OCRv5_mobile_det", "PP-OCRv5_mobile_rec"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "inference.yml").write_text("Global:\n  model_name: " + name)
    det, rec = paddle_model_dirs(str(tmp_path))
    assert (det.name, rec.name) == ("PP-OCRv5_mobile_det", "PP-OCRv5_mobile_rec")


def test_unknown_engine_is_a_value_error_listing_the_valid_engines():
    with pytest.raises(ValueError, match="rapidocr, tesseract, paddleocr"):
        OcrRunner(engine="easyocr").model_id()


def test_missing_tesseract_language_says_which_package_to_install():
    with pytest.raises(OcrUnavailable, match="tesseract-ocr-xyz"):
        OcrRunner(engine="tesseract", lang="eng+xyz").model_id()
