// STORAGE_URL → the object store of every file and the store of tile pyramids built on it.
import { join } from 'node:path';
import type { Queryable } from '../db/pool.js';
import { ObjectTileStore } from '../tiles/object-tile-store.js';
import { LocalTileStore, type TileStore } from '../tiles/tile-store.js';
import { LocalObjectStore } from './local-object-store.js';
import type { ObjectStore } from './object-store.js';
import { S3ObjectStore } from './s3-object-store.js';
import { parseStorageUrl } from './storage-url.js';

export interface Storage {
  objects: ObjectStore;
  /** Imagery tile pyramids, published in one step. */
  tiles: TileStore;
}

/** The store named by STORAGE_URL; an S3 bucket is created when missing. */
export async function openStorage(config: { STORAGE_URL: string; DATA_DIR: string }, db: Queryable): Promise<Storage> {
  const loc = parseStorageUrl(config.STORAGE_URL, config.DATA_DIR);
  if (loc.kind === 'local') {
    return { objects: new LocalObjectStore(loc.root), tiles: new LocalTileStore(join(loc.root, 'tiles')) };
  }
  const objects = new S3ObjectStore(loc);
  await objects.ensureBucket();
  return { objects, tiles: new ObjectTileStore(objects, db) };
}

/**
 * Where finished uploads lie as objects, each under its upload id: `uploads/` of a folder store; the root of an
 * S3 bucket, where the tus S3 store keeps them (it takes no key prefix).
 */
export function uploadObjects(objects: ObjectStore): ObjectStore {
  if (objects instanceof S3ObjectStore) return objects.prefix === '' ? objects : new S3ObjectStore({ ...objects.location, prefix: '' });
  if (objects instanceof LocalObjectStore) return new LocalObjectStore(join(objects.root, 'uploads'));
  throw new Error(`no upload folder in ${objects.describe}`);
}

/** A local folder as storage (tests, tools that work on a folder). */
export function localStorage(root: string): Storage {
  return { objects: new LocalObjectStore(root), tiles: new LocalTileStore(join(root, 'tiles')) };
}
