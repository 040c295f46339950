import { describe, expect, it } from 'vitest';
import { borrowAgreedShift, Coregistration, summariseShifts, windowsToEstimate, type WindowShift } from './coregister.js';
import { CvaBaseline } from './baseline.js';
import { fft1d, fft2d } from './fft.js';
import { predictPair } from './image-pair.js';

/** A deterministic pseudo-random sequence (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Rect { x0: number; y0: number; x1: number; y1: number; rgb: [number, number, number] }

/** A roof-and-street scene of rectangles, seen through a square pixel grid offset by (ox, oy): each pixel is the exact area average. */
function scene(seed: number, size: number, ox: number, oy: number, brightness = 1): Float32Array {
  const r = rng(seed);
  const rects: Rect[] = [];
  for (let i = 0; i < 160; i++) {
    const w = 4 + r() * 30, h = 4 + r() * 30;
    const x0 = -20 + r() * (size + 40), y0 = -20 + r() * (size + 40);
    rects.push({ x0, y0, x1: x0 + w, y1: y0 + h, rgb: [r(), r(), r()] });
  }
  const plane = size * size;
  const out = new Float32Array(3 * plane).fill(0.35 * brightness);
  const overlap = (a0: number, a1: number, b0: number, b1: number) => Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));
  for (const rect of rects) {
    const x0 = Math.max(0, Math.floor(rect.x0 - ox)), x1 = Math.min(size - 1, Math.ceil(rect.x1 - ox));
    const y0 = Math.max(0, Math.floor(rect.y0 - oy)), y1 = Math.min(size - 1, Math.ceil(rect.y1 - oy));
    for (let y = y0; y <= y1; y++) {
      const cy = overlap(y + oy, y + oy + 1, rect.y0, rect.y1);
      for (let x = x0; x <= x1; x++) {
        const cover = cy * overlap(x + ox, x + ox + 1, rect.x0, rect.x1);
        if (cover <= 0) continue;
        for (let c = 0; c < 3; c++) {
          const k = c * plane + y * size + x;
          out[k] = out[k]! * (1 - cover) + rect.rgb[c]! * brightness * cover;
        }
      }
    }
  }
  return out;
}

describe('fft', () => {
  it('matches the direct DFT and inverts', () => {
    const n = 16;
    const r = rng(3);
    const re = Float64Array.from({ length: n }, r), im = Float64Array.from({ length: n }, r);
    const [re0, im0] = [re.slice(), im.slice()];
    fft1d(re, im, n);
    for (let k = 0; k < n; k++) {
      let sr = 0, si = 0;
      for (let t = 0; t < n; t++) {
        const a = (-2 * Math.PI * k * t) / n;
        sr += re0[t]! * Math.cos(a) - im0[t]! * Math.sin(a);
        si += re0[t]! * Math.sin(a) + im0[t]! * Math.cos(a);
      }
      expect(re[k]).toBeCloseTo(sr, 9);
      expect(im[k]).toBeCloseTo(si, 9);
    }
    const re2 = Float64Array.from({ length: n * n }, r), im2 = new Float64Array(n * n);
    const copy = re2.slice();
    fft2d(re2, im2, n);
    fft2d(re2, im2, n, true);
    for (let k = 0; k < n * n; k++) expect(re2[k]! / (n * n)).toBeCloseTo(copy[k]!, 9);
  });

  it('refuses a size that is not a power of 2', () => {
    expect(() => fft1d(new Float64Array(12), new Float64Array(12), 12)).toThrow(/power of 2/);
  });
});

describe('co-registration', () => {
  const size = 256;
  const shifts: [number, number][] = [
    [0, 0], [3, -2], [-12, 12], [12, -7], [0.5, -0.5], [2.3, 1.7], [-7.6, 4.25], [11.8, -11.4], [-0.3, 0.2],
  ];

  it.each(shifts)('recovers a shift of (%f, %f) px within 0.2 px', (dx, dy) => {
    const co = new Coregistration();
    const after = scene(7, size, 0, 0);
    // Before shows the same ground, its grid displaced: its pixel (x + dx, y + dy) sees after's (x, y).
    const before = scene(7, size, -dx, -dy, 0.8);
    const s = co.estimate(before, after, size)!;
    expect(Math.abs(s.dx - dx)).toBeLessThan(0.2);
    expect(Math.abs(s.dy - dy)).toBeLessThan(0.2);
    expect(s.clamped).toBe(false);
    expect(s.confidence).toBeGreaterThan(co.options.minConfidence);
    expect(s.applied).toBe(s.trusted && Math.hypot(dx, dy) >= co.options.minShiftPx);
    if (Math.hypot(dx, dy) >= 2) expect(s.trusted).toBe(true);
  });

  it('recovers shifts on a 320 px window with a 256 px estimation square', () => {
    const co = new Coregistration({ estimateSize: 256 });
    const s = co.estimate(scene(9, 320, 5.4, -9.9, 1.1), scene(9, 320, 0, 0), 320)!;
    expect(s.dx).toBeCloseTo(-5.4, 0);
    expect(Math.abs(s.dx + 5.4)).toBeLessThan(0.2);
    expect(Math.abs(s.dy - 9.9)).toBeLessThan(0.2);
  });

  it('aligns the before window: after resampling it matches the after window', () => {
    const co = new Coregistration();
    const after = scene(4, size, 0, 0);
    const before = scene(4, size, -6.5, 3.25);
    const meanDiff = (a: Float32Array) => {
      let s = 0, n = 0;
      for (let y = 20; y < size - 20; y++) for (let x = 20; x < size - 20; x++) {
        s += Math.abs(a[y * size + x]! - after[y * size + x]!);
        n++;
      }
      return s / n;
    };
    const misaligned = meanDiff(before);
    const valid = new Uint8Array(size * size).fill(1);
    const s = co.align(before, after, size, valid)!;
    expect(s.applied).toBe(true);
    expect(meanDiff(before)).toBeLessThan(misaligned / 4);
  });

  it('estimates where both windows hold data, and not at all when too little is valid', () => {
    const co = new Coregistration();
    const before = scene(6, 320, -4.5, 2), after = scene(6, 320, 0, 0);
    // The after imagery ends 150 px into the window (the edge of a flight): its data edge is no feature.
    const validAfter = new Uint8Array(320 * 320);
    for (let y = 0; y < 320; y++) for (let x = 0; x < 150; x++) validAfter[y * 320 + x] = 1;
    for (let k = 0; k < 3; k++) for (let y = 0; y < 320; y++) after.fill(0, k * 320 * 320 + y * 320 + 150, k * 320 * 320 + (y + 1) * 320);
    const s = co.estimate(before, after, 320, undefined, validAfter)!;
    expect(Math.abs(s.dx - 4.5)).toBeLessThan(0.2);
    expect(Math.abs(s.dy + 2)).toBeLessThan(0.2);
    const sliver = new Uint8Array(320 * 320);
    for (let y = 0; y < 320; y++) for (let x = 0; x < 40; x++) sliver[y * 320 + x] = 1;
    expect(co.estimate(before, after, 320, undefined, sliver)).toBeNull();
  });

  it('clamps a shift beyond the maximum', () => {
    const co = new Coregistration({ maxShiftPx: 6 });
    const s = co.estimate(scene(5, size, -9, 0), scene(5, size, 0, 0), size)!;
    expect(s.clamped).toBe(true);
    expect(s.dx).toBe(6);
  });

  it('applies nothing when the windows have nothing in common', () => {
    const co = new Coregistration();
    const s = co.estimate(scene(1, size, 0, 0), scene(2, size, 0, 0), size)!;
    expect(s.confidence).toBeLessThan(co.options.minConfidence);
    expect(s.applied).toBe(false);
    const flat = new Float32Array(3 * size * size).fill(0.5);
    const f = co.estimate(flat, flat, size)!;
    expect(f.applied).toBe(false);
  });

  it('leaves short shifts alone when asked to', () => {
    const co = new Coregistration({ minShiftPx: 1 });
    expect(co.estimate(scene(3, size, -0.6, 0), scene(3, size, 0, 0), size)!.applied).toBe(false);
    expect(co.estimate(scene(3, size, -2, 0), scene(3, size, 0, 0), size)!.applied).toBe(true);
  });

  it('says what is wrong with bad settings or windows', () => {
    expect(() => new Coregistration({ estimateSize: 100 })).toThrow(/power of 2/);
    expect(() => new Coregistration({ maxShiftPx: 0 })).toThrow(/maxShiftPx/);
    expect(() => new Coregistration().estimate(new Float32Array(3 * 64 * 64), new Float32Array(3 * 64 * 64), 64)).toThrow(/smaller than/);
  });
});

describe('summariseShifts', () => {
  it('counts trusted, applied, clamped and low-confidence windows and the median and largest shift', () => {
    const s = (dx: number, dy: number, trusted = true, clamped = false) => ({ dx, dy, trusted, clamped, applied: trusted });
    expect(summariseShifts([s(3, 4), s(0, 1), s(6, 8, true, true), s(20, 0, false)])).toEqual({
      windows: 4, applied: 3, lowConfidence: 1, lowConfidenceShare: 0.25, clamped: 1, borrowed: 0, skipped: 0, medianShiftPx: 5, maxShiftPx: 10,
    });
    // windows that were not estimated are not low-confidence ones
    const skipped = { dx: 3, dy: 4, trusted: false, clamped: false, applied: true, skipped: true };
    expect(summariseShifts([s(3, 4), skipped, skipped])).toMatchObject({ windows: 3, applied: 3, lowConfidence: 0, skipped: 2 });
    expect(summariseShifts([])).toMatchObject({ windows: 0, lowConfidenceShare: 0, medianShiftPx: 0, maxShiftPx: 0 });
  });
});

describe('borrowAgreedShift', () => {
  const w = (dx: number, dy: number, trusted: boolean): WindowShift => ({ dx, dy, confidence: trusted ? 20 : 4, gain: trusted ? 0.2 : 0, trusted, clamped: false, applied: trusted });
  it('gives untrusted windows the shift their trusted neighbours agree on', () => {
    const out = borrowAgreedShift([w(5, -3, true), w(0, 9, false), w(5.4, -3.2, true), null]);
    expect(out[1]).toMatchObject({ dx: 5.2, dy: -3.1, applied: true, borrowed: true, trusted: false });
    expect(out[0]).toEqual(w(5, -3, true));
    expect(out[3]).toBeNull();
  });
  it('overrules a trusted estimate far from what most neighbours agree on, counting earlier windows', () => {
    const out = borrowAgreedShift([w(-12, 6, true), w(0, 9, false)], [w(-8, 4.2, true), w(-7.9, 4.4, true)]);
    expect(out[0]).toMatchObject({ dx: -7.95, dy: 4.300000000000001, borrowed: true, trusted: true });
    expect(out[1]).toMatchObject({ dx: -7.95, borrowed: true });
  });

  it('gives windows that were not estimated the agreed shift, marked skipped, and nothing without agreement', () => {
    const out = borrowAgreedShift([undefined, w(5.4, -3.2, true)], [w(5, -3, true)]);
    expect(out[0]).toMatchObject({ dx: 5.2, dy: -3.1, applied: true, skipped: true, trusted: false });
    expect(borrowAgreedShift([undefined, w(5, -3, true)])).toEqual([null, w(5, -3, true)]);
  });

  it('borrows nothing from one trusted window or from neighbours that disagree', () => {
    const alone = [w(5, -3, true), w(0, 9, false)];
    expect(borrowAgreedShift(alone)).toEqual(alone);
    const disagree = [w(5, -3, true), w(-4, 2, true), w(0, 9, false)];
    expect(borrowAgreedShift(disagree)).toEqual(disagree);
  });
});

describe('windowsToEstimate', () => {
  const w = (dx: number, dy: number, trusted = true): WindowShift => ({ dx, dy, confidence: 20, gain: 0.2, trusted, clamped: false, applied: trusted });
  it('estimates every window until the batch agrees, then the first of each chunk only', () => {
    expect(windowsToEstimate(4, [])).toEqual([true, true, true, true]);
    expect(windowsToEstimate(4, [w(5, -3), w(5.2, -3), w(5.1, -2.9)])).toEqual([true, true, true, true]);
    expect(windowsToEstimate(4, [w(5, -3), w(5.2, -3), w(5.1, -2.9), w(4.9, -3.1)])).toEqual([true, false, false, false]);
    // four trusted that disagree settle nothing
    expect(windowsToEstimate(4, [w(5, -3), w(-5, 3), w(0, 9), w(9, 0)])).toEqual([true, true, true, true]);
  });
});

describe('predictPair with co-registration', () => {
  /** Three planes in [0, 1] as interleaved 8-bit RGB. */
  const rgb = (planes: Float32Array, size: number) => {
    const out = new Uint8Array(size * size * 3);
    for (let k = 0; k < size * size; k++) for (let c = 0; c < 3; c++) out[k * 3 + c] = Math.round(planes[c * size * size + k]! * 255);
    return out;
  };

  it('aligns a shifted pair before the detector sees it: far fewer pixels read as change', async () => {
    const size = 256;
    const pair = { width: size, height: size, before: rgb(scene(8, size, -7.5, 4), size), after: rgb(scene(8, size, 0, 0), size) };
    const changed = (p: Float32Array) => p.reduce((n, v) => n + (v > 0.5 ? 1 : 0), 0);
    const baseline = new CvaBaseline();
    const shifts: { dx: number; dy: number; applied: boolean }[] = [];
    const plain = changed(await predictPair(baseline, pair));
    const aligned = changed(await predictPair(baseline, pair, { coregistration: new Coregistration(), onShift: (s) => shifts.push(s) }));
    expect(shifts).toHaveLength(1);
    expect(shifts[0]!.applied).toBe(true);
    expect(Math.abs(shifts[0]!.dx - 7.5)).toBeLessThan(0.3);
    expect(Math.abs(shifts[0]!.dy + 4)).toBeLessThan(0.3);
    expect(aligned).toBeLessThan(plain / 4);
  });
});
