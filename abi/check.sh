#!/usr/bin/env bash
# The ABI gate: compares a built plugin with the ABI of each earlier release
# (abi/sis_plugin-X.Y.abi, made by abidw from that release's library) and fails
# when a host built against that release could break on it: a function
# removed, or a type of the interface changed other than as abi/abidiff.supp
# allows (a field appended to a struct). Additions are printed and allowed.
#
# Usage: abi/check.sh LIBRARY [BASELINE.abi...]   (default: every abi/sis_plugin-*.abi)
# LIBRARY needs its debug information (the build folder's; not the packages' stripped copy).
# Needs abidiff (Debian: abigail-tools). Exit 0: compatible with every baseline.
set -euo pipefail
abi_dir=$(cd "$(dirname "$0")" && pwd)
(($# >= 1)) || { echo "usage: $0 LIBRARY [BASELINE.abi...]" >&2; exit 2; }
library=$1
shift
baselines=("$@")
((${#baselines[@]})) || baselines=("$abi_dir"/sis_plugin-*.abi)
command -v abidiff >/dev/null || { echo "abi/check.sh: abidiff not found (Debian: apt-get install abigail-tools)" >&2; exit 2; }
[[ -f $library ]] || { echo "abi/check.sh: no library $library" >&2; exit 2; }

# abidiff's exit status is a bit set: 1 error, 2 usage error, 4 ABI change, 8 incompatible change.
read_as=(--exported-interfaces-only --headers-dir2 "$abi_dir/include" --drop-private-types --no-default-suppression)
failed=0
for baseline in "${baselines[@]}"; do
  release=$(basename "$baseline" .abi)
  release=${release#sis_plugin-}
  echo "== ABI of $library against release $release ($baseline)"
  status=0
  abidiff "${read_as[@]}" "$baseline" "$library" || status=$?
  if ((status & 3)); then
    echo "abi/check.sh: abidiff could not compare against $release (status $status)" >&2
    failed=1
  elif ((status & 8)); then
    echo "INCOMPATIBLE with $release: a host built against the $release header may break (see above)" >&2
    failed=1
  elif ((status & 4)); then
    # Set the additions and the allowed changes aside: what is left breaks a host.
    status=0
    abidiff "${read_as[@]}" --no-added-syms --suppressions "$abi_dir/abidiff.supp" "$baseline" "$library" >/dev/null || status=$?
    if ((status)); then
      echo "INCOMPATIBLE with $release: a type of the interface changed other than by appending (see above)" >&2
      failed=1
    else
      echo "compatible with $release: additions and changes abi/abidiff.supp allows only (above)"
    fi
  else
    echo "compatible with $release: no change"
  fi
done
exit $failed
