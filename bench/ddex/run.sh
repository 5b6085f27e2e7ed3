#!/usr/bin/env bash
# bench/ddex: liner vs ddex-builder (npm) vs one `xmllint --schema` per file, on a 1,000-release catalog
# (12 tracks x 10 contributors each). Not part of `make test`.
# Usage: bench/ddex/run.sh [RELEASES]    env: XMLLINT_FILES (default: all), LINER_DDEX_SCHEMAS
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
n=${1:-1000}
schemas=${LINER_DDEX_SCHEMAS:-$root/../shared/ddex/schemas}
out=$here/out
rm -rf "$out" && mkdir -p "$out"

echo "== building bench_ddex (Release)" >&2
cmake -S "$here" -B "$here/build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$here/build" -j"$(nproc)" --target bench_ddex >/dev/null

echo "== liner: build + validate (XSD + rules) $n releases in one process" >&2
/usr/bin/time -f '%M' -o "$out/liner.rss" "$here/build/bench_ddex" "$schemas" "$out/liner" "$n" | tee "$out/liner.json"

if command -v node >/dev/null; then
  if [ ! -d "$here/node_modules/ddex-builder" ]; then
    echo "== installing ddex-builder under bench/ddex/node_modules" >&2
    (cd "$here" && npm install --no-audit --no-fund >/dev/null)
  fi
  echo "== ddex-builder (npm): build $n releases (no contributors, no shares: it has no API for them)" >&2
  (cd "$here" && node peer.js "$n") | tee "$out/peer.json"
  (cd "$here" && node peer.js 1 "$out/peer" >/dev/null)
  if xmllint --noout --nonet --schema "$schemas/ern-4.3/release-notification.xsd" "$out/peer/0000.xml" 2>/dev/null; then
    echo "   ddex-builder output: valid ERN 4.3" >&2
  else
    echo "   ddex-builder output: NOT valid against the ERN 4.3 schema" >&2
  fi
fi

files=${XMLLINT_FILES:-$n}
echo "== xmllint --schema, one process per file, $files files" >&2
max_kib=0
start=$(date +%s.%N)
for f in $(ls "$out/liner" | head -n "$files"); do
  /usr/bin/time -f '%M' -o "$out/xmllint.rss" xmllint --noout --nonet \
    --schema "$schemas/ern-4.3/release-notification.xsd" "$out/liner/$f" 2>/dev/null
  kib=$(tail -1 "$out/xmllint.rss")
  [ "$kib" -gt "$max_kib" ] && max_kib=$kib
done
end=$(date +%s.%N)
python3 - "$out" "$start" "$end" "$files" "$max_kib" <<'PY'
import json, sys, pathlib
out, start, end, files, kib = pathlib.Path(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
liner = json.loads((out / "liner.json").read_text())
liner["process_peak_rss_mib"] = round(int((out / "liner.rss").read_text().split()[-1]) / 1024, 1)
xl = {"tool": "xmllint --schema (per file)", "files": files, "validate_s": round(end - start, 3),
      "validate_files_per_s": round(files / (end - start), 1), "peak_rss_mib": round(kib / 1024, 1)}
res = {"liner": liner, "xmllint": xl}
peer = out / "peer.json"
if peer.exists():
    res["ddex_builder"] = json.loads(peer.read_text())
(out / "results.json").write_text(json.dumps(res, indent=2) + "\n")
print(json.dumps(res, indent=2))
lb = liner["build_releases_per_s"]
if "ddex_builder" in res:
    print(f"build: liner {lb:.0f} releases/s (full, valid, {liner['contributors']} Contributors) vs "
          f"ddex-builder {res['ddex_builder']['build_releases_per_s']:.0f} releases/s (partial, invalid): "
          f"{lb / res['ddex_builder']['build_releases_per_s']:.1f}x")
print(f"validate: liner {liner['validate_releases_per_s']:.0f} files/s (XSD + rules, one process) vs xmllint "
      f"{xl['validate_files_per_s']:.1f} files/s (one process per file): "
      f"{liner['validate_releases_per_s'] / xl['validate_files_per_s']:.0f}x")
print(f"peak memory: liner {liner['process_peak_rss_mib']} MiB (one release at a time), "
      f"xmllint {xl['peak_rss_mib']} MiB per process"
      + (f", ddex-builder {res['ddex_builder']['peak_rss_mib']} MiB" if "ddex_builder" in res else ""))
PY
