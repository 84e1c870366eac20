"""/v1/media: upload (gate first; `?wait=true` runs the interactive path), read, artifacts, crops, forget."""

from __future__ import annotations

import functools
import logging
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from mm_assets.operations.ingest import IngestOptions, IngestUsageError, ingest_paths
from mm_assets.operations.keys import ApiPrincipal
from mm_assets.operations.lifecycle import LifecycleError, artifact_versions, owned_source
from mm_assets.server.auth import Principal, State, scope
from mm_assets.server.errors import ApiError, not_found
from mm_assets.server.schemas import ArtifactsBody, ErrorBody, ForgetBody, MediaBody, UploadBody
from mm_assets.server.state import ServerState
from mm_assets.server.upload import receive_upload
from partitions import CONTENT_HASH_PARTITIONS_NAME, InvalidPartitionKey, validate_content_hash
from resources.catalog import derived_artifact
from resources.faults import fault_point

log = logging.getLogger("mm.serve")
router = APIRouter(prefix="/v1/media", tags=["media"])
ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody} for code in (400, 401, 404, 409, 413, 415, 422, 429, 503)
}
# A gate reason -> HTTP status; every other reason is 422 (the bytes are there but unusable).
_GATE_STATUS = {"too_large": 413, "unsupported_type": 415, "empty_file": 400}


def _owned(state: ServerState, who: ApiPrincipal, content_hash: str) -> dict[str, Any]:
    """The source row of the caller's tenant (any tenant's for an admin), else the one 404."""
    try:
        return owned_source(state.catalog, validate_content_hash(content_hash), scope(who, None))
    except (InvalidPartitionKey, LifecycleError):
        raise not_found(content_hash) from None


@router.post("", response_model=UploadBody, status_code=200, responses={**ERRORS, 202: {"model": UploadBody}})
async def upload(
    request: Request,
    who: Principal,
    state: State,
    response: Response,
    wait: Annotated[bool, Query(description="run the interactive path and answer once searchable")] = False,
) -> UploadBody:
    """Multipart field `file` (optional form fields `consent`, `region`). The gate runs first: a bad file
    answers 4xx with the gate's reason and is quarantined. 202 without `wait`: the batch path picks it up."""
    received = await receive_upload(request, state.settings.caps.max_bytes, state.settings.home / "tmp", "file")
    try:
        if received.path is None:
            raise ApiError(400, "bad_request", "no file: send it in the multipart field 'file'")
        options = IngestOptions(
            tenant=who.tenant,
            region=received.fields.get("region", "unspecified"),
            consent=received.fields.get("consent", "valid"),
        )
        try:
            options.validate()
        except IngestUsageError as exc:
            raise ApiError(400, "bad_request", str(exc)) from exc
        report = await run_in_threadpool(_ingest_one, state, received.path, options)
        uploaded = received.path
    finally:
        received.discard()
    if report.rejected:  # quarantined by ingest (bytes and reason kept); the message names the file, not our folder
        item = report.rejected[0]
        message = item["message"].replace(str(uploaded), uploaded.name)
        raise ApiError(_GATE_STATUS.get(item["reason"], 422), item["reason"], message)
    item = (report.accepted or report.duplicates)[0]
    body = UploadBody(
        content_hash=item["content_hash"],
        status="accepted" if report.accepted else "duplicate",
        searchable=False,
        warnings=[str(w) for w in item.get("warnings", [])],
    )
    if not wait:
        response.status_code = 202
        return body
    return await run_in_threadpool(_interactive, state, who, body)


def _ingest_one(state: ServerState, path: Any, options: IngestOptions) -> Any:
    def register(keys: list[str]) -> None:
        state.instance.add_dynamic_partitions(CONTENT_HASH_PARTITIONS_NAME, keys)

    report = ingest_paths(
        [path],
        catalog=state.catalog,
        store=state.store,
        caps=state.settings.caps,
        options=options,
        on_recorded=register,
    )
    # Not written here: in the slot, between an upload's index refresh and its freshness check (issue 20).
    if state.shared_rows.queue(report.joined, options.tenant):
        state.run_later_in_slot(functools.partial(_write_shared_rows, state))
    return report


def _write_shared_rows(state: ServerState) -> None:
    """In the interactive slot: the queued search rows of tenants that uploaded bytes another tenant holds."""
    if state.shared_rows.write_queued(state.settings.index_uri, state.catalog):
        state.index_written()


def _interactive(state: ServerState, who: ApiPrincipal, body: UploadBody) -> UploadBody:
    """The batch graph's asset code for this one partition, in this process with its warm models,
    recorded on the Dagster instance like any run. Uploads that wait queue here, one at a time. The
    answer comes once the kinds a search needs are made (`mm_interactive_upload`); the other kinds
    follow in a second run, `mm_interactive_upload_rest`, queued in the same slot."""
    from mm_assets.orchestration.claims import PartitionClaims
    from mm_assets.orchestration.runs import materialize_partitions

    if not state.ready.is_set():
        raise ApiError(503, "not_ready", "the models are still loading; retry, or upload without wait=true")
    with state.interactive_slot():
        _write_shared_rows(state)  # this upload's own, if its bytes were held: its answer covers them
        # The claim keeps a `mm materialize` elsewhere from running the same partition's models at once.
        claims = PartitionClaims(state.catalog)
        job = state.interactive_job
        report = materialize_partitions(
            state.defs,
            state.instance,
            _job_assets(job),
            [body.content_hash],
            1,
            claims=claims,
            job=state.interactive_run,
        )
        figures = _journal_deferred_figures(state, report.run_ids)
        state.refresh_index()  # the rows are found now (scanned until the indexes cover them, after the answer)
        if state.interactive_rest_job is not None and body.content_hash in report.materialized:
            state.rest_pending.add(body.content_hash)
        state.run_later_in_slot(functools.partial(_finish_rest, state, body.content_hash, figures))
    body.run_ids, body.failed = list(report.run_ids), dict(report.failed)
    body.searchable = body.content_hash in _indexed(state, body.content_hash)
    # Only the kinds this run makes: for bytes another tenant already holds, the kinds after the answer
    # may be done, for fresh bytes not yet, and the answer must not tell the two apart.
    made = {key.to_user_string() for key in _job_assets(state.interactive_job)}
    artifacts = artifact_versions(state.catalog, body.content_hash, who.tenant)["artifacts"]
    body.artifacts = {kind: versions for kind, versions in artifacts.items() if kind in made}
    return body


def _journal_deferred_figures(state: ServerState, run_ids: list[str]) -> dict[str, list[Any]]:
    """The census observations the answering run left (artifacts.FIGURES_AFTER_RUN), journalled on disk
    before the answer, so a crash before `_finish_rest` reports them loses none (replayed at start)."""
    from mm_assets.artifacts import take_deferred_figures

    figures = {run_id: take_deferred_figures(run_id) for run_id in run_ids}
    for run_id, of_run in figures.items():
        state.figures_journal.write(run_id, of_run)
    return figures


def _finish_rest(state: ServerState, content_hash: str, figures: dict[str, list[Any]]) -> None:
    """After the answer, in the interactive slot: the answering run's census observations are reported
    (and struck from the journal), the indexes cover the rows it wrote, then the upload's other kinds run
    with the non-blocking checks of every kind, index freshness among them (unless it was forgotten
    meanwhile)."""
    from mm_assets.orchestration.claims import PartitionClaims
    from mm_assets.orchestration.runs import materialize_partitions

    fault_point("serve.figures_journalled")
    for run_id, of_run in figures.items():
        state.figures_journal.report(state.instance, state.catalog, run_id, of_run)
    state.refresh_index_tables()
    if content_hash not in state.rest_pending:
        return
    state.rest_pending.discard(content_hash)
    job = state.interactive_rest_job
    claims = PartitionClaims(state.catalog)
    run = state.interactive_rest_run
    report = materialize_partitions(
        state.defs, state.instance, _job_assets(job), [content_hash], 1, claims=claims, job=run
    )
    if report.failed:
        log.error("upload %s: the kinds after its answer failed: %s", content_hash, report.failed[content_hash])


def _job_assets(job: Any) -> list[Any]:
    return sorted(job.asset_layer.executable_asset_keys)


def _indexed(state: ServerState, content_hash: str) -> set[str]:
    with state.catalog.engine.connect() as conn:
        found = conn.execute(
            sa.select(derived_artifact.c.source_hash).where(
                derived_artifact.c.source_hash == content_hash,
                derived_artifact.c.kind == "search_index",
                derived_artifact.c.status == "current",
            )
        ).first()
    return {found.source_hash} if found else set()


@router.get("/{content_hash}", response_model=MediaBody, responses=ERRORS)
def get_media(content_hash: str, who: Principal, state: State) -> MediaBody:
    source = _owned(state, who, content_hash)
    with state.catalog.engine.connect() as conn:
        kinds = conn.execute(
            sa.select(derived_artifact.c.kind)
            .where(derived_artifact.c.source_hash == source["content_hash"], derived_artifact.c.status == "current")
            .distinct()
        ).scalars()
        current = sorted(kinds)
    return MediaBody(**{name: source[name] for name in MediaBody.model_fields if name in source}, current_kinds=current)


@router.get("/{content_hash}/artifacts", response_model=ArtifactsBody, responses=ERRORS)
def get_artifacts(content_hash: str, who: Principal, state: State) -> ArtifactsBody:
    source = _owned(state, who, content_hash)
    return ArtifactsBody(**artifact_versions(state.catalog, source["content_hash"], None))


@router.get(
    "/{content_hash}/crop",
    responses={
        **ERRORS,
        200: {"content": {"image/png": {}}, "description": "the evidence box, cut from the redacted page"},
    },
    response_class=Response,
)
def get_crop(
    content_hash: str,
    who: Principal,
    state: State,
    page: Annotated[int, Query(ge=1)],
    bbox: Annotated[str, Query(description="x0,y0,x1,y1 in page pixels, as in a result's evidence")],
) -> Response:
    """An evidence crop as PNG, cut from the *redacted* page (stored as a `crop` artifact too)."""
    from mm_assets.operations.crop import CropError, store_crop
    from resources.catalog import current_artifacts

    source = _owned(state, who, content_hash)
    try:
        box = [float(v) for v in bbox.split(",")]
    except ValueError:
        box = []
    if len(box) != 4:
        raise ApiError(422, "bad_request", f"bbox must be four numbers x0,y0,x1,y1, got {bbox!r}")
    redacted = current_artifacts(state.catalog, "pii", [source["content_hash"]]).get(source["content_hash"])
    if redacted is None:
        raise ApiError(404, "no_redacted_pages", f"media {content_hash} has no redacted page images yet")
    try:
        crop = store_crop(state.catalog, state.store, redacted, page, box, "evidence")
    except CropError as exc:
        raise ApiError(422, "bad_box", str(exc)) from exc
    return Response(crop.png, media_type="image/png")


@router.delete("/{content_hash}", response_model=ForgetBody, responses=ERRORS)
def forget(content_hash: str, who: Principal, state: State) -> ForgetBody:
    """`mm forget`: the original, every payload, catalog and index row and Dagster's records; a tombstone stays."""
    from mm_assets.operations.forget import forget_everywhere

    source = _owned(state, who, content_hash)
    state.flush_audit()  # forget rewrites the audit rows naming the hash: the queued ones too
    with state.interactive_slot():  # not while a run of the same partition writes its artifacts
        report = forget_everywhere(
            state.settings, state.instance, source["content_hash"], source["tenant_id"], f"api:{who.name}"
        )
        if report.scope == "wiped":  # the original is gone: its kinds after an answer, not now, not ever
            state.rest_pending.discard(source["content_hash"])
        state.index_written()
    return ForgetBody(**{name: getattr(report, name) for name in ForgetBody.model_fields})
