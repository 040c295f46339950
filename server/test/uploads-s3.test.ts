// Uploads kept in S3 (a real SeaweedFS): tus writes through the tus S3 store in parts, the hash is taken on the
// way in, and the ingest job names the object, not a local file.
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3ObjectStore } from '@tuban/core/storage/s3-object-store';
import { S3_MISSING, TEST_S3_BUCKET, TEST_S3_ENDPOINT, testS3Running, testStorageUrl } from '@tuban/core/testing/s3';
import { cutOffUpload, startUploadServer, tusUpload, type UploadHarness } from './upload-harness.js';

const s3Up = await testS3Running();
if (!s3Up) console.warn(`uploads on S3 skipped: ${S3_MISSING}`);

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const idOf = (url: string) => url.split('/').pop()!;
// The tus S3 store keeps finished uploads at the bucket's root, named by the upload id.
const bucketRoot = new S3ObjectStore({ bucket: TEST_S3_BUCKET, prefix: '', endpoint: TEST_S3_ENDPOINT, region: 'us-east-1' });

let h: UploadHarness;
const created: string[] = [];
beforeAll(async () => {
  if (s3Up) h = await startUploadServer('uploads_s3', { STORAGE_URL: testStorageUrl('uploads'), UPLOAD_MAX_BYTES: 64 * 1024 * 1024 });
});
afterAll(async () => {
  for (const id of created) for (const key of [id, `${id}.info`]) await bucketRoot.remove(key);
  bucketRoot.client.destroy();
  await h?.close();
});

describe.skipIf(!s3Up)('uploading imagery into S3', () => {
  it('stores a file of several parts as one object, with its checksum, and queues its ingest by key', async () => {
    const data = randomBytes(19 * 1024 * 1024 + 123);
    const out = await tusUpload(h, 'pilot-1', data, { filename: 'big.tif', kind: 'drone' });
    const id = idOf(out.url);
    created.push(id);
    expect(out.result).toMatchObject({ uploadId: id, duplicate: false, status: 'uploaded' });
    const { rows } = await h.db.query('SELECT sha256, size_bytes FROM imagery WHERE id = $1', [out.result!.imageryId]);
    expect(rows[0]).toEqual({ sha256: sha(data), size_bytes: data.length });
    const job = await h.queue.getJob(`ingest-imagery-${out.result!.imageryId}`);
    expect(job?.data).toEqual({ imageryId: out.result!.imageryId, sourceKey: id });
    expect(await bucketRoot.size(id)).toBe(data.length);
    expect(sha(await bucketRoot.getRange(id, 0, data.length))).toBe(sha(data));
    expect(await h.app.storage.objects.list('uploads/')).toEqual([]);
  }, 120_000);

  it('recognises the same file uploaded again and keeps no second object', async () => {
    const data = randomBytes(300_000);
    const first = await tusUpload(h, 'pilot-1', data, { filename: 'a.tif' });
    const second = await tusUpload(h, 'pilot-2', data, { filename: 'renamed.tif' });
    created.push(idOf(first.url), idOf(second.url));
    expect(second.result).toMatchObject({ imageryId: first.result!.imageryId, duplicate: true });
    expect(await bucketRoot.size(idOf(first.url))).toBe(data.length);
    expect(await bucketRoot.size(idOf(second.url))).toBeNull();
    expect(await bucketRoot.size(`${idOf(second.url)}.info`)).toBeNull();
  }, 120_000);

  it('resumes an upload cut off mid-request, and its checksum matches the whole file', async () => {
    const data = randomBytes(7 * 1024 * 1024);
    const url = await cutOffUpload(h, 'pilot-1', data, 6 * 1024 * 1024, { filename: 'cut.tif' });
    created.push(idOf(url));
    const out = await tusUpload(h, 'pilot-1', data, { filename: 'cut.tif' }, { uploadUrl: url });
    const { rows } = await h.db.query('SELECT sha256 FROM imagery WHERE id = $1', [out.result!.imageryId]);
    expect(rows[0].sha256).toBe(sha(data));
    expect(sha((await bucketRoot.get(idOf(url)))!)).toBe(sha(data));
  }, 120_000);
});
