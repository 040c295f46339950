// Reprojection of the source raster onto Web Mercator tiles. For each output tile, proj4 maps a 17 × 17
// grid of points (every 16 output pixels) to source pixel coordinates; between grid points the mapping is
// interpolated bilinearly (a piecewise-bilinear warp), and source pixels are sampled bilinearly.
import proj4 from 'proj4';
import { TILE_SIZE } from '@tuban/core/geo/tiles';
import type { RasterInfo, Window } from './raster.js';

const HALF_WORLD = Math.PI * 6378137;
const GRID = 16;
const STEP = TILE_SIZE / GRID;

export const mercatorPixelSize = (z: number): number => (2 * HALF_WORLD) / (TILE_SIZE * 2 ** z);

/** Maps Web Mercator metres to source pixel coordinates (column, row; pixel centres at +0.5). */
export function sourceMapper(r: RasterInfo): (mx: number, my: number) => [number, number] {
  const toSrc = proj4('EPSG:3857', r.crs.proj4);
  const [a, b, c, d, e, f] = r.transform;
  const det = b * f - c * e;
  return (mx, my) => {
    const [x, y] = toSrc.forward([mx, my]);
    const dx = x - a;
    const dy = y - d;
    return [(f * dx - c * dy) / det, (b * dy - e * dx) / det];
  };
}

/** Source pixel coordinates of the tile's grid points, x then y, row by row. */
export function tileGrid(map: (mx: number, my: number) => [number, number], z: number, tx: number, ty: number): Float64Array {
  const res = mercatorPixelSize(z);
  const grid = new Float64Array((GRID + 1) * (GRID + 1) * 2);
  let o = 0;
  for (let j = 0; j <= GRID; j++) {
    for (let i = 0; i <= GRID; i++) {
      const [sx, sy] = map(-HALF_WORLD + (tx * TILE_SIZE + i * STEP) * res, HALF_WORLD - (ty * TILE_SIZE + j * STEP) * res);
      grid[o++] = sx;
      grid[o++] = sy;
    }
  }
  return grid;
}

/** The source window (clamped to the raster, one pixel of margin) that a set of grids needs; null if none. */
export function gridWindow(r: RasterInfo, grids: Float64Array[]): Window | null {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const g of grids) {
    for (let k = 0; k < g.length; k += 2) {
      x0 = Math.min(x0, g[k]!);
      x1 = Math.max(x1, g[k]!);
      y0 = Math.min(y0, g[k + 1]!);
      y1 = Math.max(y1, g[k + 1]!);
    }
  }
  const w = {
    x0: Math.max(0, Math.floor(x0) - 1),
    y0: Math.max(0, Math.floor(y0) - 1),
    x1: Math.min(r.width, Math.ceil(x1) + 1),
    y1: Math.min(r.height, Math.ceil(y1) + 1),
  };
  return w.x0 < w.x1 && w.y0 < w.y1 ? w : null;
}

/**
 * Samples one tile from an RGBA window of the source (premultiplied bilinear, so no-data does not bleed
 * dark edges). Returns null when the tile is entirely transparent.
 */
export function sampleTile(grid: Float64Array, src: Uint8ClampedArray, win: Window): Uint8ClampedArray | null {
  const ww = win.x1 - win.x0;
  const wh = win.y1 - win.y0;
  const out = new Uint8ClampedArray(TILE_SIZE * TILE_SIZE * 4);
  let any = false;
  const row = (GRID + 1) * 2;
  for (let py = 0; py < TILE_SIZE; py++) {
    const gy = (py + 0.5) / STEP;
    const j = Math.min(GRID - 1, Math.floor(gy));
    const fy = gy - j;
    for (let i = 0; i < GRID; i++) {
      // Left and right edges of this grid cell at this row; linear between them along the row.
      const k = j * row + i * 2;
      const lx = grid[k]! + (grid[k + row]! - grid[k]!) * fy;
      const ly = grid[k + 1]! + (grid[k + row + 1]! - grid[k + 1]!) * fy;
      const rx = grid[k + 2]! + (grid[k + row + 2]! - grid[k + 2]!) * fy;
      const ry = grid[k + 3]! + (grid[k + row + 3]! - grid[k + 3]!) * fy;
      const dx = (rx - lx) / STEP, dy = (ry - ly) / STEP;
      // Pixel centres sit at +0.5 in source coordinates.
      let sx = lx + 0.5 * dx - 0.5 - win.x0;
      let sy = ly + 0.5 * dy - 0.5 - win.y0;
      for (let px = i * STEP; px < (i + 1) * STEP; px++, sx += dx, sy += dy) {
        if (sx < -0.5 || sy < -0.5 || sx > ww - 0.5 || sy > wh - 0.5) continue;
        const x0 = Math.max(0, Math.min(ww - 1, Math.floor(sx)));
        const y0 = Math.max(0, Math.min(wh - 1, Math.floor(sy)));
        const x1 = Math.min(ww - 1, x0 + 1);
        const y1 = Math.min(wh - 1, y0 + 1);
        const ax = Math.max(0, Math.min(1, sx - x0));
        const ay = Math.max(0, Math.min(1, sy - y0));
        const p00 = (y0 * ww + x0) * 4, p10 = (y0 * ww + x1) * 4, p01 = (y1 * ww + x0) * 4, p11 = (y1 * ww + x1) * 4;
        const q00 = (1 - ax) * (1 - ay) * src[p00 + 3]!, q10 = ax * (1 - ay) * src[p10 + 3]!;
        const q01 = (1 - ax) * ay * src[p01 + 3]!, q11 = ax * ay * src[p11 + 3]!;
        const alpha = q00 + q10 + q01 + q11;
        if (alpha < 1) continue;
        const o = (py * TILE_SIZE + px) * 4;
        const inv = 1 / alpha;
        out[o] = (q00 * src[p00]! + q10 * src[p10]! + q01 * src[p01]! + q11 * src[p11]!) * inv;
        out[o + 1] = (q00 * src[p00 + 1]! + q10 * src[p10 + 1]! + q01 * src[p01 + 1]! + q11 * src[p11 + 1]!) * inv;
        out[o + 2] = (q00 * src[p00 + 2]! + q10 * src[p10 + 2]! + q01 * src[p01 + 2]! + q11 * src[p11 + 2]!) * inv;
        out[o + 3] = alpha;
        any = true;
      }
    }
  }
  return any ? out : null;
}
