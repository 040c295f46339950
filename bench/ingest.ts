// Ingest throughput against gdal2tiles.py --processes=1 --xyz on the same GeoTIFFs and zooms, in one run,
// plus the pixel agreement (PSNR) of our tiles with GDAL's and each side's peak memory.
//   npx tsx bench/ingest.ts [runs=3]
// Needs gdal2tiles.py (Debian python3-gdal) and /usr/bin/time. Inputs: the UTM 18N Landsat scene from
// ../shared/realdata when present, and a generated 4096² UTM 51N drone-like GeoTIFF (0.1 m) near Putuo.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import proj4 from 'proj4';
import sharp from 'sharp';
import { LocalTileStore } from '@tuban/core/tiles/tile-store';
import { proj4ForEpsg } from '@tuban/core/geo/crs';
import { ingestRaster } from '@tuban/workers/ingest/ingest';
import { writeGeoTiff } from '@tuban/data/raster/geotiff-writer';
import { median } from './stats.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const REAL = join(ROOT, '../shared/realdata/geotiff');

if (process.argv[2] === '--run') {
  // Child process: one ingest, timed from outside.
  const [, , , path, out, minZoom, maxZoom] = process.argv;
  const t0 = performance.now();
  const res = await ingestRaster(path!, new LocalTileStore(out!), 'imagery/1', {
    maxPixels: 4e9, format: 'webp', minZoom: Number(minZoom), maxZoom: Number(maxZoom),
  });
  console.log(JSON.stringify({ tiles: res.tileCount, seconds: (performance.now() - t0) / 1000 }));
  process.exit(0);
}

const runs = Number(process.argv[2] ?? 3);

interface Timed { wall: number; cpu: number; rssMb: number; stdout: string }
function timed(cmd: string, args: string[]): Timed {
  const stats = join(tmpdir(), `bench-time-${process.pid}`);
  const stdout = execFileSync('/usr/bin/time', ['-o', stats, '-f', '%e %U %S %M', cmd, ...args], {
    encoding: 'utf8', cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 26,
  });
  const [wall, user, sys, kb] = execFileSync('tail', ['-1', stats], { encoding: 'utf8' }).trim().split(' ').map(Number);
  execFileSync('rm', ['-f', stats]);
  return { wall: wall!, cpu: user! + sys!, rssMb: kb! / 1024, stdout };
}

async function listTiles(dir: string, ext: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).filter((f) => /^\d+\/\d+\/\d+\./.test(f) && f.endsWith(`.${ext}`));
}

/** PSNR over RGB of pixels opaque in both tiles, pooled over all tiles both sides have. */
async function psnr(ours: string, gdal: string, tiles: string[], zoom?: number): Promise<{ db: number; tiles: number }> {
  let se = 0, n = 0, count = 0;
  for (const t of tiles) {
    if (zoom !== undefined && !t.startsWith(`${zoom}/`)) continue;
    const mine = join(ours, 'imagery/1', t);
    if (!existsSync(mine)) continue;
    const [a, b] = await Promise.all([mine, join(gdal, t)].map((p) => sharp(p).ensureAlpha().raw().toBuffer()));
    count++;
    for (let i = 0; i < a!.length; i += 4) {
      if (a![i + 3] !== 255 || b![i + 3] !== 255) continue;
      for (let c = 0; c < 3; c++) se += (a![i + c]! - b![i + c]!) ** 2;
      n += 3;
    }
  }
  return { db: n ? 10 * Math.log10((255 * 255) / (se / n)) : NaN, tiles: count };
}

async function countWithData(dir: string, tiles: string[]): Promise<number> {
  let n = 0;
  for (const t of tiles) {
    const { data } = await sharp(join(dir, t)).ensureAlpha().extractChannel(3).raw().toBuffer({ resolveWithObject: true });
    if (data.some((v) => v > 0)) n++;
  }
  return n;
}

async function droneLike(dir: string): Promise<string> {
  // A 4096² mosaic of a real VHR scene when present (so the encoder sees real texture), else a pattern.
  const w = 4096, h = 4096;
  const data = new Uint8Array(w * h * 3);
  const cog = join(REAL, 'rasterio/cogeo.tif');
  if (existsSync(cog)) {
    const { fromFile } = await import('geotiff');
    const img = await (await fromFile(cog)).getImage(0);
    const ycc = (await img.readRasters({ interleave: true })) as unknown as Uint8Array;
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
      const sx = (x >> 10) % 2 ? 1023 - (x & 1023) : x & 1023, sy = (y >> 10) % 2 ? 1023 - (y & 1023) : y & 1023;
      const i = (sy * 1024 + sx) * 3, o = (y * w + x) * 3;
      const Y = ycc[i]!, cb = ycc[i + 1]! - 128, cr = ycc[i + 2]! - 128;
      data[o] = Math.max(0, Math.min(255, Y + 1.402 * cr));
      data[o + 1] = Math.max(0, Math.min(255, Y - 0.344 * cb - 0.714 * cr));
      data[o + 2] = Math.max(0, Math.min(255, Y + 1.772 * cb));
    }
  } else {
    for (let i = 0; i < w * h; i++) data.set([(i * 13) & 255, ((i >> 12) * 7) & 255, (i ^ (i >> 12)) & 255], i * 3);
  }
  const origin = proj4('+proj=longlat +datum=WGS84', proj4ForEpsg(32651)!.proj4).forward([121.38, 31.26]) as [number, number];
  const path = join(dir, 'drone-utm51n.tif');
  await writeFile(path, await writeGeoTiff({ width: w, height: h, samples: 3, bits: 8, data, epsg: 32651, origin, pixelSize: [0.1, 0.1], compression: 'deflate', tile: 256 }));
  return path;
}

/** PSNR of our native-zoom tiles against gdalwarp's exact (-et 0) bilinear warp of the same tile extents. */
async function psnrVsWarp(src: string, ours: string, zoom: number, max = 12): Promise<{ db: number; tiles: number }> {
  const H = Math.PI * 6378137;
  const res = (2 * H) / 256 / 2 ** zoom;
  const tiles = (await listTiles(join(ours, 'imagery/1'), 'webp')).filter((t) => t.startsWith(`${zoom}/`)).slice(0, max);
  let se = 0, n = 0;
  const ref = join(tmpdir(), `bench-warp-${process.pid}.tif`);
  for (const t of tiles) {
    const [, x, y] = t.replace('.webp', '').split('/').map(Number) as [number, number, number];
    execFileSync('gdalwarp', ['-q', '-overwrite', '-t_srs', 'EPSG:3857', '-te', String(-H + x * 256 * res), String(H - (y + 1) * 256 * res),
      String(-H + (x + 1) * 256 * res), String(H - y * 256 * res), '-ts', '256', '256', '-r', 'bilinear', '-et', '0', '-dstalpha', src, ref]);
    const [a, b] = await Promise.all([join(ours, 'imagery/1', t), ref].map((p) => sharp(p).ensureAlpha().raw().toBuffer()));
    for (let i = 0; i < a!.length; i += 4) {
      if (a![i + 3] !== 255 || b![i + 3] !== 255) continue;
      for (let c = 0; c < 3; c++) se += (a![i + c]! - b![i + c]!) ** 2;
      n += 3;
    }
  }
  await rm(ref, { force: true });
  return { db: 10 * Math.log10((255 * 255) / (se / n)), tiles: tiles.length };
}

const work = await mkdtemp(join(tmpdir(), 'tuban-bench-ingest-'));
const inputs: [string, string, number, number][] = [];
if (existsSync(join(REAL, 'rasterio/RGB.byte.tif'))) inputs.push(['Landsat RGB.byte.tif, UTM 18N, 791×718', join(REAL, 'rasterio/RGB.byte.tif'), 6, 11]);
inputs.push(['generated drone ortho, UTM 51N, 4096², 0.1 m, Deflate', await droneLike(work), 12, 20]);

console.log(`ingest vs gdal2tiles.py --processes=1 --xyz (WebP q90), ${runs} runs each, medians; ${new Date().toISOString()}`);
for (const [label, path, minZ, maxZ] of inputs) {
  const ours: Timed[] = [], gdal: Timed[] = [];
  let ourTiles = 0, gdalTiles = 0;
  const inProcess: number[] = [];
  const oursDir = join(work, 'ours'), gdalDir = join(work, 'gdal');
  for (let r = 0; r < runs; r++) {
    await rm(oursDir, { recursive: true, force: true });
    await rm(gdalDir, { recursive: true, force: true });
    const t = timed(join(ROOT, 'node_modules/.bin/tsx'), ['bench/ingest.ts', '--run', path, oursDir, String(minZ), String(maxZ)]);
    const child = JSON.parse(t.stdout.trim().split('\n').at(-1)!) as { tiles: number; seconds: number };
    ourTiles = child.tiles;
    inProcess.push(child.seconds);
    ours.push(t);
    gdal.push(timed('gdal2tiles.py', ['--processes=1', '--xyz', '-r', 'bilinear', '-z', `${minZ}-${maxZ}`, '-w', 'none', '--tiledriver=WEBP', '--webp-quality=90', path, gdalDir]));
    gdalTiles = (await listTiles(gdalDir, 'webp')).length;
  }
  const gTiles = await listTiles(gdalDir, 'webp');
  const top = await psnr(oursDir, gdalDir, gTiles, maxZ);
  const all = await psnr(oursDir, gdalDir, gTiles);
  const warp = await psnrVsWarp(path, oursDir, maxZ);
  const gdalWithData = await countWithData(gdalDir, gTiles);
  const ow = median(ours.map((t) => t.wall)), gw = median(gdal.map((t) => t.wall)), oi = median(inProcess);
  console.log(`\n${label}, zooms ${minZ}-${maxZ}`);
  console.log(`  ours:       ${ourTiles} tiles in ${ow.toFixed(2)} s wall (${median(ours.map((t) => t.cpu)).toFixed(2)} s CPU) = ${(ourTiles / ow).toFixed(1)} tiles/s, peak RSS ${median(ours.map((t) => t.rssMb)).toFixed(0)} MB`);
  console.log(`  gdal2tiles: ${gdalTiles} tiles in ${gw.toFixed(2)} s wall (${median(gdal.map((t) => t.cpu)).toFixed(2)} s CPU) = ${(gdalTiles / gw).toFixed(1)} tiles/s, peak RSS ${median(gdal.map((t) => t.rssMb)).toFixed(0)} MB`);
  console.log(`  ours, in the worker (no process start): ${oi.toFixed(2)} s = ${(ourTiles / oi).toFixed(1)} tiles/s; ratio ${((ourTiles / oi) / (gdalTiles / gw)).toFixed(2)}× (same-work ${(gw / oi).toFixed(2)}×)`);
  console.log(`  (gdal2tiles also writes fully transparent tiles: ${gdalWithData} of its ${gdalTiles} hold data; ours writes only those)`);
  console.log(`  ratio (tiles/s, each side's own count): ${((ourTiles / ow) / (gdalTiles / gw)).toFixed(2)}×; same-work ratio (wall time): ${(gw / ow).toFixed(2)}×`);
  console.log(`  PSNR vs gdalwarp -r bilinear -et 0 (exact), z${maxZ}: ${warp.db.toFixed(1)} dB over ${warp.tiles} tiles`);
  console.log(`  PSNR vs gdal2tiles: z${maxZ} ${top.db.toFixed(1)} dB over ${top.tiles} tiles, all zooms ${all.db.toFixed(1)} dB over ${all.tiles} tiles`);
}
await rm(work, { recursive: true, force: true });
