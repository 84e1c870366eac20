"""Labelled fields: the value of the right type beside, below or under a label, with the page geometry
that finds it; the labels themselves, many languages of them, most specific first, are LABELS in
operations.invoice_label_words, matched by operations.invoice_label_match; labels set in a row of headings are
read by operations.invoice_heading_rows. Labels are evidence, not a requirement: operations.invoice_arithmetic fills
what no label names.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from mm_assets.operations.invoice_boxes import lines_in_caption_box
from mm_assets.operations.invoice_heading_rows import _date_in_heading_row, _in_caption_grid, _in_heading_row
from mm_assets.operations.invoice_label_match import LONGER_LABEL, _claimed_by_other, _label_match_any, _whole_label
from mm_assets.operations.invoice_values import (
    AMOUNT,
    CENT,
    CURRENCY_CODES,
    RATE,
    Found,
    _is_date,
    _same_row,
    _tail_box,
    amounts_in,
    parse_amount,
    parse_date,
)
from mm_assets.page_layout import Line

TYPES = {
    "invoice_number": "code",
    "invoice_date": "date",
    "due_date": "date",
    "subtotal": "amount",
    "tax": "amount",
    "total": "amount",
    "vendor": "name",
}


IDENTIFIER = re.compile(r"\s*[:#.]?\s*[A-Z]{2}\s?\d{4,}")  # a VAT or company number after its label


# a tax label that names a number or a rate, not an amount: "USt-IdNr", "VAT Reg. No", "VAT Rate"
NAMES_AN_ID = re.compile(
    r"[\s.:-]*(id|ident|identifier|nr|no|number|num[ée]ro|n[°º]|reg|registration|intra|code|rate|satz|taux|tasa)"
    r"(?![^\W\d_])",
    re.I,
)


INCLUDED = re.compile(r"enthalten|included|inclus", re.I)  # a tax printed inside a gross figure


PROSE_WORDS = 14  # a line of more words is a remark's sentence, not a caption and its value


MAX_NAME_CHARS = 60  # a vendor's name; a longer line is a sentence ("Email or talk to us about ...")


# What a vendor label's caption may go on with: "SELLER TRADE NAME" heads the name, it is not one
CAPTION_WORDS = re.compile(
    r"\s*((trade|company|legal|business)\s*)?(name|details|address|information|info)\s*:?\s*$", re.I
)


def _value_of(kind: str, text: str, day_first: bool) -> Any:
    text = text.strip(" :#")
    if not text:
        return None
    if kind == "amount":
        amounts = amounts_in(text)
        return amounts[0] if amounts else None
    if kind == "date":
        return parse_date(text, day_first)
    if kind == "code":
        tokens = text.split()
        # a short series prefix set apart from its figures ("FPR 17/20", "NO. 001") is part of the code
        if (
            len(tokens) >= 2
            and SERIES_PREFIX.fullmatch(tokens[0])
            and re.search(r"\d", tokens[1])
            and not _is_date(tokens[1])
        ):
            tokens = [f"{tokens[0]} {tokens[1]}"]
        token = tokens[0] if tokens else ""
        # OCR that drops spaces glues the next caption on ("10Serie:1Emissao:..."): the code ends before it
        token = GLUED_CAPTION.split(token, maxsplit=1)[0]
        return token if re.search(r"\d", token) and not _is_date(token) else None
    if text.startswith(("(", "*", "†")) or len(text) > MAX_NAME_CHARS:  # a remark, a footnote, a sentence
        return None
    if CAPTION_WORDS.match(text):  # "TRADE NAME" after "SELLER": the rest of a caption
        return None
    if re.search(r"\d{4,}", text):  # "GLN 4333741000005": an identifier, not a name
        return None
    text = text.rstrip(" ,;")
    return text if re.search(r"[A-Za-z]", text) else None


SERIES_PREFIX = re.compile(r"[A-Z]{2,5}\.?")  # capitals before a code's figures, or "NO."


# A caption glued to the figure before it: a capitalised word and its colon right after a digit
GLUED_CAPTION = re.compile(r"(?<=\d)(?=[A-Z][a-zà-ÿ]{2,}:)")


def _row_amount(label_text: str, amounts: list[Decimal]) -> Decimal:
    """The label's amount among several on its row: with a rate in the label ("USt. 19%") the
    one that is the rate of another (the tax beside its basis); else the last, as a summary row
    reads net, tax, gross from left to right and the labelled figure closes it."""
    rate = RATE.search(label_text)
    if rate is not None and len(amounts) > 1:
        share = Decimal(re.sub(r"[^\d.,]", "", rate.group(0)).replace(",", ".")) / 100
        for slack in (Decimal(0), RATE_SLACK):
            for basis in amounts:
                for candidate in amounts:
                    if candidate is not basis and abs(basis * share - candidate) <= slack * abs(candidate) + CENT / 2:
                        return candidate
    return amounts[-1]


# A tax summed line by line is rounded line by line: 22 % of 2830,30 is 622,67, the page prints 622,68 as its
# lines' taxes add up. Within half a percent, the figure is still the rate of the other (after an exact match)
RATE_SLACK = Decimal("0.005")


def find_field(field: str, lines: list[Line], day_first: bool) -> Found | None:
    """The value of the field's most specific label found ("TOTAL TVA" before a rate's "TVA 20%"),
    labels of one rank in reading order: after the label on its line or on a line to its right on
    the same row; failing that for every label of the rank, on a line just below a label, then in
    the label's column (a value under its heading). A column heading ("Total" over the amounts)
    has its value below only, so a label with a value beside it wins within its rank. A label
    that goes on into a longer one ("DATE DE FACTURE ASSOCIÉE :") is another field's."""
    if TYPES[field] == "amount" and (in_grid := _in_caption_grid(field, lines)) is not None:
        return in_grid
    ranks: dict[int, list[tuple[int, Line, re.Match]]] = {}
    for index, line in _lines_and_inner_labels(lines):
        found = _whole_label(field, line.text)
        if found is None or _claimed_by_other(field, line.text) or LONGER_LABEL.match(line.text[found[1].end() :]):
            continue
        if TYPES[field] == "amount" and NAMES_AN_ID.match(line.text[found[1].end() :]):
            continue  # "USt-IdNr :" with its number on the line below
        if TYPES[field] == "code" and len(line.text.split()) > PROSE_WORDS:
            continue  # "Invoice 22-000004 | Processo de exportacao - Cliente ...": a remark cites another number
        ranks.setdefault(found[0], []).append((index, line, found[1]))
    for rank in sorted(ranks):
        found = _value_of_labels(TYPES[field], ranks[rank], lines, day_first)
        if found is not None:
            return found
    if TYPES[field] == "date":
        return _date_in_heading_row(field, lines, day_first)
    return _in_heading_row(field, lines) if TYPES[field] == "amount" else None


# A second "Label: value" pair on a line that starts with another ("Exento: Bs.0 TOTAL: Bs.2.470,00"):
# after a colon and a value holding a figure, a word (or two) and its colon
INNER_LABEL = re.compile(r"(?<=\d)\s+(?=[^\W\d_][^\W\d_.]*\.?(\s[^\W\d_]+\.?)?\s*:)")  # "Comp. Nro:" too


def _lines_and_inner_labels(lines: list[Line]) -> list[tuple[int, Line]]:
    """Each line with its index, then the part of it from each inner "Label:" on, as a line of
    its own (its box the tail of the line's), so a label need not start a printed line."""
    found: list[tuple[int, Line]] = []
    for index, line in enumerate(lines):
        found.append((index, line))
        for inner in INNER_LABEL.finditer(line.text):
            if re.search(r":[^:]*\d", line.text[: inner.start()]):
                tail = line.text[inner.end() :]
                found.append((index, Line(line.page, _tail_box(line, inner.end()), tail)))
    return found


# A cell that says "nothing here": a dash (or two), with its currency sign or not ("TVA (0%) -", "Remise –")
NO_VALUE = re.compile(r"\s*[-–—−]{1,2}\s*([€$£]|[A-Z]{3})?\s*")


def _row_prints_no_value(line: Line, label: re.Match, lines: list[Line]) -> bool:
    """Whether an amount label's row prints a dash for its figure: the row has no value, and the figure
    on the line below or in the column is another row's (a 0% VAT row over the total)."""
    rest = line.text[label.end() :]
    if rest.strip():
        return bool(NO_VALUE.fullmatch(rest))
    beside = sorted(
        (
            o
            for o in lines
            if o.page == line.page and o is not line and o.bbox[0] >= line.bbox[2] - 2 and _same_row(line.bbox, o.bbox)
        ),
        key=lambda o: o.bbox[0],
    )
    return bool(beside) and NO_VALUE.fullmatch(beside[0].text) is not None


# The other column headings of a line-items table, at a heading's start: a code, a description, a quantity, a unit
# or a unit price ("Cód.", "DESCRIÇÃO DO PRODUTO / SERVIÇO", "QUANT.", "P. Unit.")
ITEM_HEADINGS = re.compile(
    r"(c[óo]d(igo)?\.?|descripci[óo]n|description|beschreibung|descri[çc][ãa]o|d[ée]signation|"
    r"cant(idad)?\.?|qty|quantity|quant\.?|qtde?\.?|quantidade|menge|anzahl|quantit[ée]|qt[ée]|"
    r"unid(ad)?\.?|units?\.?|p\.?\s*unit\.?|precio(\s*unit(ario)?)?|unit\s*price|price|preis|prix)(?![^\W\d_])",
    re.I,
)


def _items_column_heading(line: Line, label: re.Match, lines: list[Line]) -> bool:
    """Whether a bare amount label heads a column of a line-items table ("Cód. Descripción Unid. Cant. P. Unit.
    IVA Subtotal", each a line of its own; a DANFE's "VALOR" over "TOTAL." beside "QUANT." and "UNIT."): the
    figures under it are the first item's, not the document's. Its row holds words only, and its heading block (the
    row and a line or two above it, where headings are set on two lines) names an item column."""
    if line.text[label.end() :].strip():
        return False
    row = [o for o in lines if o.page == line.page and o is not line and _same_row(line.bbox, o.bbox)]
    if len(row) < 3 or any(re.search(r"\d", o.text) for o in row):
        return False
    height = line.bbox[3] - line.bbox[1]
    block = [
        o
        for o in lines
        if o.page == line.page
        and o is not line
        and o.bbox[3] >= line.bbox[1] - 1.5 * height
        and o.bbox[1] <= line.bbox[3]
    ]
    return any(ITEM_HEADINGS.match(o.text.strip()) for o in block)


def _value_of_labels(
    kind: str, labelled: list[tuple[int, Line, re.Match]], lines: list[Line], day_first: bool
) -> Found | None:
    if kind == "amount":
        labelled = [
            entry
            for entry in labelled
            if not _row_prints_no_value(entry[1], entry[2], lines)
            and not _items_column_heading(entry[1], entry[2], lines)
        ]
    for _index, line, label in labelled:
        if kind == "amount":
            found = _labelled_amount(line, label, lines)
            if found is not None:
                return found
            continue
        value = _value_of(kind, line.text[label.end() :], day_first)
        if value is not None:
            return Found(value, line.page, _tail_box(line, label.end()), 0.9)
        beside = [o for o in lines if o.page == line.page and o is not line and o.bbox[0] >= line.bbox[2] - 2]
        found = _first_value(
            kind, sorted((o for o in beside if _same_row(line.bbox, o.bbox)), key=lambda o: o.bbox[0]), day_first
        )
        if found is not None:
            return found
    for index, line, _label in labelled:
        below = [
            other
            for other in lines[index + 1 : index + 3]
            if other.page == line.page
            and other.bbox[1] >= line.bbox[3] - 2
            and other.bbox[0] < line.bbox[2]
            and other.bbox[2] > line.bbox[0]  # under the label, not a line starting in another column
        ]
        found = _first_value(kind, below, day_first, confidence=0.75, heading=line)
        if found is not None:
            return found
    for _index, line, _label in labelled:
        found = _first_value(kind, _under_heading(line, lines), day_first, confidence=0.7, heading=line)
        if found is not None:
            return found
    for _index, line, _label in labelled:  # a box-grid form: the value at the foot of the caption's box
        found = _first_value(kind, lines_in_caption_box(line, lines), day_first, confidence=0.65, heading=line)
        if found is not None:
            return found
    return None


def _under_heading(heading: Line, lines: list[Line]) -> list[Line]:
    """Lines in a column heading's column, nearest first: a summary table prints "TOTAL TVA" over
    its figure, with other columns' lines between them in reading order."""
    height = heading.bbox[3] - heading.bbox[1]
    return sorted(
        (
            other
            for other in lines
            if other.page == heading.page
            and 0 <= other.bbox[1] - heading.bbox[3] + 2 <= 3 * height
            and min(other.bbox[2], heading.bbox[2]) > max(other.bbox[0], heading.bbox[0])
        ),
        key=lambda other: other.bbox[1],
    )


# A label's rest that makes it a rate's: a percent sign before any figure ("(%)", "% :")
RATE_HEADING = re.compile(r"\s*\(?\s*%\s*\)?\s*:?\s*(\d|$)")


def _labelled_amount(line: Line, label: re.Match, lines: list[Line]) -> Found | None:
    """The amount of a label's row: its line's rest and the lines beside it on the same row, up to
    the next label (a row may hold several labelled figures)."""
    rest = _up_to_next_label(line.text[label.end() :])
    if IDENTIFIER.match(rest):
        return None  # "TVA : FR11999999998": the label names a VAT number, not an amount
    if RATE_HEADING.match(rest):
        return None  # "IVA (%): 22.00", "VAT %  20": the label names the rate, not the tax
    parts: list[tuple[str, Found]] = [(rest, Found(None, line.page, _tail_box(line, label.end()), 0.9))]
    if len(rest) == len(line.text[label.end() :]):
        beside = sorted(
            (
                o
                for o in lines
                if o.page == line.page
                and o is not line
                and o.bbox[0] >= line.bbox[2] - 2
                and _same_row(line.bbox, o.bbox)
                # not a character of text set sideways in the margin
                and o.bbox[3] - o.bbox[1] >= 0.6 * (line.bbox[3] - line.bbox[1])
            ),
            key=lambda o: o.bbox[0],
        )
        for other in beside:
            if _label_match_any(other.text):
                break
            parts.append((other.text, Found(None, other.page, list(other.bbox), 0.85)))
    found = [(amount, where) for text, where in parts for amount in amounts_in(text)]
    if not found:
        return None
    chosen = _row_amount(line.text[: label.end()], [amount for amount, _ in found])
    where = next(where for amount, where in found if amount is chosen)
    if INCLUDED.search(line.text[: label.end()]):
        chosen = abs(chosen)  # "(35,13 €)": brackets set the included tax apart, not a credit
    return Found(chosen, where.page, where.bbox, where.confidence)


def _up_to_next_label(text: str) -> str:
    """A line's text up to the next word that starts a label ("100.00 Tax 8.00": "100.00 ")."""
    for word in re.finditer(r"(?<!\S)[^\W\d_]", text):
        if _label_match_any(text[word.start() :]) and amounts_in(text[: word.start()]):
            return text[: word.start()]
    return text


def _first_value(
    kind: str, candidates: list[Line], day_first: bool, confidence: float = 0.85, heading: Line | None = None
) -> Found | None:
    for other in candidates:
        if kind == "amount" and heading is not None and RATE_WORD.fullmatch(other.text):
            return None  # "MwSt" over "Aliq.": the heading is the rate column's, whose figures are no amount
        if _label_match_any(other.text):
            continue
        if kind == "amount" and (_reference_not_amount(other.text) or RATE_CAPTION.search(other.text)):
            continue  # a reference, or a rate's row ("Aliquota IVA (%): 22.00"), under the label
        if kind == "amount" and heading is not None and _row_wider_than(other, heading):
            found = _amount_under(heading, other)
            if found is not None:
                return found
            continue
        value = _value_of(kind, other.text, day_first)
        if value is not None:
            return Found(value, other.page, list(other.bbox), confidence)
    return None


# A caption that names a rate: a percent sign standing for the figure ("(%)", "%:"), not after one
RATE_CAPTION = re.compile(r"\(\s*%\s*\)|(?<![\d\s])\s*%\s*:")


# A column heading's second line that makes it a rate's column, in several languages ("MwSt" over "Aliq.")
RATE_WORD = re.compile(
    r"\s*\(?(aliq(uota)?|rate|satz|steuersatz|taux|tasa|tarifa|sazba|stawka|%)\.?\s*(\(%\))?\)?\s*", re.I
)


# An amount printed with its cents ("16,10", "1.034.00")
WITH_CENTS = re.compile(r"\d[.,]\s?\d{2}(?!\d)")


def _reference_not_amount(text: str) -> bool:
    """A line below a label that is words with a whole number among them ("Art. 73 DPR 633/72", "Page 2
    of 3"): a legal reference or a remark, not the label's figure, which a summary prints alone or
    beside its currency, with its cents when it has words around it."""
    words = [word for word in re.findall(r"[^\W\d_]{2,}", text) if word.upper() not in CURRENCY_CODES]
    return len(words) >= 2 and WITH_CENTS.search(text) is None


def _row_wider_than(row: Line, heading: Line) -> bool:
    """A table row read as one line under a column heading: several amounts, and far wider, or reaching into another
    column on either side (a row of summary figures read as one line under a row of captions)."""
    height = heading.bbox[3] - heading.bbox[1]
    outside = row.bbox[0] < heading.bbox[0] - 2 * height or row.bbox[2] > heading.bbox[2] + 2 * height
    wider = row.bbox[2] - row.bbox[0] > 2 * (heading.bbox[2] - heading.bbox[0])
    return (wider or outside) and len(amounts_in(row.text)) >= 2


def _amount_under(heading: Line, row: Line) -> Found | None:
    """Of a row of figures read as one line ("21 % 1 500,00 Kč 30 000,00 Kč 6 300,00 Kč"), the amount
    with cents whose place stands under the column heading (characters taken as equally wide), not
    the row's first: that is another column's. None when no amount stands under it."""
    text = RATE.sub(lambda rate: " " * len(rate.group(0)), row.text)  # a rate is not an amount; keep places
    char = (row.bbox[2] - row.bbox[0]) / max(len(text), 1)
    centre, half = (heading.bbox[0] + heading.bbox[2]) / 2, (heading.bbox[2] - heading.bbox[0]) / 2
    best: tuple[float, Decimal] | None = None
    for found in AMOUNT.finditer(text):
        figure = found.group(0).strip()
        value = parse_amount(figure) if re.search(r"[.,]\d{2}$", figure) else None
        distance = abs(row.bbox[0] + char * (found.start() + found.end()) / 2 - centre)
        if value is not None and (best is None or distance < best[0]):
            best = (distance, value)
    if best is None or best[0] > half + 4 * char:
        return None
    return Found(best[1], row.page, list(row.bbox), 0.7)
