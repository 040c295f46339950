// A detection worker process killed with SIGKILL mid-run, then restarted, ends with exactly the candidates of
// an uninterrupted run (real Redis, PostGIS and a real child process). bench/kill.ts does this 20 times.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderDemoScene } from '../../data/src/demo-imagery.js';
import { detectorModel } from '@tuban/workers/testing/change-models';
import { candidateShapes, detectEnv, type DetectEnv } from '@tuban/workers/testing/detect-scene';
import { DetectWorkers } from '@tuban/workers/testing/detect-worker-process';

let env: DetectEnv;
let workers: DetectWorkers;
let afterId: number;

beforeAll(async () => {
  env = await detectEnv('detect_kill', detectorModel(), false);
  workers = new DetectWorkers(env, 'baseline');
  ({ afterId } = await env.ingest(await renderDemoScene({ size: 512, seed: 1, nuisance: false })));
}, 120_000);
afterAll(async () => {
  await workers?.stopAll();
  await env?.close();
});

describe('detection worker killed mid-run', () => {
  it('finishes after a restart with the same candidates as an uninterrupted run', async () => {
    const reference = await workers.run(afterId, 'kill-test-reference');
    const interrupted = await workers.run(afterId, 'kill-test-interrupted', 3);
    expect(interrupted.killed).toBe(true);
    const expected = await candidateShapes(env.db, reference.runId);
    expect(expected.length).toBeGreaterThan(0);
    expect(await candidateShapes(env.db, interrupted.runId)).toEqual(expected);
  }, 200_000);
});
