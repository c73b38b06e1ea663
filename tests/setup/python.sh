#!/usr/bin/env bash
# Installs pytest, aiosmtpd (the real SMTP relay of the backend's mail tests) and
# fhir.resources (the FHIR validation of the backend's exports) into a virtual
# environment in the cache folder (outside the clone) and prints the
# environment's python. A second run reuses it; two runs at once share one install
# (tests/setup/lib.sh).
#
#   tests/setup/python.sh               pytest's environment; prints its python
#   tests/setup/python.sh schemathesis  schemathesis 4 in an environment of its own
#                                       (its dependencies stay apart); prints its command
set -euo pipefail
source "$(dirname "$0")/lib.sh"

# venv NAME CHECK REQUIREMENT…: the environment $cache/NAME, made whole once, where the
# python code CHECK runs without error.
venv() {
  local name=$1 check=$2
  shift 2
  local dir=$cache/$name
  ready() { [ -x "$dir/bin/python" ] && "$dir/bin/python" -c "$check" 2>/dev/null; }
  ready && return 0
  setup_lock "$name"
  ready && return 0
  setup_venv "$name" "$dir" "$@"
  ready || { echo "python setup: $name is incomplete after install" >&2; exit 1; }
}

if [ "${1:-}" = schemathesis ]; then
  venv schemathesis-venv 'import schemathesis' "schemathesis==4.*"
  echo "$cache/schemathesis-venv/bin/schemathesis"
  exit 0
fi
venv python-venv 'import pytest, aiosmtpd, fhir.resources.R4B' "pytest==8.*" "aiosmtpd==1.*" "fhir.resources==8.*"
echo "$cache/python-venv/bin/python"
