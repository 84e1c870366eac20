"""Letters the word rules would not see as letters (pii-patterns-v15), read as letters with the same offsets.

- Modifier letters (Unicode's Spacing Modifier Letters that are letters: the ʻokina of Hawaiian, Tongan and
  Samoan `ʻ`, the apostrophe letter `ʼ`, the ayn and hamza of transliterated Arabic and Hebrew `ʿ` `ʾ`, the
  glottal stop `ˀ`) are part of the word they stand in: `Teviʻuli`, `Maʿruf`. The word rules only know
  cased letters, so they would cut such a name in two at the mark and keep half of it. Inside a word
  the mark is read as a lower-case letter; before a capital (`ʻAkamaka`, OCR's `Luhina'Akahina`) it opens a
  new word, read as a space; a name found right after or before it takes the mark back (grow_over_marks).
- OCR reads a round letter as brackets (`Sa()rae`): an empty pair between two letters is read as `oo`.
"""

from __future__ import annotations

import re
from dataclasses import replace

from resources.pii_document import LETTERS, LOWER, UPPER
from resources.pii_patterns import PiiFinding

MODIFIER_LETTERS = "".join(chr(code) for code in range(0x2B0, 0x300) if chr(code).isalpha())
# the apostrophes OCR and keyboards write for a modifier letter (taken back only between two letters)
_APOSTROPHES = "'’‘"
_MARK_INSIDE_RE = re.compile(rf"(?<=[{LETTERS}])[{MODIFIER_LETTERS}](?=[{LOWER}])")
# a mark (or OCR's apostrophe for it) between a lower-case letter and a capital, or opening a capitalised word
_MARK_BEFORE_CAPITAL_RE = re.compile(
    rf"(?:(?<=[{LOWER}])['’‘]|(?<![{LETTERS}])[{MODIFIER_LETTERS}]|(?<=[{LETTERS}])[{MODIFIER_LETTERS}])(?=[{UPPER}])"
)
_MARK_AT_END_RE = re.compile(rf"(?<=[{LETTERS}])[{MODIFIER_LETTERS}](?![{LETTERS}])")
_BRACKETS_IN_WORD_RE = re.compile(rf"(?<=[{LETTERS}])\(\)(?=[{LETTERS}])")


def read_marks_as_letters(text: str) -> str:
    """The text with modifier letters and OCR's bracket `o`s read as the word rules expect (same offsets)."""
    text = _MARK_BEFORE_CAPITAL_RE.sub(" ", text)
    text = _MARK_INSIDE_RE.sub("x", text)
    text = _MARK_AT_END_RE.sub("x", text)
    return _BRACKETS_IN_WORD_RE.sub("oo", text)


def grow_over_marks(text: str, findings: list[PiiFinding]) -> list[PiiFinding]:
    """Each finding takes back a mark glued to its first or last letter (`ʻAkamaka`: the mark was read as a space);
    (v20) of any kind: a name may end up inside a longer finding of another kind (a form's whole cell)."""
    grown = []
    for finding in findings:
        start, end = finding.start, finding.end
        while start > 0 and (
            text[start - 1] in MODIFIER_LETTERS
            or text[start - 1] in _APOSTROPHES
            and start > 1
            and text[start - 2].isalpha()
        ):
            start -= 1
        while end < len(text) and text[end] in MODIFIER_LETTERS:
            end += 1
        grown.append(replace(finding, start=start, end=end))
    return grown


# OCR writes "?" for a glyph it cannot read ("Pr?priuti"): inside a word it stands for a letter
_UNREAD_LETTER_RE = re.compile(rf"(?<=[{LETTERS}])\?(?=[{LETTERS}])")
# (v19) OCR reads an `s` as `$` (`Wa$wa`): between letters, with a lower-case one after it, it is that letter
_DOLLAR_LETTER_RE = re.compile(rf"(?<=[{LETTERS}])\$(?=[{LOWER}])")


def read_unread_letters(text: str) -> str:
    """The text with OCR's unread `?` and its `$` for `s` inside words read as letters (same offsets)."""
    return _DOLLAR_LETTER_RE.sub("s", _UNREAD_LETTER_RE.sub("x", text))
