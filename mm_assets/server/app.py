"""The FastAPI application of `mm serve`: routers, /healthz, /metrics, errors, and model loading."""

from __future__ import annotations

import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Response
from fastapi.responses import JSONResponse, PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mm_assets.server.errors import install_error_handlers
from mm_assets.server.metrics import ServerMetrics
from mm_assets.server.routers import keys, media, review, search
from mm_assets.server.state import ServerState
from mm_assets.settings import Settings


class MeasureRequests:
    """Requests and latency per route template (/v1/media/{content_hash}, never the hash), as plain ASGI
    middleware: a BaseHTTPMiddleware would add a task and a stream copy to every request."""

    def __init__(self, app: ASGIApp, metrics: ServerMetrics) -> None:
        self.app, self.metrics = app, metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status, started = 500, time.perf_counter()

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            route = getattr(scope.get("route"), "path", "unmatched")  # set by the router on this scope
            self.metrics.observe_request(route, scope["method"], status, time.perf_counter() - started)


def create_app(settings: Settings) -> FastAPI:
    state = ServerState(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        state.open_instance()
        threading.Thread(target=state.load, name="mm-load-models", daemon=True).start()
        yield
        state.close()

    app = FastAPI(
        title="mm-assets",
        version="1",
        description="Versioned artifacts from raw media: upload, search with evidence, review. "
        "Every /v1 call needs `Authorization: Bearer KEY` (`mm keys create`); the key decides the tenant.",
        lifespan=lifespan,
    )
    app.state.mm = state
    app.add_middleware(MeasureRequests, metrics=state.metrics)
    install_error_handlers(app)
    for router in (media.router, search.router, review.router, keys.router):
        app.include_router(router)

    @app.get("/healthz", tags=["operations"])
    def healthz() -> Response:
        """200 once the models are loaded; 503 before (or with the error that stopped them)."""
        if state.ready.is_set():
            return JSONResponse({"status": "ok"})
        detail = {"status": "failed", "error": state.load_error} if state.load_error else {"status": "loading"}
        return JSONResponse(detail, status_code=503)

    @app.get("/metrics", tags=["operations"], response_class=PlainTextResponse)
    def metrics() -> PlainTextResponse:
        """Prometheus text: requests and latency per route, search stage timings, interactive queue depth."""
        pending = state.audit_writer.pending if state.audit_writer is not None else 0
        merger = state.index_merger
        merges = (len(merger.merged), merger.failures) if merger is not None else (0, 0)
        return PlainTextResponse(state.metrics.render(pending, merges), media_type="text/plain; version=0.0.4")

    return app
