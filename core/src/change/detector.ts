/** One before/after pair of co-registered 8-bit RGB images (interleaved, row-major). */
export interface ImagePair {
  width: number;
  height: number;
  before: Uint8Array;
  after: Uint8Array;
}

/**
 * Anything that turns image pairs into per-pixel change probabilities: the ONNX model and the classical
 * baseline the product falls back to. The result for each pair is width × height values in [0, 1].
 */
export interface ChangeDetector {
  readonly name: string;
  readonly version: string;
  detect(pairs: readonly ImagePair[]): Promise<Float32Array[]>;
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

/** Pixels at or above the threshold, as a 0/1 mask. */
export function binarise(probability: Float32Array, threshold: number): Uint8Array {
  const out = new Uint8Array(probability.length);
  for (let i = 0; i < probability.length; i++) out[i] = probability[i]! >= threshold ? 1 : 0;
  return out;
}
