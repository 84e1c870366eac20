"""The review queue over HTTP: /v1/review (JSON) and /review (a server-rendered page for people).

The page signs in with an API key once (POST /review/login sets an HttpOnly, SameSite=Strict
cookie; the key never travels in a URL), lists open items in triage order, draws each page with the
kept version's boxes in red and the boxes under review in green, and has approve / reject buttons.
A decision lands in the catalog; a rejection is added to the `mm eval review` set.
"""

from __future__ import annotations

import html
import io
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from PIL import Image, ImageDraw
from starlette.concurrency import run_in_threadpool

from mm_assets.operations.keys import ApiPrincipal, verify_key
from mm_assets.operations.lifecycle import LifecycleError, decide_review, list_reviews
from mm_assets.operations.review_queue import add_rejected_case, review_boxes, triage
from mm_assets.server.auth import Principal, State, authenticate, scope, server_state
from mm_assets.server.errors import ApiError
from mm_assets.server.routers.media import ERRORS
from mm_assets.server.schemas import ReviewDecisionBody, ReviewItemBody
from mm_assets.server.state import ServerState
from resources.catalog import review_item
from resources.source_owners import owned_hashes

router = APIRouter(tags=["review"])
COOKIE = "mm_review_key"
PAGE_WIDTH = 900  # the page image as drawn on the review page, in pixels


@router.get("/v1/review", response_model=list[ReviewItemBody], responses=ERRORS)
def list_items(who: Principal, state: State, status: str = "open", tenant: str | None = None) -> list[dict[str, Any]]:
    """Review items in triage order: privacy regressions first, then larger disagreements."""
    if status not in ("open", "approved", "rejected", "all"):
        raise ApiError(422, "bad_request", f"status must be open, approved, rejected or all, got {status!r}")
    return triage(list_reviews(state.catalog, status, scope(who, tenant)))


@router.post("/v1/review/{review_id}/approve", response_model=ReviewDecisionBody, responses=ERRORS)
def approve(review_id: str, who: Principal, state: State) -> ReviewDecisionBody:
    return decide(state, who, review_id, approve=True)


@router.post("/v1/review/{review_id}/reject", response_model=ReviewDecisionBody, responses=ERRORS)
def reject(review_id: str, who: Principal, state: State) -> ReviewDecisionBody:
    return decide(state, who, review_id, approve=False)


def decide(state: ServerState, who: ApiPrincipal, review_id: str, approve: bool) -> ReviewDecisionBody:
    """The decision in the catalog; an approved candidate's downstream kinds are refreshed at once
    (as `mm review approve` does); a rejection becomes an evaluation case."""
    tenant = scope(who, None)
    item = _item(state, review_id, tenant)
    try:
        decision = decide_review(state.catalog, review_id, approve, tenant)
    except LifecycleError as exc:
        status = 409 if "already" in str(exc) else 404
        raise ApiError(status, "conflict" if status == 409 else "not_found", str(exc)) from exc
    body = ReviewDecisionBody(**decision.__dict__)
    if not approve:
        body.eval_case = add_rejected_case(state.settings.home, state.catalog, item, f"api:{who.name}")
    elif decision.superseded and state.ready.is_set():
        body.downstream = _refresh_downstream(state, decision.kind, decision.content_hash)
    return body


def _item(state: ServerState, review_id: str, tenant: str | None) -> dict[str, Any]:
    with state.catalog.engine.connect() as conn:
        row = conn.execute(sa.select(review_item).where(review_item.c.review_id == review_id)).first()
    # A review is about shared content: any owner of it may see and decide it, no one else.
    if row is None or (tenant is not None and not owned_hashes(state.catalog, tenant, [row.source_hash])):
        raise ApiError(404, "not_found", f"no review item {review_id}")
    return {**dict(row._mapping), "tenant_id": tenant or row.tenant_id}


def _refresh_downstream(state: ServerState, kind: str, content_hash: str) -> dict[str, Any]:
    import dagster as dg

    from mm_assets.orchestration.runs import materialize_partitions

    graph = state.defs.resolve_asset_graph()
    key = dg.AssetKey.from_user_string(kind)
    downstream = sorted(dg.AssetSelection.assets(key).downstream().resolve(graph) - {key})
    if not downstream:
        return {}
    with state.interactive_slot():
        report = materialize_partitions(state.defs, state.instance, downstream, [content_hash], 1)
        state.index_written()
    return report.as_json()


# ---------------------------------------------------------------- the page for people


def page_principal(request: Request, state: Annotated[ServerState, Depends(server_state)]) -> ApiPrincipal | None:
    """The key from the sign-in cookie (or a Bearer header); None when there is none or it is not valid."""
    if request.headers.get("authorization"):
        return authenticate(request, state)
    key = request.cookies.get(COOKIE)
    return verify_key(state.catalog, key) if key else None


PagePrincipal = Annotated[ApiPrincipal | None, Depends(page_principal)]


@router.get("/review", response_class=HTMLResponse, include_in_schema=False)
def review_page(who: PagePrincipal, state: State) -> HTMLResponse:
    if who is None:
        return HTMLResponse(_LOGIN, status_code=401)
    items = triage(list_reviews(state.catalog, "open", scope(who, None)))
    cards = "\n".join(_card(item) for item in items) or "<p id='empty'>The review queue is empty.</p>"
    tenant = "every tenant" if who.is_admin else f"tenant {who.tenant}"
    return HTMLResponse(_page(f"Review queue: {len(items)} open, {html.escape(tenant)}", cards))


@router.post("/review/login", include_in_schema=False)
def login(state: State, key: Annotated[str, Form()]) -> Response:
    if verify_key(state.catalog, key) is None:
        return HTMLResponse(_LOGIN.replace("<!--error-->", "<p class='error'>That key is not valid.</p>"), 401)
    response = RedirectResponse("/review", status_code=303)
    response.set_cookie(COOKIE, key.strip(), httponly=True, samesite="strict")
    return response


@router.post("/review/{review_id}/{action}", include_in_schema=False)
async def decide_from_page(review_id: str, action: str, who: PagePrincipal, state: State) -> Response:
    if who is None:
        return RedirectResponse("/review", status_code=303)
    if action not in ("approve", "reject"):
        raise ApiError(404, "not_found", f"no action {action!r}")
    await run_in_threadpool(decide, state, who, review_id, action == "approve")
    return RedirectResponse("/review", status_code=303)


@router.get("/review/{review_id}/page.png", include_in_schema=False)
def review_image(review_id: str, who: PagePrincipal, state: State, page: int = 1) -> Response:
    """The page with the old boxes (red) and the boxes under review (green)."""
    if who is None:
        raise ApiError(401, "unauthorized", "sign in on /review first")
    item = _item(state, review_id, scope(who, None))
    boxes = review_boxes(state.catalog, state.store, item, page)
    if boxes.page_image_key is None:
        raise ApiError(404, "no_page_image", f"the source of review item {review_id} has no page {page} image")
    image = Image.open(io.BytesIO(state.store.read_bytes(boxes.page_image_key))).convert("RGB")
    draw = ImageDraw.Draw(image)
    width = max(2, image.width // 300)
    for color, found in (("#d62728", boxes.old), ("#2ca02c", boxes.new)):
        for box in found:
            draw.rectangle([round(v) for v in box[:4]], outline=color, width=width)
    if image.width > PAGE_WIDTH:
        image = image.resize((PAGE_WIDTH, round(image.height * PAGE_WIDTH / image.width)))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return Response(buffer.getvalue(), media_type="image/png")


def _card(item: dict[str, Any]) -> str:
    rid = html.escape(item["review_id"])
    return f"""<section class="item" data-review-id="{rid}">
  <h2>{html.escape(item["kind"])} · {html.escape(item["source_hash"][:16])} · priority {item["priority"]:.2f}</h2>
  <p class="reason">{html.escape(item["reason"])}</p>
  <img src="/review/{rid}/page.png" alt="page 1 with the boxes under review" width="{PAGE_WIDTH // 2}">
  <p class="legend"><span class="old">red: current version</span> · <span class="new">green: under review</span></p>
  <form method="post" action="/review/{rid}/approve"><button class="approve" type="submit">Approve</button></form>
  <form method="post" action="/review/{rid}/reject"><button class="reject" type="submit">Reject</button></form>
</section>"""


_STYLE = """<style>body{font-family:sans-serif;max-width:1000px;margin:2em auto}.item{border:1px solid #ccc;
padding:1em;margin:1em 0}.item form{display:inline}.approve{background:#2ca02c;color:#fff}.reject{background:#d62728;
color:#fff}.old{color:#d62728}.new{color:#2ca02c}.error{color:#d62728}</style>"""


def _page(title: str, body: str) -> str:
    head = f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title>{_STYLE}</head>"
    return f"{head}<body><h1>{title}</h1>{body}</body></html>"


_LOGIN = _page(
    "mm review: sign in with an API key",
    "<!--error--><form method='post' action='/review/login'><input type='password' name='key' "
    "autocomplete='off' size='70'> <button type='submit'>Sign in</button></form>",
)
