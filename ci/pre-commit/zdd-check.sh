#!/usr/bin/env bash
# pre-commit's zdd-check hook (.pre-commit-hooks.yaml): zdd check from this repository's clone in pre-commit's
# cache, built there on first use with the system's Node.js and npm (npm ci, whose prepare script builds).
# Not `language: node`: pre-commit installs such a hook with `npm install -g git+file://…`, and npm's global
# install of a git dependency whose prepare script needs devDependencies (TypeScript) fails to build it.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
if ! [ -f "$repo/lib/src/cli/main.js" ]; then
  echo "zdd: building zdd in $repo (once)" >&2
  (cd "$repo" && npm ci --no-audit --no-fund --loglevel=error >&2)
fi
exec node "$repo/bin/zdd.js" check "$@"
