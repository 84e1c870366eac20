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
from typing import Any

from mm_assets.artifacts import current_artifacts, open_review, store_key_of
from mm_assets.kind_checks import Verdict
from mm_assets.kind_spec import ArtifactKind, KindRun, Made, each_partition
from mm_assets.kinds.audio import AV_MODALITIES
from mm_assets.kinds.pii import coverage_check, coverage_scanner, redaction_counts, redaction_report
from mm_assets.kinds.transcript import segments, words_from_json, words_to_json
from mm_assets.operations.compare import compare_transcript_redactions
from resources.asr import Word
from resources.blob_store import BlobStore
from resources.pii import PiiDetector
from resources.pii_coverage import CoverageScanner
from resources.spoken_pii import find_spoken_pii
from resources.spoken_pii_coverage import mask_residual_words, transcript_verdict

# 2: Whisper's ".5," digits, "double five", a leading "oh", spoken addresses
# 3: cards as "4 -1 -1 -1", addresses and e-mails as Whisper writes them; the check's finds masked (mask mode)
REDACTED_TRANSCRIPT_VERSION = "3"


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
    """Redact one transcript; in the default mask mode, what the check's own rules still find is
    masked too, and its time span joins the redactions (so the audio is silenced there as well)."""
    words = words_from_json(run.batch.read_json(run.input("transcript", key))["words"])
    detector = run.model("pii_detector")
    redacted, redactions = redact_words(detector, words)
    masks: list[dict] = []
    if detector.coverage_mode == "mask":
        scanner = coverage_scanner(detector)
        names = scanner.name_tokens([" ".join(w.text for w in words)])
        redacted, masks = mask_residual_words(redacted, scanner, names)
    payload = {
        "words": words_to_json(redacted),
        "segments": segments(redacted),
        "text": " ".join(w.text for w in redacted),
        "redactions": redactions + masks,
        "coverage_masks": masks,
    }
    attributes = {"redactions": redaction_counts(redactions), "coverage_masks": len(masks)}
    run.batch.write_json(key, payload, run.digests[key], attributes=attributes)
    return redaction_report(redactions, masks)


def transcript_coverage_verdicts(resources: Any, keys: list[str]) -> dict[str, Verdict]:
    """Scan the redacted words, spoken numbers in digits, with the documents' broader scanner
    (never the redactor's detector) and the names tagged in the unredacted transcript; a failed
    transcript opens a review item with each stretch's kind and time."""
    catalog, store, detector = resources.catalog, resources.media_store.store, resources.pii_detector
    sources = current_artifacts(catalog, "transcript", keys)
    scanner = coverage_scanner(detector)
    verdicts = {}
    for key, row in current_artifacts(catalog, "redacted_transcript", keys).items():
        verdicts[key] = transcript_leaks(row, _source_text(sources.get(key), store), store, scanner)
        if not verdicts[key][0]:  # a reviewer listens at the listed times
            open_review(catalog, row, f"pii_redaction_coverage: {verdicts[key][1]['reason']}", verdicts[key][1])
    return verdicts


SPEC = ArtifactKind(
    name="redacted_transcript",
    upstream=("transcript",),
    logic_version=REDACTED_TRANSCRIPT_VERSION,
    dagster_kinds=frozenset({"pii"}),
    description="The transcript with PII (spoken numbers included) replaced by [KIND], and redaction time spans.",
    make=each_partition(make_redacted_transcript),
    modalities=AV_MODALITIES,
    model_roles=("pii_detector",),
    comparator=compare_transcript_redactions,
    checks=(coverage_check(transcript_coverage_verdicts, "pii_detector"),),
)


# ---------------------------------------------------------------------------- coverage check


def transcript_leaks(row: dict, source_text: str, store: BlobStore, scanner: CoverageScanner) -> tuple[bool, dict]:
    """(passed, metadata) for one redacted transcript (resources/spoken_pii_coverage.py): kinds and
    time spans only, never the values. Nothing here calls the redactor."""
    payload = json.loads(store.read_bytes(store_key_of(store, row["payload_uri"])))
    return transcript_verdict(payload["words"], payload.get("coverage_masks", []), source_text, scanner)


def _source_text(row: dict | None, store: BlobStore) -> str:
    """The unredacted transcript's text (what the NER tags names in); empty without a transcript."""
    if row is None:
        return ""
    return str(json.loads(store.read_bytes(store_key_of(store, row["payload_uri"])))["text"])
