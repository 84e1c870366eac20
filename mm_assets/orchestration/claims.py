"""Partition claims: workers on one catalog split the partitions instead of doing the same model work.

Before a batch runs, its worker claims the batch's partitions in the catalog's `partition_claim`
table and runs only the ones it got; the claims go when the batch ends. A claim is an INSERT that
skips rows another worker holds (`ON CONFLICT DO NOTHING`); a claim past its expiry, or held by a
process on this host that is gone (killed), is taken over under `SELECT ... FOR UPDATE SKIP LOCKED`,
so two workers racing for the same expired rows never block each other and never both win. Expiry is
generous (an hour by default) and refreshed per batch. Work that was finished anyway costs no model
call: an artifact at the same version key is reused (see ArtifactBatch), so a claim only has to
cover the time a batch is running.
"""

from __future__ import annotations

import socket
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from mm_assets.orchestration.run_health import check_worker, this_worker
from resources.catalog import CatalogResource, dialect_insert, partition_claim, utcnow

CLAIM_TTL = timedelta(hours=1)
KEYS_PER_STATEMENT = 500


def worker_name() -> str:
    """host:pid:process-start:random (run_health's worker identity), unique per process run."""
    return f"{this_worker()}:{uuid.uuid4().hex[:8]}"


def _worker_gone(worker: str) -> bool:
    """A claim of a process on this host that no longer runs (killed): free at once, not after the TTL."""
    if worker.partition(":")[0] != socket.gethostname():
        return False  # another host's worker: only its expiry frees it
    alive, _why = check_worker(worker.rsplit(":", 1)[0], None, 0)
    return not alive


class PartitionClaims:
    """This worker's claims in one catalog."""

    def __init__(self, catalog: CatalogResource, worker: str | None = None, ttl: timedelta = CLAIM_TTL) -> None:
        self.catalog, self.worker, self.ttl = catalog, worker or worker_name(), ttl

    def claim(self, keys: Sequence[str]) -> list[str]:
        """Claim what no live worker holds; returns the keys now held by this worker, in the given order."""
        got: set[str] = set()
        insert = dialect_insert(self.catalog.engine.dialect.name)
        now = utcnow()
        with self.catalog.engine.begin() as conn:
            for start in range(0, len(keys), KEYS_PER_STATEMENT):
                chunk = list(keys[start : start + KEYS_PER_STATEMENT])
                held = conn.execute(
                    sa.select(partition_claim.c.content_hash, partition_claim.c.worker, partition_claim.c.expires_at)
                    .where(partition_claim.c.content_hash.in_(chunk), partition_claim.c.worker != self.worker)
                    .with_for_update(skip_locked=True)
                ).all()
                expired = [key for key, worker, expires in held if _aware(expires) < now or _worker_gone(worker)]
                if expired:
                    conn.execute(partition_claim.delete().where(partition_claim.c.content_hash.in_(expired)))
                rows = [
                    {"content_hash": key, "worker": self.worker, "claimed_at": now, "expires_at": now + self.ttl}
                    for key in chunk
                ]
                statement = insert(partition_claim).on_conflict_do_nothing().returning(partition_claim.c.content_hash)
                got |= set(conn.execute(statement, rows).scalars().all())
                got |= set(  # already ours: a batch split after a failure claims its keys again
                    conn.execute(
                        sa.select(partition_claim.c.content_hash).where(
                            partition_claim.c.content_hash.in_(chunk), partition_claim.c.worker == self.worker
                        )
                    ).scalars()
                )
        return [key for key in keys if key in got]

    def release(self, keys: Sequence[str]) -> None:
        with self.catalog.engine.begin() as conn:
            for start in range(0, len(keys), KEYS_PER_STATEMENT):
                conn.execute(
                    partition_claim.delete().where(
                        partition_claim.c.content_hash.in_(list(keys[start : start + KEYS_PER_STATEMENT])),
                        partition_claim.c.worker == self.worker,
                    )
                )


def _aware(moment: datetime) -> datetime:
    """SQLite hands back the stored UTC time without its zone, PostgreSQL with it."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
