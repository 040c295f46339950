import { closeMask, dropSmall, openMask } from '../raster/mask.js';
import type { ChangeModel } from './change-model.js';

export interface BaselineOptions {
  /** ground sample distance, to size the smoothing and the smallest blob in metres */
  metresPerPixel?: number;
  /** smallest change kept, m² */
  minAreaM2?: number;
}

/**
 * Classical change-vector analysis: each date standardised per channel (a crude radiometric normalisation),
 * the magnitude of the per-pixel difference vector after a small box blur (which also absorbs a pixel or two of
 * misregistration), an Otsu threshold, then opening, closing and removal of small blobs. Its "probability"
 * is that 0/1 mask. Works at any zoom from 0.25 to 2 m/px.
 */
export class CvaBaseline implements ChangeModel {
  readonly name = 'cva-otsu';
  readonly version = '1';
  readonly threshold = 0.5;
  readonly gsdRange: [number, number] = [0.25, 2];
  readonly sizeMultipleOf = 1;
  readonly metresPerPixel: number;
  private readonly minAreaM2: number;

  constructor(options: BaselineOptions = {}) {
    this.metresPerPixel = options.metresPerPixel ?? 0.5;
    this.minAreaM2 = options.minAreaM2 ?? 8;
  }

  async predict(input: Float32Array, n: number, size: number): Promise<Float32Array> {
    const plane = size * size;
    const out = new Float32Array(n * plane);
    for (let i = 0; i < n; i++) {
      const image = (offset: number) => {
        const rgb = new Uint8Array(plane * 3);
        for (let k = 0; k < plane; k++) for (let c = 0; c < 3; c++) rgb[k * 3 + c] = Math.round(input[offset + c * plane + k]! * 255);
        return rgb;
      };
      const base = i * 6 * plane;
      out.set(this.changeMask(image(base), image(base + 3 * plane), size, size), i * plane);
    }
    return out;
  }

  private changeMask(before: Uint8Array, after: Uint8Array, width: number, height: number): Float32Array {
    const a = standardise(before, width * height);
    const b = standardise(after, width * height);
    const magnitude = new Float32Array(width * height);
    for (let i = 0; i < magnitude.length; i++) {
      const dr = a[i * 3]! - b[i * 3]!;
      const dg = a[i * 3 + 1]! - b[i * 3 + 1]!;
      const db = a[i * 3 + 2]! - b[i * 3 + 2]!;
      magnitude[i] = Math.sqrt(dr * dr + dg * dg + db * db);
    }
    const radius = Math.max(1, Math.round(1 / this.metresPerPixel));
    const smooth = boxBlur(magnitude, width, height, radius);
    const t = otsu(smooth);
    const data = new Uint8Array(smooth.length);
    for (let i = 0; i < smooth.length; i++) data[i] = smooth[i]! > t ? 1 : 0;
    const cleaned = closeMask(openMask({ data, width, height }, radius), radius);
    const mask = dropSmall(cleaned, Math.ceil(this.minAreaM2 / (this.metresPerPixel * this.metresPerPixel)));
    return Float32Array.from(mask.data);
  }
}

function standardise(rgb: Uint8Array, n: number): Float32Array {
  const out = new Float32Array(n * 3);
  for (let c = 0; c < 3; c++) {
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < n; i++) {
      const v = rgb[i * 3 + c]!;
      sum += v;
      sq += v * v;
    }
    const mean = sum / n;
    const std = Math.sqrt(Math.max(1e-6, sq / n - mean * mean));
    for (let i = 0; i < n; i++) out[i * 3 + c] = (rgb[i * 3 + c]! - mean) / std;
  }
  return out;
}

function boxBlur(src: Float32Array, width: number, height: number, r: number): Float32Array {
  const tmp = new Float32Array(src.length);
  const out = new Float32Array(src.length);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      let s = 0;
      let n = 0;
      for (let k = Math.max(0, x - r); k <= Math.min(width - 1, x + r); k++, n++) s += src[y * width + k]!;
      tmp[y * width + x] = s / n;
    }
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      let s = 0;
      let n = 0;
      for (let k = Math.max(0, y - r); k <= Math.min(height - 1, y + r); k++, n++) s += tmp[k * width + x]!;
      out[y * width + x] = s / n;
    }
  return out;
}

/** Otsu's threshold over a 256-bin histogram of the values. */
export function otsu(values: Float32Array): number {
  let max = 0;
  for (const v of values) if (v > max) max = v;
  if (max === 0) return 0;
  const bins = new Float64Array(256);
  for (const v of values) bins[Math.min(255, Math.floor((v / max) * 256))]! += 1;
  const total = values.length;
  let sumAll = 0;
  for (let i = 0; i < 256; i++) sumAll += i * bins[i]!;
  let wB = 0;
  let sumB = 0;
  let best = 0;
  let bestVar = -1;
  for (let i = 0; i < 256; i++) {
    wB += bins[i]!;
    if (!wB) continue;
    const wF = total - wB;
    if (!wF) break;
    sumB += i * bins[i]!;
    const mB = sumB / wB;
    const mF = (sumAll - sumB) / wF;
    const between = wB * wF * (mB - mF) * (mB - mF);
    if (between > bestVar) {
      bestVar = between;
      best = i;
    }
  }
  return ((best + 1) / 256) * max;
}
