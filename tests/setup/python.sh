#!/usr/bin/env bash
# Installs pytest into a virtual environment in the cache folder (outside the clone)
# and prints the environment's python. A second run reuses it.
#
#   tests/setup/python.sh               pytest's environment; prints its python
#   tests/setup/python.sh schemathesis  schemathesis 4 in an environment of its own
#                                       (its dependencies stay apart); prints its command
set -euo pipefail
cache=${MIMAMORI_CACHE:-/var/cache/mimamori}
if [ "${1:-}" = schemathesis ]; then
  venv=$cache/schemathesis-venv
  if [ ! -x "$venv/bin/schemathesis" ]; then
    mkdir -p "$cache"
    python3 -m venv "$venv" >&2
    "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==4.*" >&2
  fi
  echo "$venv/bin/schemathesis"
  exit 0
fi
venv=$cache/python-venv
if [ ! -x "$venv/bin/pytest" ]; then
  mkdir -p "$cache"
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install --quiet --disable-pip-version-check "pytest==8.*" >&2
fi
echo "$venv/bin/python"
