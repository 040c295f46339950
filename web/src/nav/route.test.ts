import { describe, expect, it } from 'vitest';
import { pageOf, pathOf } from './route';

describe('routes', () => {
  it('maps paths to pages and back', () => {
    expect(pageOf('/')).toBe('map');
    expect(pageOf('/triage')).toBe('triage');
    expect(pageOf('/runs/')).toBe('runs');
    expect(pageOf('/reports/index')).toBe('index');
    expect(pageOf('/reports/dashboard/')).toBe('dashboard');
    expect(pageOf('/reports/nope')).toBe('map');
    expect(pageOf('/reports/triage')).toBe('map');
    expect(pageOf('/index')).toBe('map');
    expect(pageOf('/reports/index/extra')).toBe('map');
    expect(pathOf('map')).toBe('/');
    expect(pathOf('squad')).toBe('/squad');
    expect(pathOf('registry')).toBe('/reports/registry');
    expect(pathOf('index', '2026-03')).toBe('/reports/index?month=2026-03');
  });
});
