#!/usr/bin/env bash
# HAProxy for the end-to-end tests that run several server copies behind a load balancer.
#
#   tests/setup/haproxy.sh    # prints the path of the haproxy binary
#
# Installs Debian's `haproxy` with apt when no binary is found (as root); the Debian
# service it brings is stopped and disabled, since the tests start their own haproxy
# with their own configuration on a spare loopback port. Progress goes to stderr.
set -euo pipefail

log() { echo "haproxy.sh: $*" >&2; }

find_bin() {
    command -v haproxy 2>/dev/null || { [ -x /usr/sbin/haproxy ] && echo /usr/sbin/haproxy; }
}

if ! bin=$(find_bin); then
    [ "$(id -u)" = 0 ] || { log "haproxy is missing; run as root to install it"; exit 1; }
    log "installing Debian's haproxy"
    export DEBIAN_FRONTEND=noninteractive
    # Keep the package's own service from starting (no init system needed for the tests).
    policy=/usr/sbin/policy-rc.d
    if [ ! -e "$policy" ]; then
        printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy"
        trap 'rm -f "$policy"' EXIT
    fi
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends haproxy >&2
    bin=$(find_bin) || { log "no haproxy binary after installing"; exit 1; }
fi
echo "$bin"
