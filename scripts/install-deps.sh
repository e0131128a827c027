#!/usr/bin/env bash
# Installs the Debian bookworm packages windowguard builds, runs and tests with.
# Idempotent: when every package is already present it changes nothing.
# Extra packages to install with them may be named as arguments.
set -euo pipefail

packages=(
  ca-certificates
  cmake
  ninja-build
  ccache
  g++
  make
  tzdata
  openssl
  libssl-dev
  libboost1.81-dev
  libboost-program-options1.81-dev
  rapidjson-dev
  libyaml-cpp-dev
  libspdlog-dev
  libhowardhinnant-date-dev
  libical-dev
  libgtest-dev
  libgmock-dev
  libbenchmark-dev
  "$@"
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

as_root=()
if [ "$(id -u)" -ne 0 ]; then
  as_root=(sudo)
fi
echo "installing: ${missing[*]}" >&2
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
