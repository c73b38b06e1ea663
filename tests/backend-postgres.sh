#!/usr/bin/env bash
# Runs the backend's whole test suite against PostgreSQL: starts a throwaway server on a
# spare loopback port (installing PostgreSQL on first use), points the suite at it with
# MIMAMORI_TEST_POSTGRES_URL, and stops the server again whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."
url=$(bash tests/setup/postgres.sh start)
trap 'bash tests/setup/postgres.sh stop >/dev/null 2>&1 || true' EXIT
MIMAMORI_TEST_POSTGRES_URL=$url cargo test -p backend
MIMAMORI_TEST_POSTGRES_URL=$url cargo test -p e2e --test copies --test outage --test backup
