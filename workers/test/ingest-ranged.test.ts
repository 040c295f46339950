// A GeoTIFF in the object store is ingested from byte ranges (ranged GETs in S3), never fetched whole, and gives
// the same pyramid as the same file read from disk.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalObjectStore } from '@tuban/core/storage/local-object-store';
import type { ObjectStore } from '@tuban/core/storage/object-store';
import { LocalTileStore } from '@tuban/core/tiles/tile-store';
import { renderDemoScene } from '@tuban/data/demo-imagery';
import { ingestRaster } from '../src/ingest/ingest.js';
import { objectSource } from '../src/ingest/source.js';

let dir: string;
let tif: Buffer;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tuban-ranged-'));
  tif = (await renderDemoScene({ size: 512, seed: 3, nuisance: false })).after;
  await writeFile(join(dir, 'after.tif'), tif);
}, 60_000);
afterAll(async () => rm(dir, { recursive: true, force: true }));

/** The folder store seen as a remote one: only ranged reads and sizes, each counted; a whole-object read fails. */
function remoteView(objects: LocalObjectStore, ranges: number[]): ObjectStore {
  return {
    kind: 's3', describe: 'counting view',
    size: (key) => objects.size(key),
    getRange: async (key, offset, length) => {
      ranges.push(length);
      return objects.getRange(key, offset, length);
    },
    get: () => Promise.reject(new Error('fetched whole')),
    stream: () => Promise.reject(new Error('fetched whole')),
    put: () => Promise.reject(new Error('read only')),
    list: () => Promise.reject(new Error('read only')),
    listFolders: () => Promise.reject(new Error('read only')),
    remove: () => Promise.reject(new Error('read only')),
    removePrefix: () => Promise.reject(new Error('read only')),
  };
}

describe('ingest from the object store', () => {
  it('reads the GeoTIFF by ranges and builds the same tiles as from the file', async () => {
    const ranges: number[] = [];
    const view = remoteView(new LocalObjectStore(dir), ranges);
    const options = { maxPixels: 1e8, format: 'png' as const };
    const fromStore = await ingestRaster(objectSource(view, 'after.tif', join(dir, 'tmp')), new LocalTileStore(join(dir, 'a')), 'imagery/1', options);
    const fromFile = await ingestRaster(join(dir, 'after.tif'), new LocalTileStore(join(dir, 'b')), 'imagery/1', options);
    expect(fromStore.tileCount).toBe(fromFile.tileCount);
    expect(fromStore.footprintRings).toEqual(fromFile.footprintRings);
    const a = new LocalObjectStore(join(dir, 'a'));
    const b = new LocalObjectStore(join(dir, 'b'));
    const files = (await b.list('imagery/1/')).sort();
    expect((await a.list('imagery/1/')).sort()).toEqual(files);
    for (const f of files) expect(await a.get(f), f).toEqual(await b.get(f));
    // the header and directories, then a read per strip: never the whole file in one piece
    expect(ranges.length).toBeGreaterThan(3);
    expect(Math.max(...ranges)).toBeLessThan(tif.length / 2);
  }, 60_000);
});
