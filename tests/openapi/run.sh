#!/usr/bin/env bash
# Validates the OpenAPI description the running server serves with a
# maintained validator from npm.  Skips (77) where Node.js is missing,
# except in CI, where that is a failure.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${GAZETTE_BIN:?GAZETTE_BIN is not set}

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "node and npm are needed to validate the OpenAPI description"
    [ "${CI:-}" = true ] && exit 1
    exit 77
fi
if [ ! -d "$here/node_modules/@seriousme/openapi-schema-validator" ]; then
    (cd "$here" && npm install --no-audit --no-fund --loglevel=error) || exit 1
fi
tmp=$(mktemp -d)
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$tmp"' EXIT
"$bin" serve --db "$tmp/db" --listen 127.0.0.1:0 --no-access-log 2>"$tmp/log" &
pid=$!
for _ in $(seq 100); do
    port=$(sed -n 's/.*url=http:\/\/127.0.0.1:\([0-9]*\)\/.*/\1/p' "$tmp/log")
    [ -n "$port" ] && break
    sleep 0.05
done
[ -n "$port" ] || { cat "$tmp/log"; exit 1; }
curl -sf "http://127.0.0.1:$port/v1/openapi.json" -o "$tmp/openapi.json" || exit 1
# what is served is what tools/openapi.py writes (the description's source)
python3 "$here/../../tools/openapi.py" "$tmp/generated.json" || exit 1
python3 - "$tmp/generated.json" "$tmp/openapi.json" <<'PY' || exit 1
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
sys.exit(0 if a == b else "docs/openapi.json is not what tools/openapi.py writes: run it")
PY
node "$here/validate.mjs" "$tmp/openapi.json"
