// Synthetic GeoTIFFs of every supported layout, compression and CRS through the ingest into a temporary
// tile store: each must land where its georeference says, with its colours.
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import proj4 from 'proj4';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lonLatToTile } from '@tuban/core/geo/tiles';
import { readImageryTile } from '@tuban/core/tiles/tile-format';
import { LocalTileStore, imageryItem } from '@tuban/core/tiles/tile-store';
import { proj4ForEpsg } from '@tuban/core/geo/crs';
import { IngestInputError } from '../src/ingest/errors.js';
import { ingestRaster } from '../src/ingest/ingest.js';
import { writeGeoTiff, type Compression, type GeoTiffSpec } from '@tuban/data/raster/geotiff-writer';

const LONLAT = '+proj=longlat +datum=WGS84 +no_defs';
let dir: string;
let store: LocalTileStore;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tuban-ingest-'));
  store = new LocalTileStore(join(dir, 'tiles'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** West half red, east half blue; 8-bit RGB. */
function twoColours(w: number, h: number): Uint8Array {
  const d = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) d.set(x < w / 2 ? [220, 30, 30] : [30, 30, 220], (y * w + x) * 3);
  return d;
}

/** A spec placed with its top-left corner at a WGS84 point, in the given EPSG code. */
function placed(epsg: number, lon: number, lat: number, gsdM: number, extra: Partial<GeoTiffSpec> = {}): GeoTiffSpec {
  const crs = proj4ForEpsg(epsg)!;
  const origin = proj4(LONLAT, crs.proj4).forward([lon, lat]) as [number, number];
  const scale = crs.geographic ? gsdM / 111_320 : epsg === 3857 ? gsdM / Math.cos((lat * Math.PI) / 180) : gsdM;
  const width = 160, height = 120;
  return { width, height, samples: 3, bits: 8, data: twoColours(width, height), epsg, origin, pixelSize: [scale, scale], ...extra };
}

async function ingest(name: string, spec: GeoTiffSpec, maxPixels = 1e8) {
  const path = join(dir, `${name}.tif`);
  await writeFile(path, await writeGeoTiff(spec));
  return ingestRaster(path, store, `imagery/${name}`, { maxPixels, format: 'png' });
}

async function pngPixelAt(name: string, z: number, lon: number, lat: number): Promise<number[]> {
  const tile = await store.get(`imagery/${name}`, lonLatToTile(lon, lat, z), 'png');
  if (!tile) return [0, 0, 0, 0]; // an entirely transparent tile is not stored
  return pixelOfTile(tile, z, lon, lat);
}

async function pixelAt(id: number, format: string, z: number, lon: number, lat: number): Promise<{ rgba: number[]; ext: string }> {
  const tile = await readImageryTile(store, id, lonLatToTile(lon, lat, z), format);
  return { rgba: await pixelOfTile(tile!.data, z, lon, lat), ext: tile!.ext };
}

async function pixelOfTile(tile: Buffer, z: number, lon: number, lat: number): Promise<number[]> {
  const { x, y } = lonLatToTile(lon, lat, z);
  const n = 2 ** z;
  const fx = ((lon + 180) / 360) * n - x;
  const latR = (lat * Math.PI) / 180;
  const fy = ((1 - Math.log(Math.tan(latR) + 1 / Math.cos(latR)) / Math.PI) / 2) * n - y;
  const { data } = await sharp(tile).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const o = (Math.floor(fy * 256) * 256 + Math.floor(fx * 256)) * 4;
  return [...data.subarray(o, o + 4)];
}

const MIXED_ID = 9001;

describe('mixed tile format', () => {
  it('stores opaque tiles as JPEG and the edge tiles as PNG, with their colours', async () => {
    const width = 800, height = 800;
    const path = join(dir, 'mixed.tif');
    await writeFile(path, await writeGeoTiff(placed(32651, 121.4, 31.25, 0.5, { width, height, data: twoColours(width, height) })));
    await ingestRaster(path, store, imageryItem(MIXED_ID), { maxPixels: 1e8, format: 'mixed' });
    const files = await readdir(join(dir, 'tiles', imageryItem(MIXED_ID), '18'), { recursive: true });
    const jpegs = files.filter((f) => f.endsWith('.jpg'));
    const pngs = files.filter((f) => f.endsWith('.png'));
    expect(jpegs.length).toBeGreaterThan(0);
    expect(pngs.length).toBeGreaterThan(0);
    expect(jpegs.length + pngs.length).toBe(files.filter((f) => f.includes('.')).length);
    for (const f of pngs.slice(0, 3)) {
      const { data } = await sharp(join(dir, 'tiles', imageryItem(MIXED_ID), '18', f)).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
      expect(data.some((v, i) => i % 4 === 3 && v === 0)).toBe(true);
    }
    // 150 m east and 200 m south of the corner: a tile wholly inside the raster, in its red half.
    const red = await pixelAt(MIXED_ID, 'mixed', 18, 121.4 + 150 / 95_100, 31.25 - 200 / 110_900);
    expect(red.ext).toBe('jpg');
    expect(red.rgba[3]).toBe(255);
    for (const [k, want] of [220, 30, 30].entries()) expect(Math.abs(red.rgba[k]! - want)).toBeLessThan(8);
  });
});

describe('ingest of synthetic GeoTIFFs', () => {
  const layouts: [Compression, number | undefined, boolean][] = [
    ['none', undefined, false],
    ['lzw', 64, false],
    ['deflate', undefined, true],
    ['packbits', 64, true],
    ['jpeg', 64, false],
  ];
  it.each(layouts)('reads %s (tile %s, BigTIFF %s) and places it', async (compression, tile, bigTiff) => {
    const name = `fmt-${compression}-${tile ?? 'strip'}-${bigTiff}`;
    const res = await ingest(name, placed(32651, 121.4, 31.25, 0.5, { compression, tile, bigTiff }));
    expect(res.crs).toBe('EPSG:32651');
    expect(res.gsdM).toBeCloseTo(0.5, 2);
    expect(res.maxZoom).toBe(18);
    expect(res.minZoom).toBe(12);
    const [lon, lat] = res.extentRing[0]!;
    expect(Math.abs(lon! - 121.4) * 95_000).toBeLessThan(0.05);
    expect(Math.abs(lat! - 31.25) * 111_000).toBeLessThan(0.05);
    // 20 m east and 20 m south of the corner lies the red half; 60 m east, the blue half.
    const red = await pngPixelAt(name, 18, 121.4 + 20 / 95_100, 31.25 - 20 / 110_900);
    const blue = await pngPixelAt(name, 18, 121.4 + 60 / 95_100, 31.25 - 20 / 110_900);
    expect(red[0]).toBeGreaterThan(180);
    expect(red[2]).toBeLessThan(70);
    expect(blue[2]).toBeGreaterThan(180);
    expect(red[3]).toBe(255);
  });

  const crsCases: [number, number, number][] = [
    [4326, 121.4, 31.25],
    [4490, 121.4, 31.25],
    [3857, 121.4, 31.25],
    [32751, 121.4, -31.25],
    [26918, -77.0, 38.9],
    [4528, 121.4, 31.25],
    [4549, 121.4, 31.25],
    [4495, 111.2, 30.5],
    [4507, 105.1, 30.5],
  ];
  it.each(crsCases)('places EPSG:%i', async (epsg, lon, lat) => {
    const res = await ingest(`crs-${epsg}`, placed(epsg, lon, lat, 0.5));
    expect(res.crs).toBe(`EPSG:${epsg}`);
    const [l, b] = res.extentRing[0]!;
    expect(Math.abs(l! - lon) * 111_000 * Math.cos((lat * Math.PI) / 180)).toBeLessThan(0.05);
    expect(Math.abs(b! - lat) * 111_000).toBeLessThan(0.05);
    expect((await pngPixelAt(`crs-${epsg}`, 18, lon + 20 / 90_000, lat - 20 / 111_000))[0]).toBeGreaterThan(180);
  });

  it('stretches single-band 16-bit data and makes nodata transparent', async () => {
    const w = 160, h = 120;
    const data = new Uint16Array(w * h);
    for (let i = 0; i < data.length; i++) data[i] = i % w < 40 ? 0 : 1000 + ((i % w) * 7);
    const name = 'grey16';
    await ingest(name, { ...placed(32651, 121.4, 31.25, 0.5), samples: 1, bits: 16, data, nodata: 0, compression: 'deflate' });
    const empty = await pngPixelAt(name, 18, 121.4 + 5 / 95_100, 31.25 - 20 / 110_900);
    const grey = await pngPixelAt(name, 18, 121.4 + 60 / 95_100, 31.25 - 20 / 110_900);
    expect(empty[3]).toBe(0);
    expect(grey[3]).toBe(255);
    expect(grey[0]).toBe(grey[1]);
    expect(grey[0]).toBeGreaterThan(10);
    expect(grey[0]).toBeLessThan(245);
  });

  it('keeps an alpha mask and reads the capture time', async () => {
    const w = 160, h = 120;
    const data = new Uint8Array(w * h * 4);
    for (let i = 0; i < w * h; i++) data.set([40, 200, 40, i % w < 80 ? 0 : 255], i * 4);
    const res = await ingest('rgba', { ...placed(32651, 121.4, 31.25, 0.5), samples: 4, data, alpha: true, dateTime: '2026:03:05 10:30:00' });
    expect(res.dateTime?.toISOString()).toBe('2026-03-05T02:30:00.000Z');
    expect((await pngPixelAt('rgba', 18, 121.4 + 20 / 95_100, 31.25 - 20 / 110_900))[3]).toBe(0);
    expect((await pngPixelAt('rgba', 18, 121.4 + 60 / 95_100, 31.25 - 20 / 110_900))[1]).toBeGreaterThan(180);
    // The footprint covers the opaque east half only.
    const lons = res.footprintRings.flat().map((p) => p[0]!);
    expect(Math.min(...lons)).toBeGreaterThan(121.4 + 35 / 95_100);
  });
});

describe('bad input', () => {
  const good = () => placed(32651, 121.4, 31.25, 0.5, { compression: 'deflate', tile: 64 });
  const cases: [string, () => Promise<Buffer>, RegExp, number?][] = [
    ['truncated', async () => (await writeGeoTiff({ ...good(), compression: 'none' })).subarray(0, 30_000), /truncated|damaged/],
    ['no georeference', () => writeGeoTiff({ ...good(), origin: undefined, epsg: null }), /no georeference/],
    ['unsupported CRS', () => writeGeoTiff({ ...good(), epsg: 2154 }), /unsupported CRS EPSG:2154/],
    ['all nodata', () => writeGeoTiff({ ...good(), data: new Uint8Array(160 * 120 * 3), nodata: 0 }), /no data/],
    ['not a TIFF', async () => Buffer.from('%PDF-1.7 this is not an image'), /not a TIFF/],
    ['too many pixels', () => writeGeoTiff(good()), /too large: 160 × 120 pixels/, 10_000],
  ];
  it.each(cases)('%s fails with a clear message and leaves no tiles', async (label, make, message, maxPixels) => {
    const name = `bad-${label.replaceAll(' ', '-')}`;
    const path = join(dir, `${name}.tif`);
    await writeFile(path, await make());
    const run = ingestRaster(path, store, `imagery/${name}`, { maxPixels: maxPixels ?? 1e8, format: 'png' });
    await expect(run).rejects.toBeInstanceOf(IngestInputError);
    await expect(run).rejects.toThrow(message);
    const left = await readdir(join(dir, 'tiles', 'imagery')).catch(() => []);
    expect(left).not.toContain(name);
    expect(await readdir(join(dir, 'tiles', '.staging')).catch(() => [])).not.toContain(`imagery__${name}`);
  });
});

describe('zip bomb inside a block', () => {
  it('stops inflating at the block size and fails with a clear message', async () => {
    const spec = placed(32651, 121.4, 31.25, 0.5, { compression: 'deflate', tile: 64 });
    // The first tile's stream inflates to 64 MB instead of its 12 kB.
    const bomb = deflateSync(Buffer.alloc(64 * 1024 * 1024));
    const path = join(dir, 'bomb.tif');
    await writeFile(path, await writeGeoTiff({ ...spec, blocks: [bomb] }));
    await expect(ingestRaster(path, store, 'imagery/bomb', { maxPixels: 1e8, format: 'png' })).rejects.toThrow(
      /damaged: a block could not be decoded/,
    );
  });
});

describe('corrupt LZW block', () => {
  it('fails with a clear message instead of decoding garbage', async () => {
    const spec = placed(32651, 121.4, 31.25, 0.5, { compression: 'lzw', tile: 64 });
    const path = join(dir, 'bad-lzw.tif');
    await writeFile(path, await writeGeoTiff({ ...spec, blocks: [Uint8Array.from({ length: 3000 }, (_, i) => (i * 73) & 255)] }));
    await expect(ingestRaster(path, store, 'imagery/bad-lzw', { maxPixels: 1e8, format: 'png' })).rejects.toThrow(
      /damaged: a block could not be decoded/,
    );
  });
});
