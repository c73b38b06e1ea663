#!/usr/bin/env bash
# Installs the call providers' own helper libraries into a virtual environment in the
# cache folder (outside the clone) and prints its python: Twilio's `twilio` package
# (without its dependencies: only twilio.request_validator is used) and PyJWT, which
# signs Vonage's webhooks. A second run reuses it.
set -euo pipefail
cache=${MIMAMORI_CACHE:-/var/cache/mimamori}
venv=$cache/call-signers-venv
if ! "$venv/bin/python" -c 'import twilio.request_validator, jwt' 2>/dev/null; then
  mkdir -p "$cache"
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps "twilio==9.*" >&2
  "$venv/bin/pip" install --quiet --disable-pip-version-check "PyJWT==2.*" >&2
fi
echo "$venv/bin/python"
