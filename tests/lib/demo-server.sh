#!/usr/bin/env bash
# Sourced by the suites that test a running server (tests/browser/run.sh,
# tests/fuzz/run.sh): `demo_server LABEL ARTIFACTS` builds `mimamori-backend`, fills a
# fresh SQLite file in a temporary folder with `demo --fill-only` (its output in
# $tmp/demo.txt and ARTIFACTS/demo.txt), serves it on a free loopback port with a
# temporary mail folder ($tmp/mail) and waits for /healthz. It sets `bin`, `tmp`, `base`
# and `server_pid`; on exit the server stops, its log is kept as ARTIFACTS/server.log
# and the temporary folder goes. Environment given on the call reaches the server.

demo_server() {
  local label=$1
  artifacts=$2
  echo "$label: building the server" >&2
  cargo build -p backend --bin mimamori-backend --quiet
  bin=${CARGO_TARGET_DIR:-$root/target}/debug/mimamori-backend
  [ -x "$bin" ] || { echo "$label: $bin was not built" >&2; exit 1; }
  rm -rf "$artifacts"
  mkdir -p "$artifacts"
  tmp=$(mktemp -d)
  server_pid=
  trap demo_server_stop EXIT
  trap 'exit 130' INT TERM
  local db=$tmp/mimamori.db
  mkdir -p "$tmp/mail"
  "$bin" --database-url "$db" demo --fill-only >"$tmp/demo.txt"
  cp "$tmp/demo.txt" "$artifacts/demo.txt"
  # Port 0: the system picks a free port; the server prints the address it bound.
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
  if [ -z "$base" ]; then
    echo "$label: the server did not come up:" >&2
    tail -n 20 "$tmp/server.log" >&2 || true
    exit 1
  fi
  echo "$label: server at $base" >&2
}

demo_server_stop() {
  if [ -n "${server_pid:-}" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  [ -f "$tmp/server.log" ] && cp "$tmp/server.log" "$artifacts/server.log"
  rm -rf "$tmp"
}
