import { loadSession, readModelCard, runRaw } from '@tuban/core/change/onnx-model';
import type { ChangeModel } from './model.js';

/** The committed ONNX change model, as the detection pipeline uses it: one session per process. */
export async function loadOnnxChangeModel(modelPath: string, threads: number): Promise<ChangeModel> {
  const card = await readModelCard(modelPath);
  const session = await loadSession(modelPath, { threads });
  return {
    name: card.name,
    version: card.version,
    threshold: card.defaultThreshold,
    metresPerPixel: card.metresPerPixel,
    async predict(input, n, size) {
      if (size % card.sizeMultipleOf !== 0) {
        throw new Error(`window of ${size} px is not a multiple of ${card.sizeMultipleOf}, as model ${card.name} needs`);
      }
      return runRaw(session, input, [n, 6, size, size]);
    },
  };
}
