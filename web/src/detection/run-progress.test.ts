import { describe, expect, it } from 'vitest';
import { anyActive, coregistrationFacts, formatSeconds, isActive, newestFirst, orderedTimings, progressFraction, triageHrefForRun } from './run-progress';
import { parseTriageUrl } from '../triage/url-state';

describe('run progress', () => {
  it('calls planned and running runs active, finished ones not', () => {
    expect(['planned', 'running', 'done', 'failed'].map((status) => isActive({ status: status as 'done' }))).toEqual([true, true, false, false]);
    expect(anyActive([{ status: 'done' }, { status: 'failed' }])).toBe(false);
    expect(anyActive([{ status: 'done' }, { status: 'running' }])).toBe(true);
    expect(anyActive([])).toBe(false);
  });

  it('gives tiles done over total, clamped, and full for a finished run with nothing to compare', () => {
    expect(progressFraction({ status: 'running', tilesDone: 30, tilesTotal: 120 })).toBe(0.25);
    expect(progressFraction({ status: 'running', tilesDone: 130, tilesTotal: 120 })).toBe(1);
    expect(progressFraction({ status: 'planned', tilesDone: 0, tilesTotal: 0 })).toBe(0);
    expect(progressFraction({ status: 'done', tilesDone: 0, tilesTotal: 0 })).toBe(1);
  });

  it('orders stage timings as the pipeline runs and drops non-numbers', () => {
    expect(orderedTimings({ merge: 2, zeta: 1, read: 3, alpha: 4, infer: 5, plan: Number.NaN }).map(([k]) => k)).toEqual([
      'read', 'infer', 'merge', 'alpha', 'zeta',
    ]);
  });

  it('gives co-registration shifts in metres and flags large offsets or mostly untrusted estimates', () => {
    const summary = { windows: 40, applied: 30, lowConfidence: 4, lowConfidenceShare: 0.1, clamped: 0, borrowed: 2, medianShiftPx: 1.2, maxShiftPx: 2.5, metresPerPixel: 0.51, largest: [] };
    expect(coregistrationFacts(summary)).toEqual({ medianM: 0.6, maxM: 1.3, lowSharePercent: 10, warn: false });
    expect(coregistrationFacts({ ...summary, maxShiftPx: 11.8 }).warn).toBe(true);
    expect(coregistrationFacts({ ...summary, lowConfidenceShare: 0.6 }).warn).toBe(true);
  });

  it('formats seconds at three scales', () => {
    expect(formatSeconds(0.4213)).toBe('0.42 s');
    expect(formatSeconds(12.34)).toBe('12.3 s');
    expect(formatSeconds(185)).toBe('3 min 05 s');
  });

  it('sorts imagery newest capture first, undated last', () => {
    const items = [
      { id: 1, capturedAt: '2026-03-01T02:00:00Z', createdAt: '2026-03-02T00:00:00Z' },
      { id: 2, capturedAt: null, createdAt: '2026-05-01T00:00:00Z' },
      { id: 3, capturedAt: '2026-06-01T02:00:00Z', createdAt: '2026-06-02T00:00:00Z' },
      { id: 4, capturedAt: null, createdAt: '2026-07-01T00:00:00Z' },
    ];
    expect(newestFirst(items).map((i) => i.id)).toEqual([3, 1, 4, 2]);
    expect(items.map((i) => i.id)).toEqual([1, 2, 3, 4]);
  });

  it('links to a triage URL that the triage page reads as a run filter', () => {
    const href = triageHrefForRun(42);
    expect(parseTriageUrl(href.slice(href.indexOf('?'))).filters.run).toBe(42);
  });
});
