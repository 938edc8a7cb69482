#!/usr/bin/env bash
# Quick start, step two: the whole test suite, on SQLite and on throwaway
# PostgreSQL and MariaDB servers that this script starts on loopback ports and
# always stops.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
scripts/install-deps.sh
scripts/build.sh

pg_dir=$(mktemp -d /tmp/cpb-pg.XXXXXX)
mariadb_dir=$(mktemp -d /tmp/cpb-mariadb.XXXXXX)
trap 'scripts/pg.sh stop "$pg_dir"; scripts/mariadb.sh stop "$mariadb_dir"' EXIT
export CPB_TEST_PG=$(scripts/pg.sh start "$pg_dir")
export CPB_TEST_REQUIRE_PG=1
echo "PostgreSQL for the tests: $CPB_TEST_PG" >&2
export CPB_TEST_MARIADB=$(scripts/mariadb.sh start "$mariadb_dir")
export CPB_TEST_REQUIRE_MARIADB=1
echo "MariaDB for the tests: $CPB_TEST_MARIADB" >&2

# Test lists are discovered when ctest runs; drop lists made without this run's servers.
forget_test_lists() { find "$1" -name '*_tests.cmake' -delete 2>/dev/null || true; }
forget_test_lists build
(cd build && ctest --output-on-failure -j2 --timeout 900)

# The Debian packages from this build: made by cpack, checked by lintian,
# installed with apt-get, used as an integrator would, and purged again.
stage_start=$SECONDS
sudo_cmd=()
[[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
"${sudo_cmd[@]}" tests/install/package_test.sh build .
echo "packages: $((SECONDS - stage_start)) s" >&2

# Set CPB_TEST_QUICK=1 to stop here; CI runs the two stages below as well.
[[ ${CPB_TEST_QUICK:-0} == 1 ]] && exit 0

# libFuzzer over options parsing and the toolbar context, for a bounded time.
# New inputs go to a scratch folder; fuzz/corpus/ holds the checked-in seeds.
stage_start=$SECONDS
CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCPB_FUZZ=ON -DCPB_BUILD_TESTS=OFF >/dev/null
cmake --build build-fuzz -j2 --target cpb_options_fuzzer
fuzz_scratch=$(mktemp -d /tmp/cpb-fuzz.XXXXXX)
if ! build-fuzz/fuzz/cpb_options_fuzzer -max_total_time="${CPB_FUZZ_SECONDS:-60}" -timeout=10 -rss_limit_mb=2048 \
     -dict=fuzz/options.dict -artifact_prefix="$root/build-fuzz/" -print_final_stats=1 \
     "$fuzz_scratch" fuzz/corpus >"$fuzz_scratch.log" 2>&1; then
  cat "$fuzz_scratch.log" >&2
  echo "the fuzzer found a crash: the input is in build-fuzz/ (crash-*); add it to fuzz/corpus/ and fix it" >&2
  exit 1
fi
tail -n 6 "$fuzz_scratch.log"
rm -rf "$fuzz_scratch" "$fuzz_scratch.log"
echo "fuzzing: $((SECONDS - stage_start)) s" >&2

# The whole suite again with AddressSanitizer and UndefinedBehaviorSanitizer,
# the plugin loaded by the instrumented test programs as usual. Any report
# fails the test; leaks too, but for those of the ODBC drivers listed in
# tests/reliability/lsan.supp.
stage_start=$SECONDS
# Debug (-O0): a third of the compile time of an optimised build, and the
# sanitizers see at least as much.
BUILD_DIR=build-asan BUILD_TYPE=Debug scripts/build.sh -DCPB_SANITIZE=ON
export ASAN_OPTIONS=halt_on_error=1:abort_on_error=0:detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1
export LSAN_OPTIONS=suppressions=$root/tests/reliability/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
forget_test_lists build-asan
(cd build-asan && ctest --output-on-failure -j2 --timeout 900)
echo "sanitizers: $((SECONDS - stage_start)) s" >&2
