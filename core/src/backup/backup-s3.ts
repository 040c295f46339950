// The files of a backup when they live in an S3 store: every object under the store's prefix, and the uploads at
// the bucket's root (where the tus S3 store keeps them) as `uploads/<id>`, where a folder store has them. Objects
// are copied one by one, streamed, a few at a time.
//
// A store with a key prefix may share its bucket, and so the uploads at its root, with other stores: their uploads
// are then in its backups too, and a restore never removes an upload, nor counts one as the store being in use.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { S3ObjectStore } from '../storage/s3-object-store.js';
import { uploadObjects } from '../storage/storage.js';

/** A file of the backup and the object it is. */
interface StoreFile {
  path: string;
  store: S3ObjectStore;
  key: string;
}

const UPLOADS = 'uploads/';
/** Objects in flight at once: small objects (tiles) are mostly waiting on the store. */
const AT_ONCE = 8;

function uploadStore(objects: S3ObjectStore): S3ObjectStore {
  return uploadObjects(objects) as S3ObjectStore;
}

/** Every object of the store, as the backup's files; `shared`: with the uploads of a prefixed store's bucket. */
export async function storeFiles(objects: S3ObjectStore, shared = true): Promise<StoreFile[]> {
  const files: StoreFile[] = [];
  if (objects.prefix !== '') {
    const uploads = uploadStore(objects);
    if (shared) for (const key of await uploads.listTopKeys()) files.push({ path: UPLOADS + key, store: uploads, key });
    for (const key of await objects.list('')) files.push({ path: key, store: objects, key });
    return files;
  }
  // With no prefix the uploads are among the store's own keys, the only ones not in a 'folder'.
  for (const key of await objects.list('')) files.push({ path: key.includes('/') ? key : UPLOADS + key, store: objects, key });
  return files;
}

/** The object a backup's file goes back to. */
function placeOf(objects: S3ObjectStore, path: string): { store: S3ObjectStore; key: string } {
  const rest = path.slice(UPLOADS.length);
  if (path.startsWith(UPLOADS) && rest !== '' && !rest.includes('/')) return { store: uploadStore(objects), key: rest };
  return { store: objects, key: path };
}

/** Copies every object of the store under `dir`; an object removed since it was listed is left out. */
export async function copyStoreTo(objects: S3ObjectStore, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await eachAtOnce(await storeFiles(objects), async (f) => {
    const body = await f.store.stream(f.key);
    if (!body) return;
    const target = join(dir, f.path);
    await mkdir(dirname(target), { recursive: true });
    await pipeline(body, createWriteStream(target));
  });
}

/** Writes the backup's files under `dir` into the store, each object whole or not at all. */
export async function putFilesInto(objects: S3ObjectStore, dir: string, paths: string[]): Promise<void> {
  await eachAtOnce(paths, async (path) => {
    const { store, key } = placeOf(objects, path);
    await store.put(key, createReadStream(join(dir, path), { highWaterMark: 1 << 20 }));
  });
}

/** Removes every object of the store that is not one of the backup's files. */
export async function removeOthers(objects: S3ObjectStore, keep: string[]): Promise<number> {
  const wanted = new Set(keep);
  const stale = (await storeFiles(objects, false)).filter((f) => !wanted.has(f.path));
  for (const store of new Set(stale.map((f) => f.store))) await store.removeKeys(stale.filter((f) => f.store === store).map((f) => f.key));
  return stale.length;
}

/** Whether the store holds any object. */
export async function storeIsEmpty(objects: S3ObjectStore): Promise<boolean> {
  return (await storeFiles(objects, false)).length === 0;
}

/** Runs `work` on every item, AT_ONCE at a time; after a failure starts no more and throws it once all have stopped. */
async function eachAtOnce<T>(items: T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const lane = async () => {
    while (!failed && next < items.length) {
      try {
        await work(items[next++]!);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  const lanes = await Promise.allSettled(Array.from({ length: Math.min(AT_ONCE, items.length) }, lane));
  const problem = lanes.find((l) => l.status === 'rejected');
  if (problem) throw (problem as PromiseRejectedResult).reason;
}
