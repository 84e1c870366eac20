"""The name older homes' dagster.yaml give the pooled event logs (`module:` in `event_log_storage`).

They live in mm_assets.dagster_internals now; `mm` rewrites a generated dagster.yaml on its next
command, but `dagster dev` on an old home reads the file first, so the old name keeps loading.
"""

from mm_assets.dagster_internals.event_log_storage import PooledPostgresEventLogStorage, PooledSqliteEventLogStorage

__all__ = ["PooledPostgresEventLogStorage", "PooledSqliteEventLogStorage"]
