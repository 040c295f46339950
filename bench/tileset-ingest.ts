// Tile-set ingest throughput: the same 2048 × 2048 px of drone-like texture (8 × 8 tiles at z19 near Putuo)
// as an MBTiles file (PNG tiles), a zip of JPEG tiles, and, as the reference, a Deflate GeoTIFF in
// EPSG:3857 on the same pixel grid through the raster ingest. Same output format (WebP), zooms 19 → 12.
//   npx tsx bench/tileset-ingest.ts [runs=3]
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { TILE_SIZE, lonLatToTile } from '@tuban/core/geo/tiles';
import { LocalTileStore } from '@tuban/core/tiles/tile-store';
import { ingestRaster } from '@tuban/workers/ingest/ingest';
import { ingestTileSet } from '@tuban/workers/ingest/tileset';
import { writeGeoTiff } from '@tuban/data/raster/geotiff-writer';
import { writeMbtiles, writeTileZip, type TestTile } from '@tuban/workers/testing/tileset-writer';
import { median } from './stats.js';

const runs = Number(process.argv[2] ?? 3);
const Z = 19, N = 8, W = N * TILE_SIZE;
const dir = await mkdtemp(join(tmpdir(), 'tuban-bench-tileset-'));
const origin = lonLatToTile(121.4, 31.25, Z);

// Smooth fields plus noise: compresses like aerial imagery, unlike a flat colour.
const rgb = new Uint8Array(W * W * 3);
for (let y = 0; y < W; y++) {
  for (let x = 0; x < W; x++) {
    const o = (y * W + x) * 3, n = (Math.sin(x * 12.9898 + y * 78.233) * 43758.5453) % 1;
    rgb[o] = 90 + 60 * Math.sin(x / 37) + 20 * n;
    rgb[o + 1] = 110 + 50 * Math.cos(y / 29) + 20 * n;
    rgb[o + 2] = 80 + 40 * Math.sin((x + y) / 53) + 20 * n;
  }
}
const png: TestTile[] = [], jpg: TestTile[] = [];
for (let ty = 0; ty < N; ty++) {
  for (let tx = 0; tx < N; tx++) {
    const tile = sharp(Buffer.from(rgb), { raw: { width: W, height: W, channels: 3 } }).extract({ left: tx * TILE_SIZE, top: ty * TILE_SIZE, width: TILE_SIZE, height: TILE_SIZE });
    const pos = { z: Z, x: origin.x + tx, y: origin.y + ty };
    png.push({ ...pos, data: await tile.clone().png().toBuffer() });
    jpg.push({ ...pos, data: await tile.clone().jpeg({ quality: 90 }).toBuffer() });
  }
}
const mbtiles = join(dir, 'set.mbtiles');
writeMbtiles(mbtiles, png);
const zip = join(dir, 'set.zip');
await writeFile(zip, await writeTileZip(jpg, 'jpg'));
const merc = (2 * Math.PI * 6378137) / (TILE_SIZE * 2 ** Z);
const tif = join(dir, 'set.tif');
await writeFile(tif, await writeGeoTiff({
  width: W, height: W, samples: 3, bits: 8, data: rgb, epsg: 3857, compression: 'deflate', tile: 256,
  origin: [origin.x * TILE_SIZE * merc - Math.PI * 6378137, Math.PI * 6378137 - origin.y * TILE_SIZE * merc], pixelSize: [merc, merc],
}));

const opts = { maxPixels: 4e9, format: 'webp' as const };
const cases: [string, (store: LocalTileStore, item: string) => Promise<{ tileCount: number }>][] = [
  ['GeoTIFF 3857 (reference)', (s, i) => ingestRaster(tif, s, i, { ...opts, maxZoom: Z })],
  ['MBTiles (PNG tiles)', (s, i) => ingestTileSet(mbtiles, 'mbtiles', s, i, opts)],
  ['zip (JPEG tiles)', (s, i) => ingestTileSet(zip, 'zip', s, i, opts)],
];
const results: { name: string; seconds: number; tiles: number }[] = [];
for (const [name, run] of cases) {
  const times: number[] = [];
  let tiles = 0;
  for (let r = 0; r < runs; r++) {
    const store = new LocalTileStore(join(dir, `out-${r}`));
    const t0 = performance.now();
    tiles = (await run(store, 'imagery/1')).tileCount;
    times.push((performance.now() - t0) / 1000);
    await rm(join(dir, `out-${r}`), { recursive: true, force: true });
  }
  results.push({ name, seconds: median(times), tiles });
}
const ref = results[0]!;
for (const r of results) {
  console.log(`${r.name.padEnd(26)} ${r.tiles} tiles  median ${r.seconds.toFixed(2)} s  ${(r.tiles / r.seconds).toFixed(0)} tiles/s  ${(ref.seconds / r.seconds).toFixed(2)}× the reference`);
}
await rm(dir, { recursive: true, force: true });
