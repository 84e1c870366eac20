"""Merging the search index's vector index segments for the runs that no server or CLI follows.

Every write of the search_index step adds a segment to each vector index, and each segment costs every
search CPU; rebuilding an index as one segment takes about a minute at 100k rows, so it never runs
inside a write (resources/index_merger.py). A server merges on its own thread after its writes and
`mm materialize` after its runs; the runs the daemon launches (backfills from the UI, the landing
sensor's batches) have neither. This sensor reads the index's metadata every few minutes and, when a
vector index is split into more than MAX_VECTOR_INDEX_SEGMENTS, launches the index_segment_merge job:
a run of its own, in the UI with its log, that rebuilds those indexes apart from any write.
"""

import dagster as dg

from resources.index_maintenance import MAX_VECTOR_INDEX_SEGMENTS
from resources.search_index_store import SearchIndexResource

INDEX_MERGE_JOB = "index_segment_merge"
SENSOR_NAME = "index_segment_sensor"
CHECK_INTERVAL_S = 300
_ACTIVE = [
    dg.DagsterRunStatus.QUEUED,
    dg.DagsterRunStatus.NOT_STARTED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
]


@dg.op(description="Rebuild each vector index of the search index that writes split into too many segments.")
def merge_vector_index_segments(context: dg.OpExecutionContext, search_index_store: SearchIndexResource) -> list[str]:
    index = search_index_store.open_existing()
    if index is None:
        context.log.info("no search index yet: nothing to merge")
        return []
    try:
        rebuilt = index.merge_index_segments(MAX_VECTOR_INDEX_SEGMENTS)
    finally:
        index.close()
    context.log.info(f"rebuilt {', '.join(rebuilt)}" if rebuilt else "no vector index was over-split any more")
    return rebuilt


@dg.job(
    name=INDEX_MERGE_JOB,
    executor_def=dg.in_process_executor,
    description="Merge the search index's vector index segments (launched by index_segment_sensor).",
)
def index_merge_job() -> None:
    merge_vector_index_segments()


def merge_decision(over_split: list[str], active_runs: int) -> dg.RunRequest | dg.SkipReason:
    """One tick's decision: a merge run for the over-split indexes, unless one is already under way."""
    if active_runs:
        return dg.SkipReason("a merge run is already queued or running")
    if not over_split:
        return dg.SkipReason(f"no vector index has more than {MAX_VECTOR_INDEX_SEGMENTS} segments")
    return dg.RunRequest(tags={"mm/over_split_indexes": ",".join(over_split)})


@dg.sensor(
    name=SENSOR_NAME,
    job=index_merge_job,
    minimum_interval_seconds=CHECK_INTERVAL_S,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Launches index_segment_merge when writes have split a vector index of the search index "
    f"into more than {MAX_VECTOR_INDEX_SEGMENTS} segments (each one slows every search).",
)
def index_segment_sensor(
    context: dg.SensorEvaluationContext, search_index_store: SearchIndexResource
) -> dg.RunRequest | dg.SkipReason:
    active = context.instance.get_runs_count(dg.RunsFilter(job_name=INDEX_MERGE_JOB, statuses=_ACTIVE))
    if active:
        return merge_decision([], active)
    index = search_index_store.open_existing()
    if index is None:
        return dg.SkipReason("no search index yet")
    try:
        over_split = index.over_split_indexes(MAX_VECTOR_INDEX_SEGMENTS)
    finally:
        index.close()
    return merge_decision(over_split, active)
