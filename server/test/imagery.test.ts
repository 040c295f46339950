import { beforeAll, describe, expect, it } from 'vitest';
import { markFailed, markReady } from '@tuban/core/db/imagery';
import { insertTestImagery } from '@tuban/core/testing/fixtures';
import { imageryItem, imageryTileStore } from '@tuban/core/tiles/tile-store';
import { expectMixedTestTiles, readyTestImagery, useHarness, writeMixedTestPyramid } from './harness.js';

const h = useHarness('imagery_api');
let cookie: string;
const ids: Record<string, number> = {};
const WEBP = Buffer.from('RIFF....WEBPVP8 fake tile bytes');

beforeAll(async () => {
  cookie = await h.login('office');
  for (const name of ['ready', 'failed', 'uploaded']) {
    ids[name] = await insertTestImagery(h.db, { fileName: `${name}.tif`, uploadedBy: h.users.admin!.id, capturedAt: '2026-05-01T00:00:00Z' });
  }
  const ring = [[121.381, 31.251], [121.381, 31.252], [121.382, 31.252], [121.382, 31.251], [121.381, 31.251]];
  await markReady(h.db, ids.ready!, {
    capturedAt: new Date('2026-05-01T00:00:00Z'), crs: 'EPSG:4549', gsdM: 0.05, widthPx: 2000, heightPx: 2200,
    bands: [{ index: 1, role: 'red' }], minZoom: 12, maxZoom: 21, tileFormat: 'webp', tileCount: 1,
    footprintRings: [ring], simplifyDeg: 1e-7, extentRing: ring,
  });
  await markFailed(h.db, ids.failed!, 'unsupported CRS EPSG:2154');
  const writer = await imageryTileStore(h.dataDir).begin(imageryItem(ids.ready!), 'webp');
  await writer.put({ z: 21, x: 1756105, y: 857013 }, WEBP);
  await writer.publish();
});

const get = (url: string, withCookie = true) => h.app.inject({ method: 'GET', url, headers: withCookie ? { cookie } : {} });

describe('imagery API', () => {
  it('returns one item with its footprint, GSD, CRS and capture time', async () => {
    const res = await get(`/api/imagery/${ids.ready}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'ready', crs: 'EPSG:4549', gsdM: 0.05, capturedAt: '2026-05-01T00:00:00.000Z', minZoom: 12, maxZoom: 21,
      footprint: { type: 'MultiPolygon' },
    });
    expect((await get(`/api/imagery/${ids.failed}`)).json()).toMatchObject({ status: 'failed', error: 'unsupported CRS EPSG:2154' });
    expect((await get('/api/imagery/999999')).statusCode).toBe(404);
    expect((await get(`/api/imagery/${ids.ready}`, false)).statusCode).toBe(401);
  });

  it('lists by status and bbox', async () => {
    const ready = (await get('/api/imagery?status=ready')).json() as { items: { id: number }[] };
    expect(ready.items.map((i) => i.id)).toEqual([ids.ready]);
    const inside = (await get('/api/imagery?bbox=121.38,31.25,121.39,31.26')).json() as { items: { id: number }[] };
    expect(inside.items.map((i) => i.id)).toEqual([ids.ready]);
    const away = (await get('/api/imagery?bbox=121.0,31.0,121.1,31.1')).json() as { items: unknown[] };
    expect(away.items).toEqual([]);
    expect((await get('/api/imagery?bbox=1,2,3')).statusCode).toBe(400);
    expect((await get('/api/imagery')).json().items).toHaveLength(3);
  });

  it('serves tiles with long cache headers, 204 where there is no data, 404 for items not ready', async () => {
    const tile = await get(`/tiles/imagery/${ids.ready}/21/1756105/857013.webp`);
    expect(tile.statusCode).toBe(200);
    expect(tile.headers['content-type']).toBe('image/webp');
    expect(tile.headers['cache-control']).toContain('max-age=31536000');
    expect(tile.rawPayload.equals(WEBP)).toBe(true);
    expect((await get(`/tiles/imagery/${ids.ready}/21/1756106/857013.webp`)).statusCode).toBe(204);
    expect((await get(`/tiles/imagery/${ids.uploaded}/21/1756105/857013.webp`)).statusCode).toBe(404);
    expect((await get(`/tiles/imagery/${ids.ready}/3/9/0.webp`)).statusCode).toBe(400);
    expect((await get(`/tiles/imagery/${ids.ready}/21/1756105/857013.webp`, false)).statusCode).toBe(401);
  });

  it("serves a mixed pyramid's .jpg URLs: JPEG where opaque, PNG at the edges, and names the right extension", async () => {
    const id = await readyTestImagery(h.db, h.users.admin!.id, 'mixed.tif', 'mixed', 2);
    await writeMixedTestPyramid(imageryTileStore(h.dataDir), id);
    await expectMixedTestTiles(get, id);
    expect((await get(`/tiles/imagery/${id}/21/1756107/857013.jpg`)).statusCode).toBe(204);
    const wrong = await get(`/tiles/imagery/${id}/21/1756105/857013.webp`);
    expect(wrong.statusCode).toBe(404);
    expect(wrong.json().error.message).toContain('ask for .jpg');
    expect((await get(`/tiles/imagery/${ids.ready}/21/1756105/857013.jpg`)).statusCode).toBe(404);
  });
});
