// Raw band values to RGBA bytes: YCbCr to RGB, contrast stretch for grey and >8-bit data, and the
// validity mask from nodata and alpha (a pixel is no-data when all its colour bands equal the nodata value).
import type { TypedArray } from 'geotiff';
import type { RasterInfo } from './raster.js';

/** Linear map of each output channel's source band from [lo, hi] to [0, 255]; null for 8-bit RGB as is. */
export interface Stretch {
  lo: [number, number, number];
  hi: [number, number, number];
}

export function needsStretch(r: RasterInfo): boolean {
  return r.rgbBands[0] === r.rgbBands[1] || r.bitsPerSample !== 8;
}

/** True where the pixel holds data. */
export function validMask(r: RasterInfo, bands: TypedArray[], n: number): Uint8Array {
  const mask = new Uint8Array(n).fill(1);
  const nd = r.nodata;
  if (nd !== null) {
    const used = [...new Set(r.rgbBands)].map((b) => bands[b]!);
    for (let i = 0; i < n; i++) if (used.every((a) => a[i] === nd)) mask[i] = 0;
  }
  if (r.alphaBand !== null) {
    const a = bands[r.alphaBand]!;
    for (let i = 0; i < n; i++) if (a[i] === 0) mask[i] = 0;
  }
  return mask;
}

export function toRgba(r: RasterInfo, bands: TypedArray[], n: number, stretch: Stretch | null): Uint8ClampedArray {
  const out = new Uint8ClampedArray(n * 4);
  const [b0, b1, b2] = r.rgbBands.map((b) => bands[b]!) as [TypedArray, TypedArray, TypedArray];
  if (r.ycbcr) {
    for (let i = 0, o = 0; i < n; i++, o += 4) {
      const y = b0[i]!, cb = b1[i]! - 128, cr = b2[i]! - 128;
      out[o] = y + 1.402 * cr;
      out[o + 1] = y - 0.344136 * cb - 0.714136 * cr;
      out[o + 2] = y + 1.772 * cb;
    }
  } else if (!stretch) {
    for (let i = 0, o = 0; i < n; i++, o += 4) {
      out[o] = b0[i]!;
      out[o + 1] = b1[i]!;
      out[o + 2] = b2[i]!;
    }
  } else {
    const k = stretch.hi.map((h, c) => 255 / Math.max(h - stretch.lo[c]!, 1e-9));
    const [l0, l1, l2] = stretch.lo;
    const [k0, k1, k2] = k as [number, number, number];
    for (let i = 0, o = 0; i < n; i++, o += 4) {
      out[o] = (b0[i]! - l0) * k0;
      out[o + 1] = (b1[i]! - l1) * k1;
      out[o + 2] = (b2[i]! - l2) * k2;
    }
  }
  const mask = validMask(r, bands, n);
  const alpha = r.alphaBand === null ? null : bands[r.alphaBand]!;
  const alphaScale = r.alphaBand === null ? 1 : 255 / (2 ** r.bandInfo[r.alphaBand]!.bits - 1);
  for (let i = 0, o = 3; i < n; i++, o += 4) out[o] = mask[i] ? (alpha ? alpha[i]! * alphaScale : 255) : 0;
  return out;
}

/** 2nd and 98th percentiles of each output channel's valid values: the contrast stretch. */
export function percentileStretch(samples: [number[], number[], number[]]): Stretch {
  const lo: number[] = [];
  const hi: number[] = [];
  for (const values of samples) {
    const sorted = Float64Array.from(values).sort();
    if (sorted.length === 0) {
      lo.push(0);
      hi.push(255);
      continue;
    }
    lo.push(sorted[Math.floor(0.02 * (sorted.length - 1))]!);
    hi.push(sorted[Math.ceil(0.98 * (sorted.length - 1))]!);
  }
  return { lo: lo as Stretch['lo'], hi: hi as Stretch['hi'] };
}
