"""The tolerances an upgrade must stay within to supersede the current artifact without review."""

import dagster as dg


class UpgradePolicy(dg.ConfigurableResource):
    """Tolerances for superseding an artifact with a new version (MM_TOL_* settings)."""

    ocr_max_cer: float = 0.05
    pii_max_removed_redactions: int = 0
    embedding_min_cosine: float = 0.80
    caption_min_similarity: float = 0.5
    transcript_max_wer: float = 0.25
