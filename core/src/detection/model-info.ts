import { readModelCard } from '../change/onnx-model.js';
import type { Config } from '../config.js';
import type { ModelInfo } from './plan.js';

/** How the classical baseline is described to the planner: it works at the same 0.5 m/px. */
export const BASELINE_MODEL_INFO: ModelInfo = { name: 'cva-otsu', version: '1', threshold: 0.5, metresPerPixel: 0.5 };

/** The configured change model's name, version, threshold and resolution (from its card). */
export async function configuredModelInfo(config: Pick<Config, 'CHANGE_DETECTOR' | 'CHANGE_MODEL_PATH'>): Promise<ModelInfo> {
  if (config.CHANGE_DETECTOR === 'baseline') return BASELINE_MODEL_INFO;
  const card = await readModelCard(config.CHANGE_MODEL_PATH);
  return { name: card.name, version: card.version, threshold: card.defaultThreshold, metresPerPixel: card.metresPerPixel };
}
