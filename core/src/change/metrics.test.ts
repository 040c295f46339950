import { describe, expect, it } from 'vitest';
import { ScoreAccumulator } from './metrics.js';

const W = 10;
function box(x0: number, y0: number, x1: number, y1: number, into: Uint8Array = new Uint8Array(W * W)): Uint8Array {
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) into[y * W + x] = 1;
  return into;
}

describe('ScoreAccumulator', () => {
  it('scores a perfect prediction as 1 everywhere', () => {
    const acc = new ScoreAccumulator();
    const t = box(1, 1, 4, 4);
    acc.add(t, t, W, W);
    expect(acc.scores()).toMatchObject({ precision: 1, recall: 1, f1: 1, iou: 1, objectRecall: 1, objectPrecision: 1 });
  });

  it('counts pixels and matches objects at IoU ≥ 0.3 only', () => {
    const acc = new ScoreAccumulator();
    const truth = box(0, 0, 4, 4, box(6, 6, 10, 10));
    // The first prediction overlaps the first true box by 8 pixels (IoU 8/24 = 1/3); the second touches the other by 1.
    const pred = box(0, 2, 4, 6, box(5, 5, 7, 7));
    acc.add(pred, truth, W, W);
    const s = acc.scores();
    expect(s.precision).toBeCloseTo(9 / 20, 4);
    expect(s.recall).toBeCloseTo(9 / 32, 4);
    expect(s.f1).toBeCloseTo((2 * 9) / (2 * 9 + 11 + 23), 4);
    expect(s.iou).toBeCloseTo(9 / (9 + 11 + 23), 4);
    expect(s.objectRecall).toBe(0.5);
    expect(s.objectPrecision).toBe(0.5);
  });

  it('gives zeros, not NaN, when nothing is predicted or true', () => {
    const acc = new ScoreAccumulator();
    acc.add(new Uint8Array(W * W), new Uint8Array(W * W), W, W);
    expect(Object.values(acc.scores()).every(Number.isFinite)).toBe(true);
  });
});
