#!/usr/bin/env bash
# Installs pytest into a virtual environment in the cache folder (outside the clone)
# and prints the environment's python. A second run reuses it.
set -euo pipefail
cache=${MIMAMORI_CACHE:-/var/cache/mimamori}
venv=$cache/python-venv
if [ ! -x "$venv/bin/pytest" ]; then
  mkdir -p "$cache"
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install --quiet --disable-pip-version-check "pytest==8.*" >&2
fi
echo "$venv/bin/python"
