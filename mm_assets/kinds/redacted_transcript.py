"""redacted_transcript: the transcript with PII words replaced by "[KIND]", and each redaction's time span.

The only asset besides `transcript` that reads unredacted speech; the redacted audio, the transcript
windows and the search index read this one. Spoken numbers count: number words are normalised to
digits before the document PII runner reads the text (resources/spoken_pii.py).
"""

import json

import dagster as dg
from dagster import AssetCheckExecutionContext, AssetExecutionContext

from mm_assets.artifacts import (
    ArtifactBatch,
    Stopwatch,
    code_version,
    content_hash_asset,
    current_artifacts,
    input_digest,
    store_key_of,
)
from mm_assets.checks import report_partition_checks
from mm_assets.kinds.audio import av_keys
from mm_assets.kinds.transcript import segments, words_from_json, words_to_json
from mm_assets.operations.compare import UpgradePolicy
from partitions import content_hash_partitions
from resources.asr import Word
from resources.blob_store import BlobStore
from resources.catalog import CatalogResource
from resources.pii import PiiDetector
from resources.spoken_pii import find_spoken_pii
from resources.stores import MediaStoreResource

REDACTED_TRANSCRIPT_VERSION = "1"


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


def build_redacted_transcript(model_id: str, max_partitions_per_run: int) -> list:
    @content_hash_asset(
        "redacted_transcript",
        deps=["transcript"],
        code_version=code_version(REDACTED_TRANSCRIPT_VERSION, model_id),
        max_partitions_per_run=max_partitions_per_run,
        group_name="audio_video",
        kinds={"pii"},
        description="The transcript with PII (spoken numbers included) replaced by [KIND], and redaction time spans.",
    )
    def redacted_transcript(
        context: AssetExecutionContext,
        catalog: CatalogResource,
        media_store: MediaStoreResource,
        pii_detector: PiiDetector,
        upgrade_policy: UpgradePolicy,
    ) -> dg.MaterializeResult:
        batch = ArtifactBatch(
            context,
            catalog,
            media_store.store,
            "redacted_transcript",
            REDACTED_TRANSCRIPT_VERSION,
            model_id,
            upgrade_policy,
        )
        keys = av_keys(batch)
        transcripts = batch.upstream("transcript", keys)
        for key in [k for k in keys if k in transcripts]:
            with batch.guard(key):
                digest = input_digest([transcripts[key]])
                if batch.existing(key, digest) is not None:
                    batch.reused.add(key)
                    continue
                with Stopwatch() as watch:
                    words = words_from_json(batch.read_json(transcripts[key])["words"])
                    redacted, redactions = redact_words(pii_detector, words)
                counts: dict[str, int] = {}
                for redaction in redactions:
                    counts[redaction["kind"]] = counts.get(redaction["kind"], 0) + 1
                payload = {
                    "words": words_to_json(redacted),
                    "segments": segments(redacted),
                    "text": " ".join(w.text for w in redacted),
                    "redactions": redactions,
                }
                batch.write_json(key, payload, digest, attributes={"redactions": counts})
                batch.step(key, "ok", watch.ms, redactions=len(redactions), by_type=counts)
                batch.metadata(key, redactions=len(redactions), redactions_by_type=dg.MetadataValue.json(counts))
        return batch.finish()

    @dg.asset_check(
        asset=redacted_transcript,
        name="pii_redaction_coverage",
        blocking=True,
        partitions_def=content_hash_partitions,
    )
    def transcript_redaction_coverage(
        context: AssetCheckExecutionContext,
        catalog: CatalogResource,
        media_store: MediaStoreResource,
        pii_detector: PiiDetector,
    ) -> dg.AssetCheckResult:
        """Re-scan the redacted transcript (spoken numbers normalised again): any PII left fails."""
        rows = current_artifacts(catalog, "redacted_transcript", list(context.partition_keys))
        verdicts = {key: transcript_leaks(row, media_store.store, pii_detector) for key, row in rows.items()}
        return report_partition_checks(
            context,
            dg.AssetKey("redacted_transcript"),
            "pii_redaction_coverage",
            verdicts,
            severity=dg.AssetCheckSeverity.ERROR,
        )

    return [redacted_transcript, transcript_redaction_coverage]


def transcript_leaks(row: dict, store: BlobStore, detector: PiiDetector) -> tuple[bool, dict]:
    """(passed, metadata) for one redacted transcript. Only types are reported, never the values."""
    payload = json.loads(store.read_bytes(store_key_of(store, row["payload_uri"])))
    words = [word["text"] for word in payload["words"]]
    leaks = sorted({finding.kind for finding in find_spoken_pii(detector, words)})
    metadata: dict = {"leaked_types": leaks, "words": len(words)}
    if leaks:
        metadata["reason"] = f"PII still present after redaction: {', '.join(leaks)}"
    return (not leaks, metadata)
