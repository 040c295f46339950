// One raster in, one published tile pyramid out: open and check, scan, warp the native zoom tile row by
// row (in chunks of tiles, reading one source window per chunk), build the lower zooms, publish.
import sharp from 'sharp';
import { lonLatToTile } from '@tuban/core/geo/tiles';
import { tileUrlExtension, type TileFormat } from '@tuban/core/tiles/tile-format';
import type { TileStore } from '@tuban/core/tiles/tile-store';
import { toLonLat } from '@tuban/core/geo/crs';
import { BlockReader } from './block-reader.js';
import { needsStretch, toRgba } from './pixels.js';
import { Pyramid, type ZoomRange } from './pyramid.js';
import { openRaster, type RasterInfo } from './raster.js';
import type { IngestSource } from './source.js';
import { ScanGrid, assertHasData, extentRing, footprintRings, pixelToCrs, scanStretch } from './scan.js';
import { gridWindow, mercatorPixelSize, sampleTile, sourceMapper, tileGrid } from './warp.js';

/** The pyramid goes down to this zoom (or stops at the native zoom when that is coarser). */
export const PYRAMID_MIN_ZOOM = 12;
const MAX_NATIVE_ZOOM = 24;
const CHUNK_TILES = 8;

export interface IngestOptions {
  maxPixels: number;
  format: TileFormat;
  /** Forces the native zoom (benchmarks compare equal zoom ranges). */
  maxZoom?: number;
  minZoom?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface RasterIngest {
  crs: string;
  gsdM: number;
  widthPx: number;
  heightPx: number;
  bands: unknown;
  dateTime: Date | null;
  minZoom: number;
  maxZoom: number;
  tileCount: number;
  footprintRings: number[][][];
  simplifyDeg: number;
  extentRing: number[][];
}

/** Ground metres per source pixel and the Web Mercator zoom whose pixels match it best, at the centre. */
export function nativeResolution(r: RasterInfo): { gsdM: number; zoom: number; lat: number } {
  const proj = toLonLat(r.crs);
  const cx = r.width / 2, cy = r.height / 2;
  const [lon, lat] = proj.forward(pixelToCrs(r.transform, cx, cy));
  const [lon1, lat1] = proj.forward(pixelToCrs(r.transform, cx + 1, cy));
  const [lon2, lat2] = proj.forward(pixelToCrs(r.transform, cx, cy + 1));
  const R = 6378137, rad = Math.PI / 180;
  const dist = (a: number, b: number, c: number, d: number) =>
    R * Math.hypot((c - a) * rad * Math.cos(lat! * rad), (d - b) * rad);
  const gsdM = Math.sqrt(dist(lon!, lat!, lon1!, lat1!) * dist(lon!, lat!, lon2!, lat2!));
  const mercPx = gsdM / Math.cos(lat! * rad);
  const zoom = Math.max(0, Math.min(MAX_NATIVE_ZOOM, Math.round(Math.log2(mercatorPixelSize(0) / mercPx))));
  return { gsdM, zoom, lat: lat! };
}

function rangeAt(ring: number[][], z: number): ZoomRange {
  const lons = ring.map((p) => p[0]!), lats = ring.map((p) => p[1]!);
  const nw = lonLatToTile(Math.min(...lons), Math.max(...lats), z);
  const se = lonLatToTile(Math.max(...lons), Math.min(...lats), z);
  return { minX: nw.x, maxX: se.x, minY: nw.y, maxY: se.y };
}

/** TIFF "YYYY:MM:DD HH:MM:SS" carries no zone; the bureau's drones write local (Shanghai) time. */
export function parseTiffDateTime(s: string | null): Date | null {
  const m = s && /^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(s.trim());
  if (!m) return null;
  const d = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}+08:00`);
  return Number.isNaN(d.getTime()) ? null : d;
}

export async function ingestRaster(path: string | IngestSource, store: TileStore, item: string, o: IngestOptions): Promise<RasterIngest> {
  const r = await openRaster(path, o.maxPixels);
  const reader = new BlockReader(r);
  if (reader.jpegToRgb) r.ycbcr = false;
  const stretch = needsStretch(r) && !r.ycbcr ? await scanStretch(r, reader) : null;
  const scan = new ScanGrid(r.width, r.height);
  const native = nativeResolution(r);
  const maxZoom = o.maxZoom ?? native.zoom;
  const minZoom = Math.min(o.minZoom ?? PYRAMID_MIN_ZOOM, maxZoom);
  const ring = extentRing(r);
  const ranges = new Map<number, ZoomRange>();
  ranges.set(maxZoom, rangeAt(ring, maxZoom));
  for (let z = maxZoom - 1; z >= minZoom; z--) {
    const c = ranges.get(z + 1)!;
    ranges.set(z, { minX: c.minX >> 1, maxX: c.maxX >> 1, minY: c.minY >> 1, maxY: c.maxY >> 1 });
  }

  const writer = await store.begin(item, tileUrlExtension(o.format));
  try {
    let lastReport = 0;
    const pyramid: Pyramid = new Pyramid(writer, o.format, minZoom, maxZoom, ranges, (done) => {
      const now = Date.now();
      if (o.onProgress && (now - lastReport > 500 || done === pyramid.total)) {
        lastReport = now;
        o.onProgress(done, pyramid.total);
      }
    });
    const map = sourceMapper(r);
    const top = ranges.get(maxZoom)!;
    for (let ty = top.minY; ty <= top.maxY; ty++) {
      for (let cx = top.minX; cx <= top.maxX; cx += CHUNK_TILES) {
        const xs = Array.from({ length: Math.min(CHUNK_TILES, top.maxX - cx + 1) }, (_, k) => cx + k);
        const grids = xs.map((tx) => tileGrid(map, maxZoom, tx, ty));
        const win = gridWindow(r, grids);
        const rgba = win ? toRgba(r, await reader.read(win), (win.x1 - win.x0) * (win.y1 - win.y0), stretch) : null;
        if (win && rgba) scan.fill(win, rgba);
        for (let k = 0; k < xs.length; k++) {
          await pyramid.add(maxZoom, xs[k]!, ty, rgba && win ? sampleTile(grids[k]!, rgba, win) : null);
        }
      }
      await pyramid.rowDone(maxZoom, ty);
    }
    await pyramid.flush();
    assertHasData(scan);
    await writer.putFile('thumbnail.webp', await thumbnail(scan.rgba, scan.cols, scan.rows));
    await writer.publish();
    const cellDeg = (scan.factor * native.gsdM) / 111_320;
    return {
      crs: r.crs.code,
      gsdM: native.gsdM,
      widthPx: r.width,
      heightPx: r.height,
      bands: r.bandInfo,
      dateTime: parseTiffDateTime(r.dateTime),
      minZoom,
      maxZoom,
      tileCount: pyramid.written,
      footprintRings: footprintRings(r, scan),
      simplifyDeg: cellDeg / 2,
      extentRing: ring,
    };
  } catch (err) {
    await writer.discard();
    throw err;
  }
}

async function thumbnail(rgba: Uint8ClampedArray, w: number, h: number): Promise<Buffer> {
  return sharp(rgba, { raw: { width: w, height: h, channels: 4 } })
    .resize({ width: 512, height: 512, fit: 'inside', withoutEnlargement: true })
    .webp({ quality: 80 })
    .toBuffer();
}
