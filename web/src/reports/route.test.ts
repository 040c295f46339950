import { describe, expect, it } from 'vitest';
import { lastMonth, pageOf, pathOf } from './route';

describe('report routes', () => {
  it('maps paths to pages and back', () => {
    expect(pageOf('/reports/index')).toBe('index');
    expect(pageOf('/reports/dashboard/')).toBe('dashboard');
    expect(pageOf('/')).toBe('map');
    expect(pageOf('/reports/nope')).toBe('map');
    expect(pathOf('index', '2026-03')).toBe('/reports/index?month=2026-03');
  });
  it('names last month as Shanghai sees it', () => {
    expect(lastMonth(new Date('2026-03-31T16:30:00Z'))).toBe('2026-03');
    expect(lastMonth(new Date('2026-01-05T00:00:00Z'))).toBe('2025-12');
  });
});
