"""/v1/keys: key management over HTTP, for admin keys (the CLI `mm keys` does the same locally)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from mm_assets.operations.keys import DEFAULT_RATE_PER_MINUTE, ApiKeyError, create_key, list_keys, revoke_key
from mm_assets.server.auth import Admin, State
from mm_assets.server.errors import ApiError
from mm_assets.server.routers.media import ERRORS
from mm_assets.server.schemas import KeyBody, NewKeyBody

router = APIRouter(prefix="/v1/keys", tags=["keys"])


@router.get("", response_model=list[KeyBody], responses=ERRORS)
def keys(_admin: Admin, state: State, tenant: str | None = None) -> list[dict[str, Any]]:
    return list_keys(state.catalog, tenant)


@router.post("", response_model=NewKeyBody, status_code=201, responses=ERRORS)
def new_key(
    _admin: Admin,
    state: State,
    tenant: Annotated[str, Query()],
    name: str | None = None,
    kind: str = "tenant",
    rate_per_minute: int = DEFAULT_RATE_PER_MINUTE,
) -> NewKeyBody:
    """A new key, shown once in `key`."""
    try:
        key, row = create_key(state.catalog, tenant, name, kind, rate_per_minute)
    except ApiKeyError as exc:
        raise ApiError(422, "bad_request", str(exc)) from exc
    return NewKeyBody(key=key, **row)


@router.delete("/{key_id}", response_model=KeyBody, responses=ERRORS)
def revoke(key_id: str, _admin: Admin, state: State) -> dict[str, Any]:
    try:
        return revoke_key(state.catalog, key_id)
    except ApiKeyError as exc:
        raise ApiError(404, "not_found", str(exc)) from exc
