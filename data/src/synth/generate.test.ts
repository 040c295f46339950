import { describe, expect, it } from 'vitest';
import { GREENFIELD, generatePair } from './generate.js';

describe('generatePair', () => {
  it('gives the same bytes for the same seed and different ones for another', () => {
    const a = generatePair({ seed: 42, size: 96 });
    const b = generatePair({ seed: 42, size: 96 });
    const c = generatePair({ seed: 43, size: 96 });
    expect(Buffer.from(a.before).equals(Buffer.from(b.before))).toBe(true);
    expect(Buffer.from(a.after).equals(Buffer.from(b.after))).toBe(true);
    expect(Buffer.from(a.mask).equals(Buffer.from(b.mask))).toBe(true);
    expect(a.planted).toEqual(b.planted);
    expect(Buffer.from(a.before).equals(Buffer.from(c.before))).toBe(false);
  });

  it('returns RGB images and a 0/255 mask of the asked size', () => {
    const p = generatePair({ seed: 1, size: 64, metresPerPixel: 0.3 });
    expect(p.before.length).toBe(64 * 64 * 3);
    expect(p.after.length).toBe(64 * 64 * 3);
    expect(p.mask.length).toBe(64 * 64);
    expect(new Set(p.mask).size).toBeLessThanOrEqual(2);
    for (const v of p.mask) expect(v === 0 || v === 255).toBe(true);
  });

  it('marks the mask only inside the planted boxes, and every box has marked pixels', () => {
    let planted = 0;
    for (let seed = 0; seed < 12; seed++) {
      const p = generatePair({ seed, size: 128, changes: 3 });
      planted += p.planted.length;
      const inBox = (x: number, y: number): boolean =>
        p.planted.some(({ bbox: [x0, y0, x1, y1] }) => x >= x0 && x <= x1 && y >= y0 && y <= y1);
      for (let i = 0; i < p.mask.length; i++) {
        if (p.mask[i]) expect(inBox(i % 128, Math.floor(i / 128))).toBe(true);
      }
      for (const { bbox } of p.planted) {
        let marked = 0;
        for (let y = bbox[1]; y <= bbox[3]; y++) for (let x = bbox[0]; x <= bbox[2]; x++) marked += p.mask[y * 128 + x] ? 1 : 0;
        expect(marked).toBeGreaterThan(0);
      }
    }
    expect(planted).toBeGreaterThan(12);
  });

  it('has an empty mask for nuisance-only pairs, yet the two dates differ', () => {
    for (let seed = 0; seed < 5; seed++) {
      const p = generatePair({ seed, size: 96, changes: 0 });
      expect(p.planted).toEqual([]);
      expect(p.mask.every((v) => v === 0)).toBe(true);
      let diff = 0;
      for (let i = 0; i < p.before.length; i++) diff += Math.abs(p.before[i]! - p.after[i]!);
      expect(diff / p.before.length).toBeGreaterThan(3);
    }
  });

  it('gives identical dates when there is no change and no nuisance', () => {
    const p = generatePair({ seed: 9, size: 64, changes: 0, nuisance: false });
    // Sensor noise is drawn independently per date, so allow for it but nothing structural.
    let diff = 0;
    for (let i = 0; i < p.before.length; i++) diff += Math.abs(p.before[i]! - p.after[i]!);
    expect(diff / p.before.length).toBeLessThan(12);
  });

  it('plants a greenfield development: a large area of new buildings, all labelled, on what was open land', () => {
    for (let seed = 0; seed < 4; seed++) {
      const p = generatePair({ seed, size: 256, greenfield: true, changes: 0 });
      const estate = p.planted.filter((b) => b.kind === GREENFIELD);
      expect(estate).toHaveLength(1);
      const [x0, y0, x1, y1] = estate[0]!.bbox;
      // A quarter of the tile or more is redeveloped, so its buildings spread over a large box.
      expect((x1 - x0 + 1) * (y1 - y0 + 1)).toBeGreaterThan(0.1 * 256 * 256);
      const marked = p.mask.reduce((s, v) => s + (v ? 1 : 0), 0);
      expect(marked).toBeGreaterThan(0.05 * 256 * 256);
      for (let i = 0; i < p.mask.length; i++) if (p.mask[i]) expect(x0 <= i % 256 && i % 256 <= x1 && y0 <= Math.floor(i / 256) && Math.floor(i / 256) <= y1).toBe(true);
    }
    const again = generatePair({ seed: 3, size: 128, greenfield: true, changes: 0 });
    expect(Buffer.from(again.after).equals(Buffer.from(generatePair({ seed: 3, size: 128, greenfield: true, changes: 0 }).after))).toBe(true);
  });

  it('leaves a change of land cover unlabelled', () => {
    for (let seed = 0; seed < 3; seed++) {
      const p = generatePair({ seed, size: 96, changes: 0, landCover: true });
      expect(p.planted).toEqual([]);
      expect(p.mask.every((v) => v === 0)).toBe(true);
    }
  });

  it('plants greenfield developments in some default pairs and not when the caller fixes the changes', () => {
    const kinds = Array.from({ length: 30 }, (_, seed) => generatePair({ seed, size: 64 }).planted.map((b) => b.kind)).flat();
    expect(kinds).toContain(GREENFIELD);
    for (let seed = 0; seed < 6; seed++) expect(generatePair({ seed, size: 64, changes: 2 }).planted.every((b) => b.kind !== GREENFIELD)).toBe(true);
  });

  it('turns the misregistration up on request and reports the shift it drew, the default pairs unchanged', () => {
    const byDefault = generatePair({ seed: 7, size: 96 });
    const three = generatePair({ seed: 7, size: 96, misregistrationPx: 3 });
    expect(Buffer.from(byDefault.before).equals(Buffer.from(three.before))).toBe(true);
    expect(byDefault.misregistration.every((v) => Math.abs(v) <= 3)).toBe(true);
    const shifts = [1, 2, 3, 4, 5].map((seed) => generatePair({ seed, size: 64, misregistrationPx: 12 }).misregistration);
    expect(shifts.flat().every((v) => Math.abs(v) <= 12)).toBe(true);
    expect(Math.max(...shifts.flat().map(Math.abs))).toBeGreaterThan(3);
    expect(generatePair({ seed: 7, size: 64, nuisance: false, misregistrationPx: 12 }).misregistration).toEqual([0, 0]);
    expect(() => generatePair({ seed: 7, misregistrationPx: -1 })).toThrow(/misregistrationPx must be 0–64/);
  });

  it('rejects bad options with a clear message', () => {
    expect(() => generatePair({ seed: 1, size: 0 })).toThrow(/size/);
    expect(() => generatePair({ seed: 1, metresPerPixel: -1 })).toThrow(/metresPerPixel/);
    expect(() => generatePair({ seed: 1, changes: 1.5 })).toThrow(/changes/);
  });
});
