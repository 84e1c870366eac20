"""The document's number where no label names it: on the line under the title, else alone beside it on its row,
else right after the document's kind in a line's running words (a letter's subject: "Subject: Invoice HV-2026-0931"),
else by its shape (a word, a number sign and a code; else a code of capitals and grouped figures alone on its line)
at the top of the first page.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from mm_assets.operations.invoice_label_match import _label_match_any
from mm_assets.operations.invoice_labels import MAX_NAME_CHARS, _value_of
from mm_assets.operations.invoice_lexicon import alternation
from mm_assets.operations.invoice_values import Found, _lines_above, _same_row, _tail_box, looks_like_date
from mm_assets.page_layout import Line

# A title's last word names the document's kind ("FA FACTURA", "Tax Invoice", "RECHNUNG"), an e-invoice's after it
# ("FACTURA ELECTRÓNICA", "NOTA DE CRÉDITO ELECTRÓNICA"; OCR's "AUTOFACTURAELECTRONICA")
KIND_WORDS = (
    r"invoice|facture|factura|rechnung|factuur|receipt|quittung|recibo|nota\s*de\s*cr[ée]dito|credit\s*note|"
    r"faktura|fatt?ura|lasku|sz[áa]mla|"  # and every title of the lexicon ("RĒĶINS", "HÓA ĐƠN", "РАХУНОК")
    + alternation("title")
)
TITLE_END = re.compile(
    r"(" + KIND_WORDS + r")(\s*(electr[óo]nic[ao]|electronic|[ée]lectronique|elettronica|eletr[ôo]nica))?\s*:?\s*$",
    re.I,
)


def _number_under_title(lines: list[Line]) -> Found | None:
    """The document's number on the line under its title when no label names it ("FACTURA" over
    "INV/2024/00005"): a title is a short line that ends in the document's kind."""
    for line in _first_page(lines):
        if len(line.text) > MAX_NAME_CHARS or not TITLE_END.search(line.text):
            continue
        for below in sorted(_under(line, lines), key=lambda o: o.bbox[1]):
            if _label_match_any(below.text):
                break
            referenced = REFERENCE.fullmatch(below.text)
            if referenced is not None:  # "Invoice" over "Ref. : IN2612-00000": the title's own reference
                return Found(referenced.group(1), below.page, _tail_box(below, referenced.start(1)), 0.6)
            value = _value_of("code", below.text, True)
            if value is not None and len(below.text.split()) == 1 and not _a_date(value):
                return Found(value, below.page, list(below.bbox), 0.6)
    return None


def _first_page(lines: list[Line]) -> list[Line]:
    """The lines of the document's first page, in reading order."""
    return [line for line in lines if line.page == lines[0].page] if lines else []


def _top_of(page: list[Line], share: float) -> Iterator[Line]:
    """A page's lines in reading order, up to the first that starts below `share` of the page's text height."""
    if page:
        limit = max(line.bbox[3] for line in page) * share
        yield from itertools.takewhile(lambda line: line.bbox[1] <= limit, page)


def _under(title: Line, lines: list[Line]) -> list[Line]:
    """Lines under a title within two of its heights, overlapping it sideways; a scan's boxes may overlap the
    title's by a few pixels, so a line under it is one that starts below its middle."""
    height = title.bbox[3] - title.bbox[1]
    return [
        o
        for o in lines
        if o.page == title.page
        and (title.bbox[1] + title.bbox[3]) / 2 < o.bbox[1] <= title.bbox[3] + 2 * height
        and min(o.bbox[2], title.bbox[2]) > max(o.bbox[0], title.bbox[0])
    ]


def _under_a_caption(line: Line, lines: list[Line]) -> bool:
    """Whether a line of words without figures stands just above the line: a caption naming its value."""
    return any(not re.search(r"\d", above.text) for above in _lines_above(line, lines, 1.5))


def _a_date(value: str) -> bool:
    """A date, also as OCR glues a month's name to its day ("April10,2026")."""
    return looks_like_date(value) or looks_like_date(re.sub(r"(?<=[^\W\d_])(?=\d)", " ", value))


# A reference caption and a code with a figure ("Ref. : IN2612-00000", "Réf. OR-7"): under a title, the title's
# number; elsewhere a reference may be the buyer's order, so it is read only there
REFERENCE = re.compile(r"\s*(?:r[ée]f(?:[ée]rence|erencia|erence)?\.?)\s*:?\s*([A-Z0-9][\w./-]*\d[\w./-]*)\s*", re.I)


# A document's number by its shape alone on its line: capitals that abbreviate the kind, then four figures or
# more, grouped by dashes or slashes ("INV-2026-0042", "REC-20260410-0847"); not a date, not a postcode's "CA 94105"
CODE_ALONE = re.compile(r"\s*([A-Z]{2,5}[-/]?\d+(?:[-/]\d+)*)\s*")


def _number_by_code_alone(lines: list[Line]) -> Found | None:
    """The first code of a number's shape alone on a line in the top quarter of the first page, where no label,
    title or number sign gives the number; not a value a caption above names ("Booking ID" over "IBZY2087")."""
    first = _first_page(lines)
    for line in _top_of(first, 1 / 4):
        found = CODE_ALONE.fullmatch(line.text)
        if (
            found is not None
            and sum(c.isdigit() for c in found.group(1)) >= 4
            and not _a_date(found.group(1))
            and not _under_a_caption(line, first)
        ):
            return Found(found.group(1), line.page, list(line.bbox), 0.5)
    return None


# A code set beside a title on its row ("INVOICE" ... "#INV-2025-001", "Számla" ... "[ BN-BM-50 ]"): a number sign
# or not, then a code with a figure; not a page's "1/2"
CODE_BESIDE = re.compile(r"[\[(]?\s*(?:#|n[°º]\.?|№)?\s*([A-Z0-9][\w./-]*\d[\w./-]*)\s*[\])]?", re.I)


def _number_beside_title(lines: list[Line]) -> Found | None:
    """The document's number alone beside its title on the title's row, where no label names it."""
    first = _first_page(lines)
    for line in first:
        if len(line.text) > MAX_NAME_CHARS or not TITLE_END.search(line.text):
            continue
        beside = [o for o in first if o.bbox[0] >= line.bbox[2] and _same_row(line.bbox, o.bbox)]
        nearest = min(beside, key=lambda o: o.bbox[0], default=None)
        found = CODE_BESIDE.fullmatch(nearest.text) if nearest is not None else None
        if found is None or looks_like_date(found.group(1)) or re.fullmatch(r"\d+/\d+", found.group(1)):
            continue
        return Found(found.group(1), nearest.page, list(nearest.bbox), 0.6)
    return None


# A word, then a number sign that reads "number" in any language ("Debit # F-012", "Rachunek nr 7/2026" has
# its own label; "Lieferschein N° 4"), then a code with a figure
NUMBER_SIGN = re.compile(r"\s*[^\W\d_]{2,}\.?\s*(#|n[°º]|№)\s*:?\s*([^\s,;]*\d[^\s,;]*)")


def _number_by_sign(lines: list[Line]) -> Found | None:
    """The document's number by its shape where no label names it: the first word + number sign + code
    at the start of a line in the top half of the first page (no date, no phone number)."""
    for line in _top_of(_first_page(lines), 1 / 2):
        found = NUMBER_SIGN.match(line.text)
        if (
            found is not None
            and not looks_like_date(found.group(2))
            and not re.fullmatch(r"[\d\s()+/-]{9,}", found.group(2))
        ):
            return Found(found.group(2), line.page, _tail_box(line, found.start(2)), 0.5)
    return None


# A letter's subject line, or any line, that names the document's kind and its code ("Subject: Invoice HV-2026-0931",
# "Betreff: Rechnung Nr. 2026-1102", "Objet : Facture FA-2026-312"; OCR's "Asunto:Factura2026-0210"): a caption
# and its colon or not, the kind's word (a title's last word), a number sign or abbreviation or not, and a code with a
# figure ending the line
KIND_THEN_CODE = re.compile(
    r"(?:[^\W\d_]+\s*:\s*)?(?:" + KIND_WORDS + r")"
    r"\s*(?:(?:n(?:o|r|um|[°º])|#|№)\.?\s*:?\s*)?(?P<code>[A-Z0-9][\w./-]*\d[\w./-]*)\s*[.,;]?\s*",
    re.I,
)


def _number_after_kind(lines: list[Line]) -> Found | None:
    """The document's number right after the word naming its kind, at the end of a line in the top half of the first
    page (a letter's subject), where no label, title row or number sign gave it: not a date, not a year alone."""
    for line in _top_of(_first_page(lines), 1 / 2):
        found = KIND_THEN_CODE.fullmatch(line.text)
        if found is None:
            continue
        code = found.group("code")
        if _a_date(code) or re.fullmatch(r"(19|20)\d{2}", code) or sum(c.isdigit() for c in code) < 2:
            continue
        return Found(code, line.page, _tail_box(line, found.start("code")), 0.55)
    return None
