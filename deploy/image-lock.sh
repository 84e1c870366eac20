#!/bin/sh
# The image's lock: requirements.lock as deploy/image-lock-excludes.txt edits it (leaves out the
# packages it names, `*` a wildcard; `A -> B` installs B at A's pinned version instead of A).
# Usage: deploy/image-lock.sh LOCK EXCLUDES > OUT
set -eu
awk -v excludes="$2" '
BEGIN {
  while ((getline line < excludes) > 0) {
    sub(/#.*/, "", line)
    if (line ~ /->/) { split(line, pair, /[ \t]*->[ \t]*/); gsub(/[ \t]/, "", pair[1]); gsub(/[ \t]/, "", pair[2]); swap[tolower(pair[1])] = pair[2]; continue }
    gsub(/[ \t]/, "", line)
    if (line == "") continue
    gsub(/\./, "\\.", line); gsub(/\*/, ".*", line)
    drop[++n] = "^" tolower(line) "$"
  }
}
/==/ {
  name = tolower(substr($0, 1, index($0, "==") - 1))
  if (name in swap) { print swap[name] substr($0, index($0, "==")); next }
  for (i = 1; i <= n; i++) if (name ~ drop[i]) next
}
{ print }
' "$1"
