"""Spoken PII of every kind, said by espeak-ng and heard by the real Whisper tiny.en: the redactor
takes it out of the words and marks its time for the audio, and the transcript check (rules of its
own) catches each one when the redactor is not there."""

from __future__ import annotations

import numpy as np
import pytest

from mm_assets.kinds.redacted_audio import PAD_SECONDS, silence_spans
from mm_assets.kinds.redacted_transcript import redact_words
from mm_assets.operations.av_samples import silence, speak
from resources.asr import SpeechRecognizer, Word
from resources.pii import PiiDetector
from resources.pii_coverage import CoverageScanner
from resources.spoken_pii_coverage import mask_residual_words, transcript_verdict

# what is said, and the kinds the check must find in the unredacted words. The card is a real-looking
# Luhn-valid number: Whisper tiny.en reads all-ones ("four one one one, ...") on a knife edge, a loop
# of "-1" on one CPU and "41." on another, while this one keeps at least 15 of its digits whichever
# CPU instructions CTranslate2 picks (checked with CT2_FORCE_CPU_ISA=AVX2, AVX and GENERIC).
SPOKEN = {
    "card": (
        "My card number is four five three nine, one four eight eight, zero three four three, six four six seven.",
        "number",
    ),
    "address": ("I live at twelve Oak Street, Springfield, Illinois, six two seven zero one.", "address"),
    "email": ("My email is jane dot cole at example dot com.", "email"),
    "ssn": ("My social security number is five three one, four two, eight six seven zero.", "number"),
    "name": ("My name is Dana Whitfield and I am calling about my order.", "person"),
    # (v18) said otherwise than the phrasings above, as held_back_16's speech did; made-up values
    "units": ("We live in Marvale, block twelve, flat thirty one, Dornick.", "address"),
    "spelled domain": ("You can write to me at tessa dot forty two at posta dot m k.", "email"),
    "other label": ("My pension number is six one four, two zero nine, seven seven three, eight one.", "number"),
    "caller": ("Hello, this is Quillon Bedrasse, calling about the invoice.", "person"),
    "surname": ("My surname is spelled K, O, V, A, R, I, K.", "person"),
}
RATE = 16_000


@pytest.fixture(scope="module")
def heard() -> dict[str, tuple[np.ndarray, list[Word]]]:
    recognizer = SpeechRecognizer(engine="whisper")
    recordings = {}
    for name, (sentence, _kind) in SPOKEN.items():
        samples = np.concatenate([silence(0.3), speak(sentence), silence(0.5)])
        recordings[name] = (samples, recognizer.transcribe(samples))
    return recordings


def as_json(words: list[Word]) -> list[dict]:
    return [{"text": w.text, "t_start": w.t_start, "t_end": w.t_end} for w in words]


@pytest.mark.slow
@pytest.mark.parametrize("name", list(SPOKEN))
def test_each_spoken_kind_is_redacted_silenced_and_caught_without_the_redactor(name: str, heard: dict) -> None:
    samples, words = heard[name]
    source = " ".join(w.text for w in words)
    scanner = CoverageScanner()

    passed, facts = transcript_verdict(as_json(words), [], source, scanner)
    assert not passed and SPOKEN[name][1] in facts["leaked_types"], source  # the check alone catches it
    assert all(set(span) == {"kind", "t_start", "t_end"} for span in facts["spans"])

    redacted, redactions = redact_words(PiiDetector(), words)
    assert redactions, source
    assert transcript_verdict(as_json(redacted), [], source, scanner)[0], " ".join(w.text for w in redacted)
    assert not any(char.isdigit() for word in redacted for char in word.text)

    silenced = silence_spans(samples, RATE, [(r["t_start"], r["t_end"]) for r in redactions], PAD_SECONDS)
    for redaction in redactions:
        first, last = int(redaction["t_start"] * RATE), int(redaction["t_end"] * RATE)
        assert not silenced[first:last].any()  # nothing is heard where a redaction is


@pytest.mark.slow
def test_what_the_check_finds_is_masked_with_its_time(heard: dict) -> None:
    _samples, words = heard["card"]
    masked, masks = mask_residual_words(words, CoverageScanner(), set())
    assert [m["kind"] for m in masks] == ["number"] and masks[0]["t_end"] > masks[0]["t_start"]
    assert "[NUMBER]" in [w.text for w in masked]
    assert transcript_verdict(as_json(masked), [], "", CoverageScanner())[0]


# Said the way that makes Whisper tiny.en loop ("41, 41, 41, ..." or "4 -1 -1 -1 ...").
LOOPING = "My card number is four one one one, one one one one, one one one one, one one one one."


@pytest.mark.slow
def test_the_same_recording_gives_the_same_words_every_time_and_a_loop_is_still_redacted() -> None:
    """Whisper's default falls back to unseeded sampling when it loops: this recording then gave a
    different transcript on each of five runs, with the card's digits in some and not in others."""
    samples = np.concatenate([silence(0.3), speak(LOOPING), silence(0.5)])
    recognizer = SpeechRecognizer(engine="whisper")
    first, second = recognizer.transcribe(samples), recognizer.transcribe(samples)
    assert first and first == second

    source = " ".join(w.text for w in first)
    assert not transcript_verdict(as_json(first), [], source, CoverageScanner())[0], source
    redacted, _redactions = redact_words(PiiDetector(), first)
    assert not any(char.isdigit() for word in redacted for char in word.text), source


@pytest.mark.slow
def test_a_recording_gives_the_same_words_whatever_blas_threads_the_process_was_left_with() -> None:
    """The query encoder leaves numpy's BLAS on one thread for the whole process; Whisper's mel features
    summed on one thread instead of two turned this sentence's "dot"s into "not"s (2026-12-04, in the full
    suite, where a search test had run first). The recogniser computes with its own fixed BLAS threads."""
    from threadpoolctl import threadpool_limits

    samples = np.concatenate([silence(0.3), speak(SPOKEN["spelled domain"][0]), silence(0.5)])
    recognizer = SpeechRecognizer(engine="whisper")
    as_left = recognizer.transcribe(samples)
    for threads in (1, 3):
        with threadpool_limits(limits=threads, user_api="blas"):
            assert recognizer.transcribe(samples) == as_left, threads
