import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { beforeAll, describe, expect, it } from 'vitest';
import { lonLatToTile } from '@tuban/core/geo/tiles';
import { STREET_A, STREET_B, useHarness } from './harness.js';

const h = useHarness('geodata');
let office: string;
beforeAll(async () => {
  office = await h.login('office');
});

const get = (url: string, cookie = office) => h.app.inject({ url, headers: { cookie } });

function decode(body: Buffer, layer: string) {
  const tile = new VectorTile(new PbfReader(body));
  const l = tile.layers[layer];
  return l ? Array.from({ length: l.length }, (_, i) => l.feature(i)) : [];
}

describe('GeoJSON read APIs', () => {
  it('lists the streets as a FeatureCollection with areas in m²', async () => {
    const res = await get('/api/streets');
    expect(res.statusCode).toBe(200);
    const fc = res.json();
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features.map((f: { properties: { code: string } }) => f.properties.code)).toEqual([STREET_A, STREET_B]);
    const a = fc.features[0];
    expect(a.geometry.type).toBe('MultiPolygon');
    expect(a.properties).toMatchObject({ name: '曹杨新村街道', kind: 'subdistrict', boundarySource: 'demo-partition' });
    // 0.01° × 0.01° at 31.255 N ≈ 952 m × 1109 m
    expect(a.properties.areaM2).toBeGreaterThan(1.0e6);
    expect(a.properties.areaM2).toBeLessThan(1.1e6);
  });

  it('filters the registry by bbox, street and status, and pages it', async () => {
    const all = (await get('/api/registry')).json();
    expect(all.total).toBe(4);
    const open = (await get('/api/registry?status=open')).json();
    expect(open.features.map((f: { properties: { caseNo: string } }) => f.properties.caseNo)).toEqual(['T-A-1']);
    expect(open.features[0].properties).toMatchObject({ streetName: '曹杨新村街道', buildingType: 'steel_shed', foundOn: '2025-03-01' });
    const inB = (await get('/api/registry?bbox=121.39,31.25,121.40,31.26')).json();
    expect(inB.features.map((f: { properties: { caseNo: string } }) => f.properties.caseNo)).toEqual(['T-B-1']);
    const page = (await get('/api/registry?limit=1&offset=1')).json();
    expect(page).toMatchObject({ total: 4, limit: 1, offset: 1 });
    expect(page.features).toHaveLength(1);
  });

  it('explains bad filters', async () => {
    const bbox = await get('/api/registry?bbox=1,2,3');
    expect(bbox.statusCode).toBe(400);
    expect(bbox.json().error.message).toMatch(/bbox/);
    const status = await get('/api/registry?status=gone');
    expect(status.statusCode).toBe(400);
    const street = await get('/api/registry?street=310107999');
    expect(street.statusCode).toBe(404);
    expect(street.json().error.message).toContain('310107999');
  });

  it('lists villa hotspots with their items per 三个一批 category', async () => {
    const fc = (await get('/api/hotspots')).json();
    expect(fc.features).toHaveLength(1);
    expect(fc.features[0].properties).toMatchObject({
      name: '测试别墅区',
      streetCode: STREET_A,
      villaItems: 2,
      byCategory: { restrict_freeze: 1, demolish_confiscate: 1 },
      byStatus: { annotated: 1, demolished: 1 },
    });
  });
});

describe('vector tiles', () => {
  const z = 15;
  const { x, y } = lonLatToTile(121.385, 31.255, z);

  it('serves registry features with their attributes', async () => {
    const res = await get(`/tiles/registry/${z}/${x}/${y}.mvt`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.mapbox-vector-tile');
    expect(res.headers['cache-control']).toMatch(/max-age/);
    const features = decode(res.rawPayload, 'registry');
    const byCase = Object.fromEntries(features.map((f) => [f.properties.caseNo, f.properties]));
    expect(byCase['T-A-1']).toMatchObject({ status: 'open', buildingType: 'steel_shed', streetCode: STREET_A });
    expect(features[0]!.type).toBe(3); // polygon
  });

  it('serves the streets, hotspots and (empty) candidates layers', async () => {
    expect(decode((await get(`/tiles/streets/${z}/${x}/${y}.mvt`)).rawPayload, 'streets').map((f) => f.properties.code))
      .toContain(STREET_A);
    const villas = decode((await get(`/tiles/hotspots/${z}/${x}/${y}.mvt`)).rawPayload, 'hotspots');
    expect(villas[0]?.properties).toMatchObject({ name: '测试别墅区', villaItems: 2 });
    expect((await get(`/tiles/candidates/${z}/${x}/${y}.mvt`)).statusCode).toBe(204);
  });

  it('answers 204 for an empty tile and 400 for one outside the grid or an unknown layer', async () => {
    const far = lonLatToTile(0, 0, z);
    const empty = await get(`/tiles/registry/${z}/${far.x}/${far.y}.mvt`);
    expect(empty.statusCode).toBe(204);
    expect(empty.body).toBe('');
    expect((await get(`/tiles/registry/3/9/0.mvt`)).statusCode).toBe(400);
    expect((await get(`/tiles/parcels/${z}/${x}/${y}.mvt`)).statusCode).toBe(400);
  });

  it('gives a squad only its own street in tiles', async () => {
    const squadB = await h.login('squad-b');
    const res = await get(`/tiles/registry/14/${lonLatToTile(121.39, 31.255, 14).x}/${lonLatToTile(121.39, 31.255, 14).y}.mvt`, squadB);
    const cases = decode(res.rawPayload, 'registry').map((f) => f.properties.caseNo);
    expect(cases).toEqual(['T-B-1']);
  });
});

describe('health and docs', () => {
  it('reports db and redis ok', async () => {
    const res = await h.app.inject({ url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', db: 'ok', redis: 'ok' });
  });

  it('serves OpenAPI with the routes documented', async () => {
    const res = await h.app.inject({ url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    const paths = Object.keys(res.json().paths);
    for (const p of ['/api/health', '/api/auth/login', '/api/tokens', '/api/streets', '/api/registry', '/api/hotspots']) {
      expect(paths).toContain(p);
    }
  });
});
