"""audio_fingerprint: a robust spectral fingerprint of each source's sound, for near-duplicate recordings.

32 bits per 50 ms hop (Haitsma-Kalker): the sign of the energy difference between adjacent bands,
differenced over time, on 33 log-spaced bands from 300 Hz to 3 kHz. Re-encoding (MP3, AAC, Opus),
resampling or a volume change flips few bits; different speech flips about half. Two recordings are
near duplicates when their best-aligned bit agreement reaches NEAR_DUPLICATE_SIMILARITY. The asset lists
each source's near duplicates among the same tenant's fingerprints.
"""

import io

import dagster as dg
import numpy as np
import sqlalchemy as sa

from mm_assets.artifacts import current_artifacts, store_key_of
from mm_assets.kind_spec import ArtifactKind, KindRun, Made, each_partition
from mm_assets.kinds.audio import AV_MODALITIES
from resources.av_decoder import SAMPLE_RATE, samples_from_wav
from resources.blob_store import BlobStore
from resources.catalog import CatalogResource, source_media
from resources.source_owners import tenant_hashes

FINGERPRINT_VERSION = "1"
FRAME_SECONDS, HOP_SECONDS = 0.37, 0.05
BANDS, LOW_HZ, HIGH_HZ = 33, 300.0, 3000.0
FINGERPRINT_MODEL = f"hk-{BANDS - 1}bit-{int(LOW_HZ)}-{int(HIGH_HZ)}hz"
# Best agreement of aligned bits: unrelated sound sits near 0.5, a re-encoded copy above 0.85.
NEAR_DUPLICATE_SIMILARITY = 0.75
MAX_SHIFT_HOPS = 20
MIN_OVERLAP_HOPS = 10


def fingerprint(samples: np.ndarray, rate: int = SAMPLE_RATE) -> np.ndarray:
    """(hops, 32) bool matrix of fingerprint bits."""
    frame, hop = int(FRAME_SECONDS * rate), int(HOP_SECONDS * rate)
    if len(samples) < frame + hop:
        return np.zeros((0, BANDS - 1), dtype=bool)
    count = 1 + (len(samples) - frame) // hop
    index = np.arange(frame)[None, :] + hop * np.arange(count)[:, None]
    spectrum = np.abs(np.fft.rfft(samples[index] * np.hanning(frame), axis=1)) ** 2
    freqs = np.fft.rfftfreq(frame, 1 / rate)
    edges = np.geomspace(LOW_HZ, HIGH_HZ, BANDS + 1)
    energy = np.stack(
        [spectrum[:, (freqs >= lo) & (freqs < hi)].sum(axis=1) for lo, hi in zip(edges[:-1], edges[1:], strict=True)],
        axis=1,
    )
    band_diff = energy[:, :-1] - energy[:, 1:]
    return (band_diff[1:] - band_diff[:-1]) > 0


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Best share of agreeing bits over time shifts of up to MAX_SHIFT_HOPS (0.0 if too short to say)."""
    best = 0.0
    for shift in range(-MAX_SHIFT_HOPS, MAX_SHIFT_HOPS + 1):
        x, y = (a[shift:], b) if shift >= 0 else (a, b[-shift:])
        overlap = min(len(x), len(y))
        if overlap >= MIN_OVERLAP_HOPS:
            best = max(best, float(np.mean(x[:overlap] == y[:overlap])))
    return best


def fingerprint_bytes(bits: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, np.packbits(bits, axis=1), allow_pickle=False)
    return buffer.getvalue()


def fingerprint_from_bytes(data: bytes) -> np.ndarray:
    return np.unpackbits(np.load(io.BytesIO(data), allow_pickle=False), axis=1)[:, : BANDS - 1].astype(bool)


def near_duplicates(
    catalog: CatalogResource, store: BlobStore, tenant_keys: list[str], key: str, bits: np.ndarray
) -> list[dict]:
    """Other sources among `tenant_keys` whose fingerprint matches `bits`, best first."""
    others = current_artifacts(catalog, "audio_fingerprint", [k for k in tenant_keys if k != key])
    found = []
    for other_key, row in others.items():
        other = fingerprint_from_bytes(store.read_bytes(store_key_of(store, row["payload_uri"])))
        score = similarity(bits, other)
        if score >= NEAR_DUPLICATE_SIMILARITY:
            found.append({"content_hash": other_key, "similarity": round(score, 4)})
    return sorted(found, key=lambda item: -item["similarity"])


def av_sources_of_tenant(catalog: CatalogResource, tenant_id: str) -> list[str]:
    """Content hashes of the tenant's audio and video sources (near duplicates never cross tenants)."""
    query = sa.select(source_media.c.content_hash).where(
        source_media.c.content_hash.in_(tenant_hashes(tenant_id)), source_media.c.modality.in_(AV_MODALITIES)
    )
    with catalog.engine.connect() as conn:
        return [row.content_hash for row in conn.execute(query)]


def fingerprint_one(run: KindRun, key: str) -> Made:
    samples, rate = samples_from_wav(run.batch.read_bytes(run.input("audio", key)))
    bits = fingerprint(samples, rate)
    run.batch.write(key, fingerprint_bytes(bits), "npy", run.digests[key], attributes={"hops": len(bits)})
    return Made({"hops": len(bits)})


def make_audio_fingerprint(run: KindRun) -> None:
    """Fingerprint the sound, then list each source's near duplicates in its tenant."""
    batch, catalog = run.batch, run.resources.catalog
    each_partition(fingerprint_one)(run)
    batch.flush()  # this batch's fingerprints are current before they are compared with each other
    for key in [k for k in run.inputs["audio"] if k not in batch.failures]:
        with batch.guard(key):
            tenant_keys = av_sources_of_tenant(catalog, batch.sources[key]["tenant_id"])
            own = current_artifacts(catalog, "audio_fingerprint", [key])[key]
            bits = fingerprint_from_bytes(batch.read_bytes(own))
            duplicates = near_duplicates(catalog, batch.store, tenant_keys, key, bits)
            batch.metadata(key, near_duplicates=dg.MetadataValue.json(duplicates))


SPEC = ArtifactKind(
    name="audio_fingerprint",
    upstream=("audio",),
    logic_version=FINGERPRINT_VERSION,
    dagster_kinds=frozenset({"fingerprint"}),
    description="A 32-bit-per-50-ms spectral fingerprint of the sound; near duplicates in the same tenant "
    "are listed in the metadata.",
    make=make_audio_fingerprint,
    modalities=AV_MODALITIES,
    model=FINGERPRINT_MODEL,
    payload="npy",
)
