// Map tiles served from a pyramid in S3 (a real SeaweedFS): a mixed pyramid's .jpg URLs answer JPEG inside and PNG at
// the edge, and the tiles the pyramid lacks (beyond the imagery, the other extension) are answered from the
// pyramid's index without a request to the store.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ObjectStore } from '@tuban/core/storage/object-store';
import { removeTestStorage, S3_MISSING, testS3Running, testStorageUrl } from '@tuban/core/testing/s3';
import { expectMixedTestTiles, readyTestImagery, startHarness, writeMixedTestPyramid, type Harness } from './harness.js';

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
    const id = await readyTestImagery(h.db, h.users.admin!.id, 'mixed.tif', 'mixed', 2);
    await writeMixedTestPyramid(h.app.storage.tiles, id);
    const get = (url: string) => h.app.inject({ method: 'GET', url, headers: { cookie } });

    asked.length = 0;
    await expectMixedTestTiles(get, id);
    for (const x of [1756104, 1756107]) expect((await get(`/tiles/imagery/${id}/21/${x}/857013.jpg`)).statusCode).toBe(204);
    expect((await get(`/tiles/imagery/${id}/20/878052/428506.jpg`)).statusCode).toBe(204);
    const tilesAsked = asked.filter((k) => !k.endsWith('/tile-index.bin'));
    expect(tilesAsked).toEqual([expect.stringMatching(/\/21\/1756105\/857013\.jpg$/), expect.stringMatching(/\/21\/1756106\/857013\.png$/)]);
  });
});
