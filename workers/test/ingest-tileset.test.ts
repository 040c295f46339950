// Ready-made tile sets (MBTiles, zipped XYZ folders) through the real ingest job: BullMQ on Redis, PostGIS, tiles on disk.
import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import JSZip from 'jszip';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getImagery } from '@tuban/core/db/imagery';
import { lonLatToTile, metresPerPixel } from '@tuban/core/geo/tiles';
import type { TestDatabase } from '@tuban/core/testing/database';
import { startIngestEnv, type IngestEnv } from '@tuban/workers/testing/ingest-env';
import { solidTile, writeMbtiles, writeTileZip, type TestTile } from '@tuban/workers/testing/tileset-writer';

let db: TestDatabase;
let dir: string;
const Z = 16;
const origin = lonLatToTile(121.4, 31.25, Z);

let env: IngestEnv;
beforeAll(async () => {
  env = await startIngestEnv('ingest_tileset');
  ({ db, dir } = env);
});
afterAll(async () => env?.close());

const newItem = (file: string, content: Buffer) => env.upload(file, content, { kind: 'tileset' });

const ingest = (id: number, path: string) => env.ingest(id, path);

/** 3 × 2 tiles at z16 in Putuo: red top-left, the top-right one fully transparent, the rest green. */
async function sampleTiles(format: 'png' | 'jpeg' = 'png'): Promise<TestTile[]> {
  const red = await solidTile([220, 20, 20, 255], format);
  const green = await solidTile([20, 200, 40, 255], format);
  const empty = await solidTile([0, 0, 0, 0], 'png');
  const tiles: TestTile[] = [];
  for (let dy = 0; dy < 2; dy++) {
    for (let dx = 0; dx < 3; dx++) {
      const data = dx === 0 && dy === 0 ? red : dx === 2 && dy === 0 ? (format === 'png' ? empty : null) : green;
      if (data) tiles.push({ z: Z, x: origin.x + dx, y: origin.y + dy, data });
    }
  }
  return tiles;
}

async function pixel(id: number, z: number, x: number, y: number): Promise<number[]> {
  const buf = await readFile(join(dir, 'tiles', 'imagery', String(id), String(z), String(x), `${y}.webp`));
  const { data } = await sharp(buf).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return [...data.subarray(0, 4)];
}

const footprintArea = async (id: number) =>
  (await db.pool.query<{ a: number }>(`SELECT ST_Area(footprint::geography) AS a FROM imagery WHERE id = $1`, [id])).rows[0]!.a;

/** Failed with the English message and, for the web to word it, its stable code. */
async function expectFailedClean(id: number, message: RegExp, code: string): Promise<void> {
  const item = (await getImagery(db.pool, id))!;
  expect(item.status).toBe('failed');
  expect(item.error).toMatch(message);
  expect(item.errorCode).toBe(code);
  expect(item.footprint).toBeNull();
  expect(existsSync(join(dir, 'tiles', 'imagery', String(id)))).toBe(false);
  expect(existsSync(join(dir, 'tiles', '.staging', `imagery__${id}`))).toBe(false);
}

describe('ingest of ready-made tile sets', () => {
  it('takes an MBTiles file (TMS rows) to ready, tiles in XYZ order, pyramid down to z12', async () => {
    const { id, path } = await newItem('set.bin', Buffer.alloc(0));
    writeMbtiles(path, await sampleTiles());
    await ingest(id, path);
    const item = (await getImagery(db.pool, id))!;
    expect(item).toMatchObject({ status: 'ready', error: null, crs: 'EPSG:3857', minZoom: 12, maxZoom: Z, widthPx: 768, heightPx: 512 });
    expect(item.gsdM).toBeCloseTo(metresPerPixel(31.25, Z), 1);
    // The red tile stays top-left: rows were flipped from TMS.
    expect((await pixel(id, Z, origin.x, origin.y)).slice(0, 3)).toEqual([expect.closeTo(220, -1), expect.closeTo(20, -1), expect.closeTo(20, -1)]);
    expect((await pixel(id, Z, origin.x, origin.y + 1))[1]).toBeGreaterThan(150);
    expect(existsSync(join(dir, 'tiles', 'imagery', String(id), String(Z), String(origin.x + 2), `${origin.y}.webp`))).toBe(false);
    const z12 = lonLatToTile(121.4, 31.25, 12);
    expect(existsSync(join(dir, 'tiles', 'imagery', String(id), '12', String(z12.x), `${z12.y}.webp`))).toBe(true);
    expect(existsSync(join(dir, 'tiles', 'imagery', String(id), 'thumbnail.webp'))).toBe(true);
    // Five non-empty tiles of ~ 530 m × 530 m at this latitude, not the six of the bounding box.
    const tileM = metresPerPixel(31.25, Z) * 256;
    expect((await footprintArea(id)) / (tileM * tileM)).toBeCloseTo(5, 0);
  });

  it('takes a zipped XYZ folder of JPEGs (inside a top folder) to ready', async () => {
    const { id, path } = await newItem('tiles.zip', await writeTileZip(await sampleTiles('jpeg'), 'jpg', 'export/'));
    await ingest(id, path);
    const item = (await getImagery(db.pool, id))!;
    expect(item).toMatchObject({ status: 'ready', maxZoom: Z, minZoom: 12 });
    const tileM = metresPerPixel(31.25, Z) * 256;
    expect((await footprintArea(id)) / (tileM * tileM)).toBeCloseTo(5, 0);
    expect((await pixel(id, Z, origin.x, origin.y))[0]).toBeGreaterThan(180);
  });

  it('fails a corrupt MBTiles file with a clear message and nothing left behind', async () => {
    const good = join(dir, 'good.mbtiles');
    writeMbtiles(good, await sampleTiles());
    const bytes = await readFile(good);
    bytes.fill(0x5a, 100, bytes.length);
    const { id, path } = await newItem('broken.mbtiles', bytes);
    await ingest(id, path);
    await expectFailedClean(id, /not a readable MBTiles/, 'ingest_mbtiles_unreadable');
  });

  it('fails a vector MBTiles file by name', async () => {
    const { id, path } = await newItem('vector.mbtiles', Buffer.alloc(0));
    writeMbtiles(path, [{ z: Z, x: origin.x, y: origin.y, data: Buffer.from('not an image') }], { format: 'pbf' });
    await ingest(id, path);
    await expectFailedClean(id, /vector tiles \(pbf\)/, 'ingest_mbtiles_vector');
  });

  it('fails a zip without tiles', async () => {
    const zip = new JSZip();
    zip.file('readme.txt', 'no tiles here');
    const { id, path } = await newItem('notiles.zip', await zip.generateAsync({ type: 'nodebuffer' }));
    await ingest(id, path);
    await expectFailedClean(id, /holds no tiles/, 'ingest_zip_no_tiles');
  });

  it('fails tiles of the wrong size, after writing some good ones', async () => {
    const tiles = await sampleTiles();
    tiles.push({ z: Z, x: origin.x + 1, y: origin.y + 2, data: await solidTile([1, 2, 3, 255], 'png', 512) });
    const { id, path } = await newItem('big.zip', await writeTileZip(tiles));
    await ingest(id, path);
    await expectFailedClean(id, /512×512 px; tiles must be 256×256/, 'ingest_tile_size');
  });

  it('fails a zip bomb: a tile entry that unpacks far beyond a tile, and a set spanning too many pixels', async () => {
    const zip = new JSZip();
    zip.file(`${Z}/${origin.x}/${origin.y}.png`, Buffer.alloc(8 * 1024 * 1024));
    const bomb = await newItem('bomb.zip', await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
    await ingest(bomb.id, bomb.path);
    await expectFailedClean(bomb.id, /too big for a tile/, 'ingest_zip_entry_too_big');

    const tile = await solidTile([9, 9, 9, 255]);
    const wide = await newItem('wide.zip', await writeTileZip([{ z: 20, x: 0, y: 0, data: tile }, { z: 20, x: 5000, y: 0, data: tile }]));
    await ingest(wide.id, wide.path);
    await expectFailedClean(wide.id, /spans 5001×1 tiles at zoom 20 .* beyond the limit/, 'ingest_too_large');
  });

  it('leaves no staging folders behind', async () => {
    const staging = join(dir, 'tiles', '.staging');
    expect(existsSync(staging) ? await readdir(staging) : []).toEqual([]);
  });
});
