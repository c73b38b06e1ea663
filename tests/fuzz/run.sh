#!/usr/bin/env bash
# Fuzzes the JSON API from its own OpenAPI document with schemathesis: builds the
# server, fills a fresh SQLite database with the demo data, serves it on a free local
# port, signs in a staff member, a registered patient and a clinic, and runs every
# operation with the token of its caller (tests/fuzz/schemathesis.toml). Checks: no
# server error, every status documented, every body matching its schema. Logging out
# runs last and apart, on a session opened for it alone (in the main run it would end
# the tokens the other operations use); every answer must be documented, and the
# token must answer 401 afterwards.
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
. tests/lib/demo-server.sh
demo_server fuzz "$root/build/test-artifacts/fuzz"

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
# A session of its own for logging out, opened before the fuzzing spends the address's
# sign-in allowance. Tokens go through the environment and config files, never a
# command line.
MIMAMORI_FUZZ_LOGOUT=$(login /api/v1/login "$(pick '.*registered patient \([^ ]*\) .*')")
export MIMAMORI_FUZZ_STAFF MIMAMORI_FUZZ_PATIENT MIMAMORI_FUZZ_CLINIC MIMAMORI_FUZZ_LOGOUT

examples=${MIMAMORI_FUZZ_EXAMPLES:-8}
seed=${MIMAMORI_FUZZ_SEED:-$RANDOM}
echo "fuzz: $examples examples per operation, seed $seed" >&2
# From the temporary folder: schemathesis keeps its example cache in the working folder.
cd "$tmp"
"$st" --no-color --config-file "$root/tests/fuzz/schemathesis.toml" run "$base/api/openapi.json" \
  --checks not_a_server_error,status_code_conformance,response_schema_conformance \
  --exclude-path /api/v1/logout \
  --max-examples "$examples" --seed "$seed" --workers 2 \
  --output-sanitize true --report junit --report-dir "$artifacts"

printf 'headers = { Authorization = "Bearer ${MIMAMORI_FUZZ_LOGOUT}" }\n' >"$tmp/logout.toml"
"$st" --no-color --config-file "$tmp/logout.toml" run "$base/api/openapi.json" \
  --checks not_a_server_error,status_code_conformance,response_schema_conformance \
  --include-path /api/v1/logout \
  --max-examples "$examples" --seed "$seed" --workers 1 \
  --output-sanitize true --report junit --report-dir "$artifacts/logout"
# The session is over: the token opens nothing any more.
status=$(curl -s -o /dev/null -w '%{http_code}' -H @- "$base/api/v1/profile" <<<"Authorization: Bearer $MIMAMORI_FUZZ_LOGOUT")
if [ "$status" != 401 ]; then
  echo "fuzz: after logging out the token still answers $status, not 401" >&2
  exit 1
fi
echo "fuzz: after logging out the token answers 401" >&2
