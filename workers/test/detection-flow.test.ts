// The detection flow on real Redis and PostGIS with the classical baseline model: synthetic before/after
// tiles in a tile store → plan → batches → merge → candidates.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CvaBaseline } from '@tuban/core/change/baseline';
import { loadConfig } from '@tuban/core/config';
import { findRun } from '@tuban/core/db/detection-runs';
import { enqueueDetectionRun, enqueuePlanDetection } from '@tuban/core/jobs/detection-jobs';
import { globalPixelToLonLat } from '@tuban/core/geo/web-mercator-pixels';
import { lonLatToTile, tileBounds } from '@tuban/core/geo/tiles';
import { QueueName } from '@tuban/core/jobs/queues';
import { createRedis } from '@tuban/core/redis';
import { createTestDatabase, type TestDatabase } from '@tuban/core/testing/database';
import { LocalTileStore, imageryItem } from '@tuban/core/tiles/tile-store';
import { generatePair, type SyntheticPair } from '@tuban/data/synth/generate';
import type { WorkerContext } from '../src/context.js';
import { startWorker } from '../src/worker.js';
import { testWorkerContext } from '@tuban/workers/testing/worker-context';
import { insertTestImagery, insertTestUser } from '@tuban/core/testing/fixtures';
import { planDetectionRun } from '@tuban/core/detection/plan';
import { JobName } from '@tuban/core/jobs/queues';
import { detectionHandlers } from '../src/detect/handlers.js';
import type { JobOf } from '../src/handlers.js';

const Z = 18;
const SIZE = 512; // 2 × 2 tiles
const origin = lonLatToTile(121.39, 31.255, Z);
const prefix = `tuban-test-${randomBytes(4).toString('hex')}`;
const connection = createRedis(loadConfig().REDIS_URL);
let t: TestDatabase;
let dir: string;
let store: LocalTileStore;
let userId: number;
let pair: SyntheticPair;
let ctx: WorkerContext;
let worker: ReturnType<typeof startWorker>;

/**
 * A scene whose planted changes include one across the vertical tile border at x = 256: a new building or shed,
 * which the baseline detector sees, not a rooftop addition that may have nearly its host's colour (the flow is
 * under test here, not the baseline's recall).
 */
function pairWithBorderChange(): SyntheticPair {
  for (let seed = 1; seed < 200; seed++) {
    const p = generatePair({ seed, size: SIZE, changes: 5, nuisance: false });
    if (p.planted.some((c) => c.bbox[0] < 248 && c.bbox[2] > 264 && (c.kind === 'new_building' || c.kind === 'steel_shed'))) return p;
  }
  throw new Error('no seed gave a change across the tile border');
}

async function writePyramid(imageryId: number, rgb: Uint8Array): Promise<void> {
  const writer = await store.begin(imageryItem(imageryId), 'png');
  for (let ty = 0; ty < 2; ty++) {
    for (let tx = 0; tx < 2; tx++) {
      const png = await sharp(Buffer.from(rgb), { raw: { width: SIZE, height: SIZE, channels: 3 } })
        .extract({ left: tx * 256, top: ty * 256, width: 256, height: 256 })
        .png()
        .toBuffer();
      await writer.put({ z: Z, x: origin.x + tx, y: origin.y + ty }, png);
    }
  }
  await writer.publish();
}

async function insertImagery(capturedAt: string, sha: string): Promise<number> {
  const [w, , , n] = tileBounds({ z: Z, x: origin.x, y: origin.y });
  const [, s, e] = tileBounds({ z: Z, x: origin.x + 1, y: origin.y + 1 });
  return insertTestImagery(t.pool, {
    status: 'ready', fileName: 'synthetic.tif', sha256: sha.repeat(64), capturedAt, footprint: [w, s, e, n], uploadedBy: userId, tileFormat: 'png',
  });
}

async function waitForRun(afterId: number, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { rows } = await t.pool.query<{ id: number }>('SELECT id FROM detection_runs WHERE after_imagery_id = $1', [afterId]);
    const run = rows[0] && (await findRun(t.pool, rows[0].id));
    if (run?.status === 'done' || run?.status === 'failed') return run;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('detection run did not finish in time');
}

beforeAll(async () => {
  t = await createTestDatabase('detect_flow');
  dir = await mkdtemp(`${tmpdir()}/tuban-detect-`);
  store = new LocalTileStore(dir);
  userId = await insertTestUser(t.pool, { username: 'pilot' });
  // Rendering the synthetic pair takes tens of seconds on a busy 2-core machine.
  pair = pairWithBorderChange();
  ctx = testWorkerContext({ db: t.pool, redis: connection, prefix, tileStore: store, model: new CvaBaseline({ metresPerPixel: 0.5 }) });
  worker = startWorker(QueueName.Detect, ctx, { concurrency: 2 });
}, 180_000);

afterAll(async () => {
  await worker?.close();
  await ctx?.queues.close();
  connection.disconnect();
  await t?.drop();
  await rm(dir, { recursive: true, force: true });
});

describe('detection flow', () => {
  it('finds the planted changes, one candidate per change across a tile border, and adds nothing when run again', async () => {
    const beforeId = await insertImagery('2025-03-01T02:00:00Z', 'a');
    const afterId = await insertImagery('2026-03-01T02:00:00Z', 'b');
    await writePyramid(beforeId, pair.before);
    await writePyramid(afterId, pair.after);

    await enqueuePlanDetection(ctx.queues, afterId);
    const run = await waitForRun(afterId);
    expect(run.error).toBeNull();
    expect(run).toMatchObject({ status: 'done', tilesTotal: 4, tilesDone: 4, tilesWithoutBaseline: 0, modelName: 'cva-otsu' });

    const lonLatBox = ([x0, y0, x1, y1]: number[]) => {
      const [w, n] = globalPixelToLonLat(origin.x * 256 + x0!, origin.y * 256 + y0!, Z);
      const [e, s] = globalPixelToLonLat(origin.x * 256 + x1! + 1, origin.y * 256 + y1! + 1, Z);
      return [w, s, e, n];
    };
    const hits = [];
    for (const planted of pair.planted) {
      const [w, s, e, n] = lonLatBox(planted.bbox);
      const { rows } = await t.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM candidates WHERE run_id = $1 AND ST_Intersects(geom, ST_MakeEnvelope($2, $3, $4, $5, 4326))`,
        [run.id, w, s, e, n],
      );
      hits.push({ planted, n: rows[0]!.n });
    }
    const found = hits.filter((h) => h.n > 0).length;
    expect(found / pair.planted.length).toBeGreaterThanOrEqual(0.8);
    const acrossBorder = hits.find((h) => h.planted.bbox[0] < 248 && h.planted.bbox[2] > 264 && (h.planted.kind === 'new_building' || h.planted.kind === 'steel_shed'))!;
    expect(acrossBorder.n).toBe(1);

    const before = (await t.pool.query('SELECT count(*)::int AS n FROM candidates')).rows[0].n;
    expect(before).toBe(run.candidatesFound);
    await enqueuePlanDetection(ctx.queues, afterId);
    await enqueueDetectionRun(ctx.queues, run);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await t.pool.query('SELECT count(*)::int AS n FROM candidates')).rows[0].n).toBe(before);
    expect((await t.pool.query('SELECT count(*)::int AS n FROM detection_runs')).rows[0].n).toBe(1);
  }, 90_000);

  it('fails a run whose batch kept failing, with the reason as a code the web words', async () => {
    const beforeId = await insertImagery('2025-04-01T02:00:00Z', 'c');
    const afterId = await insertImagery('2026-04-01T02:00:00Z', 'd');
    await writePyramid(beforeId, pair.before);
    // the after pyramid's tiles are no images at all
    const writer = await store.begin(imageryItem(afterId), 'png');
    for (let ty = 0; ty < 2; ty++) for (let tx = 0; tx < 2; tx++) await writer.put({ z: Z, x: origin.x + tx, y: origin.y + ty }, Buffer.from('not a png'));
    await writer.publish();
    const { run } = await planDetectionRun(t.pool, afterId, await ctx.changeModel(), userId);

    // the last of its attempts, as BullMQ hands it over after the earlier ones failed
    const job = { name: JobName.DetectBatch, data: { runId: run.id, batchNo: 0 }, attemptsMade: 4, opts: { attempts: 5 } };
    await expect(detectionHandlers(ctx)[JobName.DetectBatch](job as unknown as JobOf<typeof JobName.DetectBatch>)).rejects.toThrow();
    const failed = (await findRun(t.pool, run.id))!;
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/^batch 0: /);
    expect(failed.errorCode).toBe('detection_batch_failed');
    expect(failed.errorParams).toMatchObject({ batch: 0, message: expect.any(String) });
  }, 60_000);
});
