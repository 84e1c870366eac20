#!/bin/sh
# The image's lock: requirements.lock without the packages deploy/image-lock-excludes.txt names
# (the CUDA stack, torch itself, the test tools). Usage: deploy/image-lock.sh LOCK EXCLUDES > OUT
set -eu
patterns=$(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$2" | grep . | sed -e 's/\*/.*/g' -e 's/^/^/' -e 's/$/==/')
echo "$patterns" | grep -v -i -E -f /dev/stdin "$1" || true
