"""`mm eval pii`: precision and recall of the PII redactor per entity type, on a labelled set built here.

The set is our own message templates (forms, letters, complaints, chat logs, narrative text) filled with
Faker values under a fixed seed, rendered as page scans (PNG, every other one slightly blurred) and
as PDFs, then read back the way the pipeline reads them (PDF pages rendered, OCR) and redacted.

Scoring, per planted value: the value is located in the OCR text of its page (exactly, or as the
closest window when OCR misread a character); it counts as redacted when every one of its characters
lies inside some finding, of any type (for privacy, any redaction covers it). A finding of type T is
a true positive when it overlaps a planted value of type T. Values OCR could not read at all are
counted apart ("unread") and left out of recall: nothing of them reaches the text either.
"""

from __future__ import annotations

import difflib
import random
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
from PIL import Image, ImageDraw, ImageFilter

from mm_assets.operations.charts import plot_png
from mm_assets.operations.documents_set import document_font
from mm_assets.operations.evaluation_base import EvaluationError, fresh_folder
from resources.ocr import OcrRunner
from resources.pii import PiiDetector, join_spans
from resources.pii_patterns import PiiFinding

PATTERN_TYPES = ("email", "phone", "card", "ssn", "iban", "ip", "dob")
ENTITY_TYPES = ("person", "address", *PATTERN_TYPES)
TARGET_RECALL = {"pattern": 0.99, "person": 0.95, "address": 0.95}
MAX_MANUAL_WORD_SHARE = 0.01  # issue 18: at most 1% of a real manual's words redacted
PII_EVAL_DOCS = 48  # the full set; tests run a smaller one
PII_EVAL_SEED = 9
# a located value must match its OCR window at least this well (difflib ratio)
MIN_MATCH_RATIO = 0.8
PAGE_WIDTH = 1240
MARGIN = 60
FONT_SIZE = 28


@dataclass
class PlantedValue:
    kind: str
    value: str
    page: int = 1


@dataclass
class PiiDocument:
    name: str
    pages: list[list[str]]  # the lines of each page
    planted: list[PlantedValue]
    as_pdf: bool
    degrade: bool


@dataclass
class ValueResult:
    document: str
    kind: str
    value: str
    located: bool
    redacted: bool


@dataclass
class PiiEvaluationReport:
    table: pl.DataFrame
    values: pl.DataFrame
    csv_path: Path
    values_csv_path: Path
    chart_path: Path
    documents: int
    model_id: str
    ocr_model_id: str
    unread: int
    extra: dict[str, Any] = field(default_factory=dict)

    def recall(self, kind: str) -> float:
        return float(self.table.filter(pl.col("type") == kind)["recall"][0])

    def meets_recall_targets(self) -> bool:
        """The generated set's recall targets (TARGET_RECALL)."""
        return all(self.recall(kind) >= target for kind, target in TARGET_RECALL.items())

    def segments_missing_targets(self) -> list[str]:
        """Segment rows that miss issue 18's targets: any planted value reaching derived data, or a manual with
        more than MAX_MANUAL_WORD_SHARE of its words redacted. Empty without segments (`--no-segments`)."""
        missed = []
        for row in self.extra.get("segments", []):
            where = f"{row['slice']}/{row['segment']}"
            if row["values_leaked"]:
                missed.append(f"{where}: {row['values_leaked']} of {row['values']} leaked")
            if row["segment"] == "manuals" and row["redacted_word_share"] > MAX_MANUAL_WORD_SHARE:
                missed.append(f"{where}: {row['redacted_word_share']:.2%} of words redacted")
        return missed

    def meets_targets(self) -> bool:
        # a report whose segments leak must not say "met" because the generated set's recall is high
        return self.meets_recall_targets() and not self.segments_missing_targets()

    def summary(self) -> str:
        with pl.Config(tbl_rows=-1, tbl_hide_dataframe_shape=True, tbl_hide_column_data_types=True):
            table = str(self.table)
        return (
            f"PII evaluation: {self.documents} documents, redactor {self.model_id}, OCR {self.ocr_model_id}\n"
            f"{table}\nvalues OCR could not read (left out of recall): {self.unread}\n"
            f"targets (recall): pattern >= 0.99, person >= 0.95, address >= 0.95: "
            f"{'met' if self.meets_recall_targets() else 'NOT met'}\n"
            + self.segment_targets_line()
            + f"table: {self.csv_path}\nper value: {self.values_csv_path}\nchart: {self.chart_path}"
            + self.segments_summary()
        )

    def segment_targets_line(self) -> str:
        if "segments" not in self.extra:
            return ""
        missed = self.segments_missing_targets()
        verdict = "met" if not missed else "NOT met: " + "; ".join(missed)
        return f"targets (segments): 0 values leaked, manuals <= 1% of words redacted: {verdict}\n"

    def segments_summary(self) -> str:
        if "segments" not in self.extra:
            return ""
        from mm_assets.operations.pii_slices import HELD_BACK_SLICES

        # every column: values_leaked is the one that matters, and a narrow terminal elided it
        with pl.Config(
            tbl_rows=-1,
            tbl_cols=-1,
            tbl_hide_dataframe_shape=True,
            tbl_hide_column_data_types=True,
            tbl_width_chars=200,
        ):
            table = str(pl.DataFrame(self.extra["segments"]))
        held_back = ", ".join(sorted(HELD_BACK_SLICES))
        # with no held-back slice every row is tuning material, and the heading must not claim otherwise
        heading = (
            f"segments ({held_back}: never tuned on; the others are tuning material)"
            if held_back
            else "segments (no held-back slice: every row is tuning material)"
        )
        return f"\n{heading}:\n{table}\nsegments table: {self.extra['segments_csv']}"

    def as_json(self) -> dict[str, Any]:
        return {
            "set": "pii",
            "documents": self.documents,
            "model_id": self.model_id,
            "ocr_model_id": self.ocr_model_id,
            "unread": self.unread,
            "targets_met": self.meets_targets(),
            "recall_targets_met": self.meets_recall_targets(),
            "segments_missing_targets": self.segments_missing_targets(),
            "metrics": self.table.to_dicts(),
            "csv": str(self.csv_path),
            "values_csv": str(self.values_csv_path),
            "chart": str(self.chart_path),
            **self.extra,
        }


# ---------------------------------------------------------------------------- the labelled set


class ValueMaker:
    """Fake PII values from Faker under one seed, in the layouts people (and forms) write them."""

    def __init__(self, seed: int):
        from faker import Faker

        self.fake = Faker("en_US")
        self.fake.seed_instance(seed)
        self.random = random.Random(seed)

    def person(self) -> str:
        first = self.fake.first_name()
        if self.random.random() < 0.15:
            return f"{first} {self.random.choice('ABCDEFGHJKLMNPRSTW')}. {self.fake.last_name()}"
        return f"{first} {self.fake.last_name()}"

    def street(self) -> str:
        return self.fake.street_address()

    def city_line(self) -> str:
        zipcode = self.fake.zipcode_plus4() if self.random.random() < 0.2 else self.fake.zipcode()
        return f"{self.fake.city()}, {self.fake.state_abbr(include_territories=False)} {zipcode}"

    def email(self) -> str:
        return self.fake.email() if self.random.random() < 0.5 else self.fake.company_email()

    def phone(self) -> str:
        digits = lambda n: "".join(str(self.random.randint(0, 9)) for _ in range(n))  # noqa: E731
        area = digits(3)  # any area code, valid in the NANP or not
        return self.random.choice(
            [
                f"({area}) {digits(3)}-{digits(4)}",
                f"{area}-{digits(3)}-{digits(4)}",
                f"{area}.{digits(3)}.{digits(4)}",
                f"+1 {area} {digits(3)} {digits(4)}",
                f"1-800-{digits(3)}-{digits(4)}",
                f"+44 20 {digits(4)} {digits(4)}",
                f"+49 30 {digits(8)}",
            ]
        )

    def card(self) -> str:
        number = self.fake.credit_card_number()
        if len(number) == 16 and self.random.random() < 0.6:
            return " ".join(number[i : i + 4] for i in range(0, 16, 4))
        return number

    def ssn(self) -> str:
        return self.fake.ssn()

    def iban(self) -> str:
        iban = self.fake.iban()
        return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4)) if self.random.random() < 0.5 else iban

    def ip(self) -> str:
        return self.fake.ipv4_public() if self.random.random() < 0.8 else self.fake.ipv6()

    def dob(self) -> str:
        day = self.fake.date_of_birth(minimum_age=18, maximum_age=90)
        return day.strftime(self.random.choice(["%m/%d/%Y", "%d %B %Y", "%Y-%m-%d", "%B %d, %Y"]))

    # plain text around the PII: capitalised words and numbers that are not personal data
    def company(self) -> str:
        return self.fake.company()

    def product(self) -> str:
        return self.random.choice(["coffee grinder", "standing desk", "garden hose", "laptop stand", "rain jacket"])

    def order(self) -> str:
        return f"{self.random.randint(10000, 99999)}"

    def date(self) -> str:
        return self.fake.date_this_year().strftime("%B %d")


Template = Callable[[ValueMaker], tuple[list[list[str]], list[PlantedValue]]]


def _complaint(v: ValueMaker) -> tuple[list[list[str]], list[PlantedValue]]:
    person, phone, email, street, city = v.person(), v.phone(), v.email(), v.street(), v.city_line()
    lines = [
        f"Subject: Order {v.order()} arrived damaged",
        "Dear Support Team,",
        f"my name is {person} and I ordered a {v.product()} on {v.date()}.",
        f"Please call me at {phone} or write to {email}.",
        f"Ship the replacement to {street}, {city}.",
        "Kind regards,",
        person,
    ]
    planted = [("person", person), ("phone", phone), ("email", email), ("address", f"{street}, {city}")]
    return [lines], [PlantedValue(k, x) for k, x in planted] + [PlantedValue("person", person)]


def _form(v: ValueMaker) -> tuple[list[list[str]], list[PlantedValue]]:
    person, dob, street, city, phone, email, ssn = (
        v.person(),
        v.dob(),
        v.street(),
        v.city_line(),
        v.phone(),
        v.email(),
        v.ssn(),
    )
    lines = [
        "Customer registration form",
        f"Name: {person}",
        f"Date of birth: {dob}",
        f"Address: {street}",
        city,
        f"Phone: {phone}",
        f"Email: {email}",
        f"SSN: {ssn}",
    ]
    planted = [("person", person), ("dob", dob), ("address", street), ("address", city), ("phone", phone)]
    planted += [("email", email), ("ssn", ssn)]
    return [lines], [PlantedValue(k, x) for k, x in planted]


def _payment(v: ValueMaker) -> tuple[list[list[str]], list[PlantedValue]]:
    first, last = v.fake.first_name(), v.fake.last_name()
    card, iban = v.card(), v.iban()
    lines = [
        f"Refund request for invoice {v.order()}",
        f"Hello, this is {first} {last} from {v.company()}.",
        f"The charge of {v.random.randint(20, 900)}.00 USD on card {card} was made twice.",
        "Please refund it to my account,",
        f"IBAN {iban}.",
        f"Thanks, {first}",
    ]
    planted = [("person", f"{first} {last}"), ("card", card), ("iban", iban), ("person", first)]
    return [lines], [PlantedValue(k, x) for k, x in planted]


def _incident(v: ValueMaker) -> tuple[list[list[str]], list[PlantedValue]]:
    person, other, ip, email, phone = v.person(), v.person(), v.ip(), v.email(), v.phone()
    lines = [
        f"Ticket {v.order()}: login failures",
        f"User {person} reported failed logins",
        f"from {ip} since {v.date()}.",
        f"Contact: {email}, mobile {phone}",
        f"Assigned to {other} at {v.company()}.",
    ]
    planted = [("person", person), ("ip", ip), ("email", email), ("phone", phone), ("person", other)]
    return [lines], [PlantedValue(k, x) for k, x in planted]


def _letter(v: ValueMaker) -> tuple[list[list[str]], list[PlantedValue]]:
    first, last = v.fake.first_name(), v.fake.last_name()
    street, city, phone, signer = v.street(), v.city_line(), v.phone(), v.person()
    honorific = v.random.choice(["Mr.", "Ms.", "Mrs.", "Dr."])
    first_page = [f"{first} {last}", street, city, "", f"Dear {honorific} {last},"]
    first_page += [f"your appointment on {v.date()} at 10:30 is confirmed.", f"If you cannot attend, call {phone}."]
    second_page = ["We look forward to seeing you.", "Sincerely,", signer, "Patient Services"]
    planted = [
        PlantedValue("person", f"{first} {last}"),
        PlantedValue("address", street),
        PlantedValue("address", city),
        PlantedValue("person", last),
        PlantedValue("phone", phone),
        PlantedValue("person", signer, page=2),
    ]
    return [first_page, second_page], planted


def _delivery(v: ValueMaker) -> tuple[list[list[str]], list[PlantedValue]]:
    person, driver, street, city, phone = v.person(), v.person(), v.street(), v.city_line(), v.phone()
    lines = [
        "Delivery note",
        f"Deliver to {person}",
        f"{street}, {city}",
        f"Driver: {driver}, phone {phone}",
        f"Parcel {v.order()} weighs {v.random.randint(1, 30)} kg.",
    ]
    planted = [("person", person), ("address", f"{street}, {city}"), ("person", driver), ("phone", phone)]
    return [lines], [PlantedValue(k, x) for k, x in planted]


def _chat(v: ValueMaker) -> tuple[list[list[str]], list[PlantedValue]]:
    first, last, dob, card, email = v.fake.first_name(), v.fake.last_name(), v.dob(), v.card(), v.email()
    lines = [
        "Agent: Good morning, how can I help?",
        f"Customer: Hi, I'm {first} {last}, born {dob}.",
        f"Customer: My card {card} was blocked.",
        f"Agent: I have sent a link to {email}.",
        "Customer: Thank you!",
    ]
    planted = [("person", f"{first} {last}"), ("dob", dob), ("card", card), ("email", email)]
    return [lines], [PlantedValue(k, x) for k, x in planted]


def _narrative(v: ValueMaker) -> tuple[list[list[str]], list[PlantedValue]]:
    person, helper, approver = v.person(), v.person(), v.person()
    street, city, ssn = v.street(), v.city_line(), v.ssn()
    lines = [
        f"Yesterday {person} visited our store and",
        f"bought a {v.product()}. {helper} helped with the setup",
        f"and {approver} approved the discount.",
        f"The receipt was mailed to {street}, {city}.",
        f"Tax form on file with SSN {ssn}.",
    ]
    planted = [("person", person), ("person", helper), ("person", approver), ("address", f"{street}, {city}")]
    planted.append(("ssn", ssn))
    return [lines], [PlantedValue(k, x) for k, x in planted]


TEMPLATES: tuple[Template, ...] = (_complaint, _form, _payment, _incident, _letter, _delivery, _chat, _narrative)


def build_documents(count: int, seed: int = PII_EVAL_SEED) -> list[PiiDocument]:
    """`count` documents cycling through the templates; the same seed gives the same set."""
    maker = ValueMaker(seed)
    documents = []
    for number in range(count):
        template = TEMPLATES[number % len(TEMPLATES)]
        pages, planted = template(maker)
        as_pdf = (number // len(TEMPLATES)) % 2 == 1
        name = f"{number:03d}-{template.__name__.strip('_')}"
        documents.append(PiiDocument(name, pages, planted, as_pdf=as_pdf, degrade=not as_pdf and number % 2 == 1))
    return documents


def render_lines(lines: Sequence[str], degrade: bool) -> Image.Image:
    """A scan-like page; a line too wide for it wraps at a space, as a word processor would."""
    font = document_font(FONT_SIZE)
    wrapped = [part for line in lines for part in wrap_to_width(line, font, PAGE_WIDTH - 2 * MARGIN)]
    step = int(FONT_SIZE * 1.9)
    page = Image.new("RGB", (PAGE_WIDTH, 2 * MARGIN + step * len(wrapped)), "white")
    draw = ImageDraw.Draw(page)
    for number, line in enumerate(wrapped):
        draw.text((MARGIN, MARGIN + step * number), line, fill="black", font=font)
    return page.filter(ImageFilter.GaussianBlur(0.7)) if degrade else page


def wrap_to_width(line: str, font: Any, width: float) -> list[str]:
    parts: list[str] = []
    for word in line.split(" "):
        if parts and font.getlength(f"{parts[-1]} {word}") <= width:
            parts[-1] = f"{parts[-1]} {word}"
        else:
            parts.append(word)
    return parts or [""]


def write_document(document: PiiDocument, folder: Path) -> Path:
    images = [render_lines(lines, document.degrade) for lines in document.pages]
    if document.as_pdf:
        path = folder / f"{document.name}.pdf"
        images[0].save(path, "PDF", resolution=150.0, save_all=True, append_images=images[1:])
        return path
    if len(images) == 1:
        path = folder / f"{document.name}.png"
        images[0].save(path)
        return path
    for number, image in enumerate(images, 1):  # a multi-page scan: one PNG per page
        image.save(folder / f"{document.name}-p{number}.png")
    return folder / f"{document.name}-p1.png"


def read_pages(document: PiiDocument, folder: Path, dpi: int = 150) -> list[tuple[int, Image.Image]]:
    """The page images the pipeline would OCR: rendered PDF pages, or the PNG scans."""
    if document.as_pdf:
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(str(folder / f"{document.name}.pdf"))
        try:
            return [(n, pdf[n - 1].render(scale=dpi / 72).to_pil().convert("RGB")) for n in range(1, len(pdf) + 1)]
        finally:
            pdf.close()
    if len(document.pages) == 1:
        return [(1, Image.open(folder / f"{document.name}.png").convert("RGB"))]
    return [
        (n, Image.open(folder / f"{document.name}-p{n}.png").convert("RGB")) for n in range(1, len(document.pages) + 1)
    ]


# ---------------------------------------------------------------------------- scoring


def _compact(text: str) -> tuple[str, list[int]]:
    """The text without whitespace or accents, lowercased, and each kept character's offset in the text.

    Accents go on both sides because OCR drops them (Vietnamese tone marks, Hungarian acutes): with them
    kept, a value OCR read without its marks was never located, so it counted as neither leaked nor safe."""
    kept = [
        (index, part.lower())
        for index, char in enumerate(text)
        if not char.isspace()
        for part in unicodedata.normalize("NFKD", char)
        if not unicodedata.combining(part)
    ]
    return "".join(char for _, char in kept), [index for index, _ in kept]


def locate(value: str, text: str) -> list[int] | None:
    """Offsets in `text` of the value's characters (spaces aside), exactly or by the closest window."""
    compact_text, offsets = _compact(text)
    compact_value, _ = _compact(value)
    if not compact_value or not compact_text:
        return None
    found = compact_text.find(compact_value)
    if found >= 0:
        return offsets[found : found + len(compact_value)]
    best, best_ratio = None, MIN_MATCH_RATIO
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(compact_value)
    width = len(compact_value)
    for start in range(0, max(1, len(compact_text) - width + 1)):
        for size in (width - 1, width, width + 1):
            matcher.set_seq1(compact_text[start : start + size])
            if matcher.real_quick_ratio() > best_ratio and matcher.ratio() > best_ratio:
                best, best_ratio = (start, start + size), matcher.ratio()
    return offsets[best[0] : best[1]] if best else None


def score_document(
    document: PiiDocument, texts: dict[int, str], findings: dict[int, list[PiiFinding]]
) -> tuple[list[ValueResult], dict[str, list[int]]]:
    """Per planted value: located, redacted. Per finding type: [findings, true positives]."""
    results, located_spans = [], []
    for planted in document.planted:
        text = texts.get(planted.page, "")
        offsets = locate(planted.value, text)
        covered = offsets is not None and all(
            any(f.start <= offset < f.end for f in findings.get(planted.page, [])) for offset in offsets
        )
        results.append(ValueResult(document.name, planted.kind, planted.value, offsets is not None, covered))
        if offsets:
            located_spans.append((planted.page, planted.kind, min(offsets), max(offsets) + 1))
    counts: dict[str, list[int]] = {}
    for page, page_findings in findings.items():
        for finding in page_findings:
            tally = counts.setdefault(finding.kind, [0, 0])
            tally[0] += 1
            tally[1] += any(
                p == page and kind == finding.kind and finding.start < end and start < finding.end
                for p, kind, start, end in located_spans
            )
    return results, counts


def metrics_table(results: Sequence[ValueResult], counts: dict[str, list[int]]) -> pl.DataFrame:
    """One row per entity type, then "pattern" (the pattern types together) and "all"."""
    groups = {kind: (kind,) for kind in ENTITY_TYPES}
    groups |= {"pattern": PATTERN_TYPES, "all": ENTITY_TYPES}
    rows = []
    for name, kinds in groups.items():
        read = [r for r in results if r.kind in kinds and r.located]
        findings = sum(counts.get(kind, [0, 0])[0] for kind in kinds)
        true_positives = sum(counts.get(kind, [0, 0])[1] for kind in kinds)
        redacted = sum(r.redacted for r in read)
        rows.append(
            {
                "type": name,
                "planted": sum(r.kind in kinds for r in results),
                "read_by_ocr": len(read),
                "redacted": redacted,
                "recall": redacted / len(read) if read else float("nan"),
                "findings": findings,
                "true_positives": true_positives,
                "precision": true_positives / findings if findings else float("nan"),
            }
        )
    return pl.DataFrame(rows)


def write_chart(table: pl.DataFrame, path: Path, title: str) -> Path:
    """Bars of precision and recall per entity type, with the recall targets drawn as ticks."""

    def draw(axes: Any) -> None:
        positions = np.arange(table.height)
        for offset, metric in ((-0.2, "recall"), (0.2, "precision")):
            axes.bar(positions + offset, table[metric].fill_nan(0).to_list(), 0.4, label=metric, edgecolor="black")
        for position, kind in enumerate(table["type"]):
            target = TARGET_RECALL.get(kind, TARGET_RECALL["pattern"] if kind in PATTERN_TYPES else None)
            if target is not None:
                axes.hlines(target, position - 0.4, position, colors="red", linewidth=1.5)
        axes.set_xticks(positions, table["type"].to_list())
        axes.set_ylim(0, 1.05)

    return plot_png(path, title, draw, size=(10, 4.8), dpi=120, legend={"loc": "lower right"})


def run_pii_evaluation(
    media: Path,
    out_dir: Path,
    count: int = PII_EVAL_DOCS,
    detector: PiiDetector | None = None,
    ocr: OcrRunner | None = None,
    seed: int = PII_EVAL_SEED,
    progress: Callable[[str], None] | None = None,
    segments: Callable[..., Sequence[Any]] | None = None,
) -> PiiEvaluationReport:
    """Build (or rebuild) the set under `media`, OCR and redact it, and write
    `eval-pii.csv`, `eval-pii-values.csv` and `eval-pii.png` to `out_dir`; with `segments`
    (pii_eval_segments.run_segments, handed in by the caller: that module builds on this one), also
    `eval-pii-segments.csv`: real manuals, other-source scans and PDFs, speech, each slice apart."""
    if count < 1:
        raise EvaluationError(f"pii: --docs must be at least 1, got {count}")
    detector = detector or PiiDetector()
    ocr = ocr or OcrRunner()
    folder = fresh_folder(media / "pii")
    documents = build_documents(count, seed)
    results: list[ValueResult] = []
    counts: dict[str, list[int]] = {}
    for number, document in enumerate(documents, 1):
        write_document(document, folder)
        pages = read_pages(document, folder)
        spans = [span for page_spans in ocr.recognize_pages(pages) for span in page_spans]
        texts = {page: join_spans([s for s in spans if s.page == page])[0] for page, _ in pages}
        document_results, document_counts = score_document(document, texts, detector.find_in_pages(texts))
        results += document_results
        for kind, (found, true) in document_counts.items():
            tally = counts.setdefault(kind, [0, 0])
            tally[0] += found
            tally[1] += true
        if progress and number % 8 == 0:
            progress(f"pii eval: {number}/{len(documents)} documents")
    table = metrics_table(results, counts)
    values = pl.DataFrame([vars(r) for r in results])
    out_dir.mkdir(parents=True, exist_ok=True)
    csv_path, values_csv = out_dir / "eval-pii.csv", out_dir / "eval-pii-values.csv"
    table.write_csv(csv_path)
    values.write_csv(values_csv)
    title = f"PII redaction on {len(documents)} documents\n{detector.model_id()}, OCR {ocr.model_id()}"
    chart = write_chart(table, out_dir / "eval-pii.png", title)
    unread = sum(not r.located for r in results)
    report = PiiEvaluationReport(
        table, values, csv_path, values_csv, chart, len(documents), detector.model_id(), ocr.model_id(), unread
    )
    if segments is not None:
        rows = [result.as_row() for result in segments(detector, ocr, fresh_folder(media / "pii-segments"), progress)]
        segments_csv = out_dir / "eval-pii-segments.csv"
        pl.DataFrame(rows).write_csv(segments_csv)
        report.extra = {"segments": rows, "segments_csv": str(segments_csv)}
    return report
