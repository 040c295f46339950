import { describe, expect, it } from 'vitest';
import { cleanMask, dilate, erode, type Mask } from './mask-morphology.js';

// Closing then opening over the whole mask, padded by repeating its edge pixels: what cleanMask must equal.
function cleanWhole(mask: Mask): Mask {
  const pad = 4;
  const width = mask.width + 2 * pad;
  const height = mask.height + 2 * pad;
  const clamp = (v: number, n: number) => Math.min(Math.max(v, 0), n - 1);
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data[y * width + x] = mask.data[clamp(y - pad, mask.height) * mask.width + clamp(x - pad, mask.width)]!;
  }
  const done = dilate(erode(erode(dilate({ data, width, height }))));
  const out = new Uint8Array(mask.width * mask.height);
  for (let y = 0; y < mask.height; y++) out.set(done.data.subarray((y + pad) * width + pad, (y + pad) * width + pad + mask.width), y * mask.width);
  return { data: out, width: mask.width, height: mask.height };
}

function randomMask(seed: number, width: number, height: number): Mask {
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const data = new Uint8Array(width * height);
  // A few filled rectangles (some at the edges) and loose specks.
  for (let r = 0; r < 1 + (seed % 4); r++) {
    const [x, y] = [Math.floor(rand() * width), Math.floor(rand() * height)];
    const [w, h] = [1 + Math.floor(rand() * 12), 1 + Math.floor(rand() * 12)];
    for (let yy = y; yy < Math.min(height, y + h); yy++) for (let xx = x; xx < Math.min(width, x + w); xx++) data[yy * width + xx] = 1;
  }
  for (let i = 0; i < 6; i++) data[Math.floor(rand() * data.length)] = 1;
  return { data, width, height };
}

// The 3×3 minimum / maximum pixel by pixel, the edge pixel repeated beyond the border.
function morphNaive(m: Mask, erodeMode: boolean): Uint8Array {
  const out = new Uint8Array(m.data.length);
  const clamp = (v: number, n: number) => Math.min(Math.max(v, 0), n - 1);
  for (let y = 0; y < m.height; y++) {
    for (let x = 0; x < m.width; x++) {
      let v = erodeMode ? 1 : 0;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const p = m.data[clamp(y + dy, m.height) * m.width + clamp(x + dx, m.width)]!;
          v = erodeMode ? v & p : v | p;
        }
      }
      out[y * m.width + x] = v;
    }
  }
  return out;
}

describe('erode and dilate', () => {
  it('equal the 3×3 minimum and maximum with edge pixels repeated, thin masks included', () => {
    for (let seed = 1; seed <= 120; seed++) {
      const m = randomMask(seed, 1 + (seed % 17), 1 + (seed % 13));
      expect(erode(m).data, `erode, seed ${seed}`).toEqual(morphNaive(m, true));
      expect(dilate(m).data, `dilate, seed ${seed}`).toEqual(morphNaive(m, false));
    }
  });
});

describe('cleanMask', () => {
  it('works only around the set pixels yet equals cleaning the whole mask', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const m = randomMask(seed, 20 + (seed % 30), 15 + (seed % 23));
      expect(cleanMask(m).data, `seed ${seed}`).toEqual(cleanWhole(m).data);
    }
  });

  it('returns an empty mask for an empty one', () => {
    const m = { data: new Uint8Array(64), width: 8, height: 8 };
    expect(cleanMask(m).data.every((v) => v === 0)).toBe(true);
  });
});
