import { readFileSync } from 'node:fs';

export type ComponentName = 'handlingRate' | 'proactiveShare' | 'decisionDays' | 'dispositionDays' | 'closeOutProgress';
export const COMPONENT_NAMES: readonly ComponentName[] = [
  'handlingRate',
  'proactiveShare',
  'decisionDays',
  'dispositionDays',
  'closeOutProgress',
];

export interface IndexWeights {
  components: Record<ComponentName, { weight: number; fullAtOrBelow?: number; zeroAtOrAbove?: number }>;
  grades: { grade: string; minScore: number }[];
  defaultDeadlineDays: number;
  proactiveSources: string[];
}

/** The one config file that holds the weights, thresholds and grade bands (documented in docs/monthly-index.md). */
export const WEIGHTS_FILE = new URL('./weights.json', import.meta.url);

export function loadWeights(): IndexWeights {
  const w = JSON.parse(readFileSync(WEIGHTS_FILE, 'utf8')) as IndexWeights;
  for (const name of COMPONENT_NAMES) {
    const c = w.components[name];
    if (!c || !(c.weight >= 0)) throw new Error(`weights.json: component ${name} needs a weight >= 0`);
  }
  if (!w.grades.some((g) => g.minScore === 0)) throw new Error('weights.json: one grade must start at minScore 0');
  return w;
}
