// Map tiles served from a pyramid in S3 (a real SeaweedFS): a mixed pyramid's .jpg URLs answer JPEG inside and PNG at
// the edge, and the tiles the pyramid lacks (beyond the imagery, the other extension) are answered from the
// pyramid's index without a request to the store.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markReady } from '@tuban/core/db/imagery';
import type { ObjectStore } from '@tuban/core/storage/object-store';
import { insertTestImagery } from '@tuban/core/testing/fixtures';
import { removeTestStorage, S3_MISSING, testS3Running, testStorageUrl } from '@tuban/core/testing/s3';
import { imageryItem } from '@tuban/core/tiles/tile-store';
import { startHarness, type Harness } from './harness.js';

const s3Up = await testS3Running();
if (!s3Up) console.warn(`map tiles from S3 skipped: ${S3_MISSING}`);

const storageUrl = testStorageUrl('tiles');
let h: Harness;
let cookie: string;
const asked: string[] = [];

beforeAll(async () => {
  if (!s3Up) return;
  h = await startHarness('tiles_s3', { STORAGE_URL: storageUrl });
  cookie = await h.login('office');
  // Count what the server asks the store for.
  const objects = h.app.storage.objects as ObjectStore;
  const get = objects.get.bind(objects);
  objects.get = (key: string) => {
    asked.push(key);
    return get(key);
  };
});
afterAll(async () => {
  await h?.close();
  if (s3Up) await removeTestStorage(storageUrl);
});

describe.skipIf(!s3Up)('map tiles from S3', () => {
  it("serves a mixed pyramid's .jpg URLs, and answers missing tiles from its index", async () => {
    const id = await insertTestImagery(h.db, { fileName: 'mixed.tif', uploadedBy: h.users.admin!.id, capturedAt: '2026-05-01T00:00:00Z' });
    const ring = [[121.381, 31.251], [121.381, 31.252], [121.382, 31.252], [121.382, 31.251], [121.381, 31.251]];
    await markReady(h.db, id, {
      capturedAt: new Date('2026-05-01T00:00:00Z'), crs: 'EPSG:4549', gsdM: 0.05, widthPx: 2000, heightPx: 2200,
      bands: [{ index: 1, role: 'red' }], minZoom: 12, maxZoom: 21, tileFormat: 'mixed', tileCount: 2,
      footprintRings: [ring], simplifyDeg: 1e-7, extentRing: ring,
    });
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0]);
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
    const writer = await h.app.storage.tiles.begin(imageryItem(id), 'jpg');
    await writer.put({ z: 21, x: 1756105, y: 857013 }, jpeg);
    await writer.put({ z: 21, x: 1756106, y: 857013 }, png, 'png');
    await writer.publish();
    const get = (url: string) => h.app.inject({ method: 'GET', url, headers: { cookie } });

    asked.length = 0;
    const inner = await get(`/tiles/imagery/${id}/21/1756105/857013.jpg`);
    expect(inner.headers['content-type']).toBe('image/jpeg');
    expect(inner.rawPayload.equals(jpeg)).toBe(true);
    const edge = await get(`/tiles/imagery/${id}/21/1756106/857013.jpg`);
    expect(edge.headers['content-type']).toBe('image/png');
    expect(edge.rawPayload.equals(png)).toBe(true);
    for (const x of [1756104, 1756107]) expect((await get(`/tiles/imagery/${id}/21/${x}/857013.jpg`)).statusCode).toBe(204);
    expect((await get(`/tiles/imagery/${id}/20/878052/428506.jpg`)).statusCode).toBe(204);
    const tilesAsked = asked.filter((k) => !k.endsWith('/tile-index.bin'));
    expect(tilesAsked).toEqual([expect.stringMatching(/\/21\/1756105\/857013\.jpg$/), expect.stringMatching(/\/21\/1756106\/857013\.png$/)]);
  });
});
