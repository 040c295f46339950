// A demo scene through the real ingest and detection jobs on real Redis and PostGIS, for the end-to-end tests.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueueEvents, type Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { loadConfig } from '@tuban/core/config';
import { findRunFor, type RunRow } from '@tuban/core/db/detection-runs';
import { enqueueDetectionRun, enqueuePlanDetection } from '@tuban/core/jobs/detection-jobs';
import { planDetectionRun, type RunOptions } from '@tuban/core/detection/plan';
import { JobName, QueueName, type Queues } from '@tuban/core/jobs/queues';
import { createRedis } from '@tuban/core/redis';
import { createTestDatabase, type TestDatabase } from '@tuban/core/testing/database';
import { insertTestImagery, insertTestUser } from '@tuban/core/testing/fixtures';
import type { DemoScene } from '@tuban/data/demo-imagery';
import type { ChangeModel } from '@tuban/core/change/change-model';
import type { IngestSourceRef } from '@tuban/core/jobs/ingest-job';
import { localStorage, openStorage, uploadObjects, type Storage } from '@tuban/core/storage/storage';
import { removeTestStorage } from '@tuban/core/testing/s3';
import { startWorker } from '../worker.js';
import { testWorkerContext } from './worker-context.js';

export interface DetectEnv {
  db: TestDatabase;
  /** This process's working folder (and, without a storage URL, where every file is kept). */
  dir: string;
  /** The S3 STORAGE_URL the files are kept in, when the env was made with one. */
  storageUrl: string | null;
  /** Where files are kept: a folder store on `dir`, or the S3 store. */
  storage: Storage;
  prefix: string;
  connection: Redis;
  /** the queues under `prefix` */
  queues: Queues;
  userId: number;
  model: ChangeModel;
  /** in-process workers; stopWorkers() closes them so a child process can take over */
  workers: Worker[];
  ingest(scene: DemoScene): Promise<{ beforeId: number; afterId: number }>;
  /**
   * asks for the run of `afterId` (as the ready chain does) and waits until it is done; with `options`, plans the
   * run with them and queues it directly instead
   */
  detect(afterId: number, timeoutMs?: number, options?: RunOptions): Promise<RunRow>;
  stopWorkers(): Promise<void>;
  close(): Promise<void>;
}

/**
 * With `storageUrl` (an S3 store), uploads, tiles and every other file go there, the way they do for worker
 * machines that share nothing but the services; `dir` is then only this process's working folder.
 */
export async function detectEnv(label: string, model: ChangeModel, inProcess = true, storageUrl: string | null = null): Promise<DetectEnv> {
  const prefix = `tuban-test-${randomBytes(4).toString('hex')}`;
  const redisUrl = loadConfig().REDIS_URL;
  const connection = createRedis(redisUrl);
  const db = await createTestDatabase(label);
  const dir = await mkdtemp(join(tmpdir(), `tuban-${label}-`));
  const storage = storageUrl ? await openStorage({ STORAGE_URL: storageUrl, DATA_DIR: dir }, db.pool) : localStorage(dir);
  const ctx = testWorkerContext({
    db: db.pool, redis: connection, prefix, dataDir: dir, tileFormat: 'mixed', model, tileStore: storage.tiles, objects: storage.objects,
  });
  const userId = await insertTestUser(db.pool, { username: 'office', displayName: '拆违专办', role: 'office' });
  const ingestQueue = ctx.queues.byName[QueueName.Ingest];
  const events = new QueueEvents(QueueName.Ingest, { connection: createRedis(redisUrl), prefix });
  await events.waitUntilReady();
  const workers = [startWorker(QueueName.Ingest, ctx)];
  if (inProcess) workers.push(startWorker(QueueName.Detect, ctx));

  // As an upload leaves it: a file of the folder, or an object where the tus S3 store puts finished uploads.
  const ingestOne = async (name: string, bytes: Buffer) => {
    let source: IngestSourceRef;
    if (storageUrl) {
      const key = randomBytes(16).toString('hex');
      await uploadObjects(storage.objects).put(key, bytes);
      source = { sourceKey: key };
    } else {
      source = { sourcePath: join(dir, name) };
      await writeFile(source.sourcePath, bytes);
    }
    const id = await insertTestImagery(db.pool, { fileName: name, sizeBytes: bytes.length, uploadedBy: userId });
    const job = await ingestQueue.add(JobName.IngestImagery, { imageryId: id, ...source }, { jobId: `ingest-${id}` });
    await job.waitUntilFinished(events, 60_000);
    return id;
  };

  const env: DetectEnv = {
    db, dir, storageUrl, storage, prefix, connection, queues: ctx.queues, userId, model, workers,
    async ingest(scene) {
      const beforeId = await ingestOne('before.tif', scene.before);
      const afterId = await ingestOne('after.tif', scene.after);
      return { beforeId, afterId };
    },
    async detect(afterId, timeoutMs = 60_000, options) {
      if (options) {
        const { run } = await planDetectionRun(db.pool, afterId, model, userId, options);
        if (run.batchesTotal > 0 && run.status !== 'done') await enqueueDetectionRun(ctx.queues, run);
      } else {
        await enqueuePlanDetection(ctx.queues, afterId, userId);
      }
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const run = await findRunFor(db.pool, afterId, model.version);
        if (run?.status === 'done') return run;
        if (run?.status === 'failed') throw new Error(`run ${run.id} failed: ${run.error}`);
        if (Date.now() > deadline) throw new Error(`run for imagery ${afterId} not done after ${timeoutMs} ms: ${JSON.stringify(run)}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    async stopWorkers() {
      await Promise.all(workers.splice(0).map((w) => w.close()));
    },
    async close() {
      await env.stopWorkers();
      for (const q of [ingestQueue, ctx.queues.byName[QueueName.Detect]]) await q.obliterate({ force: true });
      await ctx.queues.close();
      await events.close();
      connection.disconnect();
      await db.drop();
      await rm(dir, { recursive: true, force: true });
      if (storageUrl) await removeTestStorage(storageUrl);
    },
  };
  return env;
}

/** Candidate geometries of a run as sorted WKT (6 decimals), for comparing two runs. */
export async function candidateShapes(db: TestDatabase, runId: number): Promise<string[]> {
  const { rows } = await db.pool.query<{ wkt: string }>(
    'SELECT ST_AsText(ST_Normalize(geom), 6) AS wkt FROM candidates WHERE run_id = $1 ORDER BY 1',
    [runId],
  );
  return rows.map((r) => r.wkt);
}

/** For each planted footprint, how many candidates of the run overlap it. */
export async function hitsPerPlanted(db: TestDatabase, runId: number, scene: DemoScene): Promise<number[]> {
  const { rows } = await db.pool.query<{ hits: number }>(
    `SELECT (SELECT count(*)::int FROM candidates c WHERE c.run_id = $1 AND ST_Intersects(c.geom, ST_GeomFromGeoJSON(f.g))) AS hits
     FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS t(feature, n), LATERAL (SELECT t.feature->>'geometry' AS g) f
     ORDER BY t.n`,
    [runId, JSON.stringify(scene.truth.features)],
  );
  return rows.map((r) => r.hits);
}

/** Candidates of the run that overlap no planted footprint: false alarms. */
export async function falseAlarms(db: TestDatabase, runId: number, scene: DemoScene): Promise<number> {
  const { rows } = await db.pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM candidates c WHERE c.run_id = $1 AND NOT EXISTS (
       SELECT 1 FROM jsonb_array_elements($2::jsonb) AS f(feature)
       WHERE ST_Intersects(c.geom, ST_SetSRID(ST_GeomFromGeoJSON(f.feature->>'geometry'), 4326)))`,
    [runId, JSON.stringify(scene.truth.features)],
  );
  return rows[0]!.n;
}
