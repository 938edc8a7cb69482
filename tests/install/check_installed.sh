#!/usr/bin/env bash
# What a host's integrator does with an installed Contact Preferences Batch,
# below PREFIX (/usr for the Debian packages, a scratch prefix for cmake --install):
# the plugin is in its folder, a host built with find_package(contact_prefs_batch)
# loads it, the pkg-config file gives the header and the plugin, and the
# installed sis-host-sim finds the installed plugin by itself and runs its demo.
# Usage: check_installed.sh PREFIX SOURCE_DIR VERSION WORK_DIR
set -euo pipefail
prefix=$1 source_dir=$2 version=$3 work=$4
multiarch=$(gcc -print-multiarch)
plugin=$prefix/lib/$multiarch/contact-prefs-batch/libcontact_prefs_batch.so
sim=$prefix/bin/sis-host-sim
fail() { echo "installed under $prefix: $*" >&2; exit 1; }
[[ -f $plugin ]] || fail "no plugin at $plugin"
[[ -f $prefix/include/sis_plugin.h ]] || fail "no header at $prefix/include/sis_plugin.h"

# CMake: /usr is searched by default; another prefix is named as a host would.
prefix_path=()
[[ $prefix == /usr ]] || prefix_path=(-DCMAKE_PREFIX_PATH="$prefix")
cmake -S "$source_dir/tests/install/consumer" -B "$work/consumer" "${prefix_path[@]}" >/dev/null
cmake --build "$work/consumer" >/dev/null
out=$("$work/consumer/cpb_consumer") || fail "the find_package host refused the plugin: $out"
[[ $out == "$plugin: ABI "* ]] || fail "the find_package host loaded '$out', not $plugin"

# pkg-config: the same header and plugin, for a host built without CMake.
export PKG_CONFIG_PATH=$prefix/lib/$multiarch/pkgconfig
[[ $(pkg-config --modversion contact-prefs-batch) == "$version" ]] || fail "pkg-config gives version $(pkg-config --modversion contact-prefs-batch)"
[[ $(pkg-config --variable=plugin contact-prefs-batch) == "$plugin" ]] || fail "pkg-config's plugin is $(pkg-config --variable=plugin contact-prefs-batch)"
# shellcheck disable=SC2046  # the flags are words
cc $(pkg-config --cflags contact-prefs-batch) -DPLUGIN="\"$(pkg-config --variable=plugin contact-prefs-batch)\"" \
  "$source_dir/tests/install/consumer/main.c" -o "$work/pc_consumer" -ldl
"$work/pc_consumer" >/dev/null || fail "the pkg-config host refused the plugin"

# sis-host-sim, with no --plugin.
"$sim" describe | grep -q "\"version\": \"$version\"" || fail "sis-host-sim describe does not report version $version"
(cd "$work" && "$sim" demo --db "$work/demo.db" --students 200 >"$work/demo.json" 2>"$work/demo.log") ||
  { cat "$work/demo.log" >&2; fail "sis-host-sim demo failed"; }
grep -q '"updated"' "$work/demo.json" || fail "sis-host-sim demo printed no result: $(cat "$work/demo.json")"
echo "installed under $prefix: plugin, CMake package, pkg-config file and sis-host-sim work"
