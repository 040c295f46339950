// The ingest job end to end: an imagery row, a real BullMQ worker on real Redis, real PostGIS, tiles on disk.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import proj4 from 'proj4';
import { QueueEvents, type Job, type Queue, type Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@tuban/core/config';
import { getImagery } from '@tuban/core/db/imagery';
import { JobName, QueueName } from '@tuban/core/jobs/queues';
import { createRedis } from '@tuban/core/redis';
import { LocalTileStore } from '@tuban/core/tiles/tile-store';
import { createTestDatabase, type TestDatabase } from '@tuban/core/testing/database';
import { proj4ForEpsg } from '@tuban/core/geo/crs';
import type { WorkerContext } from '../src/context.js';
import { recordIngestFailure } from '../src/ingest/handler.js';
import { startWorker } from '../src/worker.js';
import { testWorkerContext } from '@tuban/workers/testing/worker-context';
import { writeGeoTiff } from '@tuban/data/raster/geotiff-writer';
import { insertTestFlight, insertTestImagery, insertTestUser } from '@tuban/core/testing/fixtures';

const prefix = `tuban-test-${randomBytes(4).toString('hex')}`;
const redisUrl = loadConfig().REDIS_URL;
let db: TestDatabase;
let dir: string;
let store: LocalTileStore;
let ctx: WorkerContext;
let worker: Worker;
let queue: Queue;
let events: QueueEvents;
const connection = createRedis(redisUrl);
let pilotId: number;
let flightId: number;

beforeAll(async () => {
  db = await createTestDatabase('ingest_job');
  dir = await mkdtemp(join(tmpdir(), 'tuban-ingest-job-'));
  store = new LocalTileStore(join(dir, 'tiles'));
  ctx = testWorkerContext({ db: db.pool, redis: connection, prefix, dataDir: dir, tileStore: store });
  pilotId = await insertTestUser(db.pool, { username: 'pilot', displayName: '飞手' });
  flightId = await insertTestFlight(db.pool, { pilotId, droneModel: 'M300', flownAt: '2026-04-01T02:00:00Z' });
  worker = startWorker(QueueName.Ingest, ctx);
  queue = ctx.queues.byName[QueueName.Ingest];
  events = new QueueEvents(QueueName.Ingest, { connection: createRedis(redisUrl), prefix });
  await events.waitUntilReady();
});

afterAll(async () => {
  await worker?.close();
  await queue?.obliterate({ force: true });
  await ctx?.queues.close();
  await events?.close();
  connection.disconnect();
  await db?.drop();
  await rm(dir, { recursive: true, force: true });
});

/** A 200 × 150 px, 0.3 m RGB GeoTIFF in UTM 51N with its top-left corner in Putuo. */
async function goodTiff(): Promise<Buffer> {
  const w = 200, h = 150;
  const data = new Uint8Array(w * h * 3).map((_, i) => (i % 3 === 1 ? 160 : 90));
  const origin = proj4('+proj=longlat +datum=WGS84', proj4ForEpsg(32651)!.proj4).forward([121.4, 31.25]) as [number, number];
  return writeGeoTiff({ width: w, height: h, samples: 3, bits: 8, data, epsg: 32651, origin, pixelSize: [0.3, 0.3], compression: 'deflate', tile: 64 });
}

async function newImagery(file: string, content: Buffer): Promise<{ id: number; path: string }> {
  const path = join(dir, file);
  await writeFile(path, content);
  return { id: await insertTestImagery(db.pool, { flightId, fileName: file, sizeBytes: content.length, uploadedBy: pilotId }), path };
}

const run = (imageryId: number, sourcePath: string, jobId: string) =>
  queue.add(JobName.IngestImagery, { imageryId, sourcePath }, { jobId, attempts: 3 });

describe('ingest-imagery job', () => {
  it('takes an uploaded GeoTIFF to ready with tiles, footprint, GSD and capture time', async () => {
    const { id, path } = await newImagery('ortho.tif', await goodTiff());
    const progress: unknown[] = [];
    events.on('progress', ({ data }) => progress.push(data));
    const job = await run(id, path, `ingest-${id}`);
    expect(await job.waitUntilFinished(events, 20_000)).toMatchObject({ imageryId: id });
    const item = (await getImagery(db.pool, id))!;
    expect(item).toMatchObject({ status: 'ready', error: null, crs: 'EPSG:32651', widthPx: 200, heightPx: 150 });
    expect(item.gsdM).toBeCloseTo(0.3, 2);
    expect(item.capturedAt).toBe('2026-04-01T02:00:00.000Z');
    expect(item.minZoom).toBe(12);
    expect(item.maxZoom).toBe(19);
    expect(item.footprint?.type).toBe('MultiPolygon');
    // The top-left corner is a vertex of the footprint (UTM grid north is turned against true north here).
    const nearest = Math.min(
      ...item.footprint!.coordinates.flat(2).map((p) => Math.hypot((p[0]! - 121.4) * 95_000, (p[1]! - 31.25) * 111_000)),
    );
    expect(nearest).toBeLessThan(0.3);
    const [w, s, e, n] = bbox(item.footprint!);
    expect((e - w) * 95_000).toBeGreaterThan(59);
    expect((n - s) * 111_000).toBeGreaterThan(44);
    expect(item.tileCount).toBeGreaterThan(8);
    expect(existsSync(join(dir, 'tiles', 'imagery', String(id), '12'))).toBe(true);
    expect(existsSync(join(dir, 'tiles', 'imagery', String(id), 'thumbnail.webp'))).toBe(true);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toMatchObject({ done: item.tileCount, total: item.tileCount });
  });

  it('fails bad input once, with a message for the pilot and nothing left behind, and a retry after a fix works', async () => {
    const { id, path } = await newImagery('broken.tif', Buffer.from('GIF89a not a tiff at all'));
    const job = await run(id, path, `ingest-${id}`);
    await expect(job.waitUntilFinished(events, 20_000)).rejects.toThrow(/not a TIFF/);
    expect((await queue.getJob(job.id!))?.attemptsMade).toBe(1);
    const failed = (await getImagery(db.pool, id))!;
    expect(failed).toMatchObject({ status: 'failed', footprint: null, tileCount: null });
    expect(failed.error).toMatch(/not a TIFF image/);
    expect(existsSync(join(dir, 'tiles', 'imagery', String(id)))).toBe(false);

    await writeFile(path, await goodTiff());
    await (await run(id, path, `ingest-${id}-retry`)).waitUntilFinished(events, 20_000);
    expect((await getImagery(db.pool, id))!.status).toBe('ready');
  });

  it('restarts cleanly after a worker died mid-ingest, and running it again changes nothing', async () => {
    const { id, path } = await newImagery('killed.tif', await goodTiff());
    // What a killed worker leaves: status ingesting, a half-written staging folder.
    await db.pool.query(`UPDATE imagery SET status = 'ingesting' WHERE id = $1`, [id]);
    const stale = join(dir, 'tiles', '.staging', `imagery__${id}`, 'dead', '19', '1');
    await mkdir(stale, { recursive: true });
    await writeFile(join(stale, '2.webp'), 'half');
    await (await run(id, path, `ingest-${id}`)).waitUntilFinished(events, 20_000);
    const first = (await getImagery(db.pool, id))!;
    expect(first.status).toBe('ready');
    expect(existsSync(join(dir, 'tiles', '.staging', `imagery__${id}`))).toBe(false);
    const files = await listTiles(join(dir, 'tiles', 'imagery', String(id)));
    expect(files.length).toBe(first.tileCount! + 1);

    await (await run(id, path, `ingest-${id}-again`)).waitUntilFinished(events, 20_000);
    const second = (await getImagery(db.pool, id))!;
    expect(second).toMatchObject({ status: 'ready', tileCount: first.tileCount, footprint: first.footprint });
    expect(await listTiles(join(dir, 'tiles', 'imagery', String(id)))).toEqual(files);
  });

  it('marks an item failed when BullMQ gives up on a job whose worker kept dying', async () => {
    const { id, path } = await newImagery('stalled.tif', await goodTiff());
    await db.pool.query(`UPDATE imagery SET status = 'ingesting' WHERE id = $1`, [id]);
    const job = { name: JobName.IngestImagery, data: { imageryId: id, sourcePath: path }, attemptsMade: 1, opts: { attempts: 3 } };
    await recordIngestFailure(ctx, job as unknown as Job, new Error('job stalled more than allowable limit'));
    const item = (await getImagery(db.pool, id))!;
    expect(item.status).toBe('failed');
    expect(item.error).toMatch(/ingest stopped: job stalled/);
    expect(item).toMatchObject({ errorCode: 'ingest_stopped', errorParams: { message: 'job stalled more than allowable limit' } });
    // An outcome the handler already recorded is left alone.
    await db.pool.query(`UPDATE imagery SET status = 'ready' WHERE id = $1`, [id]);
    await recordIngestFailure(ctx, job as unknown as Job, new Error('job stalled more than allowable limit'));
    expect((await getImagery(db.pool, id))!.status).toBe('ready');
  });
});

function bbox(g: GeoJSON.MultiPolygon): [number, number, number, number] {
  const pts = g.coordinates.flat(2);
  const xs = pts.map((p) => p[0]!), ys = pts.map((p) => p[1]!);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

async function listTiles(root: string): Promise<string[]> {
  return (await readdir(root, { recursive: true, withFileTypes: true }))
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name).slice(root.length))
    .sort();
}
