"""The index_segment_sensor and index_segment_merge job: runs the daemon launches (no server, no CLI
after them) still get their over-split vector indexes merged, in a Dagster run of its own."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from mm_assets.orchestration.index_merge import INDEX_MERGE_JOB, index_merge_job, index_segment_sensor
from resources.index_maintenance import MAX_VECTOR_INDEX_SEGMENTS
from resources.search_index_store import SearchIndexResource
from resources.vector_index import VectorIndex
from tests.test_vector_index import DIM, nearest, spread_rows, vector_segments


def tick(instance: dg.DagsterInstance, resource: SearchIndexResource) -> dg.RunRequest | dg.SkipReason:
    context = dg.build_sensor_context(instance=instance, resources={"search_index_store": resource})
    return index_segment_sensor(context)


def test_the_sensor_launches_a_merge_run_only_for_an_over_split_index(tmp_path: Path) -> None:
    uri = str(tmp_path / "index")
    resource = SearchIndexResource(uri=uri)
    with dg.instance_for_test() as instance:
        assert isinstance(tick(instance, resource), dg.SkipReason)  # no table yet

        index = VectorIndex(uri, DIM, vector_index_min_rows=5)
        index.upsert(spread_rows(50, "base"))
        writes = spread_rows(MAX_VECTOR_INDEX_SEGMENTS, "write", seed=1)
        for row in writes[:-1]:
            index.upsert([row])
        assert max(vector_segments(index).values()) == MAX_VECTOR_INDEX_SEGMENTS
        assert isinstance(tick(instance, resource), dg.SkipReason)  # at the limit, not over it

        index.upsert([writes[-1]])  # one segment over
        request = tick(instance, resource)
        assert isinstance(request, dg.RunRequest)
        assert set(request.tags["mm/over_split_indexes"].split(",")) == set(vector_segments(index))

        # A merge run already under way: the next tick launches no second one.
        pending = instance.create_run_for_job(index_merge_job, status=dg.DagsterRunStatus.NOT_STARTED)
        assert "already" in str(tick(instance, resource).skip_message)
        instance.report_run_canceled(pending)

        result = index_merge_job.execute_in_process(instance=instance, resources={"search_index_store": resource})
        assert result.success and result.dagster_run.job_name == INDEX_MERGE_JOB
        assert sorted(result.output_for_node("merge_vector_index_segments")) == sorted(vector_segments(index))
        index.close()

        merged = VectorIndex(uri, DIM, vector_index_min_rows=5)
        assert set(vector_segments(merged).values()) == {1}
        assert not any(merged.unindexed_rows().values())
        assert merged.count() == 50 + len(writes)
        for row in writes:
            assert nearest(merged, row) == nearest(merged, row, exact=True)
        merged.close()
        assert isinstance(tick(instance, resource), dg.SkipReason)  # nothing over-split any more
