#!/usr/bin/env bash
# Runs one of the wizard's Node test programs: wizard (the browser test, in
# Debian's headless Chromium) or api (the JSON API on $CPB_TEST_PG).
#   tests/web/run.sh wizard|api SIS_HOST_SIM [ARTEFACTS_DIR]
# Installs the locked npm packages (puppeteer-core, axe-core; never a browser)
# when one of them is missing. Exit 77: skipped (ctest SKIP_RETURN_CODE).
set -euo pipefail
suite=$1
export SIS_HOST_SIM=$(realpath "$2")
export CPB_WEB_ARTEFACTS=$(realpath -m "${3:-$(mktemp -d /tmp/cpb-web-artefacts.XXXXXX)}")
cd "$(dirname "$0")"
command -v node >/dev/null || { echo "node is missing: scripts/install-deps.sh installs it" >&2; exit 1; }
if [[ $suite == api && -z ${CPB_TEST_PG:-} ]]; then
  [[ ${CPB_TEST_REQUIRE_PG:-0} == 1 ]] && { echo "CPB_TEST_PG is not set" >&2; exit 1; }
  echo "skipped: CPB_TEST_PG is not set (scripts/test.sh starts a PostgreSQL server)"
  exit 77
fi
if [[ $suite == wizard && ! -x ${CHROMIUM:-/usr/bin/chromium} ]]; then
  echo "Chromium is missing at ${CHROMIUM:-/usr/bin/chromium}: scripts/install-deps.sh installs Debian's chromium" >&2
  exit 1
fi
# One install at a time (ctest runs the two suites in parallel).
exec 9>"${TMPDIR:-/tmp}/cpb-web-npm.lock"
flock 9
if [[ ! -d node_modules/puppeteer-core || ! -d node_modules/axe-core ]]; then
  PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >&2
fi
flock -u 9
mkdir -p "$CPB_WEB_ARTEFACTS"
exec node --test-reporter=spec "$suite.test.mjs"
