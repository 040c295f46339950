// A detection worker process killed with SIGKILL mid-run, then restarted, ends with exactly the candidates of
// an uninterrupted run (real Redis, PostGIS and a real child process).
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findRun } from '@tuban/core/db/detection-runs';
import { enqueueDetectionRun } from '@tuban/core/jobs/detection-jobs';
import { planDetectionRun } from '@tuban/core/detection/plan';
import { loadConfig } from '@tuban/core/config';
import { renderDemoScene } from '../../data/src/demo-imagery.js';
import { detectorModel } from '@tuban/workers/testing/change-models';
import { candidateShapes, detectEnv, type DetectEnv } from '@tuban/workers/testing/detect-scene';

const ENTRY = new URL('../src/testing/detect-worker.ts', import.meta.url).pathname;
const ROOT = new URL('../..', import.meta.url).pathname;
let env: DetectEnv;
let afterId: number;
const children = new Set<ChildProcess>();

function startChild(): Promise<ChildProcess> {
  const config = loadConfig();
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: {
      ...process.env, DATABASE_URL: config.DATABASE_URL, REDIS_URL: config.REDIS_URL, TUBAN_QUEUE_PREFIX: env.prefix,
      TUBAN_DB_SCHEMA: env.db.schema, TUBAN_TILE_DIR: join(env.dir, 'tiles'), TUBAN_DETECTOR: 'baseline',
    },
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve(child));
    child.once('exit', (code) => reject(new Error(`detection worker exited with ${code} before it was ready`)));
  });
}

async function runToEnd(version: string, killAfterTiles?: number): Promise<number> {
  const model = { ...env.model, version };
  // One tile per batch: many small jobs, so the kill lands between and inside them.
  const { run } = await planDetectionRun(env.db.pool, afterId, model, env.userId, { batchSize: 1 });
  let child = await startChild();
  await enqueueDetectionRun(env.queues, run);
  let killed = false;
  const deadline = Date.now() + 90_000;
  for (;;) {
    const r = (await findRun(env.db.pool, run.id))!;
    if (r.status === 'done') break;
    if (r.status === 'failed') throw new Error(`run failed: ${r.error}`);
    if (Date.now() > deadline) throw new Error(`run not done in time: ${r.tilesDone}/${r.tilesTotal}`);
    if (killAfterTiles !== undefined && !killed && r.tilesDone >= killAfterTiles) {
      expect(r.tilesDone).toBeLessThan(r.tilesTotal);
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
      killed = true;
      child = await startChild();
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (killAfterTiles !== undefined) expect(killed).toBe(true);
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  return run.id;
}

beforeAll(async () => {
  env = await detectEnv('detect_kill', detectorModel(), false);
  ({ afterId } = await env.ingest(await renderDemoScene({ size: 512, seed: 1, nuisance: false })));
}, 120_000);
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await env?.close();
});

describe('detection worker killed mid-run', () => {
  it('finishes after a restart with the same candidates as an uninterrupted run', async () => {
    const reference = await runToEnd('kill-test-reference');
    const interrupted = await runToEnd('kill-test-interrupted', 3);
    const expected = await candidateShapes(env.db, reference);
    expect(expected.length).toBeGreaterThan(0);
    expect(await candidateShapes(env.db, interrupted)).toEqual(expected);
  }, 200_000);
});
