#!/usr/bin/env bash
# Sourced by the suites that need a live backend (tests/live/run.sh,
# tests/shells/android-ui.sh): builds target/debug/mimamori-backend, starts copies of it
# on free 127.0.0.1 ports with their own SQLite file and mail folder, stops every
# process it started, creates a centre with its admin, signs the admin in to the staff
# API (the token kept in a 0600 header file, never on a command line) and creates
# cases observed by the app. Prints no token, code or password.
#
#   live_build                       cargo build -p backend; sets bin
#   start_server DIR DB [ARG…]       serve with mail in DIR/mail; sets started_url
#   stop_all                         stops every process in pids
#   create_centre DB NAME NUMBER ADMIN PASSWORD
#   staff_sign_in URL ADMIN PASSWORD HEADER_FILE
#   create_case N                    with url, auth, start, end set: sets case_id,
#                                    input_id, name, dob, phone (N from 1 to 29)

bin=target/debug/mimamori-backend
# Every process started here, stopped on exit by its id.
pids=()

live_build() {
  cargo build --quiet -p backend && [ -x "$bin" ]
}

stop_all() {
  local p
  for p in "${pids[@]}"; do
    if kill -0 "$p" 2>/dev/null; then
      kill "$p" 2>/dev/null
      for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$p" 2>/dev/null
      wait "$p" 2>/dev/null
    fi
  done
}

start_server() {
  local dir=$1 database=$2 p port=
  shift 2
  started_url=
  mkdir -p "$dir/mail"
  RUST_LOG=warn "$bin" --database-url "$database" serve --listen 127.0.0.1:0 --mail-dir "$dir/mail" "$@" \
    </dev/null >"$dir/server.out" 2>"$dir/server.log" &
  p=$!
  pids+=("$p")
  for _ in $(seq 200); do
    port=$(sed -n 's|^listening on http://127\.0\.0\.1:\([0-9]*\).*|\1|p' "$dir/server.out" | head -n 1)
    [ -n "$port" ] && break
    kill -0 "$p" 2>/dev/null || break
    sleep 0.05
  done
  [ -n "$port" ] || { cat "$dir/server.log" >&2; return 1; }
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.05; done
  curl -sf "http://127.0.0.1:$port/healthz" >/dev/null || return 1
  started_url=http://127.0.0.1:$port
}

create_centre() {
  local database=$1 centre=$2 number=$3 admin=$4 password=$5 log
  log=$(dirname "$database")/create-centre.log
  printf '%s\n' "$password" | "$bin" --database-url "$database" create-centre --name "$centre" \
    --emergency-number "$number" --jurisdiction-code 13103 --admin-email "$admin" >"$log" 2>&1 ||
    { cat "$log" >&2; return 1; }
}

json() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }

staff_sign_in() {
  local base=$1 admin=$2 password=$3 header=$4 token
  token=$(curl -sf "$base/api/v1/staff/login" -H 'content-type: application/json' \
    -d "$(python3 -c 'import json,sys; print(json.dumps({"email": sys.argv[1], "password": sys.argv[2]}))' "$admin" "$password")" |
    json token) || return 1
  (umask 077 && printf 'authorization: Bearer %s\n' "$token" >"$header")
}

create_case() {
  local n=$1 body answer
  name="見守 花子$n"
  dob="19$((70 + n))-05-1$((n % 10))"
  phone="0805555$(printf '%04d' $((100 + n)))"
  body=$(python3 -c 'import json,sys; print(json.dumps({"name": sys.argv[1], "name_reading": "みまもり はなこ",
    "date_of_birth": sys.argv[2], "phone": sys.argv[3], "kind": "infected", "observation": "app",
    "period_start": sys.argv[4], "period_end": sys.argv[5]}))' "$name" "$dob" "$phone" "$start" "$end")
  answer=$(curl -sf "$url/api/v1/cases" -H @"$auth" -H 'content-type: application/json' -d "$body") || return 1
  case_id=$(json id <<<"$answer") && input_id=$(json input_id <<<"$answer")
}
