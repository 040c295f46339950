// Change models for the detection tests and the benchmark: the committed ONNX model run directly on the worker's
// windows, or the classical baseline behind the same interface.
import { existsSync } from 'node:fs';
import { CvaBaseline } from '@tuban/core/change/baseline';
import type { ChangeDetector } from '@tuban/core/change/detector';
import { DEFAULT_MODEL_PATH, loadSession, readModelCard, runRaw } from '@tuban/core/change/onnx-model';
import type { ChangeModel } from '../../src/detect/model.js';

export const MODEL_PATH = process.env.TUBAN_MODEL_PATH || DEFAULT_MODEL_PATH;
export const hasModel = (): boolean => existsSync(MODEL_PATH);

/** The ONNX model on whole [n, 6, size, size] windows (the size must suit the model's stride). */
export async function onnxModel(threads = 1): Promise<ChangeModel> {
  const card = await readModelCard(MODEL_PATH);
  const session = await loadSession(MODEL_PATH, { threads });
  return {
    name: card.name,
    version: card.version,
    threshold: card.defaultThreshold,
    metresPerPixel: card.metresPerPixel,
    predict: (input, n, size) => {
      if (size % card.sizeMultipleOf) throw new Error(`window ${size} px is not a multiple of ${card.sizeMultipleOf}`);
      return runRaw(session, input, [n, 6, size, size]);
    },
  };
}

/** Any ChangeDetector (the classical baseline by default) as a ChangeModel over planar float windows. */
export function detectorModel(detector: ChangeDetector = new CvaBaseline({ metresPerPixel: 0.5 })): ChangeModel {
  return {
    name: detector.name,
    version: detector.version,
    threshold: 0.5,
    metresPerPixel: 0.5,
    async predict(input, n, size) {
      const plane = size * size;
      const pairs = Array.from({ length: n }, (_, i) => {
        const interleave = (offset: number) => {
          const out = new Uint8Array(plane * 3);
          for (let k = 0; k < plane; k++)
            for (let c = 0; c < 3; c++) out[k * 3 + c] = Math.round(input[offset + c * plane + k]! * 255);
          return out;
        };
        return { width: size, height: size, before: interleave(i * 6 * plane), after: interleave(i * 6 * plane + 3 * plane) };
      });
      const out = new Float32Array(n * plane);
      (await detector.detect(pairs)).forEach((p, i) => out.set(p, i * plane));
      return out;
    },
  };
}
