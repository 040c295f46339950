// What the ingest learns about the raster as a whole, on a coarse grid of at most 1024 × 1024 cells (one
// source pixel sampled per cell): which cells hold data (the footprint), a thumbnail, and, for grey or
// >8-bit data, the contrast stretch (a first pass of its own, since every tile needs it).
import type { BlockReader } from './block-reader.js';
import { toLonLat } from '@tuban/core/geo/crs';
import { IngestInputError } from './errors.js';
import { percentileStretch, validMask, type Stretch } from './pixels.js';
import type { GeoTransform, RasterInfo, Window } from './raster.js';

const SCAN_SIZE = 1024;
const STRETCH_SAMPLES = 200_000;

export class ScanGrid {
  readonly factor: number;
  readonly cols: number;
  readonly rows: number;
  readonly rgba: Uint8ClampedArray;

  constructor(width: number, height: number) {
    this.factor = Math.max(1, Math.ceil(Math.max(width, height) / SCAN_SIZE));
    this.cols = Math.ceil(width / this.factor);
    this.rows = Math.ceil(height / this.factor);
    this.rgba = new Uint8ClampedArray(this.cols * this.rows * 4);
  }

  /** Copies the cells whose sample pixel lies in a window from that window's RGBA. */
  fill(w: Window, rgba: Uint8ClampedArray): void {
    const f = this.factor;
    const ww = w.x1 - w.x0;
    const cx0 = Math.ceil(w.x0 / f), cy0 = Math.ceil(w.y0 / f);
    for (let cy = cy0; cy * f < w.y1 && cy < this.rows; cy++) {
      for (let cx = cx0; cx * f < w.x1 && cx < this.cols; cx++) {
        const si = ((cy * f - w.y0) * ww + (cx * f - w.x0)) * 4;
        const di = (cy * this.cols + cx) * 4;
        this.rgba[di] = rgba[si]!;
        this.rgba[di + 1] = rgba[si + 1]!;
        this.rgba[di + 2] = rgba[si + 2]!;
        this.rgba[di + 3] = rgba[si + 3]!;
      }
    }
  }

  get mask(): Uint8Array {
    const m = new Uint8Array(this.cols * this.rows);
    for (let i = 0; i < m.length; i++) m[i] = this.rgba[i * 4 + 3]! > 0 ? 1 : 0;
    return m;
  }
}

/** 2nd–98th percentile stretch from one sampled pixel per grid cell, read strip by strip. */
export async function scanStretch(r: RasterInfo, reader: BlockReader): Promise<Stretch> {
  const grid = new ScanGrid(r.width, r.height);
  const f = grid.factor;
  const values: [number[], number[], number[]] = [[], [], []];
  const step = Math.max(1, Math.floor((grid.cols * grid.rows) / STRETCH_SAMPLES));
  let k = 0;
  const stripRows = Math.max(1, Math.floor(256 / f)) * f;
  for (let y0 = 0; y0 < r.height; y0 += stripRows) {
    const y1 = Math.min(r.height, y0 + stripRows);
    const bands = await reader.read({ x0: 0, y0, x1: r.width, y1 });
    const mask = validMask(r, bands, r.width * (y1 - y0));
    for (let y = Math.ceil(y0 / f) * f; y < y1; y += f) {
      for (let x = 0; x < r.width; x += f) {
        const i = (y - y0) * r.width + x;
        if (!mask[i] || k++ % step) continue;
        for (let c = 0; c < 3; c++) values[c]!.push(bands[r.rgbBands[c]!]![i]!);
      }
    }
  }
  return percentileStretch(values);
}

export const pixelToCrs = (t: GeoTransform, col: number, row: number): [number, number] => [
  t[0] + t[1] * col + t[2] * row,
  t[3] + t[4] * col + t[5] * row,
];

/**
 * Rectangles of valid scan cells (row runs merged downwards), as closed WGS84 rings; PostGIS unions them
 * into the footprint.
 */
export function footprintRings(r: RasterInfo, s: ScanGrid): number[][][] {
  const mask = s.mask;
  const proj = toLonLat(r.crs);
  const rects: [number, number, number, number][] = [];
  let open = new Map<string, number>();
  for (let y = 0; y <= s.rows; y++) {
    const next = new Map<string, number>();
    if (y < s.rows) {
      for (let x = 0; x < s.cols; ) {
        if (!mask[y * s.cols + x]) {
          x++;
          continue;
        }
        let e = x;
        while (e < s.cols && mask[y * s.cols + e]) e++;
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

export function assertHasData(s: ScanGrid): void {
  if (!s.mask.some((v) => v === 1)) throw new IngestInputError('the image holds no data: every pixel is no-data or transparent', { code: 'ingest_empty' });
}
