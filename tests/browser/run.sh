#!/usr/bin/env bash
# tests/browser/run.sh [SCREENSHOT_DIR] - the end-to-end tests of the web page
# in Debian's Chromium, driven by playwright-core (never a downloaded browser).
# Needs GAZETTE_BIN and GAZETTE_SOURCE_ROOT (meson test sets them).
# Without node or /usr/bin/chromium it skips (exit 77), except when CI=true:
# there a missing one is a failure.
set -euo pipefail
cd "$(dirname "$0")"

missing() {
    if [ "${CI:-}" = true ]; then
        echo "browser: $1 is not installed, and CI=true needs it" >&2
        exit 1
    fi
    echo "browser: SKIP: $1 is not installed ($2)" >&2
    exit 77
}
command -v node >/dev/null || missing node "apt-get install nodejs npm"
command -v npm >/dev/null || missing npm "apt-get install npm"
[ -x /usr/bin/chromium ] || missing /usr/bin/chromium "apt-get install chromium"

if [ ! -d node_modules/playwright-core ]; then
    echo "browser: installing playwright-core (npm ci)" >&2
    npm ci --no-audit --no-fund --loglevel=error >&2
fi

export GAZETTE_SCREENSHOTS="${1:-${GAZETTE_SCREENSHOTS:-}}"
# TAP, so that each test is one line: "ok N - name" or "not ok N - name"
exec node --test --test-reporter=tap --test-timeout=120000 e2e.test.mjs
