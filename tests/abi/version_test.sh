#!/usr/bin/env bash
# The one version (cmake/check_version.cmake): the header, the packages'
# changelog, docs/CHANGES.md and the built plugin's describe agree with the
# project version; and the check fails, naming the place, when any one of them
# drifts (each drift made on a copy).
# Usage: version_test.sh CMAKE SOURCE_DIR PROJECT_VERSION SIS_HOST_SIM
set -euo pipefail
cmake=$1 src=$2 version=$3 sim=$4
work=$(mktemp -d /tmp/cpb-version.XXXXXX)
trap 'rm -rf "$work"' EXIT
"$sim" describe >"$work/describe.json"
check() {  # check HEADER CHANGELOG CHANGES DESCRIBE
  "$cmake" -DVERSION="$version" -DHEADER="$1" -DCHANGELOG="$2" -DCHANGES="$3" -DDESCRIBE_JSON="$4" \
    -P "$src/cmake/check_version.cmake" 2>&1
}
header=$src/abi/include/sis_plugin.h changelog=$src/packaging/changelog changes=$src/docs/CHANGES.md
check "$header" "$changelog" "$changes" "$work/describe.json"

failures=0
# must_fail WHAT TEXT HEADER CHANGELOG CHANGES DESCRIBE
must_fail() {
  local what=$1 text=$2 out
  shift 2
  if out=$(check "$@"); then
    echo "FAILED: the check passed with $what"; failures=$((failures + 1))
  elif ! grep -qF -- "$text" <<<"$out"; then
    echo "FAILED: with $what the check did not name '$text':"; echo "$out"; failures=$((failures + 1))
  else
    echo "ok: $what is caught"
  fi
}
minor=$(sed -n 's/^#define SIS_PLUGIN_ABI_MINOR \([0-9]*\)$/\1/p' "$header")
sed "s/^#define SIS_PLUGIN_ABI_MINOR .*/#define SIS_PLUGIN_ABI_MINOR $((minor + 1))/" "$header" >"$work/sis_plugin.h"
must_fail "the header's minor changed" "SIS_PLUGIN_ABI_MINOR is $((minor + 1))" "$work/sis_plugin.h" "$changelog" "$changes" "$work/describe.json"
sed '1s/([^)]*)/(0.0.1)/' "$changelog" >"$work/changelog"
must_fail "the changelog's newest entry changed" "not version $version" "$header" "$work/changelog" "$changes" "$work/describe.json"
sed '0,/^## [0-9]/s/^## [0-9].*/## 0.0.1/' "$changes" >"$work/CHANGES.md"
must_fail "CHANGES.md's newest section changed" "'## 0.0.1'" "$header" "$changelog" "$work/CHANGES.md" "$work/describe.json"
sed 's/"contract": *"[^"]*"/"contract": "0.9"/' "$work/describe.json" >"$work/describe-contract.json"
must_fail "describe's contract changed" "\"contract\" is '0.9'" "$header" "$changelog" "$changes" "$work/describe-contract.json"
sed 's/"version": *"[^"]*"/"version": "0.0.1"/' "$work/describe.json" >"$work/describe-version.json"
must_fail "describe's version changed" "\"version\" is '0.0.1'" "$header" "$changelog" "$changes" "$work/describe-version.json"
((failures == 0))
