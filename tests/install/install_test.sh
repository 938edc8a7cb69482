#!/usr/bin/env bash
# Installs the build into a scratch prefix (cmake --install, as the packages'
# layout below any prefix) and checks it as an integrator would (check_installed.sh).
# Usage: install_test.sh BUILD_DIR SOURCE_DIR VERSION
set -euo pipefail
build_dir=$1 source_dir=$2 version=$3
work=$(mktemp -d /tmp/cpb-install.XXXXXX)
trap 'rm -rf "$work"' EXIT
cmake --install "$build_dir" --prefix "$work/usr" >/dev/null
"$source_dir/tests/install/check_installed.sh" "$work/usr" "$source_dir" "$version" "$work"
