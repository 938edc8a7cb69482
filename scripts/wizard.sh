#!/usr/bin/env bash
# The tool's wizard on the demo district: installs what is missing, builds,
# makes the demo database (build/demo.db, replaced each time) and serves the
# wizard on http://127.0.0.1:8080/ until Ctrl-C. Extra arguments go to
# `sis-host-sim serve` (e.g. --listen 127.0.0.1:9000).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh >&2
db=build/demo.db
build/host-sim/sis-host-sim demo --db "$db" --students 2000 >/dev/null
# The demo district is the 2026-27 school year: every run is as of 2026-10-01.
exec build/host-sim/sis-host-sim serve --db "$db" --date 2026-10-01 "$@"
