#!/usr/bin/env bash
# Quick start, step one: install what is missing, build, and run the demo on a
# fresh embedded SQLite database.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh >&2  # stdout is the demo's result JSON alone
exec build/host-sim/sis-host-sim demo "$@"
