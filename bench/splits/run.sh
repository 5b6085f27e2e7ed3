#!/bin/sh
# Bench: a statement for a 10,000-track catalog with a million revenue lines.
# Usage: bench/splits/run.sh [LINER_BINARY] [LINES]   (default: build-splits/cli/liner, 1000000)
# Prints wall time and peak memory (/usr/bin/time -v) of `liner splits statement`.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
liner=${1:-$root/build-splits/cli/liner}
lines=${2:-1000000}
work=${BENCH_DIR:-${TMPDIR:-/tmp}/liner-bench-splits}
mkdir -p "$work"
if [ ! -f "$work/revenue.csv" ] || [ "$(($(wc -l < "$work/revenue.csv") - 1))" != "$lines" ]; then
  echo "generating $lines revenue lines for 10,000 tracks in $work ..."
  python3 "$here/gen.py" "$work" "$lines"
fi
ls -l "$work/catalog.toml" "$work/revenue.csv"
for fmt in text json; do
  /usr/bin/time -v "$liner" splits statement "$work/catalog.toml" --revenue "$work/revenue.csv" --period 2026-Q1 \
    --format "$fmt" -o "$work/statement.$fmt" 2> "$work/time.$fmt.txt"
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/time.$fmt.txt")
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time.$fmt.txt")
  echo "statement --format $fmt: wall $wall, peak RSS ${rss} KiB, output $(wc -c < "$work/statement.$fmt") bytes"
done
grep -m1 sha256 "$work/statement.text"
