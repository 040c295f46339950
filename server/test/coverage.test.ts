// The coverage and re-fly routes over HTTP: what a pilot gets, and clear errors for a bad export request.
import JSZip from 'jszip';
import { beforeAll, describe, expect, it } from 'vitest';
import { useHarness } from './harness.js';

const h = useHarness('coverage_routes');
let office = '';
let suggestions: { id: number; kind: string; rank: number | null; streetName: string | null }[] = [];
beforeAll(async () => {
  office = await h.login('office');
  const res = await h.app.inject({ method: 'POST', url: '/api/refly-suggestions/refresh', headers: { cookie: office }, payload: { staleDays: 30 } });
  expect(res.statusCode).toBe(200);
  suggestions = res.json().suggestions;
});

const get = (url: string) => h.app.inject({ url, headers: { cookie: office } });

describe('coverage and re-fly routes', () => {
  it('list the never-flown cells of both streets and the villa compound not seen this month', async () => {
    const kinds = suggestions.map((s) => s.kind);
    expect(kinds[0]).toBe('villa_unseen');
    expect(new Set(kinds.slice(1))).toEqual(new Set(['stale_cell']));
    expect(suggestions.map((s) => s.rank)).toEqual(suggestions.map((_, i) => i + 1));
    const streets = (await get('/api/coverage/streets')).json();
    expect(streets.streets.map((s: { streetName: string; neverFlown: number; cells: number }) => [s.streetName, s.neverFlown === s.cells])).toEqual([
      ['曹杨新村街道', true], ['长风新村街道', true],
    ]);
    const cells = await get('/api/coverage/cells');
    expect(cells.headers['content-type']).toMatch(/^application\/json/);
    expect(cells.json().features.length).toBe(streets.streets.reduce((a: number, s: { cells: number }) => a + s.cells, 0));
  });

  it('export the chosen ones as KML and as a KMZ with both WPML files', async () => {
    const ids = suggestions.slice(0, 2).map((s) => s.id).join(',');
    const kml = await get(`/api/refly-suggestions/export/kml?ids=${ids}`);
    expect(kml.statusCode).toBe(200);
    expect(kml.headers['content-disposition']).toMatch(/^attachment; filename="refly-\d{4}-\d\d-\d\d\.kml"$/);
    expect(kml.body.match(/<Placemark>/g)).toHaveLength(2);
    expect(kml.body).toContain('测试别墅区');
    const kmz = await h.app.inject({ url: `/api/refly-suggestions/export/kmz?ids=${ids}&altitude=80`, headers: { cookie: office } });
    expect(kmz.headers['content-type']).toBe('application/vnd.google-earth.kmz');
    const zip = await JSZip.loadAsync(kmz.rawPayload);
    const template = await zip.file('wpmz/template.kml')!.async('string');
    expect(template.match(/<wpml:templateType>mapping2d<\/wpml:templateType>/g)).toHaveLength(2);
    expect(await zip.file('wpmz/waylines.wpml')!.async('string')).toContain('<wpml:executeHeight>80</wpml:executeHeight>');
  });

  it('answer a bad export request with a clear error and nothing else', async () => {
    const missing = await get('/api/refly-suggestions/export/kmz?ids=999999');
    expect([missing.statusCode, missing.json().error.code, missing.json().error.params]).toEqual([404, 'refly_suggestion_not_found', { id: 999999 }]);
    const low = await get(`/api/refly-suggestions/export/kmz?ids=${suggestions[0]!.id}&altitude=5`);
    expect(low.statusCode).toBe(400);
    expect(low.json().error.message).toMatch(/altitude/);
    const dense = await get(`/api/refly-suggestions/export/kmz?ids=${suggestions.map((s) => s.id).join(',')}&altitude=20&sideOverlap=95&frontOverlap=95`);
    expect([dense.statusCode, dense.json().error.code]).toEqual([400, 'refly_route_too_long']);
    expect((await get('/api/refly-suggestions/export/shp?ids=1')).statusCode).toBe(400);
  });
});
