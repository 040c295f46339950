// First pass over the raster at reduced resolution, strip by strip: which pixels hold data (the footprint),
// the contrast stretch, and a thumbnail.
import type { TypedArray } from 'geotiff';
import { toLonLat } from './crs.js';
import { IngestInputError } from './errors.js';
import { needsStretch, percentileStretch, toRgba, validMask, type Stretch } from './pixels.js';
import { readBands, type GeoTransform, type RasterInfo } from './raster.js';

const SCAN_SIZE = 1024;

export interface Scan {
  /** Source pixels per scan cell. */
  factor: number;
  cols: number;
  rows: number;
  mask: Uint8Array;
  validCells: number;
  stretch: Stretch | null;
  /** RGBA of the scan grid (cols × rows), for the thumbnail. */
  rgba: Uint8ClampedArray;
}

export async function scanRaster(r: RasterInfo): Promise<Scan> {
  const factor = Math.max(1, Math.ceil(Math.max(r.width, r.height) / SCAN_SIZE));
  const cols = Math.ceil(r.width / factor);
  const rows = Math.ceil(r.height / factor);
  const n = cols * rows;
  const blockRows = Math.max(r.image.getTileHeight() || 1, 1);
  const stripCells = Math.max(1, Math.ceil(Math.max(256, blockRows) / factor));
  let bands: TypedArray[] = [];
  for (let row = 0; row < rows; row += stripCells) {
    const outH = Math.min(stripCells, rows - row);
    const y0 = row * factor;
    const y1 = Math.min(r.height, (row + outH) * factor);
    const part = await readBands(r, { x0: 0, y0, x1: r.width, y1 }, cols, outH);
    if (bands.length === 0) {
      part.forEach((a, i) => (bands[i] = new (a.constructor as new (n: number) => TypedArray)(n)));
    }
    part.forEach((a, i) => bands[i]!.set(a.subarray(0, cols * outH), row * cols));
  }
  bands = bands.map((a) => a);
  const mask = validMask(r, bands, n);
  let validCells = 0;
  for (let i = 0; i < n; i++) validCells += mask[i]!;
  let stretch: Stretch | null = null;
  if (needsStretch(r) && !r.ycbcr) {
    const values: [number[], number[], number[]] = [[], [], []];
    const step = Math.max(1, Math.floor(validCells / 200_000));
    for (let i = 0, k = 0; i < n; i++) {
      if (!mask[i] || k++ % step) continue;
      for (let c = 0; c < 3; c++) values[c]!.push(bands[r.rgbBands[c]!]![i]!);
    }
    stretch = percentileStretch(values);
  }
  return { factor, cols, rows, mask, validCells, stretch, rgba: toRgba(r, bands, n, stretch) };
}

export const pixelToCrs = (t: GeoTransform, col: number, row: number): [number, number] => [
  t[0] + t[1] * col + t[2] * row,
  t[3] + t[4] * col + t[5] * row,
];

/**
 * Rectangles of valid scan cells (row runs merged downwards), as closed WGS84 rings; PostGIS unions them
 * into the footprint.
 */
export function footprintRings(r: RasterInfo, s: Scan): number[][][] {
  const proj = toLonLat(r.crs);
  const rects: [number, number, number, number][] = [];
  let open = new Map<string, number>();
  for (let y = 0; y <= s.rows; y++) {
    const next = new Map<string, number>();
    if (y < s.rows) {
      for (let x = 0; x < s.cols; ) {
        if (!s.mask[y * s.cols + x]) {
          x++;
          continue;
        }
        let e = x;
        while (e < s.cols && s.mask[y * s.cols + e]) e++;
        const key = `${x}:${e}`;
        const idx = open.get(key);
        if (idx !== undefined) {
          rects[idx]![3] = y + 1;
          open.delete(key);
          next.set(key, idx);
        } else {
          rects.push([x, y, e, y + 1]);
          next.set(key, rects.length - 1);
        }
        x = e;
      }
    }
    open = next;
  }
  const f = s.factor;
  const corner = (cx: number, cy: number) =>
    proj.forward(pixelToCrs(r.transform, Math.min(cx * f, r.width), Math.min(cy * f, r.height)));
  return rects.map(([x0, y0, x1, y1]) => {
    const a = corner(x0, y0);
    return [a, corner(x0, y1), corner(x1, y1), corner(x1, y0), a];
  });
}

/** The raster's outline in WGS84: upper-left, lower-left, lower-right, upper-right, densified. */
export function extentRing(r: RasterInfo, perSide = 8): number[][] {
  const proj = toLonLat(r.crs);
  const { width: w, height: h } = r;
  const path: [number, number][] = [];
  const side = (ax: number, ay: number, bx: number, by: number) => {
    for (let k = 0; k < perSide; k++) path.push([ax + ((bx - ax) * k) / perSide, ay + ((by - ay) * k) / perSide]);
  };
  side(0, 0, 0, h);
  side(0, h, w, h);
  side(w, h, w, 0);
  side(w, 0, 0, 0);
  path.push([0, 0]);
  return path.map(([c, row]) => proj.forward(pixelToCrs(r.transform, c, row)));
}

export function assertHasData(s: Scan): void {
  if (s.validCells === 0) throw new IngestInputError('the image holds no data: every pixel is no-data or transparent');
}
