// The two object stores behave alike (a folder, and S3 on a real SeaweedFS), and tile pyramids in S3 are
// published in one step through their pointer row in PostGIS.
import { AbortMultipartUploadCommand, CreateMultipartUploadCommand, ListMultipartUploadsCommand, UploadPartCommand } from '@aws-sdk/client-s3';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Queryable } from '../src/db/pool.js';
import { PART_BYTES, S3ObjectStore } from '../src/storage/s3-object-store.js';
import { openStorage, type Storage } from '../src/storage/storage.js';
import { createTestDatabase, type TestDatabase } from '../src/testing/database.js';
import { ObjectTileStore } from '../src/tiles/object-tile-store.js';
import { removeTestStorage, S3_MISSING, testS3Running, testStorageUrl } from '../src/testing/s3.js';

const s3Up = await testS3Running();
if (!s3Up) console.warn(`object-store tests on S3 skipped: ${S3_MISSING}`);

let db: TestDatabase;
let folder: string;
const storageUrl = testStorageUrl('object-store');
const stores: Record<string, Storage> = {};

beforeAll(async () => {
  db = await createTestDatabase('object_store');
  folder = await mkdtemp(join(tmpdir(), 'tuban-objects-'));
  stores.local = await openStorage({ STORAGE_URL: '', DATA_DIR: folder }, db.pool);
  if (s3Up) {
    stores.s3 = await openStorage({ STORAGE_URL: storageUrl, DATA_DIR: '/nonexistent' }, db.pool);
    expect(stores.s3.tiles).toBeInstanceOf(ObjectTileStore);
    // A publish waits out the readers' trust in the old pointer before deleting it: kept short here.
    stores.s3.tiles = s3Tiles(db.pool, 300);
  }
});

afterAll(async () => {
  if (s3Up) await removeTestStorage(storageUrl);
  await rm(folder, { recursive: true, force: true });
  await db?.drop();
});

const kinds = s3Up ? ['local', 's3'] : ['local'];
const s3Tiles = (q: Queryable, pointerTtlMs: number) => new ObjectTileStore(stores.s3!.objects, q, { pointerTtlMs });

describe.each(kinds)('%s object store', (kind) => {
  const objects = () => stores[kind]!.objects;

  it('writes, reads whole and by range, lists and removes objects', async () => {
    const data = Buffer.from(Array.from({ length: 100_000 }, (_, i) => i % 251));
    await objects().put('exports/7/index.csv', data);
    await objects().put('exports/7/deep/more.json', Readable.from([Buffer.from('{"a":'), Buffer.from('1}')]));
    expect(await objects().get('exports/7/index.csv')).toEqual(data);
    expect(await objects().getRange('exports/7/index.csv', 99_990, 20)).toEqual(data.subarray(99_990));
    expect(await objects().getRange('exports/7/index.csv', 1000, 16)).toEqual(data.subarray(1000, 1016));
    expect(await objects().size('exports/7/index.csv')).toBe(100_000);
    expect((await objects().get('exports/7/deep/more.json'))!.toString()).toBe('{"a":1}');
    expect((await objects().list('exports/7/')).sort()).toEqual(['exports/7/deep/more.json', 'exports/7/index.csv']);
    expect(await objects().listFolders('exports/7/')).toEqual(['deep']);
    expect(await objects().listFolders('exports/8/')).toEqual([]);
    await objects().removePrefix('exports/7/');
    expect(await objects().list('exports/7/')).toEqual([]);
    expect(await objects().get('exports/7/index.csv')).toBeNull();
    expect(await objects().size('exports/7/index.csv')).toBeNull();
    expect(await objects().stream('exports/7/index.csv')).toBeNull();
  });

  it('names the key of a missing object in a ranged read, and refuses keys that climb out', async () => {
    await expect(objects().getRange('uploads/none', 0, 10)).rejects.toMatchObject({ code: 'ENOENT', path: 'uploads/none' });
    await expect(objects().put('../escape', Buffer.from('x'))).rejects.toThrow(/bad object key/);
    await expect(objects().get('/etc/passwd')).rejects.toThrow(/bad object key/);
  });

  it('publishes a pyramid in one step: a reader sees the old one until publish, the new one after', async () => {
    const tiles = stores[kind]!.tiles;
    const key = { z: 18, x: 219600, y: 107000 };
    const first = await tiles.begin('imagery/41', 'jpg');
    await first.put(key, Buffer.from('old'));
    await first.putFile('thumbnail.webp', Buffer.from('thumb'));
    expect(await tiles.get('imagery/41', key, 'jpg')).toBeNull();
    await first.publish();
    expect((await tiles.get('imagery/41', key, 'jpg'))!.toString()).toBe('old');
    expect((await tiles.getFile('imagery/41', 'thumbnail.webp'))!.toString()).toBe('thumb');

    const second = await tiles.begin('imagery/41', 'jpg');
    await second.put(key, Buffer.from('new'), 'png');
    expect((await tiles.get('imagery/41', key, 'jpg'))!.toString()).toBe('old');
    await second.publish();
    expect((await tiles.get('imagery/41', key, 'png'))!.toString()).toBe('new');
    expect(await tiles.get('imagery/41', key, 'jpg')).toBeNull();
    expect(await tiles.getFile('imagery/41', 'thumbnail.webp')).toBeNull();

    // A writer killed half-way leaves a staged version; the next begin clears it, the published one stays.
    const killed = await tiles.begin('imagery/41', 'jpg');
    await killed.put(key, Buffer.from('half'));
    const third = await tiles.begin('imagery/41', 'jpg');
    expect((await tiles.get('imagery/41', key, 'png'))!.toString()).toBe('new');
    await third.discard();
    await tiles.remove('imagery/41');
    expect(await tiles.get('imagery/41', key, 'png')).toBeNull();
    expect(await objects().list('tiles/imagery/41/')).toEqual([]);
  });
});

describe.skipIf(!s3Up)('tile pyramids on S3', () => {
  it('a second reader with a remembered pointer finds a republished pyramid once the publish returns', async () => {
    const other = s3Tiles(db.pool, 300);
    const key = { z: 17, x: 1, y: 2 };
    const w1 = await stores.s3!.tiles.begin('imagery/42', 'jpg');
    await w1.put(key, Buffer.from('v1'));
    await w1.publish();
    expect((await other.get('imagery/42', key, 'jpg'))!.toString()).toBe('v1');
    const w2 = await stores.s3!.tiles.begin('imagery/42', 'jpg');
    await w2.put(key, Buffer.from('v2'));
    await w2.publish();
    expect((await other.get('imagery/42', key, 'jpg'))!.toString()).toBe('v2');
    const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM tile_pyramids WHERE item = $1', ['imagery/42']);
    expect(rows[0].n).toBe(1);
  });

  it('a reader trusts its pointer for missing tiles too, and sees the old pyramid whole until the publish is done', async () => {
    const ttl = 2000;
    let lookUps = 0;
    const counting = {
      query: (text: string, values: unknown[]) => {
        lookUps++;
        return db.pool.query(text, values);
      },
    } as unknown as Queryable;
    const reader = s3Tiles(counting, ttl);
    const writer = s3Tiles(db.pool, ttl);
    const [a, b] = [{ z: 18, x: 5, y: 6 }, { z: 18, x: 5, y: 7 }];
    const w1 = await writer.begin('imagery/43', 'jpg');
    await w1.put(a, Buffer.from('a1'));
    await w1.publish();
    const w2 = await writer.begin('imagery/43', 'jpg');
    await w2.put(a, Buffer.from('a2'));
    await w2.put(b, Buffer.from('b2'));

    // Missing tiles (another extension, beyond the imagery) under a trusted pointer: no second look-up.
    expect((await reader.get('imagery/43', a, 'jpg'))!.toString()).toBe('a1');
    for (let y = 100; y < 120; y++) expect(await reader.get('imagery/43', { z: 18, x: 5, y }, 'jpg')).toBeNull();
    expect(await reader.get('imagery/43', a, 'png')).toBeNull();
    expect(lookUps).toBe(1);

    const published = async () => (await db.pool.query('SELECT version FROM tile_pyramids WHERE item = $1', ['imagery/43'])).rows[0].version;
    const old = await published();
    const publishing = w2.publish();
    while ((await published()) === old) await sleep(10);
    // Switched, but this reader asked before: it reads the old pyramid, whole (b was not in it), as long as it trusts it.
    expect((await reader.get('imagery/43', a, 'jpg'))!.toString()).toBe('a1');
    expect(await reader.get('imagery/43', b, 'jpg')).toBeNull();
    await publishing;
    expect((await reader.get('imagery/43', a, 'jpg'))!.toString()).toBe('a2');
    expect((await reader.get('imagery/43', b, 'jpg'))!.toString()).toBe('b2');
    expect(lookUps).toBe(2);
    const current = await published();
    expect((await stores.s3!.objects.list('tiles/imagery/43/')).every((k) => k.startsWith(`tiles/imagery/43/${current}/`))).toBe(true);
  });
});

describe.skipIf(!s3Up)('tile indexes on S3', () => {
  /** The S3 store, counting the objects asked for. */
  const counting = () => {
    const asked: string[] = [];
    const objects = new Proxy(stores.s3!.objects, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (prop !== 'get' || typeof value !== 'function') return value;
        return (key: string) => {
          asked.push(key);
          return (value as (k: string) => Promise<Buffer | null>).call(target, key);
        };
      },
    });
    return { asked, tiles: new ObjectTileStore(objects, db.pool, { pointerTtlMs: 300 }) };
  };

  it('answers tiles a version lacks from its index, without asking the store', async () => {
    const [inner, edge] = [{ z: 18, x: 10, y: 10 }, { z: 18, x: 11, y: 10 }];
    const writer = await stores.s3!.tiles.begin('imagery/44', 'jpg');
    await writer.put(inner, Buffer.from('inner'));
    await writer.put(edge, Buffer.from('edge'), 'png');
    await writer.publish();

    const { asked, tiles } = counting();
    expect((await tiles.get('imagery/44', inner, 'jpg'))!.toString()).toBe('inner');
    // Read as a mixed-format pyramid is: the edge first as JPEG, then as PNG; then the ring around the imagery.
    expect(await tiles.get('imagery/44', edge, 'jpg')).toBeNull();
    expect((await tiles.get('imagery/44', edge, 'png'))!.toString()).toBe('edge');
    for (let x = 9; x <= 12; x++) for (const ext of ['jpg', 'png']) expect(await tiles.get('imagery/44', { z: 18, x, y: 11 }, ext)).toBeNull();
    expect(await tiles.get('imagery/44', { z: 17, x: 5, y: 5 }, 'jpg')).toBeNull();
    expect(asked.filter((k) => !k.endsWith('tile-index.bin'))).toEqual([expect.stringMatching(/\/18\/10\/10\.jpg$/), expect.stringMatching(/\/18\/11\/10\.png$/)]);
    expect(asked.filter((k) => k.endsWith('tile-index.bin'))).toHaveLength(1);
  });

  it('reads a version written without an index by asking the store, as before', async () => {
    const key = { z: 18, x: 3, y: 4 };
    const writer = await stores.s3!.tiles.begin('imagery/45', 'jpg');
    await writer.put(key, Buffer.from('old pyramid'));
    await writer.publish();
    const { rows } = await db.pool.query<{ version: string }>('SELECT version FROM tile_pyramids WHERE item = $1', ['imagery/45']);
    await stores.s3!.objects.removePrefix(`tiles/imagery/45/${rows[0]!.version}/tile-index.bin`);

    const { asked, tiles } = counting();
    expect((await tiles.get('imagery/45', key, 'jpg'))!.toString()).toBe('old pyramid');
    expect(await tiles.get('imagery/45', { z: 18, x: 3, y: 5 }, 'jpg')).toBeNull();
    expect(asked.filter((k) => !k.endsWith('tile-index.bin'))).toHaveLength(2);
  });

  it('names a damaged index', async () => {
    const writer = await stores.s3!.tiles.begin('imagery/46', 'jpg');
    await writer.put({ z: 18, x: 1, y: 1 }, Buffer.from('t'));
    await writer.publish();
    const { rows } = await db.pool.query<{ version: string }>('SELECT version FROM tile_pyramids WHERE item = $1', ['imagery/46']);
    await stores.s3!.objects.put(`tiles/imagery/46/${rows[0]!.version}/tile-index.bin`, Buffer.from('garbage'));
    await expect(counting().tiles.get('imagery/46', { z: 18, x: 1, y: 1 }, 'jpg')).rejects.toThrow(/tile index .*imagery\/46.* is damaged/);
  });
});

/** `mib` MiB of random bytes in 1 MiB chunks, made as they are read; `hash` is their SHA-256 once all are read. */
function randomStream(mib: number, failAfterMib?: number): { stream: Readable; hash: () => string } {
  const hash = createHash('sha256');
  async function* chunks() {
    for (let i = 0; i < mib; i++) {
      if (i === failAfterMib) throw new Error('the source broke off');
      const chunk = randomBytes(1 << 20);
      hash.update(chunk);
      yield chunk;
    }
  }
  // One chunk read ahead, so what the source holds is not counted as the store's.
  return { stream: Readable.from(chunks(), { highWaterMark: 1 }), hash: () => hash.digest('hex') };
}

describe.skipIf(!s3Up)('streams into S3', () => {
  const s3 = () => stores.s3!.objects as S3ObjectStore;
  const pendingUploads = async () => {
    const { bucket, prefix } = s3().location;
    const page = await s3().client.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: prefix }));
    return page.Uploads ?? [];
  };

  it('sends a large stream in parts, holding a few parts, not the object', async () => {
    const mib = 64;
    const { stream, hash } = randomStream(mib);
    // Memory still held, not garbage waiting for a collection: samples are taken right after one.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    gc();
    const base = process.memoryUsage();
    let peak = { rss: 0, arrayBuffers: 0 };
    const sample = setInterval(() => {
      gc();
      const m = process.memoryUsage();
      peak = { rss: Math.max(peak.rss, m.rss - base.rss), arrayBuffers: Math.max(peak.arrayBuffers, m.arrayBuffers - base.arrayBuffers) };
    }, 20);
    try {
      await s3().put('exports/big/scene.tif', stream, 'image/tiff');
    } finally {
      clearInterval(sample);
    }
    console.log(`64 MiB stream into S3: peak growth ${(peak.arrayBuffers / 1048576).toFixed(1)} MiB of buffers, ${(peak.rss / 1048576).toFixed(1)} MiB RSS`);
    const size = mib << 20;
    // Two parts in hand (one filling, one being sent) and their copies: well under the object's size.
    expect(peak.arrayBuffers).toBeLessThan(5 * PART_BYTES);
    expect(peak.rss).toBeLessThan(size);
    expect(await s3().size('exports/big/scene.tif')).toBe(size);
    const back = createHash('sha256');
    for await (const chunk of (await s3().stream('exports/big/scene.tif'))!) back.update(chunk as Buffer);
    expect(back.digest('hex')).toBe(hash());
    expect(await pendingUploads()).toEqual([]);
  }, 120_000);

  it('a stream that breaks off leaves no object, no parts, and the object it would have replaced', async () => {
    await s3().put('exports/broken/a.tif', Buffer.from('kept'));
    await expect(s3().put('exports/broken/a.tif', randomStream(40, 20).stream)).rejects.toThrow(/broke off/);
    await expect(s3().put('exports/broken/b.tif', randomStream(40, 20).stream)).rejects.toThrow(/broke off/);
    // Before the first part was full: never a multipart upload.
    await expect(s3().put('exports/broken/c.tif', randomStream(4, 2).stream)).rejects.toThrow(/broke off/);
    expect((await s3().get('exports/broken/a.tif'))!.toString()).toBe('kept');
    expect(await s3().size('exports/broken/b.tif')).toBeNull();
    expect(await s3().size('exports/broken/c.tif')).toBeNull();
    expect(await pendingUploads()).toEqual([]);
  }, 120_000);

  it('aborts the parts a killed writer left, once they are older than asked, and only under its own prefix', async () => {
    const { bucket, prefix } = s3().location;
    // What a writer killed after its first part leaves: an upload begun, never completed nor aborted.
    const begin = async (key: string) => {
      const { UploadId } = await s3().client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }));
      await s3().client.send(new UploadPartCommand({ Bucket: bucket, Key: key, UploadId, PartNumber: 1, Body: randomBytes(1024) }));
      return UploadId!;
    };
    const mine = await begin(`${prefix}exports/killed/scene.tif`);
    const elsewhere = await begin('someone-else/scene.tif');
    try {
      expect(await s3().abortStaleUploads(3_600_000)).toBe(0);
      expect((await pendingUploads()).map((u) => u.UploadId)).toEqual([mine]);
      await sleep(1100);
      expect(await s3().abortStaleUploads(1000)).toBe(1);
      expect(await pendingUploads()).toEqual([]);
    } finally {
      await s3().client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: 'someone-else/scene.tif', UploadId: elsewhere }));
    }
  });
});
