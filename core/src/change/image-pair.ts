// Image pairs of any size through a change model: evaluation and the benches score whole scenes with the same
// model code the detection worker runs on its tile windows.
import type { ChangeModel } from './change-model.js';

/** One before/after pair of co-registered 8-bit RGB images (interleaved, row-major). */
export interface ImagePair {
  width: number;
  height: number;
  before: Uint8Array;
  after: Uint8Array;
}

export function checkPair(pair: ImagePair, index = 0): void {
  const n = pair.width * pair.height * 3;
  if (!Number.isInteger(pair.width) || !Number.isInteger(pair.height) || pair.width < 1 || pair.height < 1)
    throw new Error(`pair ${index}: width and height must be positive integers, got ${pair.width}×${pair.height}`);
  if (pair.before.length !== n || pair.after.length !== n)
    throw new Error(
      `pair ${index}: expected ${n} bytes (${pair.width}×${pair.height} RGB) per image, got before ${pair.before.length}, after ${pair.after.length}`,
    );
}

/**
 * The model's change probability for every pixel of a pair (width × height values in [0, 1]). The pair is
 * cut into windows of `windowSize` (rounded to the model's multiple); edge pixels repeat past the border so
 * that padded windows see plausible content.
 */
export async function predictPair(model: ChangeModel, pair: ImagePair, windowSize = 256): Promise<Float32Array> {
  checkPair(pair);
  const { width, height } = pair;
  const m = model.sizeMultipleOf;
  const size = Math.min(windowSize, Math.ceil(Math.max(width, height) / m) * m);
  const plane = size * size;
  const out = new Float32Array(width * height);
  for (let y0 = 0; y0 < height; y0 += size) {
    for (let x0 = 0; x0 < width; x0 += size) {
      const input = new Float32Array(6 * plane);
      for (let y = 0; y < size; y++) {
        const sy = Math.min(height - 1, y0 + y);
        for (let x = 0; x < size; x++) {
          const s = (sy * width + Math.min(width - 1, x0 + x)) * 3;
          const o = y * size + x;
          for (let c = 0; c < 3; c++) {
            input[o + c * plane] = pair.before[s + c]! / 255;
            input[o + (c + 3) * plane] = pair.after[s + c]! / 255;
          }
        }
      }
      const change = await model.predict(input, 1, size);
      for (let y = 0; y < size && y0 + y < height; y++)
        for (let x = 0; x < size && x0 + x < width; x++) out[(y0 + y) * width + x0 + x] = change[y * size + x]!;
    }
  }
  return out;
}
