#!/usr/bin/env bash
# A throwaway PostgreSQL for the backend tests and the ingest benchmark.
#
#   tests/setup/postgres.sh start   # prints only the URL, e.g. postgres://postgres@127.0.0.1:PORT/postgres
#   tests/setup/postgres.sh stop    # stops it and removes its data folder
#   tests/setup/postgres.sh url     # prints the URL of the running one (exit 1 if none)
#
# Idempotent: `start` on a running server prints its URL again; `stop` on a stopped one
# does nothing; two runs at once wait for each other (a lock per cache folder:
# tests/setup/lib.sh), so two starts at once make one server. Installs Debian's
# `postgresql` with apt when it is not installed. Must run as root; the server itself runs as the `postgres` user, with its data
# under ${MIMAMORI_CACHE:-/var/cache/mimamori}/pg-run, listening on 127.0.0.1 only
# (trust authentication: loopback test use only). Progress goes to stderr.
#
# With MIMAMORI_PG_TLS_CERT and MIMAMORI_PG_TLS_KEY (PEM files) set at `start`, the
# server also speaks TLS (`ssl = on`) with that certificate; the TLS tests make their own
# authority and certificate and start a server of their own this way.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

CACHE="$cache"
RUN="$CACHE/pg-run"
DATA="$RUN/data"

log() { echo "postgres.sh: $*" >&2; }

pg_bin() {
    local d
    d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    [ -n "$d" ] && [ -x "$d/initdb" ] && echo "$d"
}

as_postgres() {
    if command -v runuser >/dev/null 2>&1; then
        runuser -u postgres -- "$@"
    else
        su -s /bin/sh postgres -c "$(printf '%q ' "$@")"
    fi
}

port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

url() {
    echo "postgres://postgres@127.0.0.1:$(cat "$RUN/port")/postgres"
}

running() {
    local bin
    bin=$(pg_bin) || return 1
    [ -f "$RUN/port" ] && [ -f "$DATA/postmaster.pid" ] && as_postgres "$bin/pg_ctl" -D "$DATA" status >/dev/null 2>&1
}

start() {
    [ "$(id -u)" = 0 ] || { log "run as root"; exit 1; }
    setup_lock postgres
    if ! setup_have_debs postgresql; then
        setup_apt_install postgresql
        # Debian may start a default cluster on 5432; this script does not need it.
        if command -v pg_lsclusters >/dev/null 2>&1; then
            pg_lsclusters -h 2>/dev/null | while read -r ver name _; do pg_ctlcluster "$ver" "$name" stop >&2 2>&1 || true; done
        fi
    fi
    local bin
    bin=$(pg_bin) || { log "no PostgreSQL server binaries found"; exit 1; }
    if running; then
        url
        return 0
    fi
    id postgres >/dev/null 2>&1 || { log "no postgres user (the Debian package creates it)"; exit 1; }
    rm -rf "$RUN"
    mkdir -p "$RUN"
    chmod 755 "$CACHE"
    chown postgres: "$RUN"
    chmod 700 "$RUN"
    as_postgres "$bin/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 --no-locale >"$RUN/initdb.log" 2>&1 \
        || { cat "$RUN/initdb.log" >&2; exit 1; }
    local port tries=0
    while :; do
        port=$((20000 + RANDOM % 40000))
        port_in_use "$port" || break
        tries=$((tries + 1))
        [ "$tries" -lt 50 ] || { log "no free port found"; exit 1; }
    done
    cat >>"$DATA/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$RUN'
max_connections = 300
shared_buffers = 256MB
CONF
    if [ -n "${MIMAMORI_PG_TLS_CERT:-}" ]; then
        install -o postgres -g postgres -m 644 "$MIMAMORI_PG_TLS_CERT" "$DATA/server.crt"
        install -o postgres -g postgres -m 600 "${MIMAMORI_PG_TLS_KEY:?MIMAMORI_PG_TLS_KEY goes with MIMAMORI_PG_TLS_CERT}" "$DATA/server.key"
        cat >>"$DATA/postgresql.conf" <<CONF
ssl = on
ssl_cert_file = 'server.crt'
ssl_key_file = 'server.key'
CONF
    fi
    echo "$port" >"$RUN/port"
    # The server outlives this script: it must not keep the lock's descriptor.
    setup_unlocked as_postgres "$bin/pg_ctl" -D "$DATA" -l "$RUN/server.log" -w -t 60 start >&2 \
        || { cat "$RUN/server.log" >&2; exit 1; }
    url
}

stop() {
    setup_lock postgres
    local bin
    if bin=$(pg_bin) && [ -f "$DATA/postmaster.pid" ]; then
        as_postgres "$bin/pg_ctl" -D "$DATA" -m fast -w stop >&2 || true
    fi
    rm -rf "$RUN"
}

case "${1:-start}" in
    start) start ;;
    stop) stop ;;
    url) running && url ;;
    *) log "usage: $0 start|stop|url"; exit 2 ;;
esac
