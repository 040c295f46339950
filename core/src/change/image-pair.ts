// Image pairs of any size through a change model: evaluation and the benches score whole scenes with the same
// model code the detection worker runs on its tile windows.
import type { ChangeModel } from './change-model.js';
import type { Coregistration, WindowShift } from './coregister.js';

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

export interface PredictOptions {
  /** window side (default 256), rounded to the model's multiple */
  windowSize?: number;
  /** co-register each window pair before the model sees it (the detection worker does) */
  coregistration?: Coregistration;
  /** receives each window's estimated shift, when co-registering */
  onShift?: (shift: WindowShift) => void;
}

/**
 * The model's change probability for every pixel of a pair (width × height values in [0, 1]). The pair is
 * cut into windows of `windowSize` (rounded to the model's multiple); edge pixels repeat past the border so
 * that padded windows see plausible content. With `coregistration`, each window pair is read with a margin of
 * the largest shift, aligned, and cut back to the window, so the shifted before window samples real pixels; where
 * it would sample beyond the before image, the probability is 0, as the worker treats imagery without data.
 */
export async function predictPair(model: ChangeModel, pair: ImagePair, options: PredictOptions = {}): Promise<Float32Array> {
  checkPair(pair);
  const { width, height } = pair;
  const m = model.sizeMultipleOf;
  const size = Math.min(options.windowSize ?? 256, Math.ceil(Math.max(width, height) / m) * m);
  const co = options.coregistration;
  const pad = co ? Math.ceil(co.options.maxShiftPx) + 1 : 0;
  // Windows too small to estimate a shift on are passed as they are.
  const aligned = co !== undefined && size + 2 * pad >= co.options.estimateSize;
  const side = aligned ? size + 2 * pad : size;
  const off = aligned ? pad : 0;
  const plane = size * size;
  const out = new Float32Array(width * height);
  const before = new Float32Array(3 * side * side);
  const after = new Float32Array(3 * side * side);
  const valid = new Uint8Array(side * side);
  for (let y0 = 0; y0 < height; y0 += size) {
    for (let x0 = 0; x0 < width; x0 += size) {
      readPlanes(pair.before, width, height, x0 - off, y0 - off, side, before);
      readPlanes(pair.after, width, height, x0 - off, y0 - off, side, after);
      if (aligned) {
        // Inside the before image; what the shift pulls in from beyond it has no data.
        for (let y = 0; y < side; y++) {
          const inY = y0 - off + y >= 0 && y0 - off + y < height;
          for (let x = 0; x < side; x++) valid[y * side + x] = inY && x0 - off + x >= 0 && x0 - off + x < width ? 1 : 0;
        }
        const shift = co.align(before, after, side, valid);
        if (shift) options.onShift?.(shift);
      }
      const input = new Float32Array(6 * plane);
      for (let c = 0; c < 3; c++) {
        for (let y = 0; y < size; y++) {
          const from = c * side * side + (y + off) * side + off;
          input.set(before.subarray(from, from + size), c * plane + y * size);
          input.set(after.subarray(from, from + size), (c + 3) * plane + y * size);
        }
      }
      const change = await model.predict(input, 1, size);
      for (let y = 0; y < size && y0 + y < height; y++)
        for (let x = 0; x < size && x0 + x < width; x++)
          out[(y0 + y) * width + x0 + x] = !aligned || valid[(y + off) * side + x + off] ? change[y * size + x]! : 0;
    }
  }
  return out;
}

/** A side × side square of an interleaved RGB image from (left, top) as three planes in [0, 1]; edge pixels repeat beyond the image. */
function readPlanes(rgb: Uint8Array, width: number, height: number, left: number, top: number, side: number, out: Float32Array): void {
  const plane = side * side;
  for (let y = 0; y < side; y++) {
    const sy = Math.min(height - 1, Math.max(0, top + y));
    for (let x = 0; x < side; x++) {
      const s = (sy * width + Math.min(width - 1, Math.max(0, left + x))) * 3;
      const o = y * side + x;
      out[o] = rgb[s]! / 255;
      out[plane + o] = rgb[s + 1]! / 255;
      out[2 * plane + o] = rgb[s + 2]! / 255;
    }
  }
}
