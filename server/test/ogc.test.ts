import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import JSZip from 'jszip';
import { beforeAll, describe, expect, it } from 'vitest';
import { STREET_A, useHarness } from './harness.js';

const run = promisify(execFile);
const h = useHarness('ogc');
let office: string;
let squad: string;
let base: string;
let token: string;

beforeAll(async () => {
  [office, squad] = await Promise.all([h.login('office'), h.login('squad-a')]);
  await h.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
  token = (await h.app.inject({ method: 'POST', url: '/api/tokens', headers: { cookie: office }, payload: { name: 'gdal' } })).json().token;
});

const get = (url: string, cookie = office) => h.app.inject({ url, headers: { cookie } });

describe('OGC API – Features', () => {
  it('lists the four collections with their extents', async () => {
    const res = (await get('/ogc/collections')).json();
    expect(res.collections.map((c: { id: string }) => c.id)).toEqual(['registry', 'candidates', 'hotspots', 'streets']);
    expect(res.collections[3].extent.spatial.bbox[0]).toEqual([121.38, 31.25, 121.4, 31.26]);
    expect((await get('/ogc/conformance')).json().conformsTo).toContain('http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson');
    expect((await get('/ogc/collections/nope')).statusCode).toBe(404);
  });

  it('filters by bbox and datetime and pages with next links', async () => {
    const all = (await get('/ogc/collections/registry/items?limit=3')).json();
    expect([all.numberMatched, all.numberReturned]).toEqual([4, 3]);
    expect(all.links.find((l: { rel: string }) => l.rel === 'next').href).toMatch(/offset=3/);
    const second = (await get('/ogc/collections/registry/items?limit=3&offset=3')).json();
    expect(second.numberReturned).toBe(1);
    const inB = (await get('/ogc/collections/registry/items?bbox=121.39,31.25,121.40,31.26')).json();
    expect(inB.features.map((f: { properties: { caseNo: string } }) => f.properties.caseNo)).toEqual(['T-B-1']);
    // found 2025-03-01 and 2025-05-01; a bare date is the whole Shanghai day
    const spring = (await get('/ogc/collections/registry/items?datetime=2025-01-01/2025-04-01')).json();
    expect(spring.features.map((f: { properties: { caseNo: string } }) => f.properties.caseNo)).toEqual(['T-A-1']);
    const since = (await get('/ogc/collections/registry/items?datetime=2025-05-01/..')).json();
    expect(since.numberMatched).toBe(1);
    expect((await get('/ogc/collections/registry/items?datetime=yesterday')).statusCode).toBe(400);
    const one = await get(`/ogc/collections/registry/items/${inB.features[0].id}`);
    expect(one.headers['content-type']).toMatch(/application\/geo\+json/);
  });

  it('holds a squad to its street', async () => {
    const own = (await get('/ogc/collections/registry/items', squad)).json();
    expect(own.features.every((f: { properties: { streetCode: string } }) => f.properties.streetCode === STREET_A)).toBe(true);
    expect(own.numberMatched).toBe(3);
    expect((await h.app.inject({ url: '/ogc/collections' })).statusCode).toBe(401);
  });

  it('is read by GDAL (ogrinfo OAPIF)', async () => {
    const { stdout } = await run('ogrinfo', ['-ro', '-al', '-q', `OAPIF:${base}/ogc`, 'registry'], {
      env: { ...process.env, GDAL_HTTP_HEADERS: `Authorization: Bearer ${token}` },
      timeout: 20_000,
    });
    for (const caseNo of ['T-A-1', 'T-B-1', 'T-A-V', 'T-A-W']) expect(stdout).toContain(caseNo);
    expect(stdout).toMatch(/MULTIPOLYGON \(\(\(121\.385 31\.255/);
  });
});

describe('registry as Shapefile and GeoPackage', () => {
  it('exports a zipped Shapefile with a .prj that GDAL reads back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tuban-shp-out-'));
    try {
      const shp = await get('/api/registry/export?format=shp');
      expect(shp.statusCode).toBe(200);
      const zip = await JSZip.loadAsync(shp.rawPayload);
      expect(Object.keys(zip.files).sort()).toEqual(['registry.cpg', 'registry.dbf', 'registry.prj', 'registry.shp', 'registry.shx']);
      expect(await zip.file('registry.prj')!.async('string')).toMatch(/WGS_1984|WGS 84/);
      const gpkg = await get('/api/registry/export?format=gpkg', squad);
      writeFileSync(join(dir, 'r.gpkg'), gpkg.rawPayload);
      const { stdout } = await run('ogrinfo', ['-ro', '-al', '-so', join(dir, 'r.gpkg')]);
      expect(stdout).toMatch(/Feature Count: 3/); // the squad's street only
      expect(stdout).toMatch(/EPSG",4326|WGS 84/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
