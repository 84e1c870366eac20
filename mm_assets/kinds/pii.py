"""pii: redacted OCR text, redaction spans (type, page, box) and redacted page images.

This is the only asset that reads unredacted OCR text; everything downstream (captions,
embeddings, thumbnails, the search index) reads this asset's redacted payload and images.
"""

import functools
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import dagster as dg

from mm_assets.artifacts import current_artifacts, store_key_of
from mm_assets.kind_checks import KindCheck, Verdict
from mm_assets.kind_spec import PAGE_IMAGES, ArtifactKind, KindRun, Made, each_partition
from mm_assets.kinds.ocr import spans_from_json, spans_to_json
from mm_assets.kinds.pages import encode_png, load_pages, page_suffix
from mm_assets.operations.compare import compare_pii
from resources.blob_store import media_key
from resources.ocr import OcrRunner, OcrSpan
from resources.pii import REDACTION_PAD_PX, join_spans, redact_image
from resources.pii_names import DEFAULT_NER_MODEL, NAME_STOPWORDS, ner_person_spans
from resources.text_layer import TEXT_LAYER_SOURCE, page_characters

PII_VERSION = "1"


def page_texts(spans: list[OcrSpan]) -> dict[int, str]:
    """Each page's text, spans joined the way the detector joins them."""
    pages: dict[int, list[OcrSpan]] = {}
    for span in spans:
        pages.setdefault(span.page, []).append(span)
    return {page: join_spans(page_spans)[0] for page, page_spans in sorted(pages.items())}


def redaction_counts(redactions: list[dict]) -> dict[str, int]:
    """How many redactions of each kind."""
    counts: dict[str, int] = {}
    for redaction in redactions:
        counts[redaction["kind"]] = counts.get(redaction["kind"], 0) + 1
    return counts


def redaction_report(redactions: list[dict]) -> Made:
    """The step details and Dagster metadata of a redacted artifact: counts, never the values."""
    counts = redaction_counts(redactions)
    return Made(
        {"redactions": len(redactions), "by_type": counts},
        {"redactions": len(redactions), "redactions_by_type": dg.MetadataValue.json(counts)},
    )


def make_pii(run: KindRun, key: str) -> Made:
    """Redact one source's OCR text and paint its redaction boxes over its page images."""
    spans = spans_from_json(run.batch.read_json(run.input("ocr", key))["spans"])
    redacted_spans, redactions = run.model("pii_detector").redact_spans(spans)
    images = {}
    for page, image in load_pages(run.batch, run.input("pages", key)):
        boxes = [r.bbox for r in redactions if r.page == page]
        images[page_suffix(page)] = encode_png(redact_image(image, boxes) if boxes else image)
    listed = [{"kind": r.kind, "page": r.page, "bbox": list(r.bbox)} for r in redactions]
    payload = {
        "spans": spans_to_json(redacted_spans),
        "redactions": listed,
        "text": {str(page): text for page, text in page_texts(redacted_spans).items()},
        "pages": [{"page": int(s[2:6])} for s in sorted(images)],
    }
    attributes = {"redactions": redaction_counts(listed)}
    run.batch.write_json(key, payload, run.digests[key], attributes=attributes, side_files=images)
    return redaction_report(listed)


def pii_coverage_verdicts(resources: Any, keys: list[str]) -> dict[str, Verdict]:
    """Scan the redacted text, and the OCR of every redacted page image, with a broader scanner
    than the redactor's (never its detector): anything PII-shaped left fails."""
    catalog, store, detector = resources.catalog, resources.media_store.store, resources.pii_detector
    ocr_rows = current_artifacts(catalog, "ocr", keys)
    page_rows = current_artifacts(catalog, "pages", keys)
    scanner = CoverageScanner(ner_model=detector.ner_model if detector.use_ner else None)
    verdicts = {}
    for key, row in current_artifacts(catalog, "pii", keys).items():
        source_texts, layer_pages = _source_ocr(ocr_rows.get(key), store)
        dpi = _render_dpi(page_rows.get(key), store) if layer_pages else 0
        original = functools.partial(store.read_bytes, media_key(key))
        verdicts[key] = redaction_leaks(
            row, store, scanner, resources.ocr_runner, source_texts, layer_pages, original if dpi else None, dpi
        )
    return verdicts


def coverage_check(verdicts: Callable[[Any, list[str]], dict[str, Verdict]], *models: str) -> KindCheck:
    """A redaction coverage check: blocking, at ERROR severity (a leak holds the partition back)."""
    return KindCheck(
        "pii_redaction_coverage",
        verdicts,
        resources=("catalog", "media_store", *models),
        blocking=True,
        severity=dg.AssetCheckSeverity.ERROR,
    )


SPEC = ArtifactKind(
    name="pii",
    upstream=("ocr", "pages"),
    logic_version=PII_VERSION,
    group="documents",
    dagster_kinds=frozenset({"pii"}),
    description="PII-redacted OCR text, redaction spans with type and box, and redacted page images.",
    make=each_partition(make_pii),
    model_roles=("pii_detector",),
    comparator=compare_pii,
    side_files=(PAGE_IMAGES,),
    index_channels=("text", "page_block"),  # the index row's redacted text and the page-block chunks
    checks=(coverage_check(pii_coverage_verdicts, "pii_detector", "ocr_runner"),),
)


# ---------------------------------------------------------------------------- coverage check

# Deliberately broader than the redactor, and written apart from it: a gap in a redactor rule shows
# up here instead of passing a re-scan with the same rule.
# 7+ digits, each pair at most one separator apart: phones, cards, accounts, IDs in any layout
LONG_NUMBER_RE = re.compile(r"(?<!\d)\d(?:[ ().-]?\d){6,}(?!\d)")
# not PII by themselves: a date (a birth date after a label is the redactor's), and a document
# number made of a year and a sequence number ("Invoice 2024-117")
NOT_PERSONAL_NUMBER_RE = re.compile(r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|(?:19|20)\d\d-\d{1,4}")
# measurements, not identifiers: scientific notation ("7.333e+02") and decimals with 5+ fraction
# digits ("3.14159"); no phone or card group is written that way. Masked before numbers are looked for.
DECIMAL_LITERAL_RE = re.compile(r"(?<![\d.])\d*\.\d+[eE][+-]?\d+|(?<![\d.,])\d{1,3}\.\d{5,}(?![\d.])")
# a local part and a domain of 2+ characters, the domain with a letter; no dot or TLD needed (OCR
# drops them). Not OCR noise around '@' on a photo of coins ("2a@G@", "6@0e8@@").
EMAIL_LIKE_RE = re.compile(r"[A-Za-z0-9._%+'-]{2,}@(?=[A-Za-z0-9-]*[A-Za-z])[A-Za-z0-9-]{2,}")
# a house number and capitalised words up to a street word, or a state + ZIP. The street word is
# a word of its own, or glued on capitalised ("12OakStreet" from OCR), never a word's tail ("Card").
_STREET_WORDS = (
    "street st avenue ave road rd boulevard blvd lane ln drive dr court ct way place pl terrace parkway "
    "circle highway square trail"
).split()
_GLUED_STREET_WORDS = "|".join([w.capitalize() for w in _STREET_WORDS] + [w.upper() for w in _STREET_WORDS])
STREET_SHAPE_RE = re.compile(
    rf"(?<![\w])\d{{1,6}}\s*(?:[A-Z][a-z]+\s*){{0,3}}[A-Z][a-z]+"
    rf"(?:\s+(?i:{'|'.join(_STREET_WORDS)})|(?:{_GLUED_STREET_WORDS}))(?![a-z])"
)
STATE_ZIP_RE = re.compile(r"(?<![A-Za-z])[A-Z]{2}\s*\d{5}(?!\d)")
# a name-like word: Maria, McDonald, O'Brien, Smith-Jones; not "U-factorization" (a hyphen joins
# capitalised parts only) and not an acronym
_CAPITALISED_WORD = r"[A-Z](?:['’][A-Z])?[A-Za-z]*[a-z][A-Za-z]*"
CAPITALISED_TOKEN_RE = re.compile(rf"{_CAPITALISED_WORD}(?:['’][A-Za-z]+|-{_CAPITALISED_WORD})*")


@dataclass(frozen=True)
class CoverageScanner:
    """The independent scanner of `pii_redaction_coverage`.

    Flags any run of 7+ digits (dates and year-sequence numbers aside), any e-mail-like token, any
    address shape, and any capitalised word of a name the NER model tagged anywhere in the source.
    """

    ner_model: str | None = DEFAULT_NER_MODEL

    def name_tokens(self, source_texts: list[str]) -> set[str]:
        """Capitalised words of every PERSON entity the NER model tags in the unredacted source."""
        if self.ner_model is None:
            return set()
        tokens = set()
        for text in source_texts:
            for start, end in ner_person_spans(text, self.ner_model):
                for word in CAPITALISED_TOKEN_RE.findall(text[start:end]):
                    word = word.rstrip("'’-")
                    if len(word) >= 2 and word.lower() not in NAME_STOPWORDS:
                        tokens.add(word)
        return tokens

    def findings(self, text: str, names: set[str]) -> list[tuple[int, int, str]]:
        """(start, end, kind) of every PII-shaped stretch of the text."""
        numbers = DECIMAL_LITERAL_RE.sub(lambda m: "x" * len(m.group()), text)
        found = [
            (m.start(), m.end(), "number")
            for m in LONG_NUMBER_RE.finditer(numbers)
            if not NOT_PERSONAL_NUMBER_RE.fullmatch(m.group()) and not is_counting_sequence(m.group())
        ]
        found += [(m.start(), m.end(), "email") for m in EMAIL_LIKE_RE.finditer(text)]
        found += [(m.start(), m.end(), "address") for m in STREET_SHAPE_RE.finditer(text)]
        found += [(m.start(), m.end(), "address") for m in STATE_ZIP_RE.finditer(text)]
        for name in names:
            pattern = rf"(?<![A-Za-z]){re.escape(name)}(?![a-z])"
            found += [(m.start(), m.end(), "person") for m in re.finditer(pattern, text)]
        return found

    def leaks(self, text: str, names: set[str]) -> list[str]:
        """The kinds of PII-shaped things left in the text (never the values)."""
        kinds = {kind for _start, _end, kind in self.findings(text, names)}
        return [kind for kind in ("number", "email", "address", "person") if kind in kinds]


def is_counting_sequence(number: str) -> bool:
    """Single digits, spaced, counting up by one ("0 1 2 3 4 5 6 7 8 9"): a list or a ruler, not an ID
    (an unspaced "1234567" may well be an account number)."""
    if not re.fullmatch(r"\d(?:[ ,;]\d)+", number):
        return False
    digits = [int(d) for d in number[::2]]
    return all(b == a + 1 for a, b in zip(digits, digits[1:], strict=False))


def _source_ocr(ocr_row: dict | None, store) -> tuple[list[str], set[int]]:  # type: ignore[no-untyped-def]
    """The unredacted OCR text of each page (what the NER tags names in), and the pages read from
    the PDF's text layer alone (no OCR'd region), which are verified geometrically."""
    if ocr_row is None:
        return [], set()
    payload = json.loads(store.read_bytes(store_key_of(store, ocr_row["payload_uri"])))
    layer_pages = {p["page"] for p in payload.get("page_sources", []) if p["source"] == TEXT_LAYER_SOURCE}
    return list(page_texts(spans_from_json(payload["spans"])).values()), layer_pages


def _render_dpi(pages_row: dict | None, store) -> int:  # type: ignore[no-untyped-def]
    """The resolution the pages were rendered at (what redaction boxes are measured in); 0 if unknown."""
    if pages_row is None:
        return 0
    return int(json.loads(store.read_bytes(store_key_of(store, pages_row["payload_uri"]))).get("dpi") or 0)


def uncovered_pii(
    pdf: bytes, page: int, dpi: int, boxes: list[list[float]], scanner: CoverageScanner, names: set[str]
) -> list[str]:
    """Kinds of PII on a born-digital page with a character outside every redaction box.

    The page's own characters and their boxes come from the text layer, so this needs no OCR: a
    character counts as covered when its centre lies inside a (padded) redaction box.
    """
    text, char_boxes = page_characters(pdf, page, dpi)
    pad = REDACTION_PAD_PX
    grown = [(x0 - pad, y0 - pad, x1 + pad, y1 + pad) for x0, y0, x1, y1 in boxes]
    kinds = []
    for start, end, kind in scanner.findings(text, names):
        for index in range(start, end):
            box = char_boxes[index]
            if box is None or text[index].isspace():
                continue
            cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
            if not any(x0 <= cx <= x1 and y0 <= cy <= y1 for x0, y0, x1, y1 in grown):
                kinds.append(kind)
                break
    return kinds


def redaction_leaks(  # type: ignore[no-untyped-def]
    row: dict,
    store,
    scanner: CoverageScanner,
    ocr_runner: OcrRunner,
    source_texts: list[str],
    layer_pages: set[int] = frozenset(),  # type: ignore[assignment]
    original: Callable[[], bytes] | None = None,
    dpi: int = 150,
) -> tuple[bool, dict]:
    """(passed, metadata) for one redacted artifact. Only types are reported, never the values.

    Pages read from a PDF's text layer (`layer_pages`, with `original` giving the PDF's bytes) are
    verified geometrically: every PII character's box must lie under a redaction box. Other pages
    that were painted over are OCR'd again to prove nothing is still legible.
    """
    from PIL import Image

    key = store_key_of(store, row["payload_uri"])
    payload = json.loads(store.read_bytes(key))
    names = scanner.name_tokens(source_texts)
    leaks = [kind for text in payload["text"].values() for kind in scanner.leaks(text, names)]
    geometric = sorted(layer_pages) if original is not None else []
    if geometric:
        pdf = original()  # type: ignore[misc]
        for page in geometric:
            boxes = [r["bbox"] for r in payload["redactions"] if r["page"] == page]
            leaks += uncovered_pii(pdf, page, dpi, boxes, scanner, names)
    # Pages without redactions are the original page images, whose OCR is the source text just
    # tagged; only pages that were painted over need OCR again to prove nothing is still legible.
    redacted_pages = sorted({r["page"] for r in payload["redactions"]} - set(geometric))
    for page in redacted_pages:
        image = Image.open(io.BytesIO(store.read_bytes(key.rsplit(".", 1)[0] + page_suffix(page)))).convert("RGB")
        spans = ocr_runner.recognize_pages([(page, image)])[0]
        leaks += [kind for text in page_texts(spans).values() for kind in scanner.leaks(text, names)]
    metadata = {
        "leaked_types": sorted(set(leaks)),
        "pages_reocr": len(redacted_pages),
        "pages_checked_geometrically": len(geometric),
        "names_checked": len(names),
    }
    if leaks:
        metadata["reason"] = f"PII-shaped text still present after redaction: {', '.join(sorted(set(leaks)))}"
    return (not leaks, metadata)
