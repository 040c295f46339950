import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { markEvidencePhotoReady } from '@tuban/core/db/evidence-photos';
import { insertTestImagery } from '@tuban/core/testing/fixtures';
import { imageryItem, imageryTileStore } from '@tuban/core/tiles/tile-store';
import { useHarness } from './harness.js';

const h = useHarness('imagery_photos_api');
let cookie: string;
let jpeg: Buffer;
const ids: Record<string, number> = {};

beforeAll(async () => {
  cookie = await h.login('office');
  jpeg = await sharp({ create: { width: 16, height: 12, channels: 3, background: '#888' } }).jpeg().toBuffer();
  const places: Record<string, [number, number]> = { near: [121.4, 31.25], edge: [121.4105, 31.25], far: [121.6, 31.1] };
  for (const [name, [lon, lat]] of Object.entries(places)) {
    ids[name] = await insertTestImagery(h.db, { kind: 'photo', fileName: `${name}.jpg`, uploadedBy: h.users.admin!.id });
    await markEvidencePhotoReady(h.db, ids[name]!, {
      lon, lat, altitudeM: 35.2, altitudeRef: 'takeoff', capturedAt: new Date('2026-05-01T02:00:00Z'), camera: 'DJI FC6310',
      yawDeg: -12.5, pitchDeg: -90, widthPx: 16, heightPx: 12,
    });
    const writer = await imageryTileStore(h.dataDir).begin(imageryItem(ids[name]!), 'jpg');
    await writer.putFile('photo.jpg', jpeg);
    await writer.putFile('thumbnail.webp', await sharp(jpeg).webp().toBuffer());
    await writer.publish();
  }
  ids.pending = await insertTestImagery(h.db, { kind: 'photo', fileName: 'p.jpg', uploadedBy: h.users.admin!.id });
});

const get = (url: string, withCookie = true) => h.app.inject({ method: 'GET', url, headers: withCookie ? { cookie } : {} });

describe('evidence photos API', () => {
  it('returns a photo item with its position and pose instead of a footprint', async () => {
    const res = await get(`/api/imagery/${ids.near}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      kind: 'photo', status: 'ready', footprint: null, position: { type: 'Point', coordinates: [121.4, 31.25] },
      altitudeM: 35.2, altitudeRef: 'takeoff', camera: 'DJI FC6310', yawDeg: -12.5, pitchDeg: -90, capturedAt: '2026-05-01T02:00:00.000Z',
    });
  });

  it('serves the original JPEG and the thumbnail, only when ready and only to a signed-in user', async () => {
    const res = await get(`/api/imagery/${ids.near}/photo.jpg`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/jpeg');
    expect(res.rawPayload).toEqual(jpeg);
    expect((await get(`/api/imagery/${ids.near}/thumbnail.webp`)).headers['content-type']).toBe('image/webp');
    expect((await get(`/api/imagery/${ids.pending}/photo.jpg`)).statusCode).toBe(404);
    expect((await get(`/api/imagery/${ids.near}/photo.jpg`, false)).statusCode).toBe(401);
  });

  it('lists photos inside a bbox, and those within a margin of it', async () => {
    const bbox = '121.39,31.24,121.41,31.26';
    const names = async (url: string) => ((await get(url)).json() as { items: { id: number }[] }).items.map((i) => i.id).sort();
    expect(await names(`/api/photos?bbox=${bbox}`)).toEqual([ids.near]);
    // The edge photo is ~ 50 m east of the bbox.
    expect(await names(`/api/photos?bbox=${bbox}&marginM=100`)).toEqual([ids.near, ids.edge].sort());
    expect((await get('/api/photos?bbox=1,2,3')).statusCode).toBe(400);
    expect((await get(`/api/photos?bbox=${bbox}`, false)).statusCode).toBe(401);
  });
});
