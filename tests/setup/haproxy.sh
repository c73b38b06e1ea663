#!/usr/bin/env bash
# HAProxy for the end-to-end tests that run several server copies behind a load balancer.
#
#   tests/setup/haproxy.sh    # prints the path of the haproxy binary
#
# Installs Debian's `haproxy` with apt when no binary is found (as root, under the
# installers' shared apt lock: tests/setup/lib.sh); the Debian service it brings never
# starts, since the tests start their own haproxy with their own configuration on a
# spare loopback port. Progress goes to stderr.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

find_bin() {
    command -v haproxy 2>/dev/null || { [ -x /usr/sbin/haproxy ] && echo /usr/sbin/haproxy; }
}

# The package's state, not the binary: a binary is there before its package is whole.
setup_apt_install haproxy
bin=$(find_bin) || { echo "haproxy.sh: no haproxy binary after installing" >&2; exit 1; }
echo "$bin"
