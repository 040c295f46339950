import { CvaBaseline } from '../change/baseline.js';
import { modelInfo, type ModelInfo } from '../change/change-model.js';
import { readModelCard } from '../change/model-card.js';
import type { Config } from '../config.js';

/** The configured change model's card facts (name, version, threshold, resolution), without loading the model. */
export async function configuredModelInfo(config: Pick<Config, 'CHANGE_DETECTOR' | 'CHANGE_MODEL_PATH'>): Promise<ModelInfo> {
  if (config.CHANGE_DETECTOR === 'baseline') return modelInfo(new CvaBaseline());
  const card = await readModelCard(config.CHANGE_MODEL_PATH);
  return { name: card.name, version: card.version, threshold: card.defaultThreshold, metresPerPixel: card.metresPerPixel, gsdRange: card.gsdRange };
}
