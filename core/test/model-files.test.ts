// A trained version's ONNX file from the object store: read in place from a folder store; from S3 (a real
// SeaweedFS) copied into this machine's cache folder, checked by SHA-256, reused while its hash is right, fetched
// again when the copy is spoilt, and refused, naming the version, when the stored file is not the measured one.
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_PATH } from '../src/change/model-card.js';
import { CACHE_KEEP_VERSIONS, modelFiles, pruneModelCache, verifiedModelFile } from '../src/learning/model-files.js';
import { LocalObjectStore } from '../src/storage/local-object-store.js';
import { S3ObjectStore } from '../src/storage/s3-object-store.js';
import { parseStorageUrl } from '../src/storage/storage-url.js';
import { removeTestStorage, S3_MISSING, testS3Running, testStorageUrl } from '../src/testing/s3.js';

const s3Up = await testS3Running();
if (!s3Up) console.warn(`model files in S3 skipped: ${S3_MISSING}`);

const storageUrl = testStorageUrl('model-files');
let dir: string;
let onnx: Buffer;
let sha: string;
const hash = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const row = (version: string) => ({ version, parentVersion: '0.3.0', onnxPath: `models/${version}/tuban-change.onnx`, onnxSha256: sha, card: { name: 'test', version } });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tuban-model-files-'));
  onnx = await readFile(DEFAULT_MODEL_PATH);
  sha = hash(onnx);
});
afterAll(async () => {
  if (s3Up) await removeTestStorage(storageUrl);
  await rm(dir, { recursive: true, force: true });
});

describe('trained model files', () => {
  it('are read in place from a folder store, with no copy', async () => {
    const objects = new LocalObjectStore(join(dir, 'store'));
    await objects.put('models/0.9.0+local/tuban-change.onnx', onnx);
    const files = modelFiles(objects, join(dir, 'work-local'));
    expect(await verifiedModelFile(row('0.9.0+local'), files)).toBe(join(dir, 'store', 'models', '0.9.0+local', 'tuban-change.onnx'));
    await expect(readdir(join(dir, 'work-local'))).rejects.toThrow(/ENOENT/);
    await objects.put('models/0.9.0+local/tuban-change.onnx', Buffer.from('not the model'));
    await expect(verifiedModelFile(row('0.9.0+local'), files)).rejects.toThrow(/model version 0\.9\.0\+local: its ONNX file .* has SHA-256 [0-9a-f]{64}, not the recorded/);
  });

  it.skipIf(!s3Up)('are copied from S3 into the cache folder, reused while right, fetched again when spoilt, refused when not the measured file', async () => {
    const loc = parseStorageUrl(storageUrl, dir);
    if (loc.kind !== 's3') throw new Error('expected an S3 storage URL');
    const objects = new S3ObjectStore(loc);
    await objects.ensureBucket();
    const files = modelFiles(objects, join(dir, 'work'));
    const cached = join(dir, 'work', 'tmp', 'models', '0.9.0+s3', 'tuban-change.onnx');
    try {
      await objects.put('models/0.9.0+s3/tuban-change.onnx', onnx);
      expect(await verifiedModelFile(row('0.9.0+s3'), files)).toBe(cached);
      expect(hash(await readFile(cached))).toBe(sha);
      // the recorded card beside it, where the ONNX loader reads it
      expect(JSON.parse(await readFile(cached.replace(/onnx$/, 'card.json'), 'utf8'))).toEqual({ name: 'test', version: '0.9.0+s3' });

      // the copy is used as it is: the object could be gone and nothing is fetched
      await objects.remove('models/0.9.0+s3/tuban-change.onnx');
      expect(await verifiedModelFile(row('0.9.0+s3'), files)).toBe(cached);

      // a spoilt copy is replaced by a fresh one
      await writeFile(cached, 'half a model');
      await objects.put('models/0.9.0+s3/tuban-change.onnx', onnx);
      expect(await verifiedModelFile(row('0.9.0+s3'), files)).toBe(cached);
      expect(hash(await readFile(cached))).toBe(sha);

      // a stored file that is not the measured one is refused and leaves nothing in the cache
      await objects.put('models/0.9.1+bad/tuban-change.onnx', Buffer.concat([onnx, Buffer.from('x')]));
      await expect(verifiedModelFile(row('0.9.1+bad'), files)).rejects.toThrow(
        /model version 0\.9\.1\+bad: its ONNX file models\/0\.9\.1\+bad\/tuban-change\.onnx in s3:\/\/.* has SHA-256 [0-9a-f]{64}, not the recorded/,
      );
      await expect(verifiedModelFile(row('0.9.2+gone'), files)).rejects.toThrow(/model version 0\.9\.2\+gone: its ONNX file models\/0\.9\.2\+gone\/tuban-change\.onnx in s3:\/\/.* is missing/);
      expect((await readdir(join(dir, 'work', 'tmp', 'models'), { recursive: true })).sort()).toEqual(
        ['0.9.0+s3', '0.9.0+s3/tuban-change.card.json', '0.9.0+s3/tuban-change.onnx', '0.9.1+bad'],
      );
    } finally {
      objects.client.destroy();
    }
  });

  it('the cache keeps the versions used last and those in use within the hour, and forgets the rest', async () => {
    const cache = join(dir, 'prune', 'tmp', 'models');
    const now = Date.now();
    const hoursAgo = [0.1, 5, 0.5, 30, 2, 0.9, 48];
    for (const [i, h] of hoursAgo.entries()) {
      const folder = join(cache, `0.9.${i}+t`);
      await mkdir(folder, { recursive: true });
      await writeFile(join(folder, 'tuban-change.onnx'), 'x');
      const at = new Date(now - h * 3600_000);
      await utimes(folder, at, at);
    }
    await writeFile(join(cache, 'stray-file'), 'not a version');
    expect(CACHE_KEEP_VERSIONS).toBe(3);
    // Newest three: 0.1 h, 0.5 h, 0.9 h. Beyond them all were last used over an hour ago.
    expect((await pruneModelCache(cache, now)).sort()).toEqual(['0.9.1+t', '0.9.3+t', '0.9.4+t', '0.9.6+t']);
    expect((await readdir(cache)).sort()).toEqual(['0.9.0+t', '0.9.2+t', '0.9.5+t', 'stray-file']);
    // Used within the hour: kept even beyond the newest three.
    for (const v of ['0.9.7+t', '0.9.8+t']) await mkdir(join(cache, v));
    expect(await pruneModelCache(cache, now)).toEqual([]);
  });
});
