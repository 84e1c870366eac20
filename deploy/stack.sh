#!/usr/bin/env bash
# The compose stack of deploy/ on this Docker host, for `make deploy-up`, `deploy-smoke`, `deploy-down`.
#   images the first half of up: Docker, base images, the mm-assets image
#   up     installs docker.io and docker-compose from Debian if missing (as root), starts a dockerd if
#          none answers (pid and log under $MM_HOME/docker), takes the official base images or, when
#          no registry answers, builds them (deploy/base-images.sh), builds the mm-assets image if no
#          image of the same inputs exists (tag: a hash of them), starts the stack, waits for health
#   smoke  deploy/smoke.sh against the running stack
#   down   removes the stack's containers and volumes, and stops the dockerd that `up` started
set -euo pipefail
cd "$(dirname "$0")/.."
export MM_HOME=${MM_HOME:-$PWD/.mm}
state=$MM_HOME/docker
export DOCKER_BUILDKIT=0 COMPOSE_DOCKER_CLI_BUILD=0
export COMPOSE_PROJECT_NAME=${COMPOSE_PROJECT_NAME:-mm-assets}
mkdir -p "$state"

log() { echo "deploy: $*" >&2; }
die() { log "error: $*"; exit 1; }

compose() { deploy/compose.sh "$@"; }

install_docker() {
  local missing=()
  command -v dockerd >/dev/null || missing+=(docker.io)
  command -v docker-compose >/dev/null || docker compose version >/dev/null 2>&1 || missing+=(docker-compose)
  [ ${#missing[@]} = 0 ] && return
  [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null || die "install ${missing[*]} (needs root and apt-get)"
  log "installing ${missing[*]} from Debian"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

start_dockerd() {
  docker info >/dev/null 2>&1 && return
  [ -S /var/run/docker.sock ] && rm -f /var/run/docker.sock   # left by a daemon that is gone
  log "starting dockerd (log: $state/dockerd.log)"
  setsid dockerd --pidfile "$state/dockerd.pid" >"$state/dockerd.log" 2>&1 < /dev/null &
  echo $! > "$state/dockerd.started"
  for _ in $(seq 120); do
    docker info >/dev/null 2>&1 && return
    kill -0 "$(cat "$state/dockerd.started")" 2>/dev/null || { tail -20 "$state/dockerd.log" >&2; die "dockerd exited"; }
    sleep 1
  done
  die "dockerd did not answer within 120 s (see $state/dockerd.log)"
}

# The official image, or the registry-free stand-in when a pull fails.
pick_base_images() {
  local official=(python:3.11-slim-bookworm postgres:16 chrislusf/seaweedfs:4.48) image pulled=1
  for image in "${official[@]}"; do
    docker image inspect "$image" >/dev/null 2>&1 && continue
    timeout 600 docker pull -q "$image" >/dev/null 2>&1 || { pulled=0; break; }
  done
  if [ $pulled = 1 ]; then
    BASE_IMAGE=${official[0]} PG_IMAGE=${official[1]} SEAWEEDFS_IMAGE=${official[2]}
  else
    log "no registry: base images from Debian packages (deploy/base-images.sh)"
    local line
    while IFS= read -r line; do
      case $line in
        PYTHON_IMAGE=*) BASE_IMAGE=${line#*=} ;;
        PG_IMAGE=*) PG_IMAGE=${line#*=} ;;
        SEAWEEDFS_IMAGE=*) SEAWEEDFS_IMAGE=${line#*=} ;;
      esac
    done < <(deploy/base-images.sh)
  fi
  [ -n "${BASE_IMAGE:-}" ] && [ -n "${PG_IMAGE:-}" ] && [ -n "${SEAWEEDFS_IMAGE:-}" ] || die "no base images"
}

# Torch for the image: a CPU index when one answers (TORCH_INDEX_URL), else the CPU wheel that the
# host's pip finds in its find-links (TORCH_LOCAL_VERSION); the wheel goes into deploy/.host/wheels.
TORCH_CPU_INDEX=https://download.pytorch.org/whl/cpu
TORCH_LOCAL_VERSION=${TORCH_LOCAL_VERSION:-2.13.0}
pick_torch() {
  deploy/host-pip.sh deploy/.host
  if [ -z "${TORCH_INDEX_URL+set}" ] && python3 -c "import urllib.request as u; u.urlopen('$TORCH_CPU_INDEX/torch/', timeout=10)" 2>/dev/null; then
    TORCH_INDEX_URL=$TORCH_CPU_INDEX
  fi
  if [ -n "${TORCH_INDEX_URL:-}" ]; then
    TORCH_VERSION=$(sed -n 's/^torch==//p' requirements.lock)
    return
  fi
  TORCH_INDEX_URL='' TORCH_VERSION=$TORCH_LOCAL_VERSION
  # pip's find-links (PIP_FIND_LINKS or its config), else the wheel folder of this kind of machine
  local links wheel
  links=$(python3 -m pip config list 2>/dev/null | sed -n "s/^.*find-links='\(.*\)'$/\1/p")
  python3 -m pip download --quiet --no-deps --no-index "torch==$TORCH_VERSION" -d deploy/.host/wheels \
    --find-links "${links:-${TORCH_WHEEL_DIR:-/opt/wheels}}" --find-links "${TORCH_WHEEL_DIR:-/opt/wheels}" 2>/dev/null \
    || die "no CPU torch: no index answers at $TORCH_CPU_INDEX and pip finds no local torch==$TORCH_VERSION wheel (set TORCH_INDEX_URL or TORCH_WHEEL_DIR)"
  wheel=$(ls deploy/.host/wheels/torch-*.whl)
  case $wheel in *+cpu*) ;; *) die "$wheel is not a CPU build of torch" ;; esac
}

# The files the image is made of (deploy/Dockerfile's COPY lines), hashed with the base and torch.
image_inputs_hash() {
  {
    find deploy/Dockerfile deploy/requirements-deploy.lock deploy/image-lock.sh deploy/image-lock-excludes.txt deploy/dagster.yaml deploy/workspace.yaml \
      requirements.lock pyproject.toml README.md mm_assets resources partitions expectations \
      -type f ! -path '*/__pycache__/*' ! -name '*.pyc' -print0 | sort -z | xargs -0 sha256sum
    docker image inspect -f '{{.Id}}' "$BASE_IMAGE"
    echo "torch $TORCH_VERSION ${TORCH_INDEX_URL:-local}"
  } | sha256sum | cut -c1-16
}

build_image() {
  pick_torch
  MM_IMAGE=mm-assets:$(image_inputs_hash)
  if docker image inspect "$MM_IMAGE" >/dev/null 2>&1; then
    log "$MM_IMAGE exists (same inputs): no build"
  else
    log "building $MM_IMAGE on $BASE_IMAGE (torch $TORCH_VERSION from ${TORCH_INDEX_URL:-the local wheel}); log: $state/build.log"
    docker build -f deploy/Dockerfile -t "$MM_IMAGE" --build-arg BASE_IMAGE="$BASE_IMAGE" \
      --build-arg TORCH_INDEX_URL="$TORCH_INDEX_URL" --build-arg TORCH_VERSION="$TORCH_VERSION" . \
      >"$state/build.log" 2>&1 || { tail -40 "$state/build.log" >&2; die "image build failed"; }
  fi
  docker tag "$MM_IMAGE" mm-assets:latest
  rm -rf deploy/.host
}

free_port() {
  python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', $1)) and 0; print($1)" 2>/dev/null \
    || python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"
}

wait_healthy() {
  local deadline=$((SECONDS + ${1:-900})) service id status pending
  while :; do
    pending=()
    for service in postgres s3 user_code webserver daemon; do
      id=$(compose ps -q "$service")
      status=$(docker inspect -f '{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{end}}' "$id" 2>/dev/null || echo missing)
      case $status in
        "running healthy") ;;
        running*) pending+=("$service:${status#running }") ;;
        *) compose logs --tail 40 "$service" >&2; die "$service is $status" ;;
      esac
    done
    [ ${#pending[@]} = 0 ] && return
    if [ $SECONDS -ge $deadline ]; then
      for service in "${pending[@]}"; do compose logs --tail 40 "${service%%:*}" >&2; done
      die "not healthy in time: ${pending[*]}"
    fi
    sleep 3
  done
}

up() {
  images
  WEBSERVER_PORT=$(free_port "${WEBSERVER_PORT:-3000}")
  printf 'export %s=%q\n' MM_IMAGE "$MM_IMAGE" PG_IMAGE "$PG_IMAGE" SEAWEEDFS_IMAGE "$SEAWEEDFS_IMAGE" \
    WEBSERVER_PORT "$WEBSERVER_PORT" > "$state/stack.env"
  # shellcheck disable=SC1091
  . "$state/stack.env"
  log "starting the stack: $MM_IMAGE, $PG_IMAGE, $SEAWEEDFS_IMAGE"
  # from empty volumes: what an earlier stack left (an interrupted run) would skew the smoke
  compose down --volumes --remove-orphans --timeout 30 >"$state/compose-up.log" 2>&1 || { cat "$state/compose-up.log" >&2; die "compose down failed"; }
  compose up -d --no-build >>"$state/compose-up.log" 2>&1 || { cat "$state/compose-up.log" >&2; die "compose up failed"; }
  wait_healthy 900
  log "healthy; Dagster UI on http://127.0.0.1:$WEBSERVER_PORT"
}

down() {
  if docker info >/dev/null 2>&1; then
    # shellcheck disable=SC1091
    [ -f "$state/stack.env" ] && . "$state/stack.env"
    compose down --volumes --remove-orphans --timeout 30 >&2 || true
    # run containers are auto-removed; one still running when the stack went away is removed here
    docker ps -aq --filter "ancestor=${MM_IMAGE:-mm-assets:latest}" | xargs -r docker rm -f >/dev/null
  fi
  rm -f "$state/stack.env"
  if [ -f "$state/dockerd.started" ]; then
    local pid
    pid=$(cat "$state/dockerd.started")
    log "stopping the dockerd this stack started (pid $pid)"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -0 "$pid" 2>/dev/null && die "dockerd (pid $pid) did not stop"
    rm -f "$state/dockerd.started"
  fi
}

load_env() {
  [ -f "$state/stack.env" ] || die "no running stack: make deploy-up first"
  # shellcheck disable=SC1091
  . "$state/stack.env"
}

images() {
  install_docker
  start_dockerd
  pick_base_images
  build_image
}

case ${1:-} in
  images) images ;;
  up) up ;;
  smoke) load_env; exec deploy/smoke.sh ;;
  down) down ;;
  *) die "usage: deploy/stack.sh images|up|smoke|down" ;;
esac
