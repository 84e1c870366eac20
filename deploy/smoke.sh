#!/usr/bin/env bash
# `make deploy-smoke`: the samples through the running compose stack (deploy/stack.sh up), each step a
# check that fails the smoke:
#   1. `mm migrate`, `mm ingest /data` in the user-code container: all of samples/ accepted
#   2. `mm materialize --missing`: queued runs that the daemon launches, each as its own container
#      (DockerRunLauncher); every partition materialized, none failed; each run's container
#      (the launcher's docker/container_id tag, read through the webserver's GraphQL) was started
#      by the Docker daemon and removed after the run (auto_remove)
#   3. `mm search`: the invoice is the top hit for "invoice total"
#   4. `mm forget` of that invoice: the same search no longer returns it
# The last line of output is the summary: {"materialized": N, "failed": 0, "run_containers": M, "search_hits": K}
set -euo pipefail
cd "$(dirname "$0")/.."
: "${MM_IMAGE:?run through deploy/stack.sh smoke}" "${WEBSERVER_PORT:?}"

log() { echo "smoke: $*" >&2; }
fail() { log "FAILED: $*"; exit 1; }
compose() { deploy/compose.sh "$@"; }
mm() { compose exec -T user_code mm "$@"; }
field() { python3 -c "import json, sys; d = json.load(sys.stdin); print($1)"; }

# Docker's container starts and removals, streamed from now on (the daemon keeps only its last 256
# events, and healthchecks fill those within minutes).
events=$(mktemp)
docker events --filter type=container --filter event=start --filter event=destroy --format '{{.Action}} {{.Actor.ID}}' >"$events" &
events_pid=$!
trap 'kill $events_pid 2>/dev/null; rm -f "$events"' EXIT

mm migrate >&2
samples=$(find samples -maxdepth 1 -type f | wc -l)
accepted=$(mm ingest /data --tenant demo --json | field 'len(d["accepted"])')
log "ingested $accepted of $samples samples"
[ "$accepted" = "$samples" ] || fail "ingest accepted $accepted of $samples samples"

log "materializing through the run queue (the daemon launches each run as a container)"
report=$(mm materialize --missing --json) || log "mm materialize exited $? (partitions failed)"
materialized=$(field 'len(d["materialized"])' <<<"$report")
failed=$(field 'len(d["failed"])' <<<"$report")
run_ids=$(field '" ".join(d["run_ids"])' <<<"$report")

# Each run's container id, from the run tags DockerRunLauncher writes (the webserver's GraphQL).
container_of() {
  python3 - "$1" "$WEBSERVER_PORT" <<'EOF'
import json, sys, urllib.request
run_id, port = sys.argv[1], sys.argv[2]
query = "query($id: ID!) { runOrError(runId: $id) { ... on Run { status tags { key value } } } }"
request = urllib.request.Request(f"http://127.0.0.1:{port}/graphql", json.dumps({"query": query, "variables": {"id": run_id}}).encode(), {"Content-Type": "application/json"})
run = json.load(urllib.request.urlopen(request, timeout=60))["data"]["runOrError"]
tags = {tag["key"]: tag["value"] for tag in run.get("tags", [])}
print(run.get("status"), tags.get("docker/container_id", "-"))
EOF
}
removed() {   # the container is gone within a minute of its run's end (auto_remove)
  for _ in $(seq 60); do grep -q "^destroy $1" "$events" && return; sleep 1; done
  return 1
}
run_containers=0
for run_id in $run_ids; do
  read -r status container <<<"$(container_of "$run_id")"
  [ "$status" = SUCCESS ] || fail "run $run_id is $status"
  grep -q "^start $container" "$events" || fail "run $run_id: no container $container started by the daemon"
  removed "$container" || fail "run $run_id: container $container was not removed"
  run_containers=$((run_containers + 1))
done
log "$materialized partition(s) materialized, $failed failed, in $run_containers run container(s)"
[ "$failed" = 0 ] && [ "$materialized" = "$samples" ] || fail "materialized $materialized of $samples, $failed failed"
[ "$run_containers" -ge 1 ] || fail "no run container"

invoice=$(sha256sum samples/invoice-scan.pdf | cut -d' ' -f1)
results=$(mm search "invoice total" --tenant demo --json)
search_hits=$(field 'len(d["results"])' <<<"$results")
top=$(field 'd["results"][0]["content_hash"] if d["results"] else "-"' <<<"$results")
log "search 'invoice total': $search_hits hit(s), top ${top:0:16}"
[ "$top" = "$invoice" ] || fail "the invoice is not the top hit"

mm forget "$invoice" --tenant demo --who deploy-smoke >&2
mm search "invoice total" --tenant demo --json | field '[r["content_hash"] for r in d["results"]]' | grep -q "$invoice" \
  && fail "the forgotten invoice is still found"
log "forgot the invoice; search no longer returns it"

printf '{"materialized": %d, "failed": %d, "run_containers": %d, "search_hits": %d}\n' \
  "$materialized" "$failed" "$run_containers" "$search_hits"
