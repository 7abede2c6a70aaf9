#!/usr/bin/env bash
# The published entry points under test: packs orbitra (npm pack runs `prepare`, which builds
# dist/), installs the tarball into a scratch copy of examples/app with vitest 3 (+ vite 7, see
# the machine notes) and jest, from the npm cache where it has them, and runs the example's tests
# under node:test, vitest and jest on the Node that package.json pins. Usage: bash .ci/examples.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/orbitra-examples-XXXXXX")"
trap 'rm -rf "$work"' EXIT
cd "$root"
# The pinned Node first on PATH: the example's scripts call `node`, and the store needs node:sqlite.
export PATH="$root/node_modules/node/bin:$PATH"
echo "== examples on node $(node --version)"
tarball="$(npm pack --silent --pack-destination "$work" | tail -1)"
cp -r examples/app "$work/app"
cd "$work/app"
npm install --no-audit --no-fund --prefer-offline --silent "$work/$tarball" @azure/keyvault-secrets@4 vitest@3 vite@7 jest@30 @jest/globals@30
npm test
