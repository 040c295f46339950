import { describe, expect, it } from 'vitest';
import { cleanMask, dilate, erode, labelComponents, maskComponents, signedArea, simplifyRing, thresholdMask, traceRings, type Mask } from './mask.js';

function maskFrom(rows: string[]): Mask {
  const height = rows.length;
  const width = rows[0]!.length;
  const data = new Uint8Array(width * height);
  rows.forEach((row, y) => [...row].forEach((c, x) => (data[y * width + x] = c === '#' ? 1 : 0)));
  return { data, width, height };
}

const ones = (m: Mask) => new Float32Array(m.data.length).fill(0.9);
const netArea = (rings: [number, number][][]) => rings.reduce((a, r) => a + signedArea(r), 0);

describe('mask to polygons', () => {
  it('traces a single pixel as a unit square', () => {
    const m = maskFrom(['...', '.#.', '...']);
    const [c] = maskComponents(m, ones(m), 1);
    expect(c!.rings).toHaveLength(1);
    expect(Math.abs(signedArea(c!.rings[0]!))).toBe(1);
    expect(c!.rings[0]).toHaveLength(5);
  });

  it('keeps a courtyard as a hole: outline minus hole equals the pixel count', () => {
    const m = maskFrom(['#####', '#...#', '#...#', '#####']);
    const [c] = maskComponents(m, ones(m), 1);
    expect(c!.rings).toHaveLength(2);
    expect(Math.abs(signedArea(c!.rings[0]!))).toBe(20);
    expect(Math.abs(netArea(c!.rings))).toBe(c!.pixels);
    expect(c!.pixels).toBe(14);
  });

  it('gives closed rings whose net area equals the pixels for awkward shapes with diagonal pinches', () => {
    const m = maskFrom(['##..##', '##..##', '..##..', '..##..', '##..##', '######']);
    const { labels, count } = labelComponents(m);
    for (let l = 1; l <= count; l++) {
      const rings = traceRings(labels, m.width, m.height, l);
      const pixels = labels.filter((v) => v === l).length;
      for (const r of rings) expect(r[0]).toEqual(r[r.length - 1]);
      expect(Math.abs(netArea(rings))).toBe(pixels);
    }
  });

  it('drops components under the minimum size and reports scores', () => {
    const m = maskFrom(['##....', '##....', '....#.']);
    const scores = new Float32Array(m.data.length).fill(0.5);
    scores[0] = 1;
    const comps = maskComponents(m, scores, 2);
    expect(comps).toHaveLength(1);
    expect(comps[0]!.maxScore).toBe(1);
    expect(comps[0]!.meanScore).toBeCloseTo(0.625);
  });

  it('separates touching-by-corner blobs (4-connectivity)', () => {
    expect(labelComponents(maskFrom(['#.', '.#'])).count).toBe(2);
  });
});

describe('mask cleaning', () => {
  it('removes a lone speck and fills a pinhole, but keeps a block at the window edge whole', () => {
    const m = maskFrom(['......####', '.#....####', '......##.#', '......####', '..........']);
    const cleaned = cleanMask(m);
    const at = (x: number, y: number) => cleaned.data[y * m.width + x];
    expect(at(1, 1)).toBe(0);
    expect(at(8, 2)).toBe(1);
    expect(at(9, 0)).toBe(1);
  });

  it('thresholds probabilities and rejects a size mismatch', () => {
    expect([...thresholdMask(new Float32Array([0.2, 0.5, 0.9]), 3, 1, 0.5).data]).toEqual([0, 1, 1]);
    expect(() => thresholdMask(new Float32Array(2), 3, 1, 0.5)).toThrow(/expected 3×1/);
  });
});

describe('ring simplification', () => {
  it('turns a pixel staircase into a straight slanted edge and keeps the area close', () => {
    const rows = Array.from({ length: 12 }, (_, y) => '#'.repeat(y + 1).padEnd(12, '.'));
    const m = maskFrom(rows);
    const [c] = maskComponents(m, ones(m), 1);
    const simplified = simplifyRing(c!.rings[0]!, 0.75);
    expect(c!.rings[0]!.length).toBeGreaterThan(20);
    expect(simplified.length).toBeLessThanOrEqual(6);
    expect(simplified[0]).toEqual(simplified[simplified.length - 1]);
    expect(Math.abs(signedArea(simplified))).toBeGreaterThan(0.85 * c!.pixels);
  });

  it('leaves a square alone', () => {
    const square: [number, number][] = [[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]];
    expect(simplifyRing(square, 0.75)).toEqual(square);
  });
});

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
