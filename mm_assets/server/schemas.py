"""Response models: they are the OpenAPI documentation at /docs, and they check what goes out."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field


class ErrorBody(BaseModel):
    error: str = Field(description="a stable code: unauthorized, not_found, too_large, a gate reason, ...")
    message: str


class SearchHitBody(BaseModel):
    content_hash: str
    tenant_id: str
    score: float
    channels: dict[str, dict[str, float]] = Field(description="channel -> {score, rank}")
    provenance: dict[str, Any]
    caption: str
    modality: str
    evidence: list[dict[str, Any]] = Field(description="page and box, or time span, of the best passages")


class SearchBody(BaseModel):
    results: list[SearchHitBody]
    query_caption: str | None = None


class MediaBody(BaseModel):
    content_hash: str
    tenant_id: str
    modality: str
    mime_type: str
    bytes: int
    uploaded_at: datetime
    original_name: str
    region: str
    consent: str
    usage_rights: str
    retention_class: str
    current_kinds: list[str] = Field(description="kinds with a current artifact")


class UploadBody(BaseModel):
    content_hash: str
    status: str = Field(description="accepted (new), duplicate (already ingested)")
    searchable: bool = Field(description="true once the index holds it (wait=true)")
    run_ids: list[str] = []
    failed: dict[str, str] = Field(default={}, description="partition -> reason, when the run failed for it")
    artifacts: dict[str, list[dict[str, Any]]] | None = None
    warnings: list[str] = []


class ArtifactsBody(BaseModel):
    content_hash: str
    tenant_id: str
    artifacts: dict[str, list[dict[str, Any]]]


class ForgetBody(BaseModel):
    """What a tenant is told of its forget: the same whether other tenants hold the same bytes (then
    only this tenant's hold went) or not (then everything went); the counts that would tell the two
    apart stay in the governance log, for the operator."""

    content_hash: str
    tenant_id: str
    index_rows_deleted: int = Field(description="this tenant's search rows of the source")
    tombstone_id: str


class ReviewItemBody(BaseModel):
    review_id: str
    source_hash: str
    tenant_id: str
    kind: str
    reason: str
    details: dict[str, Any] | None
    artifact_id: str | None
    status: str
    created_at: datetime
    resolved_at: datetime | None
    priority: float = Field(description="triage order, highest first: privacy regressions, then larger disagreements")


class ReviewDecisionBody(BaseModel):
    review_id: str
    status: str
    artifact_id: str | None
    superseded: str | None
    kind: str
    content_hash: str
    eval_case: str | None = Field(None, description="the evaluation case a rejection was added as")
    downstream: dict[str, Any] | None = None


class KeyBody(BaseModel):
    key_id: str
    tenant_id: str
    name: str
    kind: str
    rate_per_minute: int
    created_at: datetime
    revoked_at: datetime | None


class NewKeyBody(KeyBody):
    key: str = Field(description="shown once; only a salted hash is stored")
