import { CvaBaseline } from '@tuban/core/change/baseline';
import type { Config } from '@tuban/core/config';
import { BASELINE_MODEL_INFO } from '@tuban/core/detection/model-info';
import { detectorModel } from './detector-model.js';
import type { ChangeModel } from './model.js';
import { loadOnnxChangeModel } from './onnx.js';

/** The change model this worker runs, as configured: the trained ONNX model or the classical baseline. */
export async function loadChangeModel(
  config: Pick<Config, 'CHANGE_DETECTOR' | 'CHANGE_MODEL_PATH' | 'DETECT_THREADS' | 'DETECT_NICE'>,
): Promise<ChangeModel> {
  if (config.CHANGE_DETECTOR === 'baseline') {
    return detectorModel(new CvaBaseline({ metresPerPixel: BASELINE_MODEL_INFO.metresPerPixel }), BASELINE_MODEL_INFO);
  }
  return loadOnnxChangeModel(config.CHANGE_MODEL_PATH, config.DETECT_THREADS, config.DETECT_NICE);
}
