#!/usr/bin/env bash
# Generates the sample EP's tone masters (about 3 s each) with ffmpeg. Idempotent: existing files are kept.
# Usage: scripts/make-sample-audio.sh OUTDIR [SECONDS]
set -euo pipefail
out=${1:?usage: $0 OUTDIR [SECONDS]}
secs=${2:-3}
command -v ffmpeg >/dev/null || { echo "make-sample-audio: ffmpeg is needed (scripts/install-deps.sh)" >&2; exit 1; }
mkdir -p "$out"

# make NAME FREQ ffmpeg-output-options...: a stereo sine tone, written atomically (temp file, then rename).
make() {
  local name=$1 freq=$2
  shift 2
  local dest="$out/$name"
  [ -e "$dest" ] && return 0
  local ext=${name##*.}
  local tmp="$out/.tmp-$$-${RANDOM}.$ext"
  if ffmpeg -nostdin -hide_banner -loglevel error -y -f lavfi \
      -i "sine=frequency=$freq:sample_rate=48000:duration=$secs" -ac 2 -map_metadata -1 "$@" "$tmp"; then
    mv -f "$tmp" "$dest"
    echo "make-sample-audio: wrote $dest"
  else
    rm -f "$tmp"
    echo "make-sample-audio: could not write $dest" >&2
    return 1
  fi
}

make "01 - Golden Seams.flac" 440 -c:a flac -sample_fmt s16
# 24-bit BWF: -write_bext writes a bext chunk (Description/Originator from the metadata below).
make "02 - Paper Lanterns.wav" 523.25 -c:a pcm_s24le -write_bext 1 -rf64 never \
  -metadata description="Paper Lanterns master" -metadata originator="Studio Ume" \
  -metadata origination_date=2026-01-20 -metadata origination_time=12:00:00
make "03 - Koenji Night Bus.mp3" 659.25 -c:a libmp3lame -b:a 192k -write_xing 1 -id3v2_version 0 -write_id3v1 0
make "04 - Afterglow.m4a" 783.99 -c:a aac -b:a 160k -movflags +faststart
make "01 - Golden Seams.aiff" 440 -c:a pcm_s16be -write_id3v2 0
make "02 - Paper Lanterns.ogg" 523.25 -c:a libvorbis -q:a 4
make "03 - Koenji Night Bus.opus" 659.25 -c:a libopus -b:a 96k
