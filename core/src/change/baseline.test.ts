import { describe, expect, it } from 'vitest';
import { closeMask, dilate, dropSmall, erode, openMask } from '../raster/mask.js';
import { CvaBaseline, otsu } from './baseline.js';
import { predictPair } from './image-pair.js';

function scene(width: number, height: number, square?: { x: number; y: number; s: number }, gain = 1): Uint8Array {
  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const base = 90 + ((x * 7 + y * 13) % 23);
      const inside = square && x >= square.x && x < square.x + square.s && y >= square.y && y < square.y + square.s;
      rgb[i] = Math.min(255, (inside ? 40 : base) * gain);
      rgb[i + 1] = Math.min(255, (inside ? 110 : base + 10) * gain);
      rgb[i + 2] = Math.min(255, (inside ? 210 : base - 5) * gain);
    }
  return rgb;
}

describe('CvaBaseline', () => {
  it('finds a new blue roof and nothing else, despite a global brightness change', async () => {
    const p = await predictPair(new CvaBaseline(), { width: 64, height: 64, before: scene(64, 64), after: scene(64, 64, { x: 20, y: 24, s: 12 }, 1.2) });
    let inside = 0;
    let outside = 0;
    for (let y = 0; y < 64; y++)
      for (let x = 0; x < 64; x++) {
        const hit = p![y * 64 + x]! >= 0.5;
        if (x >= 20 && x < 32 && y >= 24 && y < 36) inside += hit ? 1 : 0;
        else outside += hit ? 1 : 0;
      }
    expect(inside).toBeGreaterThan(0.8 * 144);
    expect(outside).toBeLessThan(40);
  });

  it('rejects a pair whose buffers do not match its size', async () => {
    await expect(predictPair(new CvaBaseline(), { width: 4, height: 4, before: new Uint8Array(48), after: new Uint8Array(47) })).rejects.toThrow(
      /expected 48 bytes/,
    );
  });
});

describe('otsu and morphology', () => {
  it('splits a bimodal set between its modes', () => {
    const v = Float32Array.from([...Array(100).fill(1), ...Array(50).fill(9)]);
    const t = otsu(v);
    expect(t).toBeGreaterThan(1);
    expect(t).toBeLessThan(9);
  });

  it('erodes away a single pixel, dilates it to a square, opens, closes and drops small blobs', () => {
    const mask = (data: Uint8Array) => ({ data, width: 5, height: 5 });
    const count = (m: { data: Uint8Array }) => m.data.reduce((s, v) => s + v, 0);
    const one = new Uint8Array(25);
    one[12] = 1;
    expect(count(erode(mask(one)))).toBe(0);
    expect(count(dilate(mask(one)))).toBe(9);
    expect(count(openMask(mask(one), 1))).toBe(0);
    const gap = new Uint8Array(25).fill(1);
    gap[12] = 0;
    expect(count(closeMask(mask(gap), 1))).toBe(25);
    const two = new Uint8Array(25);
    two[0] = 1;
    two.set([1, 1, 1], 17);
    expect(count(dropSmall(mask(two), 2))).toBe(3);
  });
});
