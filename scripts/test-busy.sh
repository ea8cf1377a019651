#!/usr/bin/env bash
# npm test while stress-ng keeps the cores busy (STRESS_CPUS, default 2): the suite must pass on a busy machine,
# as CI's is. stress-ng stops with the tests (or after an hour at most).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v stress-ng >/dev/null 2>&1; then
  echo "scripts/test-busy.sh: stress-ng is not installed (apt-get install stress-ng)" >&2
  exit 2
fi
stress-ng --cpu "${STRESS_CPUS:-2}" --timeout 3600s --quiet &
stress=$!
trap 'kill "$stress" 2>/dev/null || true; wait "$stress" 2>/dev/null || true' EXIT
npm test
