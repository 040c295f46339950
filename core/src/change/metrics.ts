import { labelComponents } from '../raster/mask.js';

/** 4-connected components of a 0/1 mask: a label per pixel (0 = background) and each label's pixel count. */
function components(mask: Uint8Array, width: number, height: number): { labels: Int32Array; sizes: number[] } {
  const { labels, count } = labelComponents({ data: mask, width, height });
  const sizes = new Array<number>(count + 1).fill(0);
  for (const l of labels) if (l) sizes[l]!++;
  return { labels, sizes };
}

/** Pixel and object scores over a set of binary (0/1) predictions against 0/1 truths. */
export interface Scores {
  precision: number;
  recall: number;
  f1: number;
  iou: number;
  /** share of true change blobs matched by a predicted blob at IoU ≥ 0.3 */
  objectRecall: number;
  /** share of predicted blobs that match a true blob at IoU ≥ 0.3 */
  objectPrecision: number;
  pairs: number;
  trueObjects: number;
  predictedObjects: number;
  /** predicted blobs that match no true blob */
  falseAlarms: number;
}

export const OBJECT_IOU = 0.3;

/** Accumulates counts pair by pair so that large sets need not be held in memory. */
export class ScoreAccumulator {
  private tp = 0;
  private fp = 0;
  private fn = 0;
  private trueObjects = 0;
  private predictedObjects = 0;
  private matchedTrue = 0;
  private matchedPredicted = 0;
  private pairs = 0;

  add(pred: Uint8Array, truth: Uint8Array, width: number, height: number): void {
    if (pred.length !== truth.length || pred.length !== width * height)
      throw new Error(`prediction (${pred.length}) and truth (${truth.length}) must both be ${width}×${height}`);
    this.pairs++;
    for (let i = 0; i < pred.length; i++) {
      if (pred[i] && truth[i]) this.tp++;
      else if (pred[i]) this.fp++;
      else if (truth[i]) this.fn++;
    }
    const p = components(pred, width, height);
    const t = components(truth, width, height);
    const overlap = new Map<number, number>();
    for (let i = 0; i < pred.length; i++) {
      const a = p.labels[i]!;
      const b = t.labels[i]!;
      if (a && b) {
        const key = a * (t.sizes.length + 1) + b;
        overlap.set(key, (overlap.get(key) ?? 0) + 1);
      }
    }
    const goodP = new Set<number>();
    const goodT = new Set<number>();
    for (const [key, inter] of overlap) {
      const a = Math.floor(key / (t.sizes.length + 1));
      const b = key % (t.sizes.length + 1);
      if (inter / (p.sizes[a]! + t.sizes[b]! - inter) >= OBJECT_IOU) {
        goodP.add(a);
        goodT.add(b);
      }
    }
    this.predictedObjects += p.sizes.length - 1;
    this.trueObjects += t.sizes.length - 1;
    this.matchedPredicted += goodP.size;
    this.matchedTrue += goodT.size;
  }

  scores(): Scores {
    const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);
    const precision = ratio(this.tp, this.tp + this.fp);
    const recall = ratio(this.tp, this.tp + this.fn);
    return {
      precision: round(precision),
      recall: round(recall),
      f1: round(ratio(2 * this.tp, 2 * this.tp + this.fp + this.fn)),
      iou: round(ratio(this.tp, this.tp + this.fp + this.fn)),
      objectRecall: round(ratio(this.matchedTrue, this.trueObjects)),
      objectPrecision: round(ratio(this.matchedPredicted, this.predictedObjects)),
      falseAlarms: this.predictedObjects - this.matchedPredicted,
      pairs: this.pairs,
      trueObjects: this.trueObjects,
      predictedObjects: this.predictedObjects,
    };
  }
}

const round = (v: number): number => Math.round(v * 10_000) / 10_000;
