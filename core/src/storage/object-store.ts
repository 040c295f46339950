// Every file Tuban keeps (uploads, tile pyramids, chips, photos, exports, models, training sets) lives in one
// object store named by STORAGE_URL: a local folder (DATA_DIR, the default) or an S3-compatible bucket, so that
// worker machines need to share nothing but PostgreSQL, Redis and the store. Keys are relative, '/'-separated.
import type { Readable } from 'node:stream';

export interface ObjectStore {
  /** 'local' (a folder) or 's3'; ready-made files such as uploads are read in place only from a local store. */
  readonly kind: 'local' | 's3';
  /** Says where the store is, for logs and messages (no credentials). */
  readonly describe: string;
  /** Writes a whole object; a reader sees the old object or the new one, never part of one. */
  put(key: string, body: Buffer | Readable, contentType?: string): Promise<void>;
  /** The whole object, or null when there is none. */
  get(key: string): Promise<Buffer | null>;
  /** `length` bytes from `offset` (fewer at the object's end); the object must exist. */
  getRange(key: string, offset: number, length: number): Promise<Buffer>;
  /** The object's size in bytes, or null when there is none. */
  size(key: string): Promise<number | null>;
  /** A stream of the whole object, or null when there is none. */
  stream(key: string): Promise<Readable | null>;
  /** Keys under a prefix (ending in '/'), in no particular order. */
  list(prefix: string): Promise<string[]>;
  /** The names of the 'folders' right under a prefix (ending in '/'): `a/` holding `a/x/1` and `a/y/2` gives x, y. */
  listFolders(prefix: string): Promise<string[]>;
  remove(key: string): Promise<void>;
  /** Removes every object under a prefix (ending in '/'). */
  removePrefix(prefix: string): Promise<void>;
}

/** The error a missing object gives where one is required: code ENOENT like a missing file, path its key. */
export function missingObject(key: string): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(`no such object: ${key}`);
  err.code = 'ENOENT';
  err.path = key;
  return err;
}

// '+' is in trained model versions' names (`0.3.0+<job id>`), so in their keys.
const SAFE_KEY = /^[A-Za-z0-9_.+-]+(\/[A-Za-z0-9_.+-]+)*\/?$/;

/** Refuses keys that could leave the store's folder or prefix ('..', absolute, empty segments). */
export function checkKey(key: string): string {
  if (!SAFE_KEY.test(key) || key.split('/').some((s) => s === '.' || s === '..')) throw new Error(`bad object key: ${key}`);
  return key;
}
