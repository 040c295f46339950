import { CvaBaseline } from '@tuban/core/change/baseline';
import type { ChangeModel } from '@tuban/core/change/change-model';
import { loadOnnxChangeModel } from '@tuban/core/change/onnx-runner';
import type { Config } from '@tuban/core/config';

/** The change model this worker runs, as configured: the trained ONNX model or the classical baseline. */
export async function loadChangeModel(
  config: Pick<Config, 'CHANGE_DETECTOR' | 'CHANGE_MODEL_PATH' | 'DETECT_THREADS' | 'DETECT_NICE'>,
): Promise<ChangeModel> {
  if (config.CHANGE_DETECTOR === 'baseline') return new CvaBaseline();
  return loadOnnxChangeModel(config.CHANGE_MODEL_PATH, config.DETECT_THREADS, config.DETECT_NICE);
}
