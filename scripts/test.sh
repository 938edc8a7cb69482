#!/usr/bin/env bash
# Quick start, step two: the whole test suite, on SQLite and on a throwaway
# PostgreSQL server that this script starts on a loopback port and always stops.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
scripts/install-deps.sh
scripts/build.sh

pg_dir=$(mktemp -d /tmp/cpb-pg.XXXXXX)
trap 'scripts/pg.sh stop "$pg_dir"' EXIT
export CPB_TEST_PG=$(scripts/pg.sh start "$pg_dir")
export CPB_TEST_REQUIRE_PG=1
echo "PostgreSQL for the tests: $CPB_TEST_PG" >&2

(cd build && ctest --output-on-failure -j2 --timeout 900)
