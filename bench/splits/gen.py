#!/usr/bin/env python3
"""Generates a 10,000-track catalog sheet with agreements and a revenue file of N lines (default 1,000,000).

Deterministic (seeded), so the bench statement and its digest reproduce. Usage: gen.py OUT_DIR [LINES]
"""
import random
import sys
from pathlib import Path

out = Path(sys.argv[1])
lines = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
tracks = 10_000
producers = 100
out.mkdir(parents=True, exist_ok=True)
rng = random.Random(20260101)

s = ['sheet_version = 1', '', '[release]', 'title = "Bench Catalog"', 'type = "Album"',
     'upc = "036000291452"', 'label = "label"', 'artists = ["artist"]', 'release_date = 2025-10-01', '']
s += ['[parties.label]', 'name = "Bench Records"', 'kind = "organization"', '']
s += ['[parties.artist]', 'name = "Bench Artist"', 'kind = "person"', '']
s += ['[parties.mixer]', 'name = "Bench Mixer"', 'kind = "person"', '']
for p in range(producers):
    s += [f'[parties.producer{p}]', f'name = "Producer {p}"', 'kind = "person"', '']
for t in range(1, tracks + 1):
    s += ['[[tracks]]', f'number = {t}', f'title = "Track {t}"', f'isrc = "QZBEN{t:07d}"',
          'master = [', '  { party = "label", share = 50 },', '  { party = "artist", share = 50 },', ']', '']
per = tracks // producers
for p in range(producers):
    nums = ', '.join(str(n) for n in range(p * per + 1, (p + 1) * per + 1))
    s += ['[[agreements]]', f'party = "producer{p}"', f'tracks = [{nums}]', 'base = "per_unit"', 'rate = 4',
          'unit_price = 1', 'escalations = [',
          '  { metric = "units", threshold = 50000, rate = 4.5, mode = "prospective" },',
          '  { metric = "units", threshold = 100000, rate = 5, mode = "retroactive" },', ']',
          'streams_per_unit = 1000', 'advance = 500',
          'recoupment = { method = "combined", costs = 20000, artist_rate = 0.6 }', 'currency = "EUR"',
          'withholding = 15', '']
s += ['[[agreements]]', 'party = "artist"', 'base = "share"', 'rate = 50', 'escalations = [',
      '  { metric = "streams", threshold = 100000000, rate = 55, mode = "prospective" },', ']',
      'currency = "EUR"', '']
s += ['[[agreements]]', 'party = "mixer"', 'base = "net"', 'rate = 1', f'proration = {{ produced = 2500, total = {tracks} }}',
      'lock_in_until = 2026-02-01', 'vesting = { start = 2025-10-01, months = 12, cliff = 0 }', 'currency = "EUR"', '']
(out / 'catalog.toml').write_text('\n'.join(s))

periods = ['2025-Q4', '2026-01', '2026-02', '2026-03']
sources = ['stream', 'stream', 'stream', 'download', 'sync']
with open(out / 'revenue.csv', 'w') as f:
    f.write('period,isrc,source,units,gross,currency\n')
    for i in range(lines):
        period = periods[i % 4]
        t = rng.randrange(1, tracks + 1)
        src = sources[rng.randrange(5)]
        if src == 'stream':
            units = rng.randrange(1, 200_000)
            cents = units * 35 // 100
        elif src == 'download':
            units = rng.randrange(1, 500)
            cents = units * 99
        else:
            units = 0
            cents = rng.randrange(1000, 500_000)
        f.write(f'{period},QZBEN{t:07d},{src},{units},{cents // 100}.{cents % 100:02d},EUR\n')
