import { describe, expect, it } from 'vitest';
import { comparedWithActive, evaluationSets, formatScore } from './scores';
import type { ModelVersion } from './models-api';

const version = (metrics: ModelVersion['metrics']) => ({ metrics }) as ModelVersion;

describe('model scores', () => {
  it('lists the district validation set first, then the others by name', () => {
    expect(evaluationSets([version({ synthetic: {}, 'levir-cd': {} }), version({ 'district-validation': {} })]))
      .toEqual(['district-validation', 'levir-cd', 'synthetic']);
  });

  it('calls fewer false alarms better and a higher F1 better', () => {
    expect(comparedWithActive('falseAlarmsPerKm2', 3, 5)).toBe('better');
    expect(comparedWithActive('f1', 0.6, 0.7)).toBe('worse');
    expect(comparedWithActive('f1', 0.7, 0.7)).toBe('same');
    expect(comparedWithActive('objectRecall', undefined, 0.7)).toBeNull();
  });

  it('shows scores to three places and false alarms to one', () => {
    expect(formatScore('f1', 0.93261)).toBe('0.933');
    expect(formatScore('falseAlarmsPerKm2', 29.31)).toBe('29.3');
    expect(formatScore('objectPrecision', undefined)).toBe('—');
  });
});
