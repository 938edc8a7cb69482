#!/usr/bin/env bash
# Installs the Debian 12 packages the build and the tests need, when missing.
set -euo pipefail
packages=(build-essential cmake pkg-config unixodbc-dev odbc-postgresql odbc-mariadb libsqliteodbc nlohmann-json3-dev libboost-dev
          libgtest-dev googletest postgresql mariadb-server clang libclang-rt-14-dev python3-jsonschema
          libcli11-dev libcpp-httplib-dev chromium locales
          file lintian abigail-tools)  # the Debian packages (cpack's dpkg-shlibdeps needs file) and the ABI check
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node and npm drive the wizard's browser test; Debian's, unless a node is already there.
command -v node >/dev/null && command -v npm >/dev/null || missing+=(nodejs npm)
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}" >&2
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# A Turkish locale, for the test that the plugin opens under it (i and I are
# no case pair there: docs/RELIABILITY.md).
if ! locale -a 2>/dev/null | grep -qi '^tr_TR\.utf-\?8$'; then
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" localedef -i tr_TR -f UTF-8 tr_TR.UTF-8
fi
