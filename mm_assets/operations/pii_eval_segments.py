"""`mm eval pii` beyond its own templates: one row per segment and slice (mm_assets/operations/pii_sets.py).

- manuals: real born-digital manuals without personal data (and, from held_back_11 on, manual pages set
  as PDFs: man_pages.py), read from their text layer: the share of words redacted (false positives) and
  the stretches the coverage scan would still find;
- scans / pdfs: letters and forms with names and addresses from other sources, as page scans read
  by OCR, and as born-digital PDFs read from their text layer;
- speech: PII of each kind said by espeak-ng (through the slice's own recording where it has one) and heard
  by the speech recogniser.

Each planted value counts as reaching derived data unless every one of its characters (spaces
aside) is under a redaction or under what the coverage scan masks after it (the default
MM_PII_COVERAGE_MODE=mask). Each slice (pii_slices.SLICES) is reported apart; a held-back one
(pii_slices.HELD_BACK_SLICES; none now, held_back_21 judged v22 and v23 once and is spent) is never tuned on.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path

from mm_assets.operations.man_pages import manual_pdf
from mm_assets.operations.pdf_samples import born_digital_pdf
from mm_assets.operations.pii_eval import locate, render_lines
from mm_assets.operations.pii_sets import SourceDocument
from mm_assets.operations.pii_slices import (
    SLICES,
    installed_manuals,
    other_source_documents,
    slice_manuals,
    spoken_pii,
    spoken_pii_with_kinds,
    spoken_recording,
)
from resources.ocr import OcrRunner, OcrSpan
from resources.pii import PiiDetector, join_spans
from resources.pii_coverage import CoverageScanner
from resources.pii_patterns import PiiFinding
from resources.text_layer import read_text_layer

RENDER_DPI = 150


@dataclass
class SegmentResult:
    segment: str
    slice: str
    documents: int
    values: int = 0  # planted people, addresses and numbers
    values_leaked: int = 0  # not covered by redaction or mask
    words: int = 0
    words_redacted: int = 0
    residual_documents: int = 0  # documents where the coverage scan still finds something after redaction
    residual_stretches: int = 0
    leaked_by_kind: dict[str, int] = field(default_factory=dict)  # kinds and counts only, never a value

    @property
    def redacted_word_share(self) -> float:
        return self.words_redacted / self.words if self.words else float("nan")

    def as_row(self) -> dict:
        row = asdict(self)
        leaked = row.pop("leaked_by_kind")
        # one text column (a CSV holds no mapping): `dob:3 person:2`
        kinds = " ".join(f"{kind}:{count}" for kind, count in sorted(leaked.items()))
        return {**row, "leaked_kinds": kinds, "redacted_word_share": round(self.redacted_word_share, 5)}

    def count_leak(self, kind: str) -> None:
        self.values_leaked += 1
        self.leaked_by_kind[kind] = self.leaked_by_kind.get(kind, 0) + 1


def masked_text(text: str, findings: list[PiiFinding]) -> str:
    """The text with each finding's characters hidden, offsets kept (so the scan's ranges map back)."""
    chars = list(text)
    for finding in findings:
        chars[finding.start : finding.end] = "#" * (finding.end - finding.start)
    return "".join(chars)


def _covered(offsets: list[int], ranges: list[tuple[int, int]]) -> bool:
    return all(any(start <= offset < end for start, end in ranges) for offset in offsets)


def score_pages(
    result: SegmentResult,
    texts: dict[int, str],
    detector: PiiDetector,
    scanner: CoverageScanner,
    planted: list[tuple[int, str, str]] | None = None,
) -> None:
    """Redact one document's pages, then scan what is left; add to `result` (planted: (page, value, kind))."""
    findings = detector.find_in_pages(texts)
    names = scanner.name_tokens(list(texts.values()))
    covered: dict[int, list[tuple[int, int]]] = {}
    residual = 0
    for page, text in texts.items():
        words = list(re.finditer(r"\S+", text))
        result.words += len(words)
        result.words_redacted += sum(
            any(f.start < w.end() and w.start() < f.end for f in findings[page]) for w in words
        )
        masks = [(start, end) for start, end, _kind in scanner.findings(masked_text(text, findings[page]), names)]
        residual += len(masks)
        covered[page] = [(f.start, f.end) for f in findings[page]] + masks
    result.residual_stretches += residual
    result.residual_documents += residual > 0
    for page, value, kind in planted or []:
        offsets = locate(value, texts.get(page, ""))
        result.values += 1
        if offsets is not None and not _covered(offsets, covered.get(page, [])):
            result.count_leak(kind)


def manuals_segment(slice_name: str, detector: PiiDetector, scanner: CoverageScanner) -> SegmentResult:
    paths = installed_manuals(slice_name)
    result = SegmentResult("manuals", slice_name, len(paths))
    for path in paths:
        score_pages(result, layer_texts(manual_pdf(path)), detector, scanner)
    return result


def layer_texts(pdf: bytes) -> dict[int, str]:
    """Each page's text as the pipeline reads a born-digital page (its text-layer lines)."""
    return {plan.page: join_spans(plan.spans)[0] for plan in read_text_layer(pdf, RENDER_DPI) if plan.spans}


def source_documents_segment(
    segment: str, slice_name: str, detector: PiiDetector, scanner: CoverageScanner, ocr: OcrRunner, folder: Path
) -> SegmentResult:
    """Letters and forms with names from other sources, as scans ("scans") or born-digital PDFs ("pdfs")."""
    documents = other_source_documents(slice_name)
    result = SegmentResult(segment, slice_name, len(documents))
    for document in documents:
        texts = _scan_texts(document, ocr) if segment == "scans" else _pdf_texts(document, folder)
        planted = [(value.page, value.value, value.kind) for value in document.planted]
        score_pages(result, texts, detector, scanner, planted)
    return result


def _scan_texts(document: SourceDocument, ocr: OcrRunner) -> dict[int, str]:
    pages = [(number, render_lines(lines, degrade=False)) for number, lines in enumerate(document.pages, 1)]
    spans: list[OcrSpan] = [span for page_spans in ocr.recognize_pages(pages) for span in page_spans]
    return {number: join_spans([s for s in spans if s.page == number])[0] for number, _ in pages}


def _pdf_texts(document: SourceDocument, folder: Path) -> dict[int, str]:
    pdf = born_digital_pdf([lines for lines in document.pages])
    (folder / f"{document.name}.pdf").write_bytes(pdf)
    return layer_texts(pdf)


def speech_segment(slice_name: str, detector: PiiDetector, scanner: CoverageScanner) -> SegmentResult:
    """Each spoken kind through espeak-ng and the speech recogniser: leaked unless the redacted
    words (after the check's masking) hold nothing the check's rules find, and the redactor marked it."""
    import numpy as np

    from mm_assets.operations.av_samples import silence
    from resources.asr import SpeechRecognizer
    from resources.spoken_pii import find_spoken_pii
    from resources.spoken_pii_coverage import mask_residual_words, transcript_residuals

    recognizer = SpeechRecognizer(engine="whisper")
    utterances = spoken_pii_with_kinds(slice_name)
    result = SegmentResult("speech", slice_name, len(utterances))
    for voice, rate, kind, sentence in utterances:
        speech = spoken_recording(slice_name, voice, rate, kind, sentence)
        words = recognizer.transcribe(np.concatenate([silence(0.3), speech, silence(0.5)]))
        texts = [word.text for word in words]
        result.words += len(words)
        redacted_words = {i for f in find_spoken_pii(detector, texts) for i in range(f.first_word, f.last_word + 1)}
        result.words_redacted += len(redacted_words)
        kept = [word for i, word in enumerate(words) if i not in redacted_words]
        names = scanner.name_tokens([" ".join(texts)])
        residual = transcript_residuals([w.text for w in kept], scanner, names)
        result.residual_stretches += len(residual)
        result.residual_documents += bool(residual)
        masked, _masks = mask_residual_words(kept, scanner, names)
        result.values += 1
        if not redacted_words or transcript_residuals([w.text for w in masked], scanner, names):
            result.count_leak(kind)
    return result


SegmentRunner = Callable[[], SegmentResult]


def run_segments(
    detector: PiiDetector,
    ocr: OcrRunner,
    folder: Path,
    progress: Callable[[str], None] | None = None,
    slices: tuple[str, ...] = SLICES,
) -> list[SegmentResult]:
    """Every segment of each slice, slice by slice (the held-back one last and apart)."""
    scanner = CoverageScanner(ner_model=detector.ner_model if detector.use_ner else None)
    unknown = sorted(set(slices) - set(SLICES))
    if unknown:
        raise ValueError(f"unknown PII evaluation slice(s) {unknown}; the slices are {', '.join(SLICES)}")
    results = []
    for slice_name in [name for name in SLICES if name in slices]:
        # held_back_3 to held_back_5 have no manuals of their own: the earlier slices' measure precision
        runners: list[SegmentRunner] = [partial(manuals_segment, slice_name, detector, scanner)] * bool(
            slice_manuals(slice_name)
        )
        # held_back_8 is one manual and nothing else: no letters or forms to scan
        if other_source_documents(slice_name, 1):
            runners += [
                partial(source_documents_segment, "scans", slice_name, detector, scanner, ocr, folder),
                partial(source_documents_segment, "pdfs", slice_name, detector, scanner, ocr, folder),
            ]
        if spoken_pii(slice_name):
            runners.append(partial(speech_segment, slice_name, detector, scanner))
        for runner in runners:
            results.append(runner())
            if progress:
                last = results[-1]
                progress(f"pii eval: {last.segment} ({last.slice}) done")
    return results
