// Killed workers lose nothing: one undisturbed detection run, then N runs of the same imagery in which the worker
// process is SIGKILLed once at a random point (a random share of the tiles done, seeded) and restarted. Each
// disturbed run must end with exactly the reference's candidates, every planned tile done once, and no
// duplicate part or candidate. Prints each trial and the tally.
// Usage: npx tsx bench/kill.ts [--kills 20] [--size PX] [--detector onnx|baseline] [--seed N]; needs DATABASE_URL / REDIS_URL.
import { parseArgs } from 'node:util';
import { renderDemoScene } from '@tuban/data/demo-imagery';
import { detectorModel, hasModel, onnxModel } from '@tuban/workers/testing/change-models';
import { candidateShapes, detectEnv, type DetectEnv } from '@tuban/workers/testing/detect-scene';
import { DetectWorkers, type Detector } from '@tuban/workers/testing/detect-worker-process';

const { values } = parseArgs({
  options: {
    kills: { type: 'string', default: '20' },
    size: { type: 'string', default: '1536' },
    detector: { type: 'string', default: 'onnx' },
    seed: { type: 'string', default: '1' },
  },
});
const detector = (values.detector === 'onnx' && hasModel() ? 'onnx' : 'baseline') as Detector;
let seed = Number(values.seed);
const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);

interface RunFacts {
  shapes: string[];
  tilesDone: number;
  tilesPlanned: number;
  duplicateParts: number;
}

async function facts(env: DetectEnv, runId: number): Promise<RunFacts> {
  const { rows } = await env.db.pool.query<{ done: number; planned: number; dup: number }>(
    `SELECT (SELECT count(*) FILTER (WHERE done)::int FROM detection_tiles WHERE run_id = $1) AS done,
            (SELECT count(*)::int FROM detection_tiles WHERE run_id = $1) AS planned,
            (SELECT count(*)::int FROM (SELECT 1 FROM candidate_parts WHERE run_id = $1
               GROUP BY batch_no, ST_AsBinary(geom) HAVING count(*) > 1) d) AS dup`,
    [runId],
  );
  const r = rows[0]!;
  return { shapes: await candidateShapes(env.db, runId), tilesDone: r.done, tilesPlanned: r.planned, duplicateParts: r.dup };
}

const model = detector === 'onnx' ? await onnxModel(1, 0) : detectorModel();
const env = await detectEnv('bench_kill', model, false);
const workers = new DetectWorkers(env, detector);
try {
  const { afterId } = await env.ingest(await renderDemoScene({ size: Number(values.size), seed: 7 }));
  const t0 = performance.now();
  const reference = await workers.run(afterId, 'kill-bench-reference');
  const expected = await facts(env, reference.runId);
  console.log(`reference run: ${reference.tilesTotal} tile pairs, ${expected.shapes.length} candidates, ${((performance.now() - t0) / 1000).toFixed(1)} s (${detector})`);
  let same = 0;
  const kills = Number(values.kills);
  for (let i = 1; i <= kills; i++) {
    const killAt = Math.floor(random() * reference.tilesTotal);
    const run = await workers.run(afterId, `kill-bench-${i}`, killAt);
    const got = await facts(env, run.runId);
    const ok = run.killed && JSON.stringify(got.shapes) === JSON.stringify(expected.shapes) && got.tilesDone === got.tilesPlanned && got.duplicateParts === 0;
    if (ok) same++;
    console.log(`kill ${String(i).padStart(2)}: at ${killAt}/${reference.tilesTotal} tiles, killed ${run.killed}, candidates ${got.shapes.length}, tiles ${got.tilesDone}/${got.tilesPlanned}, duplicate parts ${got.duplicateParts}: ${ok ? 'same as undisturbed' : 'DIFFERENT'}`);
  }
  console.log(`\n${same} of ${kills} killed runs ended with exactly the undisturbed run's candidates`);
  if (same !== kills) process.exitCode = 1;
} finally {
  await workers.stopAll();
  await env.close();
}
