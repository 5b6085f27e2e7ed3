#!/usr/bin/env bash
# Installs, with apt-get, every Debian 12 package liner needs to build, test and run its demo.
# Idempotent: packages already installed are skipped, and apt-get runs only when something is missing.
# Usage: scripts/install-deps.sh [build|test|all]   (default: all)
set -euo pipefail

build_pkgs=(
  build-essential cmake pkg-config
  libfmt-dev doctest-dev nlohmann-json3-dev libtomlplusplus-dev libcli11-dev libutf8proc-dev libcsv-dev
  libtag1-dev libxml2-dev libxml2-utils libpugixml-dev libssl-dev
)
# Tools the tests and the sample generator use: audio encoders and independent tag readers.
test_pkgs=(
  ffmpeg flac python3 python3-mutagen libimage-exiftool-perl mediainfo
  chromium fonts-wqy-microhei  # headless browser test of the verify report; a CJK font for its screenshots
)

want=("${build_pkgs[@]}")
case "${1:-all}" in
  build) ;;
  test | all) want+=("${test_pkgs[@]}") ;;
  *) echo "usage: $0 [build|test|all]" >&2; exit 2 ;;
esac

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
