#!/usr/bin/env bash
# CLI scenario: liner ddex build -> xmllint --schema -> liner ddex validate -> import -> build again (same bytes);
# exit statuses 0/1/2. Usage: cli.sh LINER SOURCE_DIR SHARED_DIR SCRATCH
set -euo pipefail
liner=$1 src=$2 shared=$3 scratch=$4
schemas=$shared/ddex/schemas
rm -rf "$scratch" && mkdir -p "$scratch"
fail() { echo "FAIL: $*" >&2; exit 1; }
export SOURCE_DATE_EPOCH=1767225600

"$liner" ddex build "$src/samples/ep.toml" -o "$scratch/ep.xml" --no-audio --schema-dir "$schemas"
grep -q '<MessageCreatedDateTime>2026-01-01T00:00:00Z</MessageCreatedDateTime>' "$scratch/ep.xml" || fail "SOURCE_DATE_EPOCH not used"
if command -v xmllint >/dev/null; then
  xmllint --noout --nonet --schema "$schemas/ern-4.3/release-notification.xsd" "$scratch/ep.xml" || fail "xmllint rejects the sample message"
fi
"$liner" ddex validate --schema-dir "$schemas" "$scratch/ep.xml" >/dev/null || fail "validate rejects our own message"
LINER_DDEX_SCHEMAS=$schemas "$liner" ddex validate --format json "$scratch/ep.xml" | grep -q '"schema_checked": true' || fail "env schema dir not used"

set +e
"$liner" ddex validate "$src/tests/ddex/fixtures/invalid-master-shares-total.xml" >/dev/null; rc=$?
[ $rc -eq 1 ] || fail "invalid message: exit $rc, expected 1"
"$liner" ddex validate "$scratch/does-not-exist.xml" >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] || fail "missing file: exit $rc, expected 2"
"$liner" ddex validate "$src/tests/ddex/fixtures/invalid-billion-laughs.xml" >/dev/null; rc=$?
[ $rc -eq 1 ] || fail "billion laughs: exit $rc, expected 1"
set -e

"$liner" ddex import "$scratch/ep.xml" -o "$scratch/ep.toml" 2>/dev/null
"$liner" ddex build "$scratch/ep.toml" -o "$scratch/ep2.xml" --no-audio
cmp "$scratch/ep.xml" "$scratch/ep2.xml" || fail "sheet -> ERN -> sheet -> ERN differs"

# A sheet that cannot make a message: diagnostics, exit 1, no file.
sed 's/^upc = .*//' "$src/samples/ep.toml" > "$scratch/no-upc.toml"
set +e
"$liner" ddex build "$scratch/no-upc.toml" -o "$scratch/no-upc.xml" --no-audio 2>"$scratch/no-upc.err"; rc=$?
set -e
[ $rc -eq 1 ] || fail "no UPC: exit $rc, expected 1"
[ ! -e "$scratch/no-upc.xml" ] || fail "no UPC: a file was written"
grep -q 'ddex-missing-upc' "$scratch/no-upc.err" || fail "no UPC: no diagnostic"
echo "ddex cli: ok"
