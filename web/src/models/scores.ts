// What the Models page compares: four scores per evaluation set, each version beside the active one.
import type { ModelVersion } from './models-api';

/** The scores shown, in order, and whether higher is better. */
export const SCORES = [
  { key: 'f1', higherIsBetter: true },
  { key: 'objectPrecision', higherIsBetter: true },
  { key: 'objectRecall', higherIsBetter: true },
  { key: 'falseAlarmsPerKm2', higherIsBetter: false },
] as const;
export type ScoreKey = (typeof SCORES)[number]['key'];

/** The district's own validation set first (what matters for promotion), then the others by name. */
export function evaluationSets(versions: ModelVersion[]): string[] {
  const names = new Set(versions.flatMap((v) => Object.keys(v.metrics)));
  return [...names].sort((a, b) => (a === 'district-validation' ? -1 : b === 'district-validation' ? 1 : a.localeCompare(b)));
}

export function formatScore(key: ScoreKey, value: number | undefined): string {
  if (value === undefined) return '—';
  return key === 'falseAlarmsPerKm2' ? value.toFixed(1) : value.toFixed(3);
}

/** 'better', 'worse' or 'same' compared with the active version's score on the same set; null when either is missing. */
export function comparedWithActive(key: ScoreKey, value: number | undefined, active: number | undefined): 'better' | 'worse' | 'same' | null {
  if (value === undefined || active === undefined) return null;
  if (value === active) return 'same';
  const higher = value > active;
  return higher === SCORES.find((s) => s.key === key)!.higherIsBetter ? 'better' : 'worse';
}
