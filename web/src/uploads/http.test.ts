import { describe, expect, it } from 'vitest';
import { currentShanghaiMonth, isoToShanghaiLocal, lastShanghaiMonth, shanghaiLocalToIso } from './http';

describe('Shanghai wall-clock times', () => {
  it('turns a datetime-local value into an instant with +08:00 and back', () => {
    expect(shanghaiLocalToIso('2025-03-10T09:30')).toBe('2025-03-10T09:30:00+08:00');
    expect(Date.parse(shanghaiLocalToIso('2025-03-10T09:30'))).toBe(Date.parse('2025-03-10T01:30:00Z'));
    expect(isoToShanghaiLocal('2025-03-10T01:30:00Z')).toBe('2025-03-10T09:30');
    expect(isoToShanghaiLocal('2024-06-30T17:00:00Z')).toBe('2024-07-01T01:00');
  });

  it('cuts months in Shanghai', () => {
    expect(currentShanghaiMonth(Date.parse('2024-06-30T16:30:00Z'))).toBe('2024-07');
    expect(currentShanghaiMonth(Date.parse('2024-06-30T15:30:00Z'))).toBe('2024-06');
    expect(lastShanghaiMonth(Date.parse('2026-03-31T16:30:00Z'))).toBe('2026-03');
    expect(lastShanghaiMonth(Date.parse('2026-01-05T00:00:00Z'))).toBe('2025-12');
  });
});
