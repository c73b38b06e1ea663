#!/usr/bin/env bash
# Runs the backend's whole test suite against PostgreSQL: starts a throwaway server on a
# spare loopback port (installing PostgreSQL on first use), points the suite at it with
# MIMAMORI_TEST_POSTGRES_URL, and stops the server again whatever happens.
#
# The test programs are the very ones `cargo test --workspace` builds: cargo is asked to
# list them (a no-op when the cargo suite ran before) and each is run from its package's
# folder, as cargo would. Building them again with `cargo test -p backend` would give
# other feature sets, hence a second copy of every program and twice the disk.
#
# Run: the backend's unit and integration tests, and the end-to-end tests of several
# server copies, an outage and a backup.
set -euo pipefail
cd "$(dirname "$0")/.."

list=$(mktemp)
trap 'rm -f "$list"' EXIT
cargo test --workspace --no-run --message-format=json-render-diagnostics >"$list"

# "folder<TAB>program" for each test program of the backend and of the chosen e2e tests.
programs=$(python3 - "$list" <<'EOF'
import json, os, sys
e2e = {"copies", "outage", "backup"}
for line in open(sys.argv[1], encoding="utf-8"):
    if not line.startswith("{"):
        continue
    m = json.loads(line)
    if m.get("reason") != "compiler-artifact" or not m.get("executable"):
        continue
    if not m["profile"]["test"]:
        continue
    folder = os.path.dirname(m["manifest_path"])
    package = os.path.basename(folder)
    name = m["target"]["name"]
    if package == "backend" or (package == "e2e" and name in e2e):
        print(f"{folder}\t{m['executable']}")
EOF
)
count=$(printf '%s\n' "$programs" | grep -c . || true)
if [ "$count" -lt 30 ]; then
  echo "backend-postgres.sh: only $count test programs found; expected the backend's and three e2e ones" >&2
  exit 1
fi

url=$(bash tests/setup/postgres.sh start)
trap 'rm -f "$list"; bash tests/setup/postgres.sh stop >/dev/null 2>&1 || true' EXIT
failed=()
while IFS=$'\t' read -r folder program; do
  echo "== $(basename "$program") (in ${folder#"$PWD"/})"
  if ! (cd "$folder" && MIMAMORI_TEST_POSTGRES_URL=$url "$program"); then
    failed+=("$(basename "$program")")
  fi
done <<<"$programs"
echo "test programs on PostgreSQL: $count run, ${#failed[@]} failed"
if [ "${#failed[@]}" -gt 0 ]; then
  echo "failed: ${failed[*]}"
  exit 1
fi
