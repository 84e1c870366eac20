"""What follows a field label is that kind of value, in any locale (pii-patterns-v13; dates: v14).

Forms, letters and registers write a label and then its value: `DOB 2016.06.04.`, `born ngày 21 tháng 8
năm 2011`, `Tel. (+995) 565-38-15-52`, `Passport No. C01X00T47`, `Abode: Fale near the church, Ūtaita
village`. The value's shape varies with the locale, the writer and OCR's damage; the label says what it
is. A multilingual lexicon of labels (dates of birth, phones, e-mail, identity numbers, addresses) and,
for each kind, what a value of that kind may be made of (digits and date words; digits and phone
punctuation; one address token; ...) decide the value: from the label to the first thing that cannot
belong to it (the next label, running prose, the kind's length limit). Page texts are a page's lines
joined by spaces, so a line's end is not seen: the next label or the first words of prose end a value.

An address block is told by its position too: the lines after a name that a recipient label
introduces (`Employee: NAME`, `Tenant: NAME`) and the value of an address label are an address when
they hold a postcode-like number or a place or street word (2-18 tokens, ending at prose or a label).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from resources.pii_blocks import is_street_type
from resources.pii_dates import read_date
from resources.pii_document import LETTERS, UPPER
from resources.pii_patterns import PiiFinding
from resources.pii_words import is_common_english, is_english

# a label starts where no letter stands right before it (OCR may glue it to the value after it)
_NO_LETTER_BEFORE = rf"(?<![{LETTERS}])"
# what may stand between a label and its value: a colon, a dash, a full stop, "No.", "#", "on", "le", "am"
_GAP_RE = re.compile(
    r"[ \t]*(?:[:：#=.\-–—][ \t]*)*(?:(?i:on|the|le|am|el|em|il|no\.?|nr\.?|number)[ \t]*[:.]?[ \t]*)?"
)
# the most characters a gap may take before the value starts
MAX_GAP = 8

DOB_LABEL_RE = re.compile(
    r"D\.?[O0]\.?B\.?(?![A-Za-z])|"  # in capitals also glued to the word before ("TottilaDOB")
    + _NO_LETTER_BEFORE
    + r"(?i:d\.?[ \t]?[o0]\.?[ \t]?b\.?(?![a-z])|date[ \t]*of[ \t]*birth|birth[ \t]*date|birthday|born"
    r"|n[ée]e?[ \t]+le|date[ \t]+de[ \t]+naissance|geb(?:urtsdatum|oren)?\.?|fecha[ \t]+de[ \t]+nacimiento"
    r"|f\.[ \t]?nac\.?|nacid[oa]|data[ \t]+de[ \t]+nascimento|nascid[oa]|data[ \t]+di[ \t]+nascita|nat[oa][ \t]+il"
    r"|ngày[ \t]+sinh|sinh[ \t]+ngày|năm[ \t]+sinh|születési[ \t]+(?:dátum|idő)|szül\.|született"
    r"|дата[ \t]+рождения|data[ \t]+urodzenia|urodzon[ya]|doğum[ \t]+tarihi|geboortedatum|födelsedatum"
    r"|fødselsdato|syntymäaika|生年月日|出生日期|생년월일"
    # any field label that holds a word of birth, in any of these languages ("Taariikhda dhalashada:",
    # "Tuğan küni:", "Date de naissance / Geburtsdatum:", "Birth:")
    rf"|(?:[{LETTERS}]+[ \t]+){{0,2}}?[{LETTERS}]*(?:birth|naiss|geburt|nacim|nasc|dhalash|tuğan|туған|туыл|рожд"
    rf"|tug'il|doğ|sinh)[{LETTERS}]*(?:[ \t]+[{LETTERS}]+){{0,2}}?[ \t]*[:：])"
    r"|(?<![A-Za-z])b\.(?=[ \t]*\d)"  # "b. 12 March 1987" (lower case: "B." heads a list)
)
PHONE_LABEL_RE = re.compile(
    _NO_LETTER_BEFORE
    + r"(?i:tel(?:e?phone|efon(?:o|e|szám|nummer)?|éfono|éphone)?\.?|phone|ph\.|mob(?:ile|il)?\.?|cell(?:ular)?"
    r"|fax|handy|whatsapp|viber|hotline|contact[ \t]*(?:no|number)\.?|puhelin|numer[ \t]+telefonu"
    r"|т[еe]л(?:ефон)?\.?|電話|电话|điện[ \t]*thoại|s?đt\.?)"
)
EMAIL_LABEL_RE = re.compile(
    _NO_LETTER_BEFORE + r"(?i:e-?mail(?:[ \t]*address)?|courriel|correo(?:[ \t]+electr[oó]nico)?|e-?post|sähköposti"
    r"|thư[ \t]+điện[ \t]+tử|эл\.?[ \t]*почта|電子郵件|邮箱)"
)
# identity numbers: words that say so (any case), or an agency's acronym written in capitals
ID_LABEL_RE = re.compile(
    _NO_LETTER_BEFORE
    + r"(?:(?i:passport|pasaporte|passeport|reisepass|paszport|hộ[ \t]+chiếu|паспорт|id[ \t]*card|identity[ \t]*card"
    r"|national[ \t]*(?:id|insurance)|personal[ \t]*(?:id|code|number)|tax[ \t]*(?:id|number|code)|codice[ \t]+fiscale"
    r"|personnummer|henkilötunnus|ausweis(?:nummer)?|personalausweis|(?:patient|policy|member|employee|student)"
    r"[ \t]*(?:id|no|nr|number)|driver'?s[ \t]*licen[cs]e|licen[cs]e[ \t]*(?:no|number))"
    r"|(?<![a-z][ \t])ID(?=[ \t]*(?:[:#]|[Nn]o\b|[Nn]r\b|[Nn]umber))|DNI|NIE|NIF|CPF|PESEL|CNP|NINO|PPSN|BSN"
    r"|CURP|RUT|RFC|CMND|CCCD|EGN|OIB|AMKA|JMBG|TCKN|Aadhaar)(?![A-Za-z])"
)
ADDRESS_LABEL_RE = re.compile(
    _NO_LETTER_BEFORE + r"(?i:(?:(?:home|current|postal|permanent|mailing|residential|private)[ \t]+)?"
    r"(?:address|adresse|anschrift|dirección|direccion|domicilio|endereço|morada|indirizzo|adres|abode|domicile"
    r"|residence|wohnort|địa[ \t]+chỉ|lakcím|cím|адрес|住所|地址|cinwaanka|holding|situated|premises|parcel"
    r"|plot|localidad|ubicación"
    # (v23) where someone works, was born or lives, as a form's field names it ("Office: Betio village, …")
    r"|office|home|hometown|birthplace|place[ \t]+of[ \t]+(?:birth|residence|abode|domicile)|village|town)[ \t]*[:：]"
    # a letter's instruction where to write ("Condolences may be sent to …", "Replies to …")
    r"|(?:may|can|should)[ \t]+be[ \t]+(?:sent|addressed|forwarded|mailed|posted)[ \t]+to|replies[ \t]+to"
    r"|(?:residing|resident|resides|lives|living|domiciled)[ \t]+(?:at|in)|live[ \t]+at|wohnhaft[ \t]+in"
    r"|demeurant[ \t]+(?:à|au)|residente[ \t]+en|con[ \t]+domicilio[ \t]+en)"
)
# recipient and person labels whose name may be followed by the person's address lines
NAME_LABEL_RE = re.compile(
    _NO_LETTER_BEFORE
    + r"(?i:employee|full[ \t]*name|name|member|patient|tenant|applicant|guest|customer|client|recipient|addressee"
    r"|beneficiary|insured|policyholder|student|pupil|landlord|owner|consignee|child|father|mother|spouse|guardian"
    r"|witness|godparent|godfather|godmother|ship[ \t]*to|bill[ \t]*to|deliver[ \t]*to"
    r"|họ[ \t]+(?:và[ \t]+)?tên|nombre|nom|név|nome|imię[ \t]+i[ \t]+nazwisko|фио|имя|氏名|姓名)[ \t]*[:：]"
)
LABEL_KINDS = ((DOB_LABEL_RE, "dob"), (PHONE_LABEL_RE, "phone"), (EMAIL_LABEL_RE, "email"), (ID_LABEL_RE, "id"))

# a form's field label: a word (or two) and a colon ("Mother:", "Plan:"): it ends whatever value runs into it
# ("Given name:", "Date of birth:"; the words after the first in lower case, so "Kenya Mobile:" is a
# place and a label)
_FIELD_LABEL_RE = re.compile(rf"[{UPPER}][{LETTERS}'’]*(?:[ \t][a-z][{LETTERS}'’]*){{0,2}}[ \t]*[:：]")

# a phone number's characters: digits, OCR's look-alikes of them inside, brackets, "+", separators
_PHONE_VALUE_RE = re.compile(r"[(（]?[ \t]?\+?[ \t]?\d[\dOol ()（）./\-–]{4,26}\d(?:[ \t]*[)）])?")
MIN_PHONE_DIGITS, MAX_PHONE_DIGITS = 6, 15
# an identity number: letters and digits in one or a few groups, at least MIN_ID_DIGITS digits
_ID_VALUE_RE = re.compile(r"[A-Z]{0,3}[ \t]?\d[\dA-Z./\-]*(?:[ \t]\d[\dA-Z./\-]*){0,3}")
MIN_ID_DIGITS = 4
# an e-mail address as OCR may leave it: one token with an "@" (or "(at)"), or with a dot between letters
_EMAIL_VALUE_RE = re.compile(r"[^\s,;]{6,80}")


def find_label_values(text: str, forms: frozenset[str]) -> Iterator[PiiFinding]:
    """Values after date-of-birth, phone, e-mail and identity-number labels, whatever their shape."""
    for label_re, kind in LABEL_KINDS:
        for label in label_re.finditer(text):
            gap = _GAP_RE.match(text, label.end())
            start = gap.end() if gap and gap.end() - label.end() <= MAX_GAP else label.end()
            span = _VALUES[kind](text, start, forms)
            if span and not (kind == "id" and _too_short_for_its_agency(label.group(), text[span[0] : span[1]])):
                yield PiiFinding(kind, *span, 0.8, "label")


# a table's cell opens after its rule ("| 9 March 1955")
_CELL_RE = re.compile(r"\|[ \t]*")


def dates_under_birth_header(text: str) -> Iterator[PiiFinding]:
    """A whole date (a year in it) in a table's cell, on a page whose table has a birth column ("Born",
    "Date of birth"): the header is the label of every row's date."""
    if "|" not in text or not DOB_LABEL_RE.search(text):
        return
    for cell in _CELL_RE.finditer(text):
        if span := read_date(text, cell.end(), need_year=True):
            yield PiiFinding("dob", *span, 0.75, "label")


def _date_value(text: str, start: int, forms: frozenset[str]) -> tuple[int, int] | None:
    """Numbers and date words from `start` (resources/pii_dates.py): a number, and a year or a month; with
    the article the label's gap took (v15: "Born: the tenth of May 1986" keeps its "the")."""
    span = read_date(text, start, day_in_words=True)  # (v23) a birth label stands before it
    article = _ARTICLE_BEFORE_RE.search(text, max(0, start - 8), start)
    return (article.start(), span[1]) if span and article else span


_ARTICLE_BEFORE_RE = re.compile(r"(?<![^\W\d_])(?i:the)[ \t]+$")


def _phone_value(text: str, start: int, forms: frozenset[str]) -> tuple[int, int] | None:
    value = _PHONE_VALUE_RE.match(text, start)
    if not value:
        return None
    number = value.group().rstrip(" \t./-–")
    # a closing bracket without its opening one is the sentence's, not the number's
    if number[-1] in ")）" and number.count("(") + number.count("（") < number.count(")") + number.count("）"):
        number = number[:-1].rstrip(" \t./-–")
    digits = sum(char.isdigit() for char in number)
    return (start, start + len(number)) if MIN_PHONE_DIGITS <= digits <= MAX_PHONE_DIGITS else None


# every national number an agency's acronym labels is 7+ letters and digits (RUT 1.234.567-8 the
# shortest; PESEL, CPF 11, CURP 18): "RFC 5424" in a manual is a standard, not a Mexican tax number
MIN_AGENCY_ID_CHARS = 7


def _too_short_for_its_agency(label: str, value: str) -> bool:
    """Whether a value after an agency's acronym (not the generic `ID`) is shorter than any number it issues."""
    acronym = label.strip()
    if not acronym.isupper() or acronym == "ID":
        return False
    return sum(char.isalnum() for char in value) < MIN_AGENCY_ID_CHARS


def _id_value(text: str, start: int, forms: frozenset[str]) -> tuple[int, int] | None:
    value = _ID_VALUE_RE.match(text, start)
    if not value:
        return None
    number = value.group().rstrip(" \t./-")
    return (start, start + len(number)) if sum(c.isdigit() for c in number) >= MIN_ID_DIGITS else None


def _email_value(text: str, start: int, forms: frozenset[str]) -> tuple[int, int] | None:
    value = _EMAIL_VALUE_RE.match(text, start)
    if not value:
        return None
    token = value.group().rstrip(".:)")
    marked = "@" in token or re.search(r"(?i)[(\[]at[)\]]", token)
    # OCR may drop the "@": a dotted token of letters that is neither a word nor a path is still one
    dotted = re.fullmatch(rf"[{LETTERS}\d._%+-]+\.[A-Za-z]{{2,6}}", token) and not is_english(token, forms)
    return (start, start + len(token)) if marked or dotted else None


_VALUES = {"dob": _date_value, "phone": _phone_value, "email": _email_value, "id": _id_value}

# ---------------------------------------------------------------------------- address blocks by position

# words that say a token run is a place (lower case): place types of many languages and street words that
# the street-type list (resources/pii_blocks.py) does not hold
PLACE_WORDS = frozenset(
    """village town city district province county region ward commune municipality quarter suburb borough
    kebele woreda barangay colonia urbanización urb urb. aldea pueblo vila dorf gemeinde köy mahalle ilçe
    rayon oblast prefecture lot bis ter số ngõ ngách hẻm phố đường phường quận huyện xã tỉnh thôn ấp
    lakótelep emelet ajtó fszt fszt. apt. apt""".split()
)
# the words that place an address by a landmark ("…, opposite the Central Mosque", "…, near the market")
LOCATIVE_WORDS = frozenset("near opposite behind beside facing across off next past".split())
# a postcode-like number: 3-7 digits, or digits in two groups ("917 01", "00-950", "1234-567")
_POSTCODE_RE = re.compile(r"\d{3,7}|\d{2,4}-\d{2,3}")
_BLOCK_TOKEN_RE = re.compile(r"[,，]|[^\s,，]+")
# the most tokens and characters an address block takes (2-5 short lines)
MAX_BLOCK_TOKENS, MAX_BLOCK_CHARS = 18, 120
# lower-case English words in a row that an address may hold ("near the church")
MAX_PROSE_RUN = 3


_ADDRESS_GAP_RE = re.compile(r"[ \t:：\-–—]*")


def find_labelled_addresses(text: str, forms: frozenset[str]) -> Iterator[PiiFinding]:
    """The value of an address label ("Abode:", "Địa chỉ:", "residing at"), when it holds a place."""
    for label in ADDRESS_LABEL_RE.finditer(text):
        # (a house's "No." is the address's: only spaces and dashes lie between)
        gap = _ADDRESS_GAP_RE.match(text, label.end())
        # the label says it is an address: no place word is needed ("Address: Asuretis K. 71; Vale")
        if span := address_block(text, gap.end() if gap else label.end(), forms, need_place=False):
            yield PiiFinding("address", *span, 0.75, "label")


def addresses_after_named_parties(
    text: str, persons: Iterable[PiiFinding], forms: frozenset[str]
) -> Iterator[PiiFinding]:
    """The lines after a name that a recipient or person label introduces ("Employee: NAME" and the
    employee's street and town under it), when they form an address block."""
    names = sorted((f for f in persons if f.kind == "person"), key=lambda f: f.start)
    for label in NAME_LABEL_RE.finditer(text):
        named = next((f for f in names if label.end() <= f.start <= label.end() + 3), None)
        if named is None:
            continue
        start = _SPACES_RE.match(text, named.end).end()  # type: ignore[union-attr]  (always matches)
        if span := address_block(text, start, forms, after_name=True):
            yield PiiFinding("address", *span, 0.7, "label")


def lower_case_names(text: str, forms: frozenset[str]) -> Iterator[PiiFinding]:
    """A name after a person label that OCR or the writer left in lower case ("Child: giân văn giô linh"):
    two to five words, letters only, none an English word but a short particle inside ("van")."""
    for label in NAME_LABEL_RE.finditer(text):
        if span := _lower_case_name(text, label.end(), forms):
            yield PiiFinding("person", *span, 0.7, "label")


_NAME_WORD_RE = re.compile(rf"[ \t]*([{LETTERS}][{LETTERS}'’-]*)")
MAX_NAME_WORDS = 5
MAX_PARTICLE_LETTERS = 3


def _lower_case_name(text: str, start: int, forms: frozenset[str]) -> tuple[int, int] | None:
    words: list[re.Match[str]] = []
    cursor = start
    while len(words) < MAX_NAME_WORDS and (word := _NAME_WORD_RE.match(text, cursor)):
        value = word.group(1)
        particle = bool(words) and len(value) <= MAX_PARTICLE_LETTERS
        if (is_english(value, forms) and not particle) or not value.islower() or _next_label(text, word.start(1)):
            break
        words.append(word)
        cursor = word.end()
    return (words[0].start(1), words[-1].end()) if len(words) >= 2 else None


# a place named with its type: "Lōpamuma village", "phường Kim Liên", "ngõ 251"
_PLACE_ANCHOR_RE = re.compile(
    rf"(?<![{LETTERS}])(?:[{UPPER}][{LETTERS}'’ʻ-]+[ \t]+(?:village|district|ward|commune|kebele|barangay)"
    rf"(?![{LETTERS}])"
    rf"|(?:phường|quận|huyện|xã|tỉnh|ngõ|ngách|phố|thôn)[ \t]+[{LETTERS}\d])"
)
_PART_BEFORE_RE = re.compile(rf"([{UPPER}][{LETTERS}'’ʻ-]+)((?:[ \t]+[a-z]+){{0,3}})[ \t]*[,，][ \t]*$")


def find_place_anchored_addresses(text: str, forms: frozenset[str]) -> Iterator[PiiFinding]:
    """An address block around a place named with its type, taking the comma part right before it when that
    part opens with a word that is no English word ("Fale near the church, Lōpamuma village, Upolu")."""
    for anchor in _PLACE_ANCHOR_RE.finditer(text):
        start = anchor.start()
        if anchor.group()[0].isupper() and is_common_english(anchor.group().split()[0], forms):
            continue  # "Green village": an English word and a place type, no name (v23: "Bairiki village" is one)
        before = _PART_BEFORE_RE.search(text, max(0, start - 60), start)
        if before and not is_english(before.group(1), forms):
            start = before.start()
        if span := address_block(text, start, forms, after_name=True):
            yield PiiFinding("address", *span, 0.7, "label")


_SPACES_RE = re.compile(r"[ \t,]*")


def address_block(
    text: str, start: int, forms: frozenset[str], after_name: bool = False, need_place: bool = True
) -> tuple[int, int] | None:
    """The address block from `start`: tokens up to the next label or the first words of prose; it
    counts when it holds a postcode-like number or a place or street word, and a word or number
    that is no English word."""
    kept: list[re.Match[str]] = []
    prose_run = 0
    for token in _BLOCK_TOKEN_RE.finditer(text, start):
        if len(kept) >= MAX_BLOCK_TOKENS or token.end() - start > MAX_BLOCK_CHARS:
            break
        value = token.group()
        if value in ",，":
            kept.append(token)
            continue
        word = value.strip("()[]\"'.;:")
        after_comma = (not kept and not after_name) or (kept and kept[-1].group() in ",，")
        if _next_label(text, token.start()):
            break
        # (v23) a capitalised word WordNet holds but prose seldom writes is a place's ("Bairiki", "Tarawa")
        english_word = is_common_english(word, forms) if word[:1].isupper() else is_english(word, forms)
        english = bool(word) and word.isalpha() and english_word and word.lower() not in PLACE_WORDS
        if english and not is_street_type(word):
            if word[0].isupper() and _opens_prose(text, token.end(), forms):
                break  # a sentence or a heading opens ("Basic pay", "Baptised by")
            if word.islower():
                if after_comma and word not in LOCATIVE_WORDS:
                    break  # a clause goes on after the address ("..., invite NAME"); "…, near the Mosque" stays
                prose_run += 1
                if prose_run > MAX_PROSE_RUN:
                    break
        else:
            prose_run = 0
        kept.append(token)
        if value.endswith(".") and len(word) >= 4 and word.isalpha() and english:
            break  # a sentence's end
        wordnet_place = word[:1].isupper() and not english_word and is_english(word, forms)
        if wordnet_place and _opens_prose(text, token.end(), forms):
            break  # (v23) a place WordNet holds ends the address where prose goes on ("…, Suva since 2001")
    # (v15) a landmark's noun stays with it ("…, near the Maxabur market"): prose words after a locative word
    landmark = max((i for i, token in enumerate(kept) if token.group().lower() in LOCATIVE_WORDS), default=-1)
    while kept and (
        kept[-1].group() in ",，" or (_is_prose_word(kept[-1].group(), forms) and not 0 <= landmark < len(kept) - 2)
    ):
        kept.pop()
    if not (len(kept) >= 2 or (kept and not need_place and _glued_address(kept[0].group()))):
        return None
    if not _holds_place(kept, forms, need_place):
        return None
    return kept[0].start(), kept[-1].end()


def _next_label(text: str, at: int) -> bool:
    """Whether the next field's label opens at `at` ("Mother:", "Tel.", "DOB")."""
    return bool(_FIELD_LABEL_RE.match(text, at)) or any(label.match(text, at) for label in _ALL_LABELS)


_ALL_LABELS = (DOB_LABEL_RE, PHONE_LABEL_RE, EMAIL_LABEL_RE, ID_LABEL_RE, NAME_LABEL_RE, ADDRESS_LABEL_RE)


# an address OCR glued into one token after its label ("Address:AsuretisK.71;Vale"): a capital, a digit, 8+ chars
_GLUED_ADDRESS_RE = re.compile(rf"(?=.*[{UPPER}])(?=.*\d)(?!0[xX])[^\s]{{8,}}")


def _glued_address(token: str) -> bool:
    return bool(_GLUED_ADDRESS_RE.fullmatch(token))


def _opens_prose(text: str, end: int, forms: frozenset[str]) -> bool:
    """Whether a lower-case English word follows (the capitalised word before it opens a sentence); (v23) a
    place's particle before its next capitalised word is none ("Republic of Kiribati", "Isle of Man")."""
    after = re.compile(r"[ \t]+([a-z]+)").match(text, end)
    if after and (_PLACE_PARTICLE_RE.match(text, after.start()) or after.group(1) in PLACE_WORDS):
        return False  # (v23) "Bairiki village"
    return bool(after) and is_english(after.group(1), forms)  # type: ignore[union-attr]


# (v23) the particles inside a place's name
_PLACE_PARTICLE_RE = re.compile(rf"[ \t]+(?:of|de|del|della|do|da|dos|das|di|du|des|la|le|el)[ \t]+[{UPPER}]")


def _is_prose_word(token: str, forms: frozenset[str]) -> bool:
    word = token.strip(".;:")
    return word.isalpha() and word.islower() and is_english(word, forms) and word not in PLACE_WORDS


def _holds_place(tokens: list[re.Match[str]], forms: frozenset[str], need_place: bool = True) -> bool:
    words = [token.group().strip("()[]\"'.;:,") for token in tokens]
    place = any(
        _POSTCODE_RE.fullmatch(word) or word.lower() in PLACE_WORDS or is_street_type(word) for word in words if word
    )
    distinct = any(
        any(char.isdigit() for char in word) or (word[:1].isupper() and not is_common_english(word, forms))
        for word in words
        if word
    )
    return (place or not need_place) and distinct
