// Every file in S3 (a real SeaweedFS), worker processes that share nothing but PostgreSQL, Redis and S3, each
// with a working folder of its own: an upload's ingest, a detection run and the monthly export go through, and
// two workers side by side, one of them SIGKILLed mid-run, end with exactly the candidates of one worker alone.
import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findExport, insertExport } from '@tuban/core/db/exports';
import { enqueueMonthlyExport } from '@tuban/core/jobs/export-jobs';
import { QueueName } from '@tuban/core/jobs/queues';
import { exportFileKey } from '@tuban/core/monthly-index/build-export';
import { TILE_INDEX_FILE, TileIndex } from '@tuban/core/tiles/tile-index';
import { S3_MISSING, testS3Running, testStorageUrl } from '@tuban/core/testing/s3';
import { renderDemoScene, type DemoScene } from '@tuban/data/demo-imagery';
import { detectorModel } from '@tuban/workers/testing/change-models';
import { candidateShapes, detectEnv, hitsPerPlanted, type DetectEnv } from '@tuban/workers/testing/detect-scene';
import { DetectWorkers } from '@tuban/workers/testing/detect-worker-process';
import { testWorkerContext } from '@tuban/workers/testing/worker-context';
import { createHash } from 'node:crypto';
import { startWorker } from '../src/worker.js';

const s3Up = await testS3Running();
if (!s3Up) console.warn(`worker machines on S3 skipped: ${S3_MISSING}`);

let env: DetectEnv;
let workers: DetectWorkers;
let scene: DemoScene;
let beforeId: number;
let afterId: number;

beforeAll(async () => {
  if (!s3Up) return;
  env = await detectEnv('s3_workers', detectorModel(), false, testStorageUrl('workers'));
  workers = new DetectWorkers(env, 'baseline');
  scene = await renderDemoScene({ size: 512, seed: 1, nuisance: false });
  ({ beforeId, afterId } = await env.ingest(scene));
}, 180_000);
afterAll(async () => {
  await workers?.stopAll();
  await env?.close();
});

describe.skipIf(!s3Up)('worker machines sharing only PostgreSQL, Redis and S3', () => {
  let singleRun: number;

  it('ingests uploads from S3 into pyramids published in S3, leaving nothing in the working folder', async () => {
    const { rows } = await env.db.pool.query('SELECT item, version FROM tile_pyramids ORDER BY item');
    expect(rows.map((r) => r.item)).toEqual([`imagery/${beforeId}`, `imagery/${afterId}`].sort());
    const version = rows.find((r) => r.item === `imagery/${afterId}`).version;
    const keys = await env.storage.objects.list(`tiles/imagery/${afterId}/`);
    expect(keys.length).toBeGreaterThanOrEqual(9);
    expect(keys.every((k) => k.startsWith(`tiles/imagery/${afterId}/${version}/`))).toBe(true);
    expect(await readdir(env.dir, { recursive: true })).toEqual([]);
    // The version's index names every tile stored, under its own extension (the edges PNG, the inside JPEG).
    const index = TileIndex.decode((await env.storage.objects.get(`tiles/imagery/${afterId}/${version}/${TILE_INDEX_FILE}`))!);
    const tiles = keys.flatMap((k) => {
      const m = /\/(\d+)\/(\d+)\/(\d+)\.(\w+)$/.exec(k);
      return m ? [{ key: { z: Number(m[1]), x: Number(m[2]), y: Number(m[3]) }, ext: m[4]! }] : [];
    });
    expect(new Set(tiles.map((t) => t.ext))).toEqual(new Set(['jpg', 'png']));
    for (const { key, ext } of tiles) {
      expect(index.has(key, ext)).toBe(true);
      expect(index.has(key, ext === 'jpg' ? 'png' : 'jpg')).toBe(false);
    }
  });

  it('detects the planted changes with one worker process reading its tiles from S3', async () => {
    const single = await workers.run(afterId, 's3-single');
    singleRun = single.runId;
    const hits = await hitsPerPlanted(env.db, singleRun, scene);
    expect(hits.length).toBe(scene.truth.features.length);
    expect(hits.every((h) => h >= 1)).toBe(true);
  }, 200_000);

  it('writes the monthly export into S3', async () => {
    const ctx = testWorkerContext({ db: env.db.pool, redis: env.connection, prefix: env.prefix, objects: env.storage.objects, tileStore: env.storage.tiles });
    const worker = startWorker(QueueName.Export, ctx);
    try {
      const record = await insertExport(env.db.pool, '2026-03', env.userId);
      await enqueueMonthlyExport(ctx.queues, record.id);
      let done = await findExport(env.db.pool, record.id);
      for (let i = 0; i < 600 && done?.status !== 'done' && done?.status !== 'failed'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        done = await findExport(env.db.pool, record.id);
      }
      expect(done?.status).toBe('done');
      expect(done!.files.length).toBe(5);
      for (const f of done!.files) {
        const data = await env.storage.objects.get(exportFileKey(record.id, f.name));
        expect(createHash('sha256').update(data!).digest('hex'), f.name).toBe(f.sha256);
      }
      expect(await readdir(env.dir, { recursive: true })).toEqual([]);
    } finally {
      await worker.close();
      await ctx.queues.byName[QueueName.Export].obliterate({ force: true });
      await ctx.queues.close();
    }
  }, 120_000);

  it('two worker processes, one killed mid-run, end with the candidates of one worker alone', async () => {
    const shared = await workers.runSideBySide(afterId, 's3-two-killed', 2, 3);
    expect(shared.killed).toBe(true);
    const expected = await candidateShapes(env.db, singleRun);
    expect(expected.length).toBeGreaterThan(0);
    expect(await candidateShapes(env.db, shared.runId)).toEqual(expected);
  }, 200_000);
});
