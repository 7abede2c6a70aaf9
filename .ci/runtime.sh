#!/usr/bin/env bash
# Installs one Node line from the npm registry's `node` package into .ci/runtimes/<line> (inside the
# clone, nothing system-wide) and prints the path of its binary. Usage: bash .ci/runtime.sh 22
set -euo pipefail
line="$1"
dir="$(cd "$(dirname "$0")" && pwd)/runtimes/$line"
if [ ! -x "$dir/node_modules/.bin/node" ]; then
  mkdir -p "$dir"
  # allowScripts: the package's preinstall fetches the platform's binary package from the registry.
  printf '{ "private": true, "allowScripts": { "node": true } }\n' > "$dir/package.json"
  npm install --prefix "$dir" --no-audit --no-fund --no-package-lock --silent "node@$line" >&2
fi
echo "$dir/node_modules/.bin/node"
