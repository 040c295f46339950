// Learning on machines that share nothing but PostgreSQL, Redis and S3 (a real SeaweedFS): the export worker writes
// the training set into the store, the Python trainer (a working folder of its own) reads it from there and puts
// the trained version's ONNX file into the store, an admin's promotion checks it through another folder's cache, and
// a detection worker process with a fresh, empty working folder runs a run with that version; the next version is
// fine-tuned from that one, which the trainer copies from the store.
// Needs SeaweedFS (TUBAN_S3=on) and models/.venv (bash models/setup-venv.sh); skipped with a message without them.
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findRun } from '@tuban/core/db/detection-runs';
import type { User } from '@tuban/core/db/users';
import { QueueName } from '@tuban/core/jobs/queues';
import { enqueueTraining, jobStatus, TRAIN_JOB, type TrainResult } from '@tuban/core/jobs/train-jobs';
import { modelFiles } from '@tuban/core/learning/model-files';
import { promoteModelVersion } from '@tuban/core/learning/model-versions';
import { insertTestUser } from '@tuban/core/testing/fixtures';
import { S3_MISSING, testS3Running, testStorageUrl } from '@tuban/core/testing/s3';
import { buildTrainingScene, type Spot } from '@tuban/core/testing/training-scene';
import { renderDemoScene } from '@tuban/data/demo-imagery';
import { hasModel, onnxModel } from '../src/testing/change-models.js';
import { detectEnv, type DetectEnv } from '../src/testing/detect-scene.js';
import { DetectWorkers } from '../src/testing/detect-worker-process.js';
import { startTrainerProcess, trainerAvailable } from '../src/testing/trainer-process.js';
import { testWorkerContext } from '../src/testing/worker-context.js';
import type { WorkerContext } from '../src/context.js';
import { startWorker } from '../src/worker.js';

const s3Up = await testS3Running();
const trainer = trainerAvailable();
if (!s3Up) console.warn(`learning through S3 skipped: ${S3_MISSING}`);
if (!trainer) console.warn('learning through S3 skipped: no models/.venv with torch, bullmq, psycopg and boto3 (run: bash models/setup-venv.sh)');
const ready = s3Up && trainer && hasModel();

const SPOTS: Spot[] = [];
for (let ty = 0; ty < 6; ty++) for (let tx = 0; tx < 6; tx += 2) SPOTS.push([tx, ty, (tx + ty) % 4 === 0 ? 'dismissed' : 'confirmed', (tx + ty) % 4 === 0 ? 'false_positive' : undefined]);

let env: DetectEnv;
let ctx: WorkerContext;
let exporter: Worker;
let afterId: number;
let officeId: number;
const dirs: Record<'exporter' | 'trainer' | 'server', string> = { exporter: '', trainer: '', server: '' };
const children = new Set<ChildProcess>();
let workers: DetectWorkers | undefined;

/** A training flow (its set exported, then trained) followed to its end. */
async function train(steps: number): Promise<{ datasetDir: string; result: TrainResult }> {
  const { jobId, datasetDir } = await enqueueTraining(ctx.queues, {}, { steps, requestedBy: officeId });
  for (const deadline = Date.now() + 300_000; ; await new Promise((r) => setTimeout(r, 500))) {
    const s = await jobStatus(ctx.queues, QueueName.Train, jobId, TRAIN_JOB);
    if (s?.error) throw new Error(`train job failed: ${s.error}`);
    if (s?.state === 'completed') return { datasetDir, result: s.result as TrainResult };
    if (Date.now() > deadline) throw new Error(`train job not done in time: ${JSON.stringify(s)}`);
  }
}

/** The files (not folders) under a folder, relative to it. */
const filesUnder = async (dir: string) =>
  (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)));
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  if (!ready) return;
  env = await detectEnv('s3_learning', await onnxModel(), false, testStorageUrl('learning'));
  ({ afterId } = await env.ingest(await renderDemoScene({ size: 512, seed: 1, nuisance: false })));
  officeId = (await buildTrainingScene(env.db.pool, env.storage.tiles, SPOTS)).officeId;
  for (const k of Object.keys(dirs) as (keyof typeof dirs)[]) dirs[k] = await mkdtemp(join(tmpdir(), `tuban-s3-learning-${k}-`));
  ctx = testWorkerContext({ db: env.db.pool, redis: env.connection, prefix: env.prefix, dataDir: dirs.exporter, objects: env.storage.objects, tileStore: env.storage.tiles });
  exporter = startWorker(QueueName.Export, ctx);
}, 180_000);

afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await workers?.stopAll();
  await exporter?.close();
  await ctx?.queues.close();
  await env?.close();
  for (const d of Object.values(dirs)) if (d) await rm(d, { recursive: true, force: true });
});

describe.skipIf(!ready)('learning on machines that share only PostgreSQL, Redis and S3', () => {
  it('exports the set into S3, trains from it into S3, and a worker with an empty folder detects with the trained version', async () => {
    const child = startTrainerProcess({
      schema: env.db.schema, prefix: env.prefix, dataDir: dirs.trainer, storageUrl: env.storageUrl!,
      env: { TRAIN_SYNTHETIC_DIR: join(dirs.trainer, 'no-synthetic-set') },
    });
    children.add(child);
    const { datasetDir, result: { version } } = await train(10);

    // the set and the version are in the store; the exporter's and trainer's working folders keep no file
    const objects = env.storage.objects;
    expect(await objects.get(`${datasetDir}/manifest.json`)).not.toBeNull();
    const { rows } = await env.db.pool.query('SELECT onnx_path, onnx_sha256, status FROM model_versions WHERE version = $1', [version]);
    expect(rows[0]).toMatchObject({ onnx_path: `models/${version}/tuban-change.onnx`, status: 'candidate' });
    expect(sha((await objects.get(rows[0].onnx_path))!)).toBe(rows[0].onnx_sha256);
    expect((await objects.list(`models/${version}/`)).sort()).toEqual([`models/${version}/tuban-change.card.json`, `models/${version}/tuban-change.onnx`]);
    expect(await filesUnder(dirs.exporter)).toEqual([]);
    expect(await filesUnder(dirs.trainer)).toEqual([]);

    // the promotion checks the file through the server's own cache folder
    const adminId = await insertTestUser(env.db.pool, { username: 's3-admin', role: 'admin' });
    const admin = { id: adminId, username: 's3-admin', displayName: 's3-admin', role: 'admin', streetCode: null } as User;
    await promoteModelVersion(env.db.pool, admin, version, modelFiles(objects, dirs.server));
    const cached = ['tuban-change.card.json', 'tuban-change.onnx'].map((f) => join('tmp', 'models', version, f));
    expect((await filesUnder(dirs.server)).sort()).toEqual(cached);

    // a worker process with a fresh working folder gets the version's file from the store and runs with it
    workers = new DetectWorkers(env, 'versions');
    const { runId, tilesTotal } = await workers.run(afterId, version);
    const run = (await findRun(env.db.pool, runId))!;
    expect(run).toMatchObject({ status: 'done', modelVersion: version, tilesDone: tilesTotal });
    const candidates = await env.db.pool.query<{ model_version: string }>('SELECT DISTINCT model_version FROM candidates WHERE run_id = $1', [runId]);
    expect(candidates.rows).toEqual([{ model_version: version }]);

    // the next version is fine-tuned from the active, trained one: the trainer copies it from the store
    const next = (await train(3)).result;
    expect(next.parentVersion).toBe(version);
    expect((await filesUnder(dirs.trainer)).sort()).toEqual(cached);
    child.kill('SIGTERM');
  }, 600_000);
});
