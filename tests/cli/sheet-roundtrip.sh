#!/usr/bin/env bash
# Round trips through files: TOML -> CSV -> TOML, fmt idempotence, and the `sheet new` template.
set -euo pipefail
liner=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }

# 1. Export to CSV, import back: the same sheet, byte for byte.
"$liner" sheet export "$src/samples/ep.toml" --to csv -o ep.csv
"$liner" sheet import ep.csv -o ep.toml
cmp ep.toml "$src/samples/ep.toml" || { diff -u "$src/samples/ep.toml" ep.toml | head -40; fail "CSV round trip changed the sheet"; }
"$liner" sheet import ep.csv -o ep.toml 2>/dev/null && fail "import overwrote an existing file without --force"

# 2. fmt: aliases become canonical names, the result is stable, and --check agrees.
sed -e 's/"StudioProducer"/"producer"/; s/"MixingEngineer"/"mix engineer"/; s/share = 33.34/share = "33.340"/' \
  "$src/samples/ep.toml" > messy.toml
"$liner" sheet fmt --check messy.toml >/dev/null && fail "fmt --check accepted a non-canonical sheet"
"$liner" sheet fmt messy.toml >/dev/null
cmp messy.toml "$src/samples/ep.toml" || fail "fmt did not restore the canonical form"
"$liner" sheet fmt --check messy.toml
cp messy.toml before.toml && "$liner" sheet fmt messy.toml && cmp messy.toml before.toml || fail "fmt is not idempotent"

# 3. A sheet with errors is never rewritten by fmt.
printf '[release]\ntitle = "x"\nartists = ["a"]\n[parties.a]\nnme = "A"\n' > broken.toml
cp broken.toml broken.orig
"$liner" sheet fmt broken.toml 2>/dev/null && fail "fmt accepted a sheet with errors"
cmp broken.toml broken.orig || fail "fmt changed a sheet with errors"

# 4. The template fails until filled in, then passes.
"$liner" sheet new -o new.toml
"$liner" sheet check -q new.toml >/dev/null && fail "an unfilled template passed check"
sed -i -e 's/^title = ""/title = "First Light"/' -e 's/^genre = ""/genre = "Pop"/' \
  -e 's/owner = ""/owner = "Example Records"/g' -e 's/^isrc = ""/isrc = "GBAYE2600001"/' \
  -e 's/^file = ""/file = "01 - First Light.flac"/' -e 's/^upc = ""/upc = "036000291452"/' \
  -e 's/^catalog_number = ""/catalog_number = "EX-001"/' -e 's/^isni = ""/isni = "0000000121032683"/' \
  -e 's/^ipi = ""/ipi = "00000000199"/' -e 's/^dpid = ""/dpid = "PADPIDA2013020802I"/' new.toml
n=0
while grep -q '^name = ""' new.toml; do
  n=$((n + 1))
  sed -i "0,/^name = \"\"/s//name = \"Person $n\"/" new.toml
done
"$liner" sheet check new.toml || fail "the filled-in template does not pass check"
# 5. Hostile files: a 100 MB file, a binary file, a directory: clear errors, no crash.
truncate -s 100M big.toml
set +e
"$liner" sheet check big.toml > big.out; rc=$?
set -e
[ "$rc" = 1 ] && grep -q 'file-too-large' big.out || fail "100 MB sheet: exit $rc, $(cat big.out)"
head -c 4096 /dev/urandom > binary.toml
set +e
"$liner" sheet check binary.toml > binary.out; rc=$?
"$liner" sheet check . > dir.out 2>&1; rc_dir=$?
set -e
[ "$rc" = 1 ] || fail "binary sheet: exit $rc"
[ "$rc_dir" = 2 ] && grep -q 'is a directory' dir.out || fail "directory as sheet: exit $rc_dir, $(cat dir.out)"
echo "sheet round trips: ok"
