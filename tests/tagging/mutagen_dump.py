#!/usr/bin/env python3
"""Prints every tag value mutagen finds in a file, one "key=value" per line (independent-reader test)."""
import sys

import mutagen
from mutagen.mp4 import MP4FreeForm


def text(v):
    if isinstance(v, (bytes, MP4FreeForm)):
        return bytes(v).decode("utf-8", "replace")
    return str(v)


f = mutagen.File(sys.argv[1])
if f is None or f.tags is None:
    sys.exit(1)
for key in f.tags.keys():
    value = f.tags[key]
    if hasattr(value, "people"):  # ID3 TIPL / TMCL / IPLS
        for role, name in value.people:
            print(f"{key}={role}:{name}")
    elif hasattr(value, "text"):  # ID3 text frames, TXXX
        for t in value.text:
            print(f"{key}={text(t)}")
    elif isinstance(value, list):
        for t in value:
            print(f"{key}={text(t)}")
    else:
        print(f"{key}={text(value)}")
