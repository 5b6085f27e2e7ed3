#!/usr/bin/env bash
# `liner tag`, `liner read`, `liner sheet from-files` from the command line: summaries, dry run, JSON,
# per-file failures that let the batch go on, exit codes, `ulimit -f`.
# Usage: cli.sh LINER SOURCE_DIR WORK_DIR
set -euo pipefail
liner=$1 src=$2 work=$3
fail() { echo "FAIL: $*" >&2; exit 1; }
rm -rf "$work" && mkdir -p "$work/rel/audio"
"$src/scripts/make-sample-audio.sh" "$work/../../test-fixtures/audio" >/dev/null
cp "$work/../../test-fixtures/audio/"* "$work/rel/audio/"
cp "$src/samples/ep.toml" "$work/rel/"
cd "$work/rel"

before=$(md5sum audio/*)
out=$("$liner" tag ep.toml --dry-run) || fail "dry run exited $?"
grep -q -- "TIT2: (none) -> Kōenji Night Bus" <<<"$out" || fail "dry run shows no old/new values: $out"
[ "$before" = "$(md5sum audio/*)" ] || fail "the dry run changed files"

out=$("$liner" tag ep.toml) || fail "tag exited $?"
grep -q "^4 tagged, 0 unchanged, 0 failed" <<<"$out" || fail "default files: $out"
out=$("$liner" tag ep.toml audio/* --jobs 2) || fail "tag exited $?"
grep -q "^3 tagged, 4 unchanged, 0 failed" <<<"$out" || fail "all files: $out"

"$liner" read --format json audio/*.flac | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["liner"] == "read" and d["version"] == 1
roles = {c["role"] for c in d["files"][0]["credits"]}
assert {"StudioProducer", "MixingEngineer", "MasteringEngineer", "ComposerLyricist"} <= roles, roles
' || fail "read --format json"
"$liner" read "audio/03 - Koenji Night Bus.mp3" | grep -q "MixingEngineer .*ليلى حداد .*TIPL:mix" || fail "read text"

"$liner" sheet from-files audio/* -o drafted.toml 2>/dev/null || fail "from-files exited $?"
grep -q 'title = "Kōenji Night Bus"' drafted.toml || fail "from-files: no track 3"
set +e
"$liner" sheet check drafted.toml >/dev/null 2>&1
rc=$?
set -e
[ $rc -le 1 ] || fail "the drafted sheet does not load (exit $rc)"

# One read-only file, one unmatched non-audio file: the others are tagged, exit status 1.
sed -i 's/name = "Malik Okafor"/name = "Malik O. Okafor"/' ep.toml
chmod 444 "audio/01 - Golden Seams.aiff"
echo "not audio" >"audio/09 - Unknown.flac"
set +e
out=$("$liner" tag ep.toml audio/* 2>err.txt)
rc=$?
set -e
[ $rc -eq 1 ] || fail "exit status $rc with a failed file"
grep -q "^6 tagged, 0 unchanged, 1 failed, 1 unmatched" <<<"$out" || fail "summary: $out"
grep -q "read-only" err.txt || fail "no read-only error: $(cat err.txt)"
chmod 644 "audio/01 - Golden Seams.aiff"
rm "audio/09 - Unknown.flac"

# A full disk, as `ulimit -f` (in 1024-byte blocks; the WAV is about 850 KiB).
sed -i 's/name = "Malik O. Okafor"/name = "Malik Okafor"/' ep.toml
before=$(md5sum "audio/02 - Paper Lanterns.wav")
set +e
(ulimit -f 100; "$liner" tag ep.toml "audio/02 - Paper Lanterns.wav" >out.txt 2>err.txt)
rc=$?
set -e
[ $rc -eq 1 ] || fail "exit status $rc on a full disk"
grep -q "size limit" err.txt || fail "no clear full-disk error: $(cat err.txt)"
[ "$before" = "$(md5sum "audio/02 - Paper Lanterns.wav")" ] || fail "the full disk changed the file"
if ls -a audio | grep -q liner-tmp; then fail "temporary files left"; fi
"$liner" tag ep.toml audio/* >/dev/null || fail "retag after the failures"
echo "tagging CLI: ok"
