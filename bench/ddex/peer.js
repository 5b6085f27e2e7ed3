// bench/ddex peer: the npm package ddex-builder builds the same catalog shape (1,000 releases x 12 tracks).
// Its API has no contributors or shares, so it builds less; we compare throughput only.
// Usage: node peer.js [RELEASES] [OUT_DIR]
const fs = require('fs');
const path = require('path');
const { DdexBuilder } = require('./node_modules/ddex-builder');

(async () => {
  const n = Number(process.argv[2] || 1000);
  const out = process.argv[3];
  if (out) fs.mkdirSync(out, { recursive: true });
  let bytes = 0;
  const t0 = process.hrtime.bigint();
  for (let r = 0; r < n; r++) {
    const b = new DdexBuilder();
    const ids = [];
    for (let t = 0; t < 12; t++) {
      const id = `A${t + 1}`;
      ids.push(id);
      b.addResource({ resourceId: id, resourceType: 'SoundRecording', title: `Track ${t + 1} of release ${r}`,
                      artist: `Contributor 0 of ${r}`, isrc: `JPX${String(r % 100).padStart(2, '0')}26${String((r * 12 + t) % 100000).padStart(5, '0')}`,
                      duration: `PT${2 + (t % 4)}M${10 + t}S`, trackNumber: t + 1 });
    }
    b.addRelease({ releaseId: 'R0', releaseType: 'Album', title: `Catalog Release ${r}`, artist: `Contributor 0 of ${r}`,
                   label: 'Bench Records', upc: String(85963000000 + r).padStart(11, '0') + '0', releaseDate: '2026-03-13',
                   genre: 'Electronic', trackIds: ids });
    const xml = await b.build();
    bytes += Buffer.byteLength(xml);
    if (out) fs.writeFileSync(path.join(out, `${String(r).padStart(4, '0')}.xml`), xml);
  }
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  const rss = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ tool: 'ddex-builder', releases: n, bytes, build_s: +s.toFixed(3),
                               build_releases_per_s: +(n / s).toFixed(1), peak_rss_mib: +rss.toFixed(1) }));
})();
