// Inputs that once answered 500: each now gets a 4xx (or 503) that names the problem.
import JSZip from 'jszip';
import { beforeAll, describe, expect, it } from 'vitest';
import { useHarness } from './harness.js';

const h = useHarness('bad_input');
let office: string;
beforeAll(async () => {
  office = await h.login('office');
});

const get = (url: string) => h.app.inject({ url, headers: { cookie: office } });
const importFile = (fileName: string, payload: Buffer | string) =>
  h.app.inject({
    method: 'POST',
    url: `/api/registry/import?fileName=${fileName}`,
    headers: { cookie: office, 'content-type': 'application/octet-stream' },
    payload,
  });
const zipWithShp = async (shp: Buffer) => {
  const zip = new JSZip();
  zip.file('items.shp', shp);
  return zip.generateAsync({ type: 'nodebuffer' });
};

describe('bad input', () => {
  it('refuses ids and offsets beyond bigint at the schema', async () => {
    for (const url of ['/api/flights/9223372036854775808', '/api/flights?offset=9223372036854775808', '/api/candidates/99999999999999999999']) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error.message, url).toMatch(/must be <=/);
    }
  });

  it('knows only its own OGC collections, not the names every object has', async () => {
    for (const url of ['/ogc/collections/__proto__', '/ogc/collections/constructor', '/ogc/collections/toString/items']) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.json().error.message).toMatch(/no collection/);
    }
  });

  it('limits months to 2000-01 .. 2099-12', async () => {
    for (const url of ['/api/monthly-index?month=0000-01', '/api/monthly-index?month=9999-12', '/api/flights/stats?month=0000-01']) {
      expect((await get(url)).statusCode, url).toBe(400);
    }
    const res = await h.app.inject({ method: 'POST', url: '/api/exports/monthly-index', headers: { cookie: office }, payload: { month: '9999-12' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/between 2000-01 and 2099-12/);
  });

  it('refuses a photo bbox the size of the world', async () => {
    const res = await get('/api/photos?bbox=-180,-90,180,90');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/larger than 2°/);
  });

  it('reports a CSV row of NaN coordinates as invalid', async () => {
    const res = await importFile('nan.csv', 'case_no,wkt\r\nNAN-1,POINT(nan nan)\r\nNAN-2,"POLYGON((121.38 31.25,121.381 31.25,121.381 nan,121.38 31.25))"\r\n');
    expect(res.statusCode).toBe(200);
    const rows = res.json().rows as { outcome: string; messages: string[] }[];
    expect(rows.map((r) => r.outcome)).toEqual(['invalid', 'invalid']);
    expect(rows[0]!.messages.join()).toMatch(/not finite/);
  });

  it('refuses a random, truncated or zeroed .shp with a message', async () => {
    const header = Buffer.alloc(100);
    header.writeInt32BE(9994, 0);
    header.writeInt32BE(1000, 24);
    header.writeInt32LE(1000, 28);
    header.writeInt32LE(5, 32);
    const random = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 7919) % 256));
    for (const shp of [random, header, Buffer.alloc(400)]) {
      const res = await importFile('items.zip', await zipWithShp(shp));
      expect(res.statusCode).toBe(400);
      expect(res.json().error.message).toMatch(/items\.shp in the zip (cannot be read|holds no shapes)/);
    }
  });

  it('answers 503 naming GDAL when ogr2ogr is missing', async () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const res = await get('/api/registry/export?format=gpkg');
      expect(res.statusCode).toBe(503);
      expect(res.json().error.message).toMatch(/GDAL/);
    } finally {
      process.env.PATH = path;
    }
  });

  it('publishes a valid OpenAPI 3.0 document (no numeric exclusiveMinimum)', async () => {
    const doc = (await h.app.inject({ url: '/docs/json' })).body;
    expect(doc).not.toMatch(/"exclusiveM(in|ax)imum":\s*[0-9]/);
  });

  it('answers 405 with an Allow header when a known path is asked with a method it does not take', async () => {
    const del = await h.app.inject({ method: 'DELETE', url: '/api/streets', headers: { cookie: office } });
    expect(del.statusCode).toBe(405);
    expect(del.headers.allow).toBe('GET, HEAD');
    expect(del.json().error).toEqual({ code: 'method_not_allowed', message: 'DELETE is not allowed on /api/streets; it answers GET, HEAD' });
    const put = await h.app.inject({ method: 'PUT', url: '/api/candidates/12/decision?x=1', headers: { cookie: office } });
    expect(put.statusCode).toBe(405);
    expect(put.headers.allow).toBe('POST');
    expect((await h.app.inject({ method: 'DELETE', url: '/api/nothing-here', headers: { cookie: office } })).statusCode).toBe(404);
  });
});
