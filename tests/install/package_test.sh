#!/usr/bin/env bash
# The Debian packages as an integrator gets them: cpack -G DEB makes them from
# the build, lintian finds nothing to warn about, `apt-get install ./*.deb`
# installs them on this machine, the installed files work (check_installed.sh:
# sis-host-sim demo, a find_package host, pkg-config), and they are purged
# again, with anything apt installed for them, leaving the machine's package
# list as it was, also when a step fails. Run as root (scripts/test.sh does,
# through sudo when needed).
# Usage: package_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build_dir=$(realpath "$1")
source_dir=$(realpath "$2")
packages=(contact-prefs-batch contact-prefs-batch-dev sis-host-sim)
version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build_dir/CMakeCache.txt")
arch=$(dpkg --print-architecture)
fail() { echo "package test: $*" >&2; exit 1; }
[[ $(id -u) -eq 0 ]] || fail "needs root, to install the packages"
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" &&
    fail "$p is installed already; this test installs and purges it, so remove it first (apt-get purge $p)"
done

installed() { dpkg-query -W -f='${db:Status-Abbrev} ${binary:Package} ${Version}\n' | sort; }
work=$(mktemp -d /tmp/cpb-packages.XXXXXX)
chmod 755 "$work"  # apt reads the .deb files as its own user
installed >"$work/before"
cleanup() {
  local status=$? leftover
  installed >"$work/after"
  # Packages that were not there before: the three and whatever apt pulled in for them.
  mapfile -t leftover < <(comm -13 <(awk '{print $2}' "$work/before" | sort) <(awk '{print $2}' "$work/after" | sort))
  if ((${#leftover[@]})); then
    DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq "${leftover[@]}" >"$work/purge.log" 2>&1 ||
      { cat "$work/purge.log" >&2; status=1; }
  fi
  installed >"$work/after"
  if ! cmp -s "$work/before" "$work/after"; then
    echo "package test: the machine's packages differ from before the test:" >&2
    diff "$work/before" "$work/after" >&2 || true
    status=1
  fi
  rm -rf "$work"
  exit $status
}
trap cleanup EXIT

cpack --config "$build_dir/CPackConfig.cmake" -G DEB -B "$work/deb" >"$work/cpack.log" 2>&1 ||
  { cat "$work/cpack.log" >&2; fail "cpack failed"; }
debs=()
for p in "${packages[@]}"; do
  deb=$work/deb/${p}_${version}_${arch}.deb
  [[ -f $deb ]] || fail "cpack made no $deb: $(ls "$work/deb")"
  [[ $(dpkg-deb -f "$deb" Version) == "$version" ]] || fail "$deb has version $(dpkg-deb -f "$deb" Version)"
  debs+=("$deb")
done
echo "packages: ${debs[*]##*/}"
for deb in "${debs[@]}"; do dpkg-deb -f "$deb" Package Depends Recommends | sed 's/^/  /'; done

# Warnings and errors fail; informational tags are printed.
lintian --allow-root --fail-on warning,error --info "${debs[@]}" || fail "lintian found problems (above)"

(cd "$work/deb" && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ./*.deb >"$work/apt.log" 2>&1) ||
  { cat "$work/apt.log" >&2; fail "apt-get install ./*.deb failed"; }
dpkg -L contact-prefs-batch | grep -qx "/usr/lib/$(gcc -print-multiarch)/contact-prefs-batch/libcontact_prefs_batch.so" ||
  fail "contact-prefs-batch installs no plugin in /usr/lib/$(gcc -print-multiarch)/contact-prefs-batch/"
[[ $(command -v sis-host-sim) == /usr/bin/sis-host-sim ]] || fail "sis-host-sim is not /usr/bin/sis-host-sim on the PATH"
mkdir "$work/check"
"$source_dir/tests/install/check_installed.sh" /usr "$source_dir" "$version" "$work/check"
echo "package test: the packages install, work and are purged again"
