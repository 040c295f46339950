import { describe, expect, it } from 'vitest';
import { pageOf, pathOf, type Page } from './route';

describe('routes', () => {
  it('maps paths to pages', () => {
    const cases: [string, Page][] = [
      ['/', 'map'],
      ['/triage', 'triage'],
      ['/runs/', 'runs'],
      ['/reports/index', 'index'],
      ['/reports/dashboard/', 'dashboard'],
      ['/reports/nope', 'map'],
      ['/reports/triage', 'map'],
      ['/reports/index/extra', 'map'],
      ['/index', 'map'],
    ];
    expect(cases.map(([path]) => pageOf(path))).toEqual(cases.map(([, page]) => page));
  });

  it('maps pages back to paths, a report with its month', () => {
    expect([pathOf('map'), pathOf('squad'), pathOf('registry'), pathOf('index', '2026-03')]).toEqual([
      '/',
      '/squad',
      '/reports/registry',
      '/reports/index?month=2026-03',
    ]);
  });
});
