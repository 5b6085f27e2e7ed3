#!/usr/bin/env bash
# CLI golden test: runs `liner ARGS` (ARGS from CASE.cmd) from the source tree and compares stdout with
# CASE.out and the exit status with CASE.rc. LINER_UPDATE_GOLDEN=1 rewrites the expectations instead.
# Usage: run-golden.sh LINER_BINARY SOURCE_DIR CASE_PATH_WITHOUT_EXTENSION
set -uo pipefail
liner=$1 src=$2 case=$3
cd "$src" || exit 2
args=$(cat "$case.cmd")
actual=$(NO_COLOR=1 COLUMNS=100 eval "\"$liner\" $args" 2>/dev/null; echo "rc=$?")
rc=${actual##*rc=}
out=${actual%rc=*}
if [ "${LINER_UPDATE_GOLDEN:-0}" = 1 ]; then
  # A symlinked expectation is a real file of the project (e.g. samples/ep.toml): never rewrite it.
  [ -L "$case.out" ] || printf '%s' "$out" > "$case.out"
  echo "$rc" > "$case.rc"
  exit 0
fi
status=0
if ! diff -u "$case.out" <(printf '%s' "$out"); then
  echo "FAIL: stdout of 'liner $args' differs from $case.out" >&2
  status=1
fi
want=$(cat "$case.rc")
if [ "$rc" != "$want" ]; then
  echo "FAIL: 'liner $args' exited $rc, expected $want" >&2
  status=1
fi
exit $status
