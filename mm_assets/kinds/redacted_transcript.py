"""redacted_transcript: the transcript with PII words replaced by "[KIND]", and each redaction's time span.

The only asset besides `transcript` that reads unredacted speech; the redacted audio, the transcript
windows and the search index read this one. Spoken numbers count: number words are normalised to
digits before the document PII runner reads the text (resources/spoken_pii.py).

The blocking `pii_redaction_coverage` check never calls that redactor: it reads spoken numbers with
rules of its own and scans the redacted words with the documents' broader CoverageScanner
(mm_assets/kinds/pii.py), names taken from the unredacted transcript, so a gap in a redactor rule
fails the check instead of passing a re-scan with the same rule.
"""

import json
import re
from collections.abc import Sequence
from typing import Any

from mm_assets.artifacts import current_artifacts, store_key_of
from mm_assets.kind_checks import Verdict
from mm_assets.kind_spec import ArtifactKind, KindRun, Made, each_partition
from mm_assets.kinds.audio import AV_MODALITIES
from mm_assets.kinds.pii import CoverageScanner, coverage_check, redaction_counts, redaction_report
from mm_assets.kinds.transcript import segments, words_from_json, words_to_json
from mm_assets.operations.compare import compare_transcript_redactions
from resources.asr import Word
from resources.blob_store import BlobStore
from resources.pii import PiiDetector
from resources.spoken_pii import find_spoken_pii

REDACTED_TRANSCRIPT_VERSION = "2"  # 2: Whisper's ".5," digits, "double five", a leading "oh", spoken addresses


def redact_words(detector: PiiDetector, words: list[Word]) -> tuple[list[Word], list[dict]]:
    """Words with PII replaced by "[KIND]" (one placeholder per finding) and the redactions' time spans."""
    findings = find_spoken_pii(detector, [w.text for w in words])
    redacted: list[Word | None] = list(words)
    redactions = []
    for finding in findings:
        first, last = words[finding.first_word], words[finding.last_word]
        redactions.append({"kind": finding.kind, "t_start": first.t_start, "t_end": last.t_end})
        redacted[finding.first_word] = Word(f"[{finding.kind.upper()}]", first.t_start, last.t_end, 1.0)
        for index in range(finding.first_word + 1, finding.last_word + 1):
            redacted[index] = None
    return [w for w in redacted if w is not None], redactions


def make_redacted_transcript(run: KindRun, key: str) -> Made:
    words = words_from_json(run.batch.read_json(run.input("transcript", key))["words"])
    redacted, redactions = redact_words(run.model("pii_detector"), words)
    payload = {
        "words": words_to_json(redacted),
        "segments": segments(redacted),
        "text": " ".join(w.text for w in redacted),
        "redactions": redactions,
    }
    run.batch.write_json(key, payload, run.digests[key], attributes={"redactions": redaction_counts(redactions)})
    return redaction_report(redactions)


def transcript_coverage_verdicts(resources: Any, keys: list[str]) -> dict[str, Verdict]:
    """Scan the redacted words, spoken numbers in digits, with the documents' broader scanner
    (never the redactor's detector) and the names tagged in the unredacted transcript."""
    catalog, store, detector = resources.catalog, resources.media_store.store, resources.pii_detector
    sources = current_artifacts(catalog, "transcript", keys)
    scanner = CoverageScanner(ner_model=detector.ner_model if detector.use_ner else None)
    return {
        key: transcript_leaks(row, _source_text(sources.get(key), store), store, scanner)
        for key, row in current_artifacts(catalog, "redacted_transcript", keys).items()
    }


SPEC = ArtifactKind(
    name="redacted_transcript",
    upstream=("transcript",),
    logic_version=REDACTED_TRANSCRIPT_VERSION,
    group="audio_video",
    dagster_kinds=frozenset({"pii"}),
    description="The transcript with PII (spoken numbers included) replaced by [KIND], and redaction time spans.",
    make=each_partition(make_redacted_transcript),
    modalities=AV_MODALITIES,
    model_roles=("pii_detector",),
    comparator=compare_transcript_redactions,
    checks=(coverage_check(transcript_coverage_verdicts, "pii_detector"),),
)


# ---------------------------------------------------------------------------- coverage check

# The check reads spoken numbers with its own rules, written apart from the redactor's
# (resources/spoken_pii.py) and a little broader: "double five", "five hundred twelve", and "oh"/"o"
# next to any number. A gap in the redactor's reading then shows up here instead of being repeated.
_UNITS = {
    "zero": 0, "oh": 0, "o": 0, "nought": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9,
}  # fmt: skip
_TEENS = {
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_REPEATS = {"double": 2, "triple": 3}
# "oh" and "o" are a zero only beside another number ("five oh two"), never on their own.
_ZERO_ONLY_BESIDE_NUMBERS = frozenset({"oh", "o"})
# a stray point before a digit counts as punctuation too (Whisper: "at 5 .5, 2 .13,")
_EDGE_PUNCTUATION = re.compile(r"^(?:[\"'(\[]|[.,](?=\d))+|[\"')\].,;:?!]+$")
# a number the recogniser wrote in digits, separators kept: "555-213-4567", "(064)", "+44"
_WRITTEN_DIGITS = re.compile(r"[+(]?\d[\d().\-/]*")


def _bare(word: str) -> str:
    return _EDGE_PUNCTUATION.sub("", word).lower()


def _below_hundred(words: Sequence[str], index: int) -> tuple[int, int] | None:
    """(value, words used) of "seven", "twelve", "forty", "forty two" at `index`; None if none."""
    word = _bare(words[index]) if index < len(words) else ""
    if word in _TENS:
        following = _bare(words[index + 1]) if index + 1 < len(words) else ""
        if _UNITS.get(following, 0) > 0:
            return _TENS[word] + _UNITS[following], 2
        return _TENS[word], 1
    if word in _TEENS:
        return _TEENS[word], 1
    if word in _UNITS:
        return _UNITS[word], 1
    return None


def _spoken_number(words: Sequence[str], index: int) -> tuple[str, int] | None:
    """(digits, words used) of the number said at `index`: "double five" -> "55",
    "five hundred and twelve" -> "512", "555-213-4567," -> "555-213-4567"; None if none."""
    raw = _EDGE_PUNCTUATION.sub("", words[index])
    if _WRITTEN_DIGITS.fullmatch(raw):
        return raw, 1
    word = raw.lower()
    if word in _REPEATS and index + 1 < len(words) and _bare(words[index + 1]) in _UNITS:
        return str(_UNITS[_bare(words[index + 1])]) * _REPEATS[word], 2
    small = _below_hundred(words, index)
    if small is None:
        return None
    value, used = small
    if 0 < value < 100 and index + used < len(words) and _bare(words[index + used]) == "hundred":
        value, used = value * 100, used + 1
        rest = index + used + (1 if index + used < len(words) and _bare(words[index + used]) == "and" else 0)
        tail = _below_hundred(words, rest)
        if tail is not None and tail[0] > 0:
            value, used = value + tail[0], rest - index + tail[1]
    return str(value), used


def spoken_digits_text(words: Sequence[str]) -> str:
    """The words with every spoken number written in digits, one space between neighbouring numbers.

    "call five five five, two one three four five six seven" -> "call 5 5 5 2 1 3 4 5 6 7": the
    scanner's 7+-digit rule then sees one number, however the recogniser split or punctuated it.
    """
    tokens: list[tuple[str, str, bool]] = []  # (as written, as digits, is a number)
    index = 0
    while index < len(words):
        number = _spoken_number(words, index)
        used = number[1] if number else 1
        tokens.append((" ".join(words[index : index + used]), number[0] if number else "", number is not None))
        index += used
    pieces = []
    for position, (written, digits, is_number) in enumerate(tokens):
        if is_number and _bare(written) in _ZERO_ONLY_BESIDE_NUMBERS:
            neighbours = tokens[max(position - 1, 0) : position] + tokens[position + 1 : position + 2]
            is_number = any(n[2] and _bare(n[0]) not in _ZERO_ONLY_BESIDE_NUMBERS for n in neighbours)
        pieces.append(digits if is_number else written)
    return " ".join(pieces)


# An address read aloud ("jo dot smith at example dot com", Whisper's "jo at example.com"), with any
# two-letter or common top-level domain; "at the dot com" is none.
_SPOKEN_ADDRESS = re.compile(
    r"(?i)\b(?!(?:the|a|an|this|that|it|me|you|us|home|work|least)\b)(\w+(?: (?:dot|underscore) \w+)*)"
    r" at (?!(?:the|a|an)\b)(\w+(?:(?: dot |\.)\w+)*(?: dot |\.)(?:com|org|net|edu|gov|info|biz|[a-z]{2}))\b"
)


def spoken_address_text(text: str) -> str:
    """The text with e-mail addresses read aloud written as addresses, for the scanner's e-mail rule."""

    def written(match: re.Match[str]) -> str:
        local, domain = (re.sub(r"(?i) dot ", ".", part) for part in match.groups())
        return f"{local.replace(' underscore ', '_')}@{domain}"

    return _SPOKEN_ADDRESS.sub(written, text)


def transcript_leaks(row: dict, source_text: str, store: BlobStore, scanner: CoverageScanner) -> tuple[bool, dict]:
    """(passed, metadata) for one redacted transcript. Only types are reported, never the values.

    The redacted words, spoken numbers in digits, go through the documents' CoverageScanner, with
    the names the NER model tags in the unredacted transcript (`source_text`). Nothing here calls
    the redactor. A transcript without capitals (PocketSphinx) yields no NER names: its names are
    covered by the redactor's introduction rule alone.
    """
    payload = json.loads(store.read_bytes(store_key_of(store, row["payload_uri"])))
    words = [word["text"] for word in payload["words"]]
    names = scanner.name_tokens([source_text]) if source_text else set()
    leaks = scanner.leaks(spoken_address_text(spoken_digits_text(words)), names)
    metadata: dict = {"leaked_types": leaks, "words": len(words), "names_checked": len(names)}
    if leaks:
        metadata["reason"] = f"PII-shaped speech still present after redaction: {', '.join(leaks)}"
    return (not leaks, metadata)


def _source_text(row: dict | None, store: BlobStore) -> str:
    """The unredacted transcript's text (what the NER tags names in); empty without a transcript."""
    if row is None:
        return ""
    return str(json.loads(store.read_bytes(store_key_of(store, row["payload_uri"])))["text"])
