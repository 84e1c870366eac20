"""API keys of the HTTP server: create (the key is shown once), list, revoke, verify.

A key reads `mm_<key_id>_<secret>`. The catalog keeps the key id (public, for lookup), a random
salt and HMAC-SHA256(salt, secret), never the secret; verification recomputes the hash and compares
in constant time. A key belongs to one tenant, and that tenant is the only one its requests see;
an `admin` key may act across tenants (search globally, review any tenant's items, manage keys).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from mm_assets.operations.ingest import IngestOptions, IngestUsageError
from resources.catalog import CatalogResource, api_key, utcnow

KEY_KINDS = ("tenant", "admin")
DEFAULT_RATE_PER_MINUTE = 600
_KEY = re.compile(r"mm_([0-9a-f]{16})_([A-Za-z0-9_-]{43})")


class ApiKeyError(ValueError):
    """A key request that cannot be carried out; the message says why."""


@dataclass(frozen=True)
class ApiPrincipal:
    """Who a verified key speaks for."""

    key_id: str
    tenant: str
    name: str
    kind: str
    rate_per_minute: int

    @property
    def is_admin(self) -> bool:
        return self.kind == "admin"


def _secret_hash(salt: str, secret: str) -> str:
    return hmac.new(bytes.fromhex(salt), secret.encode(), hashlib.sha256).hexdigest()


def create_key(
    catalog: CatalogResource,
    tenant: str,
    name: str | None = None,
    kind: str = "tenant",
    rate_per_minute: int = DEFAULT_RATE_PER_MINUTE,
) -> tuple[str, dict[str, Any]]:
    """A new key: (the key itself, to be shown once; its catalog row without salt and hash)."""
    try:
        IngestOptions(tenant=tenant).validate()  # the same tenant names as ingest
    except IngestUsageError as exc:
        raise ApiKeyError(str(exc)) from exc
    if kind not in KEY_KINDS:
        raise ApiKeyError(f"key kind {kind!r} is invalid: use one of {KEY_KINDS}")
    if rate_per_minute < 1:
        raise ApiKeyError(f"the rate limit must be at least 1 request per minute, got {rate_per_minute}")
    key_id, secret, salt = secrets.token_hex(8), secrets.token_urlsafe(32), secrets.token_hex(16)
    row = {
        "key_id": key_id,
        "tenant_id": tenant,
        "name": name or f"{tenant}-{key_id[:6]}",
        "kind": kind,
        "salt": salt,
        "secret_hash": _secret_hash(salt, secret),
        "rate_per_minute": rate_per_minute,
        "created_at": utcnow(),
        "revoked_at": None,
    }
    catalog.insert_rows(api_key, [row])
    return f"mm_{key_id}_{secret}", _public(row)


def list_keys(catalog: CatalogResource, tenant: str | None = None) -> list[dict[str, Any]]:
    query = sa.select(api_key).order_by(api_key.c.created_at)
    if tenant is not None:
        query = query.where(api_key.c.tenant_id == tenant)
    with catalog.engine.connect() as conn:
        return [_public(dict(row._mapping)) for row in conn.execute(query)]


def revoke_key(catalog: CatalogResource, key_id: str, tenant: str | None = None) -> dict[str, Any]:
    """Revoke by key id (or by the whole key); a tenant given limits it to that tenant's keys."""
    match = _KEY.fullmatch(key_id)
    key_id = match.group(1) if match else key_id
    condition = [api_key.c.key_id == key_id]
    if tenant is not None:
        condition.append(api_key.c.tenant_id == tenant)
    with catalog.engine.begin() as conn:
        row = conn.execute(sa.select(api_key).where(*condition)).first()
        if row is None:
            raise ApiKeyError(f"no key {key_id}")
        if row.revoked_at is None:
            conn.execute(api_key.update().where(api_key.c.key_id == key_id).values(revoked_at=utcnow()))
        return _public(dict(conn.execute(sa.select(api_key).where(api_key.c.key_id == key_id)).one()._mapping))


def verify_key(catalog: CatalogResource, presented: str) -> ApiPrincipal | None:
    """The key's principal, or None for a malformed, unknown, revoked or wrong key (no reason given)."""
    match = _KEY.fullmatch(presented.strip())
    if match is None:
        return None
    key_id, secret = match.groups()
    with catalog.engine.connect() as conn:
        row = conn.execute(sa.select(api_key).where(api_key.c.key_id == key_id)).first()
    if row is None:
        _secret_hash("00" * 16, secret)  # about the same work for an unknown id as for a wrong secret
        return None
    if not hmac.compare_digest(_secret_hash(row.salt, secret), row.secret_hash) or row.revoked_at is not None:
        return None
    return ApiPrincipal(row.key_id, row.tenant_id, row.name, row.kind, row.rate_per_minute)


def _public(row: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in row.items() if name not in ("salt", "secret_hash")}
