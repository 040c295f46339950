// PostgreSQL going away in the middle of a detection run: every connection of the workers is cut, again and
// again for three seconds, as a server restart does (other tests' connections on the same server are spared).
// The run must finish with exactly the candidates of an undisturbed run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@tuban/core/config';
import { findRun } from '@tuban/core/db/detection-runs';
import { applicationName, createPool, type Pool } from '@tuban/core/db/pool';
import { planDetectionRun } from '@tuban/core/detection/plan';
import { enqueueDetectionRun } from '@tuban/core/jobs/detection-jobs';
import { renderDemoScene } from '@tuban/data/demo-imagery';
import { detectorModel } from '@tuban/workers/testing/change-models';
import { candidateShapes, detectEnv, type DetectEnv } from '@tuban/workers/testing/detect-scene';

let env: DetectEnv;
let afterId: number;
/** A connection of the test's own, outside the pool whose connections it cuts. */
let admin: Pool;
const RUN = process.env.TUBAN_OUTAGE_TESTS === '1';

beforeAll(async () => {
  if (!RUN) return;
  env = await detectEnv('detect_db_outage', detectorModel());
  ({ afterId } = await env.ingest(await renderDemoScene({ size: 512, seed: 3, nuisance: false })));
  admin = createPool(loadConfig().DATABASE_URL, { schema: env.db.schema, max: 1, applicationName: 'tuban-test-observer' });
}, 120_000);
afterAll(async () => {
  await admin?.end();
  await env?.close();
});

/** Cuts every connection of the workers' pool, every 100 ms for `ms`; returns how many it cut. */
async function outage(ms: number): Promise<number> {
  let cut = 0;
  for (const end = Date.now() + ms; Date.now() < end; ) {
    const { rows } = await admin.query<{ n: number }>(
      'SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE application_name = $1',
      [applicationName(env.db.schema)],
    );
    cut += rows[0]!.n;
    await new Promise((r) => setTimeout(r, 100));
  }
  return cut;
}

/** Runs detection to the end, with an outage once `outageAfterTiles` tiles are done; the test reads through its own connection. */
async function runToEnd(version: string, outageAfterTiles?: number): Promise<{ runId: number; cut: number }> {
  const { run } = await planDetectionRun(env.db.pool, afterId, { ...env.model, version }, env.userId, { batchSize: 1 });
  await enqueueDetectionRun(env.queues, run);
  let cut = 0;
  for (const deadline = Date.now() + 120_000; ; ) {
    const r = (await findRun(admin, run.id))!;
    if (r.status === 'done') return { runId: run.id, cut };
    if (r.status === 'failed') throw new Error(`run failed: ${r.error}`);
    if (Date.now() > deadline) throw new Error(`run not done in time: ${r.tilesDone}/${r.tilesTotal}`);
    if (outageAfterTiles !== undefined && cut === 0 && r.tilesDone >= outageAfterTiles) {
      expect(r.tilesDone).toBeLessThan(r.tilesTotal);
      cut = await outage(3000);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

// Opt-in (TUBAN_OUTAGE_TESTS=1), like the ingest outage tests.
describe.skipIf(!RUN)('PostgreSQL restarting during a detection run', () => {
  it('finishes once the database is back, with the same candidates as an undisturbed run', async () => {
    const reference = await runToEnd('db-outage-reference');
    const disturbed = await runToEnd('db-outage-disturbed', 2);
    expect(disturbed.cut).toBeGreaterThan(0);
    const expected = await candidateShapes(env.db, reference.runId);
    expect(expected.length).toBeGreaterThan(0);
    expect(await candidateShapes(env.db, disturbed.runId)).toEqual(expected);
  }, 300_000);
});
