#!/usr/bin/env bash
# Installs the call providers' own helper libraries into a virtual environment in the
# cache folder (outside the clone) and prints its python: Twilio's `twilio` package
# (without its dependencies: only twilio.request_validator is used) and PyJWT, which
# signs Vonage's webhooks. A second run reuses it; two runs at once share one install
# (tests/setup/lib.sh).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
venv=$cache/call-signers-venv
ready() { "$venv/bin/python" -c 'import twilio.request_validator, jwt' 2>/dev/null; }
if ! ready; then
  setup_lock call-signers
  if ! ready; then
    SETUP_VENV_NO_DEPS="twilio==9.*" setup_venv call-signers "$venv" "PyJWT==2.*"
    ready || { echo "call-signers setup: twilio and jwt do not import after install" >&2; exit 1; }
  fi
fi
echo "$venv/bin/python"
