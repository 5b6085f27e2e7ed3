#!/usr/bin/env bash
# `make demo`: runs liner's main job on the sample release in samples/ and says what it did.
# Usage: scripts/demo.sh BUILD_DIR
set -euo pipefail
build=${1:-build}
liner="$build/cli/liner"
out=out/demo
rm -rf "$out" && mkdir -p "$out"
has() { "$liner" "$@" --help >/dev/null 2>&1; }
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "liner sheet check samples/ep.toml"
"$liner" sheet check samples/ep.toml

step "liner sheet export samples/ep.toml --to csv -o $out/ep.csv"
"$liner" sheet export samples/ep.toml --to csv -o "$out/ep.csv"
echo "wrote $out/ep.csv ($(($(wc -l < "$out/ep.csv") - 1)) rows); first rows:"
head -4 "$out/ep.csv" | cut -c1-150

step "liner sheet import $out/ep.csv -o $out/ep-from-csv.toml (the spreadsheet round trip)"
"$liner" sheet import "$out/ep.csv" -o "$out/ep-from-csv.toml"
cmp -s "$out/ep-from-csv.toml" samples/ep.toml && echo "identical to samples/ep.toml"

if has tag; then
  step "liner tag: credits into copies of the sample masters"
  mkdir -p "$out/masters/audio"
  cp samples/audio/* "$out/masters/audio/"
  cp samples/ep.toml "$out/masters/ep.toml"
  "$liner" tag "$out/masters/ep.toml" "$out"/masters/audio/*
  step "liner read: what a player or tagger now finds in them"
  "$liner" read "$out/masters/audio/01 - Golden Seams.flac" "$out/masters/audio/03 - Koenji Night Bus.mp3"
fi

if has ddex build; then
  step "liner ddex build samples/ep.toml --audio samples/audio -o $out/ep-ern43.xml"
  echo "(the sample masters are 3-second stand-ins: liner warns that they are shorter than the sheet says)"
  "$liner" ddex build samples/ep.toml --audio samples/audio -o "$out/ep-ern43.xml"
  step "liner ddex validate $out/ep-ern43.xml --schema-dir ../shared/ddex/schemas"
  "$liner" ddex validate "$out/ep-ern43.xml" --schema-dir ../shared/ddex/schemas
fi

if has splits simulate; then
  step "liner splits simulate samples/ep.toml --scenario samples/scenarios.toml --svg $out/earnings.svg"
  "$liner" splits simulate samples/ep.toml --scenario samples/scenarios.toml --svg "$out/earnings.svg"
fi

if has verify && [ -f "$out/ep-ern43.xml" ] && [ -d "$out/masters/audio" ]; then
  step "liner verify: every credit of the sheet in the tagged masters and in the DDEX message"
  "$liner" verify "$out/masters/ep.toml" --audio "$out/masters/audio" --ddex "$out/ep-ern43.xml" \
    --html "$out/verify-report.html"
  echo "HTML report: $PWD/$out/verify-report.html"
fi

printf '\nDemo output is in %s/\n' "$out"
