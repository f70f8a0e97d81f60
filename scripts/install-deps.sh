#!/usr/bin/env bash
# Installs the Debian packages kzgkit builds and tests with, only when something is missing.
# Runs as root (sessions and CI do); with sudo otherwise.
#   KZGKIT_EXTRA_PKGS="pkg ..."  more packages (chromium for the HTML-report test, clang, g++)
#   KZGKIT_CROSS=arm64           the aarch64 cross build (cmake/toolchains/aarch64-linux-gnu.cmake):
#                                the cross compiler, qemu-user to run its programs, and the
#                                libraries' arm64 -dev packages (dpkg multiarch; the arm64
#                                architecture is added when it is not there yet)
set -euo pipefail
pkgs=(cmake make gcc libssl-dev libyaml-dev libgmp-dev libcjson-dev libsqlite3-dev pkg-config
      libmicrohttpd-dev libcurl4-openssl-dev # kzgkit serve (HTTP server) and its client side
      valgrind) # valgrind: <valgrind/callgrind.h> and callgrind, for `bench --measure instructions`
[ -n "${KZGKIT_EXTRA_PKGS:-}" ] && pkgs+=(${KZGKIT_EXTRA_PKGS})
add_arch=""
case "${KZGKIT_CROSS:-}" in
  "") ;;
  arm64)
    pkgs+=(gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user
           libssl-dev:arm64 libyaml-dev:arm64 libgmp-dev:arm64 libcjson-dev:arm64
           libsqlite3-dev:arm64)
    dpkg --print-foreign-architectures | grep -qx arm64 || add_arch=arm64 ;;
  *) echo "install-deps: KZGKIT_CROSS=$KZGKIT_CROSS: only arm64 is known" >&2; exit 2 ;;
esac
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "install-deps: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
[ -n "$add_arch" ] && $SUDO dpkg --add-architecture "$add_arch"
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
