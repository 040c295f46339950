import { describe, expect, it } from 'vitest';
import { daysBetween, monthsEndingWith, parseMonth, previousMonth, shanghaiDay, shanghaiTime } from './month.js';

describe('months in Asia/Shanghai', () => {
  it('cuts a month at Shanghai midnight', () => {
    const b = parseMonth('2026-12');
    expect(b.start.toISOString()).toBe('2026-11-30T16:00:00.000Z');
    expect(b.end.toISOString()).toBe('2026-12-31T16:00:00.000Z');
    expect([b.firstDay, b.nextFirstDay]).toEqual(['2026-12-01', '2027-01-01']);
  });
  it('names the previous month as Shanghai sees it', () => {
    expect(previousMonth(new Date('2026-03-31T18:00:00Z'))).toBe('2026-03'); // 1 Apr 02:00 Shanghai
    expect(previousMonth(new Date('2026-03-31T15:00:00Z'))).toBe('2026-02');
    expect(previousMonth(new Date('2026-12-31T16:00:00Z'))).toBe('2026-12');
    expect(previousMonth(new Date('2026-01-10T00:00:00Z'))).toBe('2025-12');
  });
  it('lists twelve months across a year end', () => {
    expect(monthsEndingWith('2026-02', 3)).toEqual(['2025-12', '2026-01', '2026-02']);
    expect(monthsEndingWith('2026-12', 12)[0]).toBe('2026-01');
  });
  it('days', () => {
    expect(shanghaiDay(new Date('2026-02-28T16:00:00Z'))).toBe('2026-03-01');
    // the export's 生成时间 is wall-clock time in Shanghai, not a UTC ISO string
    expect(shanghaiTime(new Date('2026-02-28T16:05:09.123Z'))).toBe('2026-03-01 00:05:09 (北京时间)');
    expect(daysBetween('2026-02-20', '2026-03-01')).toBe(9);
  });
  it('rejects bad months', () => {
    expect(() => parseMonth('2026-3')).toThrow(/YYYY-MM/);
  });
});
