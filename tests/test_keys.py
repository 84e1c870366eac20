"""API keys in the catalog (SQLite and PostgreSQL): shown once, stored as a salted hash, verified in
constant time, revocable; and the catalog migration that adds them."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from mm_assets.operations.keys import ApiKeyError, create_key, list_keys, revoke_key, verify_key
from resources.catalog import CatalogResource, api_key, create_catalog_engine, migrate


@pytest.fixture(params=["sqlite", "postgresql"])
def key_catalog(request, mm_settings) -> CatalogResource:
    if request.param == "sqlite":
        return CatalogResource(url=mm_settings.catalog_url)
    return CatalogResource(url=request.getfixturevalue("postgres_url"))


def test_a_key_verifies_to_its_tenant_and_only_a_salted_hash_is_stored(key_catalog):
    key, row = create_key(key_catalog, "acme", "ci")
    twin, _ = create_key(key_catalog, "acme", "ci-2")
    who = verify_key(key_catalog, key)
    assert who is not None and (who.tenant, who.name, who.kind, who.is_admin) == ("acme", "ci", "tenant", False)
    with key_catalog.engine.connect() as conn:
        stored = [dict(r._mapping) for r in conn.execute(sa.select(api_key))]
    secret = key.rsplit("_", 1)[1]
    assert all(secret not in str(value) for stored_row in stored for value in stored_row.values())
    salts = {stored_row["salt"] for stored_row in stored}
    assert len(salts) == 2  # one salt per key
    assert "salt" not in row and "secret_hash" not in row
    assert verify_key(key_catalog, twin).name == "ci-2"


@pytest.mark.parametrize("mangle", [lambda k: k[:-1] + ("A" if k[-1] != "A" else "B"), lambda k: k + "x", str.upper])
def test_a_wrong_or_malformed_key_does_not_verify(key_catalog, mangle):
    key, _ = create_key(key_catalog, "acme")
    assert verify_key(key_catalog, mangle(key)) is None
    assert verify_key(key_catalog, "") is None


def test_a_revoked_key_no_longer_verifies_and_lists_as_revoked(key_catalog):
    key, row = create_key(key_catalog, "acme")
    admin, _ = create_key(key_catalog, "ops", kind="admin", rate_per_minute=5)
    assert revoke_key(key_catalog, row["key_id"])["revoked_at"] is not None
    assert verify_key(key_catalog, key) is None
    assert verify_key(key_catalog, admin).is_admin
    listed = {entry["key_id"]: entry for entry in list_keys(key_catalog)}
    assert listed[row["key_id"]]["revoked_at"] is not None
    assert [entry["tenant_id"] for entry in list_keys(key_catalog, "ops")] == ["ops"]
    with pytest.raises(ApiKeyError, match="no key"):
        revoke_key(key_catalog, row["key_id"], tenant="someone-else")


@pytest.mark.parametrize(
    ("tenant", "kind", "rate", "message"),
    [
        ("", "tenant", 10, "tenant"),
        ("a b", "tenant", 10, "tenant"),
        ("acme", "root", 10, "kind"),
        ("acme", "tenant", 0, "rate"),
    ],
)
def test_bad_key_requests_are_refused(key_catalog, tenant, kind, rate, message):
    with pytest.raises(ApiKeyError, match=message):
        create_key(key_catalog, tenant, kind=kind, rate_per_minute=rate)


def test_the_api_key_migration_applies_to_a_catalog_at_version_2(postgres_url):
    engine = create_catalog_engine(postgres_url)
    migrate(engine)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE api_key"))
        conn.execute(sa.text("DELETE FROM schema_version WHERE version >= 3"))
    assert migrate(engine)[:3] == [3, 4, 5]  # 4 and later change only what is missing or unkeyed
    assert sa.inspect(engine).has_table("api_key")
