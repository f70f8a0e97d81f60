#!/usr/bin/env bash
# Installs the Debian packages kzgkit builds and tests with, only when something is missing.
# Runs as root (sessions and CI do); with sudo otherwise.
set -euo pipefail
pkgs=(cmake make gcc libssl-dev libyaml-dev libgmp-dev libcjson-dev pkg-config)
[ -n "${KZGKIT_EXTRA_PKGS:-}" ] && pkgs+=(${KZGKIT_EXTRA_PKGS})
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "install-deps: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
