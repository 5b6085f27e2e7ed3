#!/usr/bin/env bash
# bench/tagging: the issue's tagging benchmark (not run by `make test`).
#   liner tag (safe default and --in-place) vs kid3-cli and a mutagen script writing the same credits on
#   1,000 FLAC, 1,000 MP3 and 100 24-bit WAV masters of 30 s; liner vs exiftool on M4A; plus a plain copy.
# Usage: bench/tagging/run.sh [BUILD_DIR] [WORK_DIR] [SCALE] [SETS] [ROUNDS]
#   SCALE 0.1 = a tenth of the files; SETS e.g. flac,mp3 (default flac,mp3,wav,m4a); ROUNDS: runs of each
#   tool on fresh copies, the median reported (default 3)
# Needs ffmpeg, python3-mutagen, exiftool and kid3-cli (installed with apt-get when missing and root).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build}
work=${2:-$root/out/bench-tagging}
scale=${3:-1}
sets=${4:-flac,mp3,wav,m4a}
rounds=${5:-3}
if ! command -v kid3-cli >/dev/null; then
  if [ "$(id -u)" -eq 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends kid3-cli >/dev/null
  else
    echo "bench: kid3-cli missing (apt-get install kid3-cli); it will be skipped" >&2
  fi
fi
[ -x "$build/cli/liner" ] || cmake --build "$build" -j"$(nproc)" --target liner
exec /usr/bin/python3 "$here/bench.py" --liner "$build/cli/liner" --work "$work" --scale "$scale" --sets "$sets" --rounds "$rounds"
