#!/usr/bin/env bash
# Installs the build into a temporary prefix, builds a host against the
# installed CMake package, runs it, and runs the installed sis-host-sim, which
# must find the installed plugin by itself.
set -euo pipefail
build_dir=$1
source_dir=$2
prefix=$(mktemp -d /tmp/cpb-install.XXXXXX)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build_dir" --prefix "$prefix/usr" >/dev/null
cmake -S "$source_dir/tests/install/consumer" -B "$prefix/consumer" -DCMAKE_PREFIX_PATH="$prefix/usr" >/dev/null
cmake --build "$prefix/consumer" >/dev/null
"$prefix/consumer/cpb_consumer"
"$prefix/usr/bin/sis-host-sim" describe | grep -q '"name": "contact_preferences_batch"'
echo "installed package, plugin and sis-host-sim work from $prefix/usr"
