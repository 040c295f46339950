// The Python trainer (models/trainer) on real Redis and PostGIS: a `train` flow exports the training set (Node
// worker), then the trainer fine-tunes the active model. Killed with SIGKILL mid-training, it leaves the active
// model untouched and no row or folder for the half-made version; restarted, it takes the same job again and
// registers one candidate version with its files and scores.
// Needs models/.venv with models/trainer/requirements.txt (bash models/setup-venv.sh); skipped without it.
import { spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import type { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@tuban/core/config';
import { QueueName, type Queues } from '@tuban/core/jobs/queues';
import { enqueueTraining, jobStatus, TRAIN_JOB } from '@tuban/core/jobs/train-jobs';
import { createRedis } from '@tuban/core/redis';
import { createTestDatabase, type TestDatabase } from '@tuban/core/testing/database';
import { buildTrainingScene, type Spot } from '@tuban/core/testing/training-scene';
import { startWorker } from '../src/worker.js';
import { startTrainerProcess, trainerAvailable } from '../src/testing/trainer-process.js';
import { testWorkerContext } from '../src/testing/worker-context.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const ready = trainerAvailable();
if (!ready) console.warn('trainer test skipped: no models/.venv with torch, bullmq and psycopg (run: bash models/setup-venv.sh)');

const SPOTS: Spot[] = [];
for (let ty = 0; ty < 6; ty++) for (let tx = 0; tx < 6; tx += 2) SPOTS.push([tx, ty, (tx + ty) % 4 === 0 ? 'dismissed' : 'confirmed', (tx + ty) % 4 === 0 ? 'false_positive' : undefined]);

let t: TestDatabase;
let dataDir: string;
let queues: Queues;
let exporter: Worker;
let officeId: number;
const redis = createRedis(loadConfig().REDIS_URL);
const prefix = `test-trainer-${randomBytes(3).toString('hex')}`;
const children = new Set<ChildProcess>();

function startTrainer(): ChildProcess {
  const child = startTrainerProcess({
    schema: t.schema, prefix, dataDir,
    env: { TRAIN_LOCK_MS: '3000', TRAIN_STALLED_MS: '1500', TRAIN_SYNTHETIC_DIR: join(dataDir, 'synthetic') },
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

async function until<T>(what: string, seconds: number, probe: () => Promise<T | undefined | false>): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${seconds} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const versions = async () =>
  (await t.pool.query<{ version: string; status: string; parent_version: string | null }>('SELECT version, status, parent_version FROM model_versions ORDER BY created_at, version')).rows;

beforeAll(async () => {
  if (!ready) return;
  t = await createTestDatabase('trainer');
  dataDir = await mkdtemp(join(tmpdir(), 'tuban-trainer-'));
  officeId = (await buildTrainingScene(t.pool, dataDir, SPOTS)).officeId;
  // a small synthetic test set for the regression guard, made by the project's own generator
  const synth = spawnSync('npx', ['tsx', 'data/src/synth/synth-cli.ts', '--count', '3', '--out', join(dataDir, 'synthetic'), '--seed', '99'], { cwd: ROOT, stdio: 'inherit' });
  expect(synth.status).toBe(0);
  const ctx = testWorkerContext({ db: t.pool, redis, prefix, dataDir });
  queues = ctx.queues;
  exporter = startWorker(QueueName.Export, ctx);
});

afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await exporter?.close();
  await queues?.close();
  redis.disconnect();
  await t?.drop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe.skipIf(!ready)('trainer worker', () => {
  it('survives SIGKILL mid-training: nothing half-made is visible, the job is taken again and registers one candidate', async () => {
    const { jobId, datasetDir } = await enqueueTraining(queues, {}, { steps: 60, requestedBy: officeId });
    let trainer = startTrainer();
    const status = () => jobStatus(queues, QueueName.Train, jobId, TRAIN_JOB);
    await until('training under way', 150, async () => ((await status())?.progress ?? 0) >= 15);
    trainer.kill('SIGKILL');
    await new Promise((r) => trainer.once('exit', r));

    // the shipped model was registered as the active one; nothing of the half-trained version exists
    expect(await versions()).toEqual([{ version: '0.3.0', status: 'active', parent_version: null }]);
    const left = await readdir(join(dataDir, 'models')).catch(() => []);
    expect(left.filter((f) => f !== '.staging')).toEqual([]);
    expect((await status())!.state).toBe('active');

    trainer = startTrainer();
    const done = await until('job completed after the restart', 300, async () => {
      const s = await status();
      if (s?.error) throw new Error(`train job failed: ${s.error}`);
      return s?.state === 'completed' && s;
    });
    trainer.kill('SIGTERM');
    const job = (await queues.byName[QueueName.Train].getJob(jobId))!;
    expect(job.stalledCounter).toBeGreaterThanOrEqual(1);

    const { version } = done.result as { version: string };
    expect(version).toBe(`0.3.0+${jobId}`);
    expect(await versions()).toEqual([
      { version: '0.3.0', status: 'active', parent_version: null },
      { version, status: 'candidate', parent_version: '0.3.0' },
    ]);
    const { rows } = await t.pool.query('SELECT onnx_path, onnx_sha256, metrics, training_manifest, card, created_by FROM model_versions WHERE version = $1', [version]);
    const row = rows[0];
    expect(row.onnx_path).toBe(`models/${version}/tuban-change.onnx`);
    const onnx = await readFile(join(dataDir, row.onnx_path));
    expect(createHash('sha256').update(onnx).digest('hex')).toBe(row.onnx_sha256);
    expect(await readdir(join(dataDir, 'models', version))).toEqual(['tuban-change.card.json', 'tuban-change.onnx']);
    expect((await readdir(join(dataDir, 'models', '.staging')))).toEqual([]);
    for (const set of ['district-validation', 'synthetic'])
      expect(Object.keys(row.metrics[set])).toEqual(expect.arrayContaining(['f1', 'objectPrecision', 'objectRecall', 'falseAlarmsPerKm2']));
    expect(row.card).toMatchObject({ version, parent: '0.3.0', opset: 17, input: { name: 'pair' } });
    expect(row.training_manifest.format).toBe('tuban-training-set');
    expect(row.created_by).toBe(officeId);
    expect(existsSync(join(dataDir, datasetDir, 'manifest.json'))).toBe(true);
  }, 480_000);
});
