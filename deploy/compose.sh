#!/usr/bin/env bash
# docker-compose on deploy/docker-compose.yml: Debian's v1 (`docker-compose`) or the v2 plugin.
set -euo pipefail
file=$(cd "$(dirname "$0")" && pwd)/docker-compose.yml
if command -v docker-compose >/dev/null; then exec docker-compose -f "$file" "$@"; fi
exec docker compose -f "$file" "$@"
