// Real third-party rasters (when ../shared/realdata is present): each must land where GDAL puts it.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalTileStore } from '@tuban/core/tiles/tile-store';
import { IngestInputError } from '../src/ingest/errors.js';
import { ingestRaster } from '../src/ingest/ingest.js';

const REALDATA = fileURLToPath(new URL('../../../shared/realdata/geotiff/', import.meta.url));
const present = existsSync(REALDATA);
const hasGdal = (() => {
  try {
    execFileSync('gdalinfo', ['--version']);
    return true;
  } catch {
    return false;
  }
})();
if (!present) console.warn(`skipping real-raster ingest tests: ${REALDATA} is absent`);
if (!hasGdal) console.warn('skipping real-raster ingest tests: gdalinfo is not installed (apt-get install gdal-bin)');

const RASTERS: [string, string, number, number][] = [
  // file, CRS, bands, native zoom
  ['rasterio/RGB.byte.tif', 'EPSG:32618', 3, 9],
  ['rasterio/cogeo.tif', 'EPSG:3857', 3, 18],
  ['webodm/orthophoto.tif', 'EPSG:32615', 4, 18],
  ['naip-multitemporal/m_4709963_se_14_1_20090818.tif', 'EPSG:26914', 4, 14],
  ['spacenet-atlanta/sample_geotiff.tif', 'EPSG:32616', 1, 18],
];

/** Metres between two WGS84 points (equirectangular; fine over a few pixels). */
const metres = (a: number[], b: number[]) =>
  Math.hypot((a[0]! - b[0]!) * 111_320 * Math.cos((a[1]! * Math.PI) / 180), (a[1]! - b[1]!) * 110_574);

describe.skipIf(!present || !hasGdal)('real rasters land where GDAL puts them', () => {
  let dir: string;
  let store: LocalTileStore;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tuban-real-'));
    store = new LocalTileStore(dir);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it.each(RASTERS)('%s', async (file, crs, bands, zoom) => {
    const path = join(REALDATA, file);
    const res = await ingestRaster(path, store, 'imagery/real', { maxPixels: 1e9, format: 'webp' });
    expect(res.crs).toBe(crs);
    expect((res.bands as unknown[]).length).toBe(bands);
    expect(res.maxZoom).toBe(zoom);
    expect(res.tileCount).toBeGreaterThan(0);
    const info = JSON.parse(execFileSync('gdalinfo', ['-json', path], { encoding: 'utf8' })) as {
      wgs84Extent: { coordinates: number[][][] };
      size: [number, number];
    };
    expect([res.widthPx, res.heightPx]).toEqual(info.size);
    // gdalinfo's WGS84 corners are upper-left, lower-left, lower-right, upper-right: so are ours.
    const gdal = info.wgs84Extent.coordinates[0]!;
    const ours = [0, 8, 16, 24].map((i) => res.extentRing[i]!);
    for (let k = 0; k < 4; k++) expect(metres(ours[k]!, gdal[k]!)).toBeLessThan(res.gsdM);
    // The valid-data footprint lies inside the raster's extent (within one pixel).
    const lons = gdal.map((p) => p[0]!), lats = gdal.map((p) => p[1]!);
    const slackLon = res.gsdM / (111_320 * Math.cos((lats[0]! * Math.PI) / 180)), slackLat = res.gsdM / 110_574;
    for (const p of res.footprintRings.flat()) {
      expect(p[0]).toBeGreaterThanOrEqual(Math.min(...lons) - slackLon);
      expect(p[0]).toBeLessThanOrEqual(Math.max(...lons) + slackLon);
      expect(p[1]).toBeGreaterThanOrEqual(Math.min(...lats) - slackLat);
      expect(p[1]).toBeLessThanOrEqual(Math.max(...lats) + slackLat);
    }
    expect(await store.getFile('imagery/real', 'thumbnail.webp')).not.toBeNull();
  });

  it('refuses a COG cut off half-way through its image data', async () => {
    const bytes = await readFile(join(REALDATA, 'rasterio/cogeo.tif'));
    const path = join(dir, 'cut.tif');
    await writeFile(path, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const run = ingestRaster(path, store, 'imagery/cut', { maxPixels: 1e9, format: 'webp' });
    await expect(run).rejects.toBeInstanceOf(IngestInputError);
    await expect(run).rejects.toThrow(/truncated/);
    expect(await store.getFile('imagery/cut', 'thumbnail.webp')).toBeNull();
  });

  it('refuses a JPEG photo renamed .tif', async () => {
    const drone = fileURLToPath(new URL('../../../shared/realdata/drone/odm-toledo-dji-phantom3/DJI_0061.JPG', import.meta.url));
    const path = join(dir, 'photo.tif');
    await copyFile(drone, path);
    await expect(ingestRaster(path, store, 'imagery/photo', { maxPixels: 1e9, format: 'webp' })).rejects.toThrow(/not a TIFF/);
  });
});
