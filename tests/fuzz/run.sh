#!/usr/bin/env bash
# Fuzzes the JSON API from its own OpenAPI document with schemathesis: builds the
# server, fills a fresh SQLite database with the demo data, serves it on a free local
# port, signs in a staff member, a registered patient and a clinic, and runs every
# operation with the token of its caller (tests/fuzz/schemathesis.toml). Checks: no
# server error, every status documented, every body matching its schema. Logging out
# is left out (it would end the tokens the other operations use); it is covered by
# backend/tests.
#
#   bash tests/fuzz/run.sh                          short run (examples per operation: 8)
#   MIMAMORI_FUZZ_EXAMPLES=200 bash tests/fuzz/run.sh   longer run
#   MIMAMORI_FUZZ_SEED=N                            replay a run (the seed is printed)
#
# The demo's output and the server's log go to build/test-artifacts/fuzz/ (the
# personal-data scanner reads both).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"

st=$(bash tests/setup/python.sh schemathesis | tail -n 1)
echo "fuzz: building the server" >&2
cargo build -p backend --bin mimamori-backend --quiet
bin=${CARGO_TARGET_DIR:-$root/target}/debug/mimamori-backend

artifacts=$root/build/test-artifacts/fuzz
rm -rf "$artifacts"
mkdir -p "$artifacts"
tmp=$(mktemp -d)
server_pid=
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  [ -f "$tmp/server.log" ] && cp "$tmp/server.log" "$artifacts/server.log"
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

db=$tmp/mimamori.db
"$bin" --database-url "$db" demo --fill-only >"$artifacts/demo.txt"
"$bin" --database-url "$db" serve --listen 127.0.0.1:0 --mail-dir "$tmp/mail" >"$tmp/server.log" 2>&1 &
server_pid=$!
base=
for _ in $(seq 1 300); do
  base=$(sed -n 's|^listening on \(http://127\.0\.0\.1:[0-9][0-9]*\)$|\1|p' "$tmp/server.log" | head -n 1)
  if [ -n "$base" ] && curl -sf -o /dev/null "$base/healthz"; then break; fi
  base=
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
[ -n "$base" ] || { echo "fuzz: the server did not come up" >&2; tail -n 20 "$tmp/server.log" >&2; exit 1; }

# The first demo centre's admin, its first registered patient, the first clinic.
login() { # path email → token
  local password
  password=$(sed -n 's|.* / \([^ ]*\).*|\1|p' "$artifacts/demo.txt" | head -n 1)
  curl -sf -H 'content-type: application/json' -d "{\"email\":\"$2\",\"password\":\"$password\"}" "$base$1" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])'
}
pick() { sed -n "s|$1|\1|p" "$artifacts/demo.txt" | head -n 1; }
MIMAMORI_FUZZ_STAFF=$(login /api/v1/staff/login "$(pick '.*admin login \([^ ]*\) .*')")
MIMAMORI_FUZZ_PATIENT=$(login /api/v1/login "$(pick '.*registered patient \([^ ]*\) .*')")
MIMAMORI_FUZZ_CLINIC=$(login /api/v1/clinic/login "$(pick '^clinic .*login \([^ ]*\) .*')")
export MIMAMORI_FUZZ_STAFF MIMAMORI_FUZZ_PATIENT MIMAMORI_FUZZ_CLINIC

examples=${MIMAMORI_FUZZ_EXAMPLES:-8}
seed=${MIMAMORI_FUZZ_SEED:-$RANDOM}
echo "fuzz: server at $base, $examples examples per operation, seed $seed" >&2
# From the temporary folder: schemathesis keeps its example cache in the working folder.
cd "$tmp"
"$st" --no-color --config-file "$root/tests/fuzz/schemathesis.toml" run "$base/api/openapi.json" \
  --checks not_a_server_error,status_code_conformance,response_schema_conformance \
  --exclude-path /api/v1/logout \
  --max-examples "$examples" --seed "$seed" --workers 2 \
  --output-sanitize true --report junit --report-dir "$artifacts"
