"""The transcript's blocking coverage check is independent of the redactor: it reads spoken numbers
with its own rules and scans with the documents' broader scanner, so switching off one redactor
rule fails the check for exactly the recordings that rule would have redacted (a real Dagster run,
real speech, real ASR)."""

from __future__ import annotations

import json
from pathlib import Path

import dagster as dg
import numpy as np
import pytest
import sqlalchemy as sa

from mm_assets.artifacts import current_artifacts, store_key_of
from mm_assets.definitions import build_definitions
from mm_assets.kinds.redacted_transcript import transcript_leaks
from mm_assets.operations.av_samples import silence, speak, write_audio
from mm_assets.orchestration.runs import materialize_partitions
from resources.blob_store import store_relative_uri
from resources.catalog import CatalogResource, review_item
from resources.media_store import LocalBlobStore
from resources.pii import PiiDetector
from resources.pii_coverage import CoverageScanner
from resources.spoken_pii_coverage import spoken_digits_text
from tests.conftest import ingest_and_register

# one recording per partition; only the first says a street address
RECORDINGS = {
    "home.wav": "hello my name is Dana Whitfield and I live at twelve Oak Street",
    "phone.wav": "my phone number is five five five two one three four five six seven",
    "tour.wav": "the astronaut stands beside the flag, then a camera man appears",
}
WITH_ADDRESS = {"home.wav"}


@pytest.mark.parametrize(
    "words, expected",
    [
        ("call five five five, two one three four five six seven now", "call 5 5 5 2 1 3 4 5 6 7 now"),
        ("double five two triple oh one two", "55 2 000 1 2"),
        ("it is five hundred and twelve Oak Street.", "it is 512 Oak Street."),
        ("reach me at 555-213-4567, thanks", "reach me at 555-213-4567 thanks"),
        ("twenty one apples", "21 apples"),
        ("oh I see, two oh five", "oh I see, 2 0 5"),  # "oh" is a zero only beside a number
        # Whisper tiny.en on espeak's "five five five, two one three, four five six seven" (samples/voicemail.ogg)
        ("call me Mac at 5 .5, 2 .13, 4 .5 .6 .7. Thank you.", "call me Mac at 5 5 2 13 4 5 6 7 Thank you."),
    ],
)
def test_spoken_numbers_are_read_by_the_checks_own_rules(words: str, expected: str) -> None:
    assert spoken_digits_text(words.split()) == expected


def stored_transcript(store: LocalBlobStore, name: str, words: str) -> dict:
    """A redacted-transcript row whose payload holds `words` (as the asset writes them)."""
    key = f"artifacts/redacted_transcript/{name}.json"
    payload = {"words": [{"text": word, "t_start": 0.0, "t_end": 0.1, "confidence": 1.0} for word in words.split()]}
    store.put_bytes_if_absent(key, json.dumps(payload).encode())
    return {"payload_uri": store_relative_uri(key)}


def test_what_the_redactor_left_is_found_and_placeholders_pass(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path / "store")
    scanner = CoverageScanner()
    source = "Hello, my name is Dana Whitfield. Call five five five two one three four five six seven."
    cases = {
        "redacted": ("Hello, my name is [PERSON]. Call [PHONE].", True, []),
        "digits-left": ("Call five five five two one three four five six seven.", False, ["number"]),
        "digit-pairs-left": ("Call double five five twenty one three four five six seven.", False, ["number"]),
        "name-left": ("Hello, my name is [PERSON]. Whitfield will call [PHONE].", False, ["person"]),
    }  # fmt: skip
    for name, (redacted, passes, leaked) in cases.items():
        passed, facts = transcript_leaks(stored_transcript(store, name, redacted), source, store, scanner)
        assert (passed, facts["leaked_types"]) == (passes, leaked), name
        assert facts["names_checked"] == 2  # Dana, Whitfield: tagged by the NER in the unredacted words
        assert "Whitfield" not in json.dumps(facts)  # kinds only, never the values


@pytest.mark.parametrize(
    "sentence, kind",
    [
        ("my number is oh five five five two one three", "number"),  # a leading "oh" is a zero
        ("call me on double five five two one three four", "number"),  # "double five" is two digits
        ("write to jo dot smith at example dot com today", "email"),  # an address read aloud
        ("mail jo at example.com please", "email"),  # as Whisper writes it
    ],
)
def test_the_check_reads_speech_shapes_on_its_own_and_the_redactor_covers_them(
    tmp_path: Path, sentence: str, kind: str
) -> None:
    from mm_assets.kinds.redacted_transcript import redact_words
    from resources.asr import Word

    store = LocalBlobStore(tmp_path / "store")
    words = [Word(text, i * 0.4, i * 0.4 + 0.3, 0.9) for i, text in enumerate(sentence.split())]
    redacted, _redactions = redact_words(PiiDetector(), words)
    unredacted = stored_transcript(store, "as-spoken", sentence)
    redacted_row = stored_transcript(store, "redacted", " ".join(w.text for w in redacted))

    passed, facts = transcript_leaks(unredacted, sentence, store, CoverageScanner())
    assert not passed and facts["leaked_types"] == [kind]  # what a redactor gap would leave, caught
    assert transcript_leaks(redacted_row, sentence, store, CoverageScanner())[0]  # the redactor's output passes


@pytest.mark.slow
def test_disabling_one_redactor_rule_fails_the_transcript_check_for_exactly_the_affected_recordings(tmp_path: Path):
    media = tmp_path / "media"
    media.mkdir()
    for name, sentence in RECORDINGS.items():
        write_audio(media / name, np.concatenate([silence(0.3), speak(sentence), silence(0.5)]))
    settings, keys, instance = ingest_and_register(media, tmp_path / "home")
    kinds = [dg.AssetKey(k) for k in ("audio", "transcript", "redacted_transcript")]

    blocking = PiiDetector(disabled_rules=["address"], coverage_mode="block")
    without_addresses = build_definitions(settings, models={"pii_detector": blocking})
    result = materialize_partitions(without_addresses, instance, kinds, list(keys.values()), batch_size=50)

    failed = {name for name, key in keys.items() if key in result.failed}
    assert failed == WITH_ADDRESS
    for name in WITH_ADDRESS:
        assert "pii_redaction_coverage" in result.failed[keys[name]] and "address" in result.failed[keys[name]]

    # mask mode: the check's own rules mask the address (with its time, for the audio) and nothing stops
    masking = build_definitions(settings, models={"pii_detector": PiiDetector(disabled_rules=["address"])})
    result = materialize_partitions(masking, instance, kinds, list(keys.values()), batch_size=50)
    assert result.failed == {}
    store = LocalBlobStore(Path(settings.store_root))
    rows = current_artifacts(CatalogResource(url=settings.catalog_url), "redacted_transcript", list(keys.values()))
    for name, key in keys.items():
        payload = json.loads(store.read_bytes(store_key_of(store, rows[key]["payload_uri"])))
        assert {m["kind"] for m in payload["coverage_masks"]} == ({"address"} if name in WITH_ADDRESS else set())
        assert all(m in payload["redactions"] for m in payload["coverage_masks"])  # the audio is silenced there
    with CatalogResource(url=settings.catalog_url).engine.connect() as conn:
        reviewed = {row.source_hash for row in conn.execute(sa.select(review_item)) if "pii_redaction" in row.reason}
    assert reviewed == {keys[name] for name in WITH_ADDRESS}  # a reviewer listens at the listed times

    # the full redactor (a new redacted_transcript version; the transcripts are reused) passes all
    result = materialize_partitions(build_definitions(settings), instance, kinds, list(keys.values()), batch_size=50)
    assert result.failed == {}
