import { describe, expect, it } from 'vitest';
import { candidateSplit, labelOf, stableFraction, VALIDATION_SHARE } from './labels.js';

describe('labels from decisions', () => {
  it('reads confirmed, known and permitted buildings as change and false positives as no change', () => {
    expect(labelOf('confirmed', null)).toBe('change');
    expect(labelOf('known', null)).toBe('change');
    expect(labelOf('dismissed', 'legal_permit')).toBe('change');
    expect(labelOf('dismissed', 'false_positive')).toBe('no_change');
    expect(labelOf('dismissed', 'imagery_problem')).toBeNull();
    expect(labelOf('dismissed', 'temporary')).toBe('change');
    expect(labelOf('dismissed', 'false_positive', true)).toBeNull();
    expect(labelOf('new', null)).toBeNull();
    expect(labelOf('field_check', null)).toBeNull();
  });

  it('keeps a stable fifth of candidates as validation', () => {
    expect(stableFraction('candidate:1')).toBe(stableFraction('candidate:1'));
    const ids = Array.from({ length: 5000 }, (_, i) => i + 1);
    const val = ids.filter((id) => candidateSplit(id) === 'val').length / ids.length;
    expect(Math.abs(val - VALIDATION_SHARE)).toBeLessThan(0.02);
    expect(ids.slice(0, 50).map(candidateSplit)).toEqual(ids.slice(0, 50).map(candidateSplit));
  });
});
