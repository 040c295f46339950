import type { Rng } from '../prng.js';
import { gaussianBlur } from './raster.js';

/** How one acquisition differs from an ideal render: optics, noise, compression, colour balance. */
export interface SensorLook {
  blurSigma: number;
  noiseStd: number;
  /** 0 = no compression, else a JPEG quality 1–100 */
  jpegQuality: number;
  /** per-channel gain and offset, then a gamma on all channels */
  gain: [number, number, number];
  offset: [number, number, number];
  gamma: number;
  /** haze: blend towards a bright grey */
  haze: number;
}

export function randomSensor(rng: Rng): SensorLook {
  const g = rng.float(0.8, 1.2);
  return {
    blurSigma: rng.chance(0.6) ? rng.float(0.3, 1.3) : 0,
    noiseStd: rng.float(0, 7),
    jpegQuality: rng.chance(0.6) ? rng.int(35, 92) : 0,
    gain: [g * rng.float(0.9, 1.1), g * rng.float(0.92, 1.08), g * rng.float(0.88, 1.12)],
    offset: [rng.float(-12, 12), rng.float(-12, 12), rng.float(-12, 12)],
    gamma: rng.float(0.8, 1.25),
    haze: rng.chance(0.3) ? rng.float(0.05, 0.25) : 0,
  };
}

/** Applies the sensor look to an interleaved RGB float buffer (0–255) and returns 8-bit RGB. */
export function applySensor(data: Float32Array, width: number, height: number, look: SensorLook, rng: Rng): Uint8Array {
  gaussianBlur(data, width, height, look.blurSigma);
  // A lookup table for the tone curve: Math.pow per sample dominated the generator's time.
  const curve = new Float32Array(1025);
  for (let i = 0; i <= 1024; i++) curve[i] = Math.pow((i / 1024) * (1 - look.haze) + 0.78 * look.haze, look.gamma) * 255;
  for (let i = 0; i < data.length; i += 3) {
    for (let c = 0; c < 3; c++) {
      const v = curve[Math.max(0, Math.min(1024, Math.round(data[i + c]! * (1024 / 255))))]!;
      // Sum of four uniforms: close enough to Gaussian sensor noise and much cheaper than Box–Muller.
      const n = (rng.next() + rng.next() + rng.next() + rng.next() - 2) * 1.732;
      data[i + c] = v * look.gain[c]! + look.offset[c]! + n * look.noiseStd;
    }
  }
  if (look.jpegQuality > 0) jpegRoundTrip(data, width, height, look.jpegQuality);
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = Math.max(0, Math.min(255, Math.round(data[i]!)));
  return out;
}

// The standard JPEG luminance and chrominance tables (ITU T.81, Annex K).
const LUMA_Q = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51,
  87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101,
  72, 92, 95, 98, 112, 100, 103, 99,
];
const CHROMA_Q = [
  17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99, 99, 47, 66, 99, 99, 99,
  99, 99, 99, ...Array<number>(32).fill(99),
];
const COS = Array.from({ length: 64 }, (_, i) => {
  const x = Math.floor(i / 8);
  const u = i % 8;
  return Math.cos(((2 * x + 1) * u * Math.PI) / 16) * (u === 0 ? Math.SQRT1_2 : 1) * 0.5;
});

/**
 * Blocking and ringing as a JPEG encoder leaves them: YCbCr, 8×8 DCT, quantisation, inverse. No entropy coding
 * is needed because only the loss matters here.
 */
function jpegRoundTrip(data: Float32Array, width: number, height: number, quality: number): void {
  const scale = quality < 50 ? 5000 / quality : 200 - quality * 2;
  const table = (q: number[]): number[] => q.map((v) => Math.max(1, Math.floor((v * scale + 50) / 100)));
  const tables = [table(LUMA_Q), table(CHROMA_Q), table(CHROMA_Q)];
  const ycc = new Float32Array(data.length);
  for (let i = 0; i < data.length; i += 3) {
    const r = data[i]!;
    const g = data[i + 1]!;
    const b = data[i + 2]!;
    ycc[i] = 0.299 * r + 0.587 * g + 0.114 * b - 128;
    ycc[i + 1] = -0.168736 * r - 0.331264 * g + 0.5 * b;
    ycc[i + 2] = 0.5 * r - 0.418688 * g - 0.081312 * b;
  }
  const block = new Float64Array(64);
  const coef = new Float64Array(64);
  const tmp = new Float64Array(64);
  for (let by = 0; by < height; by += 8) {
    for (let bx = 0; bx < width; bx += 8) {
      for (let c = 0; c < 3; c++) {
        const q = tables[c]!;
        for (let y = 0; y < 8; y++)
          for (let x = 0; x < 8; x++) {
            const sx = Math.min(width - 1, bx + x);
            const sy = Math.min(height - 1, by + y);
            block[y * 8 + x] = ycc[(sy * width + sx) * 3 + c]!;
          }
        dct8x8(block, coef, tmp, false);
        for (let k = 0; k < 64; k++) coef[k] = Math.round(coef[k]! / q[k]!) * q[k]!;
        dct8x8(coef, block, tmp, true);
        for (let y = 0; y < 8; y++)
          for (let x = 0; x < 8; x++) {
            const sx = bx + x;
            const sy = by + y;
            if (sx < width && sy < height) ycc[(sy * width + sx) * 3 + c] = block[y * 8 + x]!;
          }
      }
    }
  }
  for (let i = 0; i < data.length; i += 3) {
    const yy = ycc[i]! + 128;
    const cb = ycc[i + 1]!;
    const cr = ycc[i + 2]!;
    data[i] = yy + 1.402 * cr;
    data[i + 1] = yy - 0.344136 * cb - 0.714136 * cr;
    data[i + 2] = yy + 1.772 * cb;
  }
}

/** Separable 8×8 DCT-II (or its inverse) with the orthonormal JPEG scaling. */
function dct8x8(src: Float64Array, dst: Float64Array, tmp: Float64Array, inverse: boolean): void {
  // COS[x * 8 + u]: forward sums over x, inverse over u.
  for (let r = 0; r < 8; r++)
    for (let o = 0; o < 8; o++) {
      let s = 0;
      for (let i = 0; i < 8; i++) s += src[r * 8 + i]! * (inverse ? COS[o * 8 + i]! : COS[i * 8 + o]!);
      tmp[r * 8 + o] = s;
    }
  for (let col = 0; col < 8; col++)
    for (let o = 0; o < 8; o++) {
      let s = 0;
      for (let i = 0; i < 8; i++) s += tmp[i * 8 + col]! * (inverse ? COS[o * 8 + i]! : COS[i * 8 + o]!);
      dst[o * 8 + col] = s;
    }
}
