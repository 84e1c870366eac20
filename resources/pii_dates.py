"""A date as a birth label's value, in any language and calendar (pii-patterns-v14).

After a date-of-birth label, a date is told by its shape, not by a list of its words: numbers with any
separators (`12.III.1987`, `12-Mar-1987`, `1987/3/12`), a Roman-numeral month, a month word of any language
(a word between a day number and a four-digit year is a month, whatever its letters: `12 наурыз 1987`,
`12 Luulyo 1987`; a word before a day number and a year too: `Meskerem 12, 1979`), ordinals (`12th`,
`twelfth of March`), years of other calendars (any four digits 1300-2600: `2530 B.E.`, `1979 E.C.`) and
the era's letters after them. Known month stems of many languages still count where the day or the year
is missing (`March 1987`). The value is bounded: MAX_DATE_CHARS characters, MAX_DATE_TOKENS parts.

(v23) The one date reader: the day-month-year triples of v21 (resources/pii_birth_triples.py until v22) are read
here too. A year OCR wrote with look-alikes (`2o03`, `l987`) or of two digits after an apostrophe (`'92`); up to
MAX_MONTH_WORDS words between the day and the year, whatever their language (`14 da zercladur 1968`, `7 Mee ny
Tholl 1990`); the short lower-case words a language writes before the day (`ils 22 da mars 1942`, `lo 4 de ...`);
the year first, then its words, the day and the month (`1961-jıl 22-yanvar`, `1983 m. birželio 4 d.`); and, where
the caller knows a birth label stands before it, a day written in words (`lo setze de genièr de 2005`).
"""

from __future__ import annotations

import itertools
import re

from resources.pii_document import LETTERS, LOWER

# month names and their stems in many languages, matched on a word's start (a month without its day)
MONTH_STEMS = tuple(
    """jan feb mar apr may mai jun jul aug sep oct okt nov dec dez ene abr ago set out dic gen giu lug ott
    janv fév fev avr juil aoû déc már máj jún júl szept styc lut kwi czer lip sier wrz paź lis gru oca şub
    nis haz tem ağu eyl eki kas ara yan iyun iyul avq noy dek янв фев мар апр мая июн июл авг сен окт ноя дек""".split()
)
# the small words a written date holds between its parts ("4 de mayo de 1990", "ngày 21 tháng 8 năm 2011")
DATE_WORDS = frozenset("ngày tháng năm ngay thang nam de del of the le am г г. года року rok roku den".split())
ROMAN_MONTHS = frozenset("i ii iii iv v vi vii viii ix x xi xii".split())
# the letters of an era after a year ("1979 E.C.", "2530 B.E.", "1407 A.H.")
# or the language's word for "year", cut short ("1957 j.", "1957 г.", "1957 r.")
# or (v15) any two or three capitals standing alone, an era's abbreviation without points ("1365 SH", "1407 AH")
ERA_RE = re.compile(
    r"[ \t]*(?:(?i:a\.?d|b\.?c\.?e?|c\.?e|b\.?e|e\.?c|a\.?h|h\.?s|a\.?p)\.?(?![^\W\d_])|[^\W\d_]{1,2}\.(?![^\W\d_])"
    r"|[A-Z]{2,3}(?![^\W_]))"
)
ORDINAL_WORDS = frozenset(
    """first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth
    fifteenth sixteenth seventeenth eighteenth nineteenth twentieth thirtieth""".split()
)
# (v15) a compound ordinal ("twenty-first"), and one OCR glued to the "of" after it ("tenthof")
_ORDINAL_RE = re.compile(rf"(?i:(?:twenty|thirty)[- ]?)?(?:{'|'.join(sorted(ORDINAL_WORDS))})(?i:of)?")
FIRST_YEAR, LAST_YEAR = 1300, 2600
# (v15) the Hebrew calendar counts years from 3761 BCE: a birth year of the last three centuries is 5600-5900
HEBREW_YEARS = (5600, 5900)
MAX_DATE_CHARS, MAX_DATE_TOKENS = 40, 9
MAX_MONTH_LETTERS = 18  # (v15) Thai month names run to 16 letters ("Phruetsachikayon")

# one part of a date: a number (OCR's look-alikes of digits inside, separators inside, an ordinal ending
# after it), or a word; what stands between two parts
# (v23) or a year of two digits after an apostrophe ("Dec. 13, '92")
_NUMBER_RE = re.compile(
    r"['’]\d{2}(?!\d)|[0-9OolI]*\d[0-9OolI]*(?:[./\-–][0-9OolI]*\d[0-9OolI]*)*(?:st|nd|rd|th|er|e|º|ª)?"
)
_WORD_RE = re.compile(rf"[{LETTERS}]+(?:[-'’][{LETTERS}]+)?")
_BETWEEN_RE = re.compile(r"[ \t]*(?:[./\-–年月日,][ \t]*)?")


def read_date(
    text: str, start: int, need_year: bool = False, min_parts: int = 2, day_in_words: bool = False
) -> tuple[int, int] | None:
    """The date that opens at `start`, as (start, end), or None where no date stands there (need_year:
    only a date with a year of FIRST_YEAR-LAST_YEAR and at least `min_parts` parts counts). (v23) The short
    lower-case words before its day count with a whole date; `day_in_words`: a birth label stands before `start`,
    so words ending in a year are a date too (`lo setze de genièr de 2005`)."""
    if span := _read_parts(text, start, need_year, min_parts):
        return span
    small = _SMALL_WORDS_RE.match(text, start)
    if small and (span := _read_parts(text, small.end(), True, max(min_parts, 3))):
        return start, span[1]
    return _date_in_words(text, start) if day_in_words else None


# (v23) the short lower-case words a language writes before a date's day (`ils`, `lo`, `le`, `the`): two at most
_SMALL_WORDS_RE = re.compile(rf"(?:[{LOWER}]{{1,3}}[ \t]+){{1,2}}")


def _read_parts(text: str, start: int, need_year: bool, min_parts: int) -> tuple[int, int] | None:
    parts = _parts(text, start)
    end, digits, month, count, year = start, 0, False, 0, False
    for index, (kind, part) in enumerate(parts):
        value = part.group()
        if kind == "number":
            digits += sum(char.isdigit() for char in value)
        elif _is_month_word(value, parts, index):
            if count and _DAY_AND_MONTH_RE.fullmatch(text, parts[0][1].start(), end):
                break  # a month word after a day and month in figures: a version ("(7.2 Nov 2010)"), not a date
            month = True
        elif value.lower() not in DATE_WORDS:
            break
        else:
            continue  # a small word counts only inside a date
        end = part.end()
        count += 1
        if kind == "number" and _ends_in_year(value):
            year = True
            count += len(re.findall(r"\d+", value)) - 1  # "06/10/2511": day, month and year in one part
            if era := ERA_RE.match(text, end):
                end = era.end()
                break
            if count >= 2:
                break  # day, month and year: the date is whole ("9 March 1955 002 | ...": a row's number)
        elif kind == "word" and year and _number_at(parts, index - 1, _is_day):
            break  # (v23) the year first, then its day and month: whole ("1961-jıl 22-yanvar")
    if text[end : end + 1] == "." and "." in text[start:end]:
        end += 1  # a dotted date keeps its last point ("2016.06.04.", "1975. 03. 14.")
    if need_year and not (year and count >= min_parts):
        return None
    if count and digits and (digits >= 4 or month) and end - start <= MAX_DATE_CHARS:
        return start, end
    return None


# a day and a month in figures, and nothing else: "7.2", "07/02"
_DAY_AND_MONTH_RE = re.compile(r"\d{1,2}[./-]\d{1,2}")


# (v23) a day in words: at most this many words before the year, two of them more than a small word
MAX_WORDS_BEFORE_YEAR, MIN_LONG_WORDS = 6, 2


def _date_in_words(text: str, start: int) -> tuple[int, int] | None:
    """Words, then a year, right after a birth label (`lo vint-e-quatre de julhet de 2004`)."""
    small = _SMALL_WORDS_RE.match(text, start)
    parts = _parts(text, small.end() if small else start)
    words = list(itertools.takewhile(lambda part: part[0] == "word", parts))
    if not 0 < len(words) <= MAX_WORDS_BEFORE_YEAR or len(parts) == len(words):
        return None
    long_words = [part for _kind, part in words if len(part.group()) > 3 or not part.group().islower()]
    year = parts[len(words)][1]
    if len(long_words) < MIN_LONG_WORDS or not _is_year(year.group()) or year.end() - start > MAX_DATE_CHARS:
        return None
    # a date's words are lower case but for a month's capital, and one phrase: a place's parts are not
    # (`Taveuni District, Suva since 2001`)
    if sum(not part.group().islower() for _kind, part in words) > 1 or "," in text[start : year.start()]:
        return None
    # and the day and the month stand apart by a small word (`de`, `of`): `Suva since 2001` is no date
    if len(long_words) == len(words):
        return None
    era = ERA_RE.match(text, year.end())
    return start, era.end() if era else year.end()


def _parts(text: str, start: int) -> list[tuple[str, re.Match[str]]]:
    """The numbers and words from `start`, in order, up to the length bound."""
    parts: list[tuple[str, re.Match[str]]] = []
    cursor = start
    while len(parts) < MAX_DATE_TOKENS and cursor - start <= MAX_DATE_CHARS:
        if number := _NUMBER_RE.match(text, cursor):
            parts.append(("number", number))
        elif word := _WORD_RE.match(text, cursor):
            parts.append(("word", word))
        else:
            break
        between = _BETWEEN_RE.match(text, parts[-1][1].end())
        cursor = between.end() if between else parts[-1][1].end()
        if cursor == parts[-1][1].end() and parts[-1][0] == "word" and not text[cursor : cursor + 1].isdigit():
            break  # two words glued with nothing between are one word; a word glued to a number is OCR's
    return parts


def _is_month_word(word: str, parts: list[tuple[str, re.Match[str]]], index: int) -> bool:
    """A month's name, a Roman-numeral month, an ordinal word, or any word in a month's position: between
    a day and a year ("12 Luulyo 1987"), or before a day and a year ("Meskerem 12, 1979")."""
    lower = word.lower()
    if len(word) > MAX_MONTH_LETTERS:
        return False
    if lower.startswith(MONTH_STEMS) and len(lower) <= 10 or _ORDINAL_RE.fullmatch(lower):
        return True
    if word.isupper() and lower in ROMAN_MONTHS and _number_at(parts, index - 1, _is_day):
        return True
    before = _number_at(parts, index - 1, _is_day)
    after = [part.group() for kind, part in parts[index + 1 :] if part.group().lower() not in DATE_WORDS]
    if before and after and _is_year(after[0]):
        return True
    if not before and index == 0 and len(after) >= 2 and _is_day(after[0]) and _is_year(after[1]):
        return True
    # (v23) one of a few words between a day and a year; a year's short word before its day (`1961-jıl 22`, the
    # language's "year"); the month after a day that follows them
    if _between(parts, index, _is_day, _is_year):
        return True
    year_word = len(word) <= MAX_YEAR_WORD_LETTERS and _between(parts, index, _is_year, _is_day)
    return year_word or _after_years_day(parts, index)


MAX_YEAR_WORD_LETTERS = 4


# (v23) the most words between a date's numbers (`14 da zercladur 1968`, `7 Mee ny Tholl 1990`)
MAX_MONTH_WORDS = 3


def _between(parts: list[tuple[str, re.Match[str]]], index: int, first, then) -> bool:
    """Whether the word at `index` stands among at most MAX_MONTH_WORDS words between a number passing `first`
    and one passing `then`."""
    before = index - 1
    while before >= 0 and parts[before][0] == "word":
        before -= 1
    after = index + 1
    while after < len(parts) and parts[after][0] == "word":
        after += 1
    if before < 0 or after >= len(parts) or after - before - 1 > MAX_MONTH_WORDS:
        return False
    return first(parts[before][1].group()) and then(parts[after][1].group())


def _after_years_day(parts: list[tuple[str, re.Match[str]]], index: int) -> bool:
    """The month word right after a day that follows a year and its words (`1961-jıl 22-yanvar`)."""
    if index < 2 or parts[index - 1][0] != "number" or not _is_day(parts[index - 1][1].group()):
        return False
    before = index - 2
    while before >= 0 and parts[before][0] == "word" and len(parts[before][1].group()) <= MAX_YEAR_WORD_LETTERS:
        before -= 1
    return 0 <= before < index - 2 and parts[before][0] == "number" and _is_year(parts[before][1].group())


def _number_at(parts: list[tuple[str, re.Match[str]]], index: int, test) -> bool:
    # the number before skips the small words ("12th of March")
    while index >= 0 and parts[index][1].group().lower() in DATE_WORDS:
        index -= 1
    return index >= 0 and parts[index][0] == "number" and test(parts[index][1].group())


def _is_day(value: str) -> bool:
    digits = re.sub(r"\D", "", value)
    return value[:1].isdigit() and 1 <= len(digits) <= 2 and 1 <= int(digits) <= 31


# (v23) OCR's look-alikes of digits inside a year (`2o03`, `l987`)
_LOOK_ALIKES = str.maketrans("OoIl", "0011")
_TWO_DIGIT_YEAR_RE = re.compile(r"['’]\d{2}")


def _is_year(value: str) -> bool:
    if _TWO_DIGIT_YEAR_RE.fullmatch(value):
        return True  # (v23) "'92"
    digits = value.rstrip(".").translate(_LOOK_ALIKES)
    if not (digits.isdigit() and len(digits) == 4 and any(char.isdigit() for char in value)):
        return False
    return FIRST_YEAR <= int(digits) <= LAST_YEAR or HEBREW_YEARS[0] <= int(digits) <= HEBREW_YEARS[1]


def _ends_in_year(value: str) -> bool:
    year = re.search(r"(?<![\dOolI])[\dOolI]{4}$|^['’]\d{2}$", value)
    return bool(year) and _is_year(year.group())  # type: ignore[union-attr]


# (v15) after a name: a form's row gives a person's date of birth right after the name, bare or after a label
# of any language ("Accompanied by: NAME  25-Aug-41", "Mother: NAME  Data nașterii: 18 Esfand 1376 SH")
_AFTER_NAME_RE = re.compile(r"[ \t,;]*(?:[^\W\d_][^\s:：]*(?:[ \t]+[^\W\d_][^\s:：]*){0,2}[ \t]*[:：][ \t]*)?")
MAX_GAP_AFTER_NAME = 40


def dates_after_names(text: str, names: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """(start, end) of each whole date (day, month and a year) that follows a name (start, end) in `text`."""
    dates = []
    for _start, end in names:
        gap = _AFTER_NAME_RE.match(text, end)
        if gap is None or gap.end() - end > MAX_GAP_AFTER_NAME:
            continue
        if span := read_date(text, gap.end(), need_year=True, min_parts=3) or _short_year_date(text, gap.end()):
            dates.append(span)
    return dates


# a day, a month's word and a two-digit year ("25-Aug-41", "3 Mar. 87")
_SHORT_YEAR_RE = re.compile(rf"\d{{1,2}}([-./ ])([{LETTERS}]{{3,9}})\.?\1\d{{2}}(?![\w])")


def _short_year_date(text: str, start: int) -> tuple[int, int] | None:
    date = _SHORT_YEAR_RE.match(text, start)
    return date.span() if date and date.group(2).lower().startswith(MONTH_STEMS) else None
