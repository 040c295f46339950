import type { Rng } from '../prng.js';

export type Rgb = readonly [number, number, number];
/** A point in pixels of the scene canvas. */
export type Pt = readonly [number, number];

/** Float RGB canvas (0–255 per channel, row-major, interleaved). */
export class Canvas {
  readonly data: Float32Array;
  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.data = new Float32Array(width * height * 3);
  }
}

/** Single-channel float layer of the same size as a canvas (shadow, mask). */
export class Layer {
  readonly data: Float32Array;
  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.data = new Float32Array(width * height);
  }
}

/**
 * Calls fn(x, y, u, v) for every pixel centre inside the convex polygon; u and v are the pixel's position
 * along the first and second edges (0–1), which roof shading and stripes use.
 */
export function scanConvex(
  poly: readonly Pt[],
  width: number,
  height: number,
  fn: (x: number, y: number, u: number, v: number) => void,
): void {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const [x, y] of poly) {
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x);
    maxY = Math.max(maxY, y);
  }
  const x0 = Math.max(0, Math.floor(minX));
  const y0 = Math.max(0, Math.floor(minY));
  const x1 = Math.min(width - 1, Math.ceil(maxX));
  const y1 = Math.min(height - 1, Math.ceil(maxY));
  const n = poly.length;
  let area = 0;
  for (let i = 0; i < n; i++) {
    const [ax, ay] = poly[i]!;
    const [bx, by] = poly[(i + 1) % n]!;
    area += ax * by - bx * ay;
  }
  const sign = area >= 0 ? 1 : -1;
  const [ox, oy] = poly[0]!;
  const [px, py] = poly[1]!;
  const [qx, qy] = poly[n - 1]!;
  const ex = [px - ox, py - oy];
  const fx = [qx - ox, qy - oy];
  const e2 = ex[0]! * ex[0]! + ex[1]! * ex[1]!;
  const f2 = fx[0]! * fx[0]! + fx[1]! * fx[1]!;
  for (let y = y0; y <= y1; y++) {
    const cy = y + 0.5;
    for (let x = x0; x <= x1; x++) {
      const cx = x + 0.5;
      let inside = true;
      for (let i = 0; i < n && inside; i++) {
        const [ax, ay] = poly[i]!;
        const [bx, by] = poly[(i + 1) % n]!;
        if (sign * ((bx - ax) * (cy - ay) - (by - ay) * (cx - ax)) < 0) inside = false;
      }
      if (!inside) continue;
      const dx = cx - ox;
      const dy = cy - oy;
      fn(x, y, (dx * ex[0]! + dy * ex[1]!) / e2, (dx * fx[0]! + dy * fx[1]!) / f2);
    }
  }
}

export function scanDisc(
  cx: number,
  cy: number,
  r: number,
  width: number,
  height: number,
  fn: (x: number, y: number, d: number) => void,
): void {
  const x0 = Math.max(0, Math.floor(cx - r));
  const y0 = Math.max(0, Math.floor(cy - r));
  const x1 = Math.min(width - 1, Math.ceil(cx + r));
  const y1 = Math.min(height - 1, Math.ceil(cy + r));
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const d = Math.hypot(x + 0.5 - cx, y + 0.5 - cy) / r;
      if (d <= 1) fn(x, y, d);
    }
  }
}

/** Smooth value noise in [-1, 1] with the given cell size in pixels. */
export function valueNoise(rng: Rng, width: number, height: number, cell: number): Float32Array {
  const gw = Math.ceil(width / cell) + 2;
  const gh = Math.ceil(height / cell) + 2;
  const grid = new Float32Array(gw * gh);
  for (let i = 0; i < grid.length; i++) grid[i] = rng.next() * 2 - 1;
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const gy = y / cell;
    const iy = Math.floor(gy);
    const ty = smooth(gy - iy);
    for (let x = 0; x < width; x++) {
      const gx = x / cell;
      const ix = Math.floor(gx);
      const tx = smooth(gx - ix);
      const a = grid[iy * gw + ix]!;
      const b = grid[iy * gw + ix + 1]!;
      const c = grid[(iy + 1) * gw + ix]!;
      const d = grid[(iy + 1) * gw + ix + 1]!;
      out[y * width + x] = (a + (b - a) * tx) * (1 - ty) + (c + (d - c) * tx) * ty;
    }
  }
  return out;
}

const smooth = (t: number): number => t * t * (3 - 2 * t);

/** Separable Gaussian blur of an interleaved RGB buffer, in place. */
export function gaussianBlur(data: Float32Array, width: number, height: number, sigma: number): void {
  if (sigma < 0.2) return;
  const radius = Math.ceil(sigma * 2.5);
  const kernel: number[] = [];
  let sum = 0;
  for (let i = -radius; i <= radius; i++) {
    const k = Math.exp(-(i * i) / (2 * sigma * sigma));
    kernel.push(k);
    sum += k;
  }
  for (let i = 0; i < kernel.length; i++) kernel[i]! /= sum;
  const tmp = new Float32Array(data.length);
  const pass = (src: Float32Array, dst: Float32Array, horizontal: boolean): void => {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        let r = 0;
        let g = 0;
        let b = 0;
        for (let k = -radius; k <= radius; k++) {
          const sx = horizontal ? clampInt(x + k, width) : x;
          const sy = horizontal ? y : clampInt(y + k, height);
          const j = (sy * width + sx) * 3;
          const w = kernel[k + radius]!;
          r += src[j]! * w;
          g += src[j + 1]! * w;
          b += src[j + 2]! * w;
        }
        const o = (y * width + x) * 3;
        dst[o] = r;
        dst[o + 1] = g;
        dst[o + 2] = b;
      }
    }
  };
  pass(data, tmp, true);
  pass(tmp, data, false);
}

const clampInt = (v: number, n: number): number => (v < 0 ? 0 : v >= n ? n - 1 : v);

/** Bilinear sample of an RGB canvas at a sub-pixel position (edges clamp). */
export function sampleRgb(c: { data: Float32Array; width: number; height: number }, x: number, y: number, out: number[]): void {
  const fx = Math.max(0, Math.min(c.width - 1.001, x - 0.5));
  const fy = Math.max(0, Math.min(c.height - 1.001, y - 0.5));
  const ix = Math.floor(fx);
  const iy = Math.floor(fy);
  const tx = fx - ix;
  const ty = fy - iy;
  const i00 = (iy * c.width + ix) * 3;
  const i01 = i00 + 3;
  const i10 = i00 + c.width * 3;
  const i11 = i10 + 3;
  for (let ch = 0; ch < 3; ch++) {
    const a = c.data[i00 + ch]!;
    const b = c.data[i01 + ch]!;
    const d = c.data[i10 + ch]!;
    const e = c.data[i11 + ch]!;
    out[ch] = (a + (b - a) * tx) * (1 - ty) + (d + (e - d) * tx) * ty;
  }
}
