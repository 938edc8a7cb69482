#!/usr/bin/env bash
# The ABI gate's own test: abi/check.sh must pass the stub libraries that keep
# the ABI of every release (as released, a function added, a field appended,
# each addition printed) and fail those that break it (a field inserted into
# sis_counts, sis_plugin_close removed), naming what broke.
# Usage: gate_bites.sh CHECK_SCRIPT as_released=LIB extra_function=LIB without_close=LIB appended=LIB inserted=LIB
set -uo pipefail
check=$1
shift
declare -A lib
for arg in "$@"; do lib[${arg%%=*}]=${arg#*=}; done
failures=0
# expect NAME pass|fail TEXT: the gate's verdict on the stub NAME, and a text its report must contain.
expect() {
  local name=$1 verdict=$2 text=$3 out status=0
  out=$("$check" "${lib[$name]}" 2>&1) || status=$?
  local got=pass
  ((status == 0)) || got=fail
  if ((status > 1)); then
    echo "FAILED: $name: the gate could not run (status $status):"; echo "$out"; failures=$((failures + 1)); return
  fi
  if [[ $got != "$verdict" ]]; then
    echo "FAILED: $name: the gate said $got, expected $verdict:"; echo "$out"; failures=$((failures + 1)); return
  fi
  if ! grep -qF -- "$text" <<<"$out"; then
    echo "FAILED: $name: the gate's report does not name '$text':"; echo "$out"; failures=$((failures + 1)); return
  fi
  echo "ok: $name: $verdict, reporting '$text'"
}
expect as_released pass "compatible with 1.1: no change"
expect extra_function pass "sis_plugin_added_in_a_later_minor"
expect appended pass "appended_field"
expect inserted fail "inserted_field"
expect without_close fail "sis_plugin_close"
((failures == 0))
