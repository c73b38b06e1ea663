#!/usr/bin/env bash
# Installs pytest, aiosmtpd (the real SMTP relay of the backend's mail tests) and
# fhir.resources (the FHIR validation of the backend's exports) into a virtual
# environment in the cache folder (outside the clone) and prints the
# environment's python. A second run reuses it.
set -euo pipefail
cache=${MIMAMORI_CACHE:-/var/cache/mimamori}
venv=$cache/python-venv
if [ ! -x "$venv/bin/pytest" ] || ! "$venv/bin/python" -c 'import aiosmtpd' 2>/dev/null; then
  mkdir -p "$cache"
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv" >&2
  "$venv/bin/pip" install --quiet --disable-pip-version-check "pytest==8.*" "aiosmtpd==1.*" >&2
fi
if ! "$venv/bin/python" -c 'import fhir.resources.R4B' 2>/dev/null; then
  "$venv/bin/pip" install --quiet --disable-pip-version-check "fhir.resources==8.*" >&2
fi
echo "$venv/bin/python"
