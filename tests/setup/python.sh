#!/usr/bin/env bash
# Installs pytest, aiosmtpd (the real SMTP relay of the backend's mail tests) and
# fhir.resources (the FHIR validation of the backend's exports) into a virtual
# environment in the cache folder (outside the clone) and prints the
# environment's python. A second run reuses it.
#
#   tests/setup/python.sh               pytest's environment; prints its python
#   tests/setup/python.sh schemathesis  schemathesis 4 in an environment of its own
#                                       (its dependencies stay apart); prints its command
set -euo pipefail
cache=${MIMAMORI_CACHE:-/var/cache/mimamori}
# venv FOLDER COMMAND REQUIREMENT: the environment in the cache, made and filled once.
venv() {
  local dir=$cache/$1
  if [ ! -x "$dir/bin/$2" ]; then
    mkdir -p "$cache"
    python3 -m venv "$dir" >&2
    "$dir/bin/pip" install --quiet --disable-pip-version-check "$3" >&2
  fi
}
if [ "${1:-}" = schemathesis ]; then
  venv schemathesis-venv schemathesis "schemathesis==4.*"
  echo "$cache/schemathesis-venv/bin/schemathesis"
  exit 0
fi
venv python-venv pytest "pytest==8.*"
py=$cache/python-venv/bin/python
# need MODULE REQUIREMENT: installs the requirement when the module does not import.
need() {
  "$py" -c "import $1" 2>/dev/null || "$cache/python-venv/bin/pip" install --quiet --disable-pip-version-check "$2" >&2
}
need aiosmtpd "aiosmtpd==1.*"
need fhir.resources.R4B "fhir.resources==8.*"
echo "$py"
