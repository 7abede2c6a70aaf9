#!/usr/bin/env bash
# Debian's Chromium for the console's browser tests (test/console/*.test.ts drive it with
# playwright-core): installed from Debian's mirror only when missing, never a browser download.
# Without it, and without apt as root, those tests skip and say why.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
else
  echo "== chromium missing and apt-get not usable: the console's browser tests will skip"
fi
