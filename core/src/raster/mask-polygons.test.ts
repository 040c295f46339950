import { describe, expect, it } from 'vitest';
import { cleanMask, thresholdMask, type Mask } from './mask-morphology.js';
import { labelComponents, maskComponents, signedArea, simplifyRing, traceRings } from './mask-polygons.js';

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
