"""The vendor: under its label, on the sender line over the address window, in the issuer's legal
mention, as the bank details' payee, else the first name at the top; never the party addressed (the
customer's block, an attention line, a person by civility).
"""

from __future__ import annotations

import re

from mm_assets.operations.invoice_doctype import _names_the_document
from mm_assets.operations.invoice_evidence import issuer_by_stub, issuer_by_tax_id
from mm_assets.operations.invoice_items import COLUMN_HEADINGS
from mm_assets.operations.invoice_label_match import _label_match, _label_match_any
from mm_assets.operations.invoice_labels import CAPTION_WORDS, MAX_NAME_CHARS, _first_value, find_field
from mm_assets.operations.invoice_lexicon import alternation
from mm_assets.operations.invoice_values import (
    Found,
    _head_box,
    _line_above_or_left,
    _lines_below,
    _same_row,
    _tail_box,
    looks_like_date,
)
from mm_assets.page_layout import Line

LEGAL_FORMS = (
    r"\b(gmbh|ag|kg|e\.\s?k\.|a\.\s?g\.|e\.\s?v\.|sarl|sas|sa|société\s*anonyme|ltd\.?|limited|inc\.?|llc|plc|co\.?|corp\.?|"
    r"pvt\.?|private|bv|nv|s\.?r\.?l\.?|s\.?p\.?a\.?)(?![^\W\d_])"
)


# A legal mention that only the issuer prints: share capital, managing directors, register court.
LEGAL_MENTION = re.compile(
    r"au\s*capital|capital\s*social|gesch[äa]ftsf[üu]hr|vorstand|amtsgericht|handelsregister|registergericht|"
    r"\bHRB\b|\bR\.?C\.?S\.?\b|registered\s*(office|in)|company\s*(no|number|registration)|"
    r"(company\s*)?with\s*a\s*(share\s*)?capital",
    re.I,
)


# a middle dot or bullet separates with or without spaces (OCR drops them: "goceptapitest·Forsterstr.29")
SEPARATORS = re.compile(r"\s*[·•]\s*|\s+[-–−|]\s+|\s*,\s+")


LABELLED_VALUE = re.compile(r"[\w .’'-]{1,24}:")  # "Guest Name: Sanjay", "Bairro: CENTRO"


# The payee named by the bank details is the issuer: "Titulaire du compte : NETPRESSE".
ACCOUNT_HOLDER = re.compile(
    r"(titulaire\s*du\s*compte|kontoinhaber(in)?|account\s*(holder|name)|beneficiary|beg[üu]nstigter|"
    r"rekeninghouder|ten\s*name\s*van|titular\s*de\s*la\s*cuenta)\s*:?\s*",
    re.I,
)


# The customer's block: its caption, and a person addressed by civility ("M DE LATTRE ALEXIS")
CUSTOMER_LABEL = re.compile(
    r"\s*(bill(ed)?\s*to|ship(ped)?\s*to|sold\s*to|invoice\s*to|customer|client|buyer|recipient|"
    r"rechnungs(empf[äa]nger|adresse)|kunde|k[äa]ufer|lieferadresse|factur[ée]\s*[àa]|destinataire|acheteur|"
    r"klant|afnemer|cliente|facturar\s*a|"
    # a line addressed to a person at the customer: "Attn: Mr Sherlock Holmes", "z. Hd. Frau", "à l'attention de"
    # and the buyer's caption in every language of the lexicon ("Nabywca", "Kupac", "Покупатель")
    r"attn|attention|z\.?\s*hd|[àa]\s*l['’]\s*attention)(?![^\W\d_])" + r"|\s*" + alternation("buyer"),
    re.I,
)


CIVILITY = re.compile(r"\s*(m|mme|mlle|mr|mrs|ms|herr|frau|monsieur|madame|sr|sra|dhr|mevr)\.?\s+[A-Z]", re.I)


# A web or mail domain ("www.azure-interior.com", "@exact.be"): its name, letters only.
DOMAIN = re.compile(r"(?:www\.|@|https?://)([a-z0-9-]+(?:\.[a-z0-9-]+)*)\.[a-z]{2,}", re.I)


# A street, not a name: a house number before or after its words ("14 Clerkenwell Green", "Nyhavn 17")
STREET = re.compile(r"^\d+[a-z]?\s+[^\W\d_]|[^\W\d_]\s+\d+\s*[a-z]?$", re.I)


# A section's caption at the top of a page ("Resumen del servicio", "Zusammenfassung"): no vendor's name
SECTION_CAPTION = re.compile(
    r"\s*(summary|zusammenfassung|[üu]bersicht|resumen|r[ée]sum[ée]|r[ée]capitulatif|samenvatting|overview)"
    r"(?![^\W\d_])",
    re.I,
)


# A section heading that names the seller's block ("Informationen zum Verkäufer", "Seller details", "Supplier"):
# a short line, no figures
SELLER_HEADING = re.compile(
    r"(?<![^\W\d_])(verk[äa]ufers?|seller|supplier|lieferanten?|vendor|fournisseur|vendeur|leverancier|proveedor|"
    r"cedente|prestatore|fornitore|emittente|prestador|fornecedor|emitente|vendedor(a|es)?)"
    r"(?![^\W\d_])"
    r"|datos\s*del\s*(vendedor|proveedor|emisor)"  # Spanish "DATOS DEL VENDEDOR", OCR's "DATOSDELVENDEDOR" too
    + r"|(?<![^\W\d_])"
    + alternation("seller"),  # the lexicon's seller words ("Sprzedawca", "Satıcı", "Продавец")
    re.I,
)


# The caption of a name in a block of "Caption: value" rows ("Firmenname:", "Company name:", "Name:")
NAME_CAPTION = re.compile(
    r"\s*((firmen|unternehmens)name|((company|trade|business|legal)\s*)?name|denominazione|ragione\s*sociale|"
    # Portuguese "Nome / Nome Empresarial", "Razão Social"
    r"nominativo|benennung|raison\s*sociale|raz[óo]n\s*social|raz[ãa]o\s*social|nome(\s*/\s*nome\s*empresarial)?|"
    r"d[ée]nomination|nombre(\s*y\s*apellidos?)?)\s*:\s*",  # Spanish "Nombre:"
    re.I,
)
# the same caption alone on its line, its value beside it ("Benennung" | "YourCompany")
NAME_CAPTION_ALONE = re.compile(NAME_CAPTION.pattern.replace(r"\s*:\s*", r"\s*:?\s*$"), re.I)


MAX_HEADING_WORDS = 10  # "Daten zum Lieferanten/Freiberufler - Dati del cedente/prestatore": two languages


def _name_in_seller_section(lines: list[Line]) -> Found | None:
    """The name captioned in the seller's section: under a heading that names the seller, the first
    name caption ("Firmenname:") within a few rows, its value beside it on the row. A rendering of
    structured data (an e-invoice viewer) prints the buyer and the seller as such blocks, the buyer
    often first."""
    ordered = sorted(lines, key=lambda line: (line.page, line.bbox[1], line.bbox[0]))
    for index, heading in enumerate(ordered):
        text = heading.text
        if not SELLER_HEADING.search(text) or len(text.split()) > MAX_HEADING_WORDS or re.search(r"\d", text):
            continue
        height = heading.bbox[3] - heading.bbox[1]
        # a heading alone on its row (centred over the page: "DATOS DEL VENDEDOR") heads the full width; with
        # another block's heading beside it, its own column only
        beside_heading = any(
            o is not heading and o.page == heading.page and _same_row(heading.bbox, o.bbox) for o in lines
        )
        for caption in ordered[index + 1 :]:
            if caption.page != heading.page or caption.bbox[1] - heading.bbox[3] > 8 * height:
                break
            if beside_heading and (caption.bbox[0] >= heading.bbox[2] or caption.bbox[2] <= heading.bbox[0]):
                continue  # another block's column (the buyer's beside the seller's)
            label = NAME_CAPTION.match(caption.text) or NAME_CAPTION_ALONE.match(caption.text)
            if label is None:
                continue
            rest = caption.text[label.end() :].strip()
            beside = sorted(
                (
                    o
                    for o in lines
                    if o.page == caption.page and _same_row(caption.bbox, o.bbox) and o.bbox[0] > caption.bbox[2]
                ),
                key=lambda o: o.bbox[0],
            )
            under = _value_under_caption(caption, lines)
            if beside and under[0] is not None and _value_under_caption(beside[0], lines)[0] is not None:
                beside = []  # a row of captions, each over its value (a box-grid form): the name is under its own
            text_found, where = (
                (rest, _tail_box(caption, label.end()))
                if rest
                else ((beside[0].text, list(beside[0].bbox)) if beside else under)
            )
            name = _name_segment(text_found) if text_found else None
            if name is not None:
                return Found(name, caption.page, where, 0.65)
            # a caption without its value on its row (a bilingual pair over and under the value): the next
    return None


def _value_under_caption(caption: Line, lines: list[Line]) -> tuple[str | None, list[float] | None]:
    """The line right under a caption that stands alone on its row, in its column (a box-grid form prints
    "Nome / Nome Empresarial" over the name): its text and box, or nothing where that line is a caption too."""
    height = caption.bbox[3] - caption.bbox[1]
    under = [
        o
        for o in lines
        if o.page == caption.page
        and 0 <= o.bbox[1] - caption.bbox[3] <= 1.5 * height
        and o.bbox[0] < caption.bbox[2]
        and o.bbox[2] > caption.bbox[0]
    ]
    if not under:
        return None, None
    first = min(under, key=lambda o: (o.bbox[1], o.bbox[0]))
    if NAME_CAPTION_ALONE.match(first.text) or NAME_CAPTION.match(first.text):
        return None, None
    return first.text, list(first.bbox)


def _name_under_label(lines: list[Line]) -> Found | None:
    """A vendor label alone on its line ("Service Provider:") with the name in the block under it,
    a remark in brackets possibly first; the lines under it by distance, not by reading order, as
    a second column's lines come between them."""
    for line in lines:
        label = _label_match("vendor", line.text)
        rest = line.text[label.end() :] if label else ""
        if label is None or (rest.strip() and not CAPTION_WORDS.match(rest)):
            continue
        height = line.bbox[3] - line.bbox[1]
        under = [
            other
            for other in lines
            if other.page == line.page
            and 0 <= other.bbox[1] - line.bbox[3] + 2 <= 4 * height
            and other.bbox[0] < line.bbox[2]
            and other.bbox[2] > line.bbox[0]
        ]
        found = _first_value("name", sorted(under, key=lambda o: o.bbox[1]), True, confidence=0.7)
        if found is not None:
            return found
    return None


def _name_segment(text: str) -> str | None:
    """A company name: words beyond a bare legal form, no label, date, address or web detail."""
    text = text.strip(" ,;:-–−·|")
    words = re.sub(LEGAL_FORMS, " ", text, flags=re.I).split()
    if (
        not words
        or not re.search(r"[^\W\d_]{2}", " ".join(words))
        or len(text) > MAX_NAME_CHARS
        or re.search(r"@|www\.|https?:|\d{3}", text)
        or STREET.search(text)
        or _label_match_any(text)
        or _names_the_document(text)
        or looks_like_date(text)
    ):
        return None
    return text


def _sender_line(top_lines: list[Line]) -> Found | None:
    """The sender's line over a letter's address window, "QualityHosting AG - Uferweg 40-42 -
    D-63571 Gelnhausen": a name, then the address, between separators."""
    for line in top_lines:
        parts = SEPARATORS.split(line.text)
        if LABELLED_VALUE.match(parts[0]):
            continue  # "Bairro: CENTRO - Curitiba/PR - 80000-000": a captioned part of an address, no sender
        if len(parts) >= 3 and re.search(r"\d", " ".join(parts[1:])):
            name = _name_segment(parts[0])
            if name is not None:
                return Found(name, line.page, _head_box(line, len(parts[0])), 0.65)
    return None


def _legal_mention(lines: list[Line]) -> Found | None:
    """The company named by a legal mention ("Free SAS au capital de ...", "BOUYGUES TELECOM -
    Société Anonyme au capital de ...", "MUSTERLIEFERANT GMBH Geschäftsführung: ..."): the text
    before the mention, its first segment. Only the issuer prints its own."""
    for line in lines:
        mention = LEGAL_MENTION.search(line.text)
        if mention is None:
            continue
        before = SEPARATORS.split(line.text[: mention.start()])
        name = _name_segment(before[0]) if before else None
        if name is not None:
            return Found(name, line.page, _head_box(line, len(before[0])), 0.6)
        if not line.text[: mention.start()].strip():  # "Registered Office: ..." under the name
            neighbour = _line_above_or_left(line, lines)
            name = _name_segment(SEPARATORS.split(neighbour.text)[0]) if neighbour else None
            if neighbour is not None and name is not None:
                return Found(name, neighbour.page, list(neighbour.bbox), 0.55)
    return None


def find_vendor(lines: list[Line]) -> Found | None:
    """A 'From:'-style label's value, else the first line of page 1 that is a name, not a label,
    number or the document's own title."""
    labelled = _name_under_label(lines) or find_field("vendor", lines, True)
    if labelled is not None and not _addressed(labelled.value):
        return labelled
    first_page = [line for line in lines if line.page == lines[0].page] if lines else []
    found = (
        issuer_by_stub(first_page, _could_be_a_name)
        or _name_in_seller_section(lines)
        or _sender_line(first_page[:8])
        or _legal_mention(lines)
        or _account_holder(lines)
        # a fiscal form's issuer over its tax id, before a first line that may be its title ("CT-E")
        or issuer_by_tax_id(first_page, _could_be_a_name)
    )
    if found is not None:
        return found
    customer = _customer_block(first_page)
    candidates = [
        line
        for line in first_page[:8]
        if _could_be_a_name(line.text.strip())
        and not _labels_its_row(line, first_page)
        and not CIVILITY.match(line.text)
        and not _heads_a_column(line, first_page)
        and not any(line is other for other in customer)
    ]
    if not candidates:
        return None
    # the document's own web or mail domain names its issuer ("azure-interior.com"), not its customer
    line = next((c for c in candidates if _named_by_a_domain(c.text, lines)), candidates[0])
    return _with_wrapped_rest(line, first_page) or Found(line.text.strip(), line.page, list(line.bbox), 0.6)


def _addressed(text: str) -> bool:
    """A name that is the party addressed: a customer caption's line ("Attn: Mr Sherlock Holmes") or a person
    by civility. A vendor label's column may run into the customer's block under it."""
    return bool(CUSTOMER_LABEL.match(text) or CIVILITY.match(text))


# A sentence, not a name: it ends in "!" or "。", or in "." after a word in lower case of five letters or more
# ("Bereiche ohne Inhalte werden nicht dargestellt!", "Received the amount above."); "Acme Ltd." and "Foo Inc." end
# in short abbreviations
SENTENCE_END = re.compile(r"([!！。]|[a-zß-ÿ]{5,}\.)\s*$")


def _could_be_a_name(text: str) -> bool:
    return bool(
        re.search(r"[^\W\d_]{2}", text)  # letters of any script: "市ヶ谷駅前店" is a shop's name
        and not SENTENCE_END.search(text)
        and not _names_the_document(text)
        and not _label_match_any(text)
        and not looks_like_date(text)
        and not re.search(r"@|www\.|\d{3}", text)
        and not LABELLED_VALUE.match(text)  # "Guest Name: Sanjay": a labelled value
        and len(text) <= MAX_NAME_CHARS
        and not text.startswith("(")
        and not SECTION_CAPTION.match(text)
        and not _column_headings(text)
    )


def _column_headings(text: str) -> bool:
    """A row of item-table headings ("Cantidad Descripción", "Qty Description Amount"): two or more
    words, each one a heading's."""
    words = text.split()
    return len(words) >= 2 and all(any(re.search(p, w, re.I) for p in COLUMN_HEADINGS.values()) for w in words)


def _heading_words(text: str) -> bool:
    """Whether a text is one to three item-table heading words ("Qty", "Pr ix" split by the text layer)."""
    words, squeezed = text.split(), re.sub(r"\s+", "", text)
    return 0 < len(words) <= 3 and any(
        re.fullmatch(rf"({p})[^\W\d_]*\.?", squeezed, re.I) for p in COLUMN_HEADINGS.values()
    )


def _heads_a_column(line: Line, lines: list[Line]) -> bool:
    """A column heading, never a vendor: heading words with another heading beside them on the row
    ("Description  Qty  Unit  Amount")."""
    if not _heading_words(line.text):
        return False
    return any(
        other is not line
        and other.page == line.page
        and min(other.bbox[3], line.bbox[3]) > max(other.bbox[1], line.bbox[1])  # they overlap in height
        and _heading_words(other.text)
        for other in lines
    )


def _customer_block(lines: list[Line]) -> list[Line]:
    """The lines a customer caption ("Bill To:", "Rechnungsempfänger", "Client :") heads, and the
    caption's own line: whoever is billed is not the vendor."""
    block: list[Line] = []
    for line in lines:
        if CUSTOMER_LABEL.match(line.text):
            block.append(line)
            block += _lines_below(line, lines, 5)
    return block


def _labels_its_row(line: Line, lines: list[Line]) -> bool:
    """A caption whose value stands beside it after a colon ("Remise à Zéro" | ": 01/12/2019")."""
    beside = [
        o for o in lines if o.page == line.page and o.bbox[0] >= line.bbox[2] - 2 and _same_row(line.bbox, o.bbox)
    ]
    return bool(beside) and min(beside, key=lambda o: o.bbox[0]).text.lstrip().startswith(":")


def _letters(text: str) -> str:
    return re.sub(r"[^a-z]", "", re.sub(LEGAL_FORMS, " ", text.lower(), flags=re.I))


def _named_by_a_domain(text: str, lines: list[Line]) -> bool:
    """Whether a name and a domain the document prints are one ("Exact Belgium II" and exact.be,
    "Azure Interior" and azure-interior.com): one's letters start the other's, four or more."""
    name = _letters(text)
    for line in lines:
        for domain in DOMAIN.finditer(line.text):
            part = _letters(domain.group(1).split(".")[-1])
            if len(part) >= 4 and len(name) >= 4 and (name.startswith(part) or part.startswith(name)):
                return True
    return False


def _account_holder(lines: list[Line]) -> Found | None:
    """The payee of the bank details ("Titulaire du compte : NETPRESSE"): the issuer is paid."""
    for line in lines:
        holder = ACCOUNT_HOLDER.search(line.text)
        if holder is None:
            continue
        rest = line.text[holder.end() :]
        name = _name_segment(SEPARATORS.split(rest)[0]) if rest.strip() else None
        if name is not None:
            return Found(name, line.page, _tail_box(line, holder.end()), 0.55)
    return None


def _with_wrapped_rest(line: Line, lines: list[Line]) -> Found | None:
    """A name wrapped onto a second line ("MVM Musterhafter" over "Versicherungsverein Musterstadt
    a.G."): the line right under it, at the same left edge, that ends in the legal form the first
    line lacks."""
    height = line.bbox[3] - line.bbox[1]
    if re.search(LEGAL_FORMS, line.text, re.I):
        return None
    for other in lines:
        if (
            other.page == line.page
            and abs(other.bbox[0] - line.bbox[0]) <= 0.3 * height
            and 0 <= other.bbox[1] - line.bbox[3] <= 0.8 * height
            and re.search(LEGAL_FORMS + r"\W*$", other.text, re.I)
            and _name_segment(other.text) is not None
        ):
            joined = f"{line.text.strip()} {other.text.strip()}"
            if len(joined) <= MAX_NAME_CHARS:
                box = [min(line.bbox[0], other.bbox[0]), line.bbox[1], max(line.bbox[2], other.bbox[2]), other.bbox[3]]
                return Found(joined, line.page, box, 0.55)
    return None
