import { describe, expect, it } from 'vitest';
import {
  addDays,
  canDispose,
  canTransition,
  decisionRefusal,
  findingSourceOf,
  formatCaseNumber,
  isCalendarDate,
  todayInShanghai,
} from './rules.js';

describe('triage rules', () => {
  it('allows the design transitions only', () => {
    expect(canTransition('new', 'confirmed')).toBe(true);
    expect(canTransition('new', 'field_check')).toBe(true);
    expect(canTransition('field_check', 'dismissed')).toBe(true);
    expect(canTransition('field_check', 'known')).toBe(false);
    expect(canTransition('confirmed', 'dismissed')).toBe(false);
    expect(canTransition('dismissed', 'confirmed')).toBe(false);
  });

  it('lets a squad only record field-check results and viewers nothing', () => {
    expect(decisionRefusal('office', 'new', 'confirmed')).toBeNull();
    expect(decisionRefusal('squad', 'field_check', 'confirmed')).toBeNull();
    expect(decisionRefusal('squad', 'new', 'confirmed')).toMatch(/field check/);
    expect(decisionRefusal('viewer', 'new', 'dismissed')).toMatch(/viewer/);
    expect(decisionRefusal('pilot', 'field_check', 'dismissed')).toMatch(/pilot/);
  });

  it('closes registry items out once; annotated items can still be closed', () => {
    expect(canDispose('open', 'annotated')).toBe(true);
    expect(canDispose('annotated', 'demolished')).toBe(true);
    expect(canDispose('annotated', 'annotated')).toBe(false);
    expect(canDispose('demolished', 'legalized')).toBe(false);
  });

  it('counts dates in Asia/Shanghai', () => {
    // 16:30 UTC on 31 Dec is already 1 Jan in Shanghai
    expect(todayInShanghai(new Date('2025-12-31T16:30:00Z'))).toBe('2026-01-01');
    expect(todayInShanghai(new Date('2025-12-31T15:30:00Z'))).toBe('2025-12-31');
    expect(addDays('2025-12-25', 30)).toBe('2026-01-24');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(isCalendarDate('2025-02-30')).toBe(false);
    expect(isCalendarDate('2025-2-3')).toBe(false);
  });

  it('formats case numbers and sources', () => {
    expect(formatCaseNumber(2026, 42)).toBe('PT-2026-000042');
    expect(() => formatCaseNumber(2026, 1_000_000)).toThrow(/range/);
    expect(findingSourceOf('satellite')).toBe('satellite');
    expect(findingSourceOf('tileset')).toBe('drone');
    expect(findingSourceOf(null)).toBe('drone');
  });
});
