// Detection throughput: tile pairs/s through the whole batch path (read tiles, decode, co-register, infer,
// vectorise, write parts) with and without co-registration, against the model alone (onnxruntime-node on the very
// same windows, same threads), in one run; the time
// a district-sized run (~3,200 tile pairs) would take; and the same run through the real queue, one worker process.
// Where the CPU goes, per thread, is printed too. The process runs as a worker process does: with DETECT_NICE
// its threads other than the model's are lowered (the model-alone reference then runs on a lowered thread,
// which makes no difference while nothing else runs).
// Usage: npx tsx bench/detect.ts [--size PX] [--threads N] [--detector onnx|baseline] [--batch TILES] [--rounds N] [--queue-only]; needs DATABASE_URL / REDIS_URL.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '@tuban/core/config';
import { mergeRunCandidates } from '@tuban/core/db/detection-merge';
import { batchTiles, findRun } from '@tuban/core/db/detection-runs';
import { withTransaction } from '@tuban/core/db/pool';
import { enqueueDetectionRun } from '@tuban/core/jobs/detection-jobs';
import { planDetectionRun, RUN_DEFAULTS } from '@tuban/core/detection/plan';
import { JobName, QueueName } from '@tuban/core/jobs/queues';
import { imageryTileReader } from '@tuban/core/tiles/imagery-tile-reader';
import { LocalTileStore } from '@tuban/core/tiles/tile-store';
import { renderDemoScene } from '@tuban/data/demo-imagery';
import { CHUNK, detectBatch } from '@tuban/workers/detect/batch';
import { TileCache, readWindow } from '@tuban/workers/detect/windows';
import { detectorModel, hasModel, MODEL_PATH, onnxModel } from '@tuban/workers/testing/change-models';
import { detectEnv } from '@tuban/workers/testing/detect-scene';
import { cpuByKind, processCpu, threadCpu } from './thread-cpu.js';
import { benchModelVersion, deleteRun, obliterateQueues, schemaDatabaseUrl, startWorkerProcess } from './worker-processes.js';
import { median } from './stats.js';

const { values } = parseArgs({ options: { size: { type: 'string', default: '3072' }, threads: { type: 'string', default: '1' }, detector: { type: 'string', default: 'onnx' }, batch: { type: 'string', default: String(RUN_DEFAULTS.batchSize) }, rounds: { type: 'string', default: '5' }, 'queue-only': { type: 'boolean', default: false } } });
const batchSize = Number(values.batch);
const size = Number(values.size);
const threads = Number(values.threads);
const { DETECT_CONCURRENCY: concurrency, DETECT_NICE: nice } = loadConfig();
const useOnnx = values.detector === 'onnx';
if (useOnnx && !hasModel()) {
  console.error(`bench/detect: no model at ${MODEL_PATH}; train/commit it first or pass --detector baseline`);
  process.exit(1);
}
const RUNS = Number(values.rounds);
const DISTRICT_TILES = 3200;

const model = useOnnx ? await onnxModel(threads, nice) : detectorModel();
const env = await detectEnv('bench_detect', model, false);
const store = new LocalTileStore(join(env.dir, 'tiles'));
const readTile = imageryTileReader(env.db.pool, store);
try {
  const t0 = performance.now();
  const { afterId } = await env.ingest(await renderDemoScene({ size, seed: 5 }));
  console.log(`scene ${size}² px rendered and ingested in ${((performance.now() - t0) / 1000).toFixed(1)} s; detector ${model.name} ${model.version}, ${threads} thread(s), ${concurrency} batch(es) at once (DETECT_CONCURRENCY), other threads at nice ${nice} (DETECT_NICE)`);

  const { run } = await planDetectionRun(env.db.pool, afterId, { ...model, version: `${model.version}+bench` }, env.userId);
  // The same tiles and batches, planned without co-registration: what it costs.
  const { run: plain } = await planDetectionRun(env.db.pool, afterId, { ...model, version: `${model.version}+bench-plain` }, env.userId, { coregister: false });
  const tiles = run.tilesTotal;
  const win = 256 + 2 * run.marginPx;

  // The reference: the model alone on the same windows, read and decoded beforehand, in the same chunks the
  // pipeline uses, through onnxruntime-node's own session.run on this thread, one call after the other.
  const inputs: { input: Float32Array; n: number }[] = [];
  for (let b = 0; b < run.batchesTotal; b++) {
    const batch = await batchTiles(env.db.pool, run.id, b);
    const cache = new TileCache(readTile);
    for (let c = 0; c < batch.length; c += CHUNK) {
      const chunk = batch.slice(c, c + CHUNK);
      const input = new Float32Array(chunk.length * 6 * win * win);
      for (const [i, tile] of chunk.entries()) {
        input.set((await readWindow(cache, tile.beforeImageryId, run.zoom, tile.x, tile.y, run.marginPx)).planes, i * 6 * win * win);
        input.set((await readWindow(cache, afterId, run.zoom, tile.x, tile.y, run.marginPx)).planes, (i * 6 + 3) * win * win);
      }
      inputs.push({ input, n: chunk.length });
    }
  }
  // The same model object the pipeline uses; predict takes its input over, so each round sends a copy.
  const predictRaw = (input: Float32Array, n: number) => model.predict(input.slice(), n, win);
  const modelAlone = async () => {
    for (const { input, n } of inputs) await predictRaw(input, n);
  };

  // End to end in this process: every batch of the run, as the worker's batch jobs do it, as many at once as
  // a worker process takes (the model on its inference thread). A fresh tile cache each round: every round
  // decodes every tile, as a worker new to this run would.
  const endToEndOf = (r: typeof run) => async () => {
    const deps = { db: env.db.pool, tiles: new TileCache(readTile), model };
    let next = 0;
    const lane = async () => {
      while (next < r.batchesTotal) await detectBatch(deps, r, next++);
    };
    await Promise.all(Array.from({ length: concurrency }, lane));
    return deps.tiles.decoded;
  };
  const endToEnd = endToEndOf(run);
  const endToEndPlain = endToEndOf(plain);

  if (!values['queue-only']) await inProcess();

  async function inProcess() {
    // Rounds alternate between the two so that both see the same load; one untimed round of each first (the
    // JIT, the allocator and onnxruntime warm up).
    const e2e: number[] = [];
    const e2ePlain: number[] = [];
    const raw: number[] = [];
    for (let i = -1; i < RUNS; i++) {
      for (const [f, out] of [[endToEnd, e2e], [endToEndPlain, e2ePlain], [modelAlone, raw]] as const) {
        const t = performance.now();
        await f();
        if (i >= 0) out.push(tiles / ((performance.now() - t) / 1000));
      }
    }
    // Where the CPU goes: two more end-to-end rounds, CPU time per thread and of the database.
    const cpu0 = threadCpu();
    const db0 = processCpu(['postgres']);
    const tp = performance.now();
    let decodedPerPair = 0;
    for (let i = 0; i < 2; i++) decodedPerPair += (await endToEnd()) / (2 * tiles);
    const wallPerPair = (performance.now() - tp) / (2 * tiles);
    const byKind = cpuByKind(cpu0, threadCpu(), 2 * tiles);
    const dbPerPair = (processCpu(['postgres']) - db0) / (2 * tiles);

    const timings = (await findRun(env.db.pool, run.id))!.timings;
    const tm = performance.now();
    const candidates = await withTransaction(env.db.pool, (c) => mergeRunCandidates(c, run.id));
    const mergeSeconds = (performance.now() - tm) / 1000;

    const e2eMedian = median(e2e);
    const plainMedian = median(e2ePlain);
    const rawMedian = median(raw);
    const districtMinutes = (DISTRICT_TILES / e2eMedian + (mergeSeconds * DISTRICT_TILES) / tiles) / 60;
    console.log(`tile pairs: ${tiles} (window ${win} px), ${candidates} candidates, merge ${mergeSeconds.toFixed(2)} s`);
    console.log(`end to end (read, decode, infer, vectorise, write): ${e2eMedian.toFixed(1)} pairs/s (median of ${RUNS})`);
    console.log(`end to end without co-registration:               ${plainMedian.toFixed(1)} pairs/s; with / without ${(e2eMedian / plainMedian).toFixed(3)} (cost ${(100 * (1 - e2eMedian / plainMedian)).toFixed(1)} %, target ≤ 10 %)`);
    console.log(`model alone, same windows and threads:            ${rawMedian.toFixed(1)} pairs/s`);
    const stages = Object.entries(timings).map(([k, v]) => `${k} ${((1000 * v) / ((RUNS + 3) * tiles)).toFixed(1)}`).join(', ');
    console.log(`stage wall times per tile pair, ms (they overlap: batches run side by side and reading overlaps inference): ${stages}`);
    const f = (ms: number) => ms.toFixed(1);
    console.log(`CPU per tile pair, ms (wall ${f(wallPerPair)}): model thread ${f(byKind.busiest!)}, main thread ${f(byKind.main!)}, ` +
      `libuv pool and V8 helpers ${f(byKind.rest!)}, libvips workers ${f(byKind.libvips!)}, PostgreSQL ${f(dbPerPair)}; tiles decoded per pair ${decodedPerPair.toFixed(2)} (2 at best)`);
    console.log(`ratio end to end / model alone: ${(e2eMedian / rawMedian).toFixed(2)} (target ≥ 0.8)`);
    console.log(`district (${DISTRICT_TILES} tile pairs), one process: ~${districtMinutes.toFixed(1)} min`);
  }

  // Through the real queue (BullMQ flow, merge included): one worker process as deployed (workers/src/main.ts, its
  // lock times and settings) on this benchmark's schema, tiles and queue prefix, warmed by one untimed run (a worker
  // lives for many runs), then timed runs alternating with the model alone. Each run is planned afresh (the one
  // before deleted) for a model version of the benchmark's own, and timed from enqueueing to the merge's end.
  const queueModel = useOnnx ? await benchModelVersion(env.db.pool, 'queue') : { ...model, version: `${model.version}+queue` };
  const queueRun = async () => {
    const { run: r } = await planDetectionRun(env.db.pool, afterId, queueModel, env.userId, { batchSize });
    const t = performance.now();
    await enqueueDetectionRun(env.queues, r);
    for (;;) {
      const s = (await findRun(env.db.pool, r.id))!;
      if (s.status === 'done') break;
      if (s.status === 'failed') throw new Error(`run ${r.id} failed: ${s.error}`);
      await new Promise((res) => setTimeout(res, 20));
    }
    const wall = performance.now() - t;
    const result = { pairsPerSecond: tiles / (wall / 1000), gaps: await jobGaps(env, r.id, wall), timings: (await findRun(env.db.pool, r.id))!.timings };
    await deleteRun(env.db.pool, r.id);
    return result;
  };
  const queue: number[] = [];
  const rawQ: number[] = [];
  const gaps: JobGaps[] = [];
  const queueStages = new Map<string, number>();
  // The ingest's follow-ups (detection planned for the active model) are not this benchmark's: cleared first.
  await env.queues.byName[QueueName.Detect].obliterate({ force: true });
  const worker = await startWorkerProcess({
    DATABASE_URL: schemaDatabaseUrl(env.db.schema), QUEUE_PREFIX: env.prefix, DATA_DIR: env.dir, CHANGE_DETECTOR: useOnnx ? 'onnx' : 'baseline',
  });
  // The worker's CPU during the timed queue runs only (it idles while the model alone runs here).
  const workerCpu = new Map<string, number>();
  const addCpu = (byKind: Record<string, number>) => {
    for (const [k, v] of Object.entries(byKind)) workerCpu.set(k, (workerCpu.get(k) ?? 0) + v);
  };
  try {
    for (let i = -1; i < RUNS; i++) {
      const cpu0 = threadCpu(worker.pid);
      const q = await queueRun();
      if (i >= 0) addCpu(cpuByKind(cpu0, threadCpu(worker.pid), RUNS * tiles, worker.pid));
      const t = performance.now();
      await modelAlone();
      if (i < 0) continue;
      queue.push(q.pairsPerSecond);
      rawQ.push(tiles / ((performance.now() - t) / 1000));
      gaps.push(q.gaps);
      for (const [k, v] of Object.entries(q.timings)) queueStages.set(k, (queueStages.get(k) ?? 0) + (1000 * v) / (RUNS * tiles));
    }
  } finally {
    await worker.stop();
    // The worker's monthly schedule and the rest (env.close obliterates the detect and ingest queues again: no harm).
    await obliterateQueues(env.connection, env.prefix);
  }

  const queueMedian = median(queue);
  const rawQMedian = median(rawQ);
  console.log(`queue, 1 worker process (batches of ${batchSize} tiles: ${Math.ceil(tiles / batchSize)} jobs + the merge): ${queueMedian.toFixed(1)} pairs/s; ` +
    `model alone in the same rounds ${rawQMedian.toFixed(1)} pairs/s; ratio ${(queueMedian / rawQMedian).toFixed(2)} (target ≥ 0.9; medians of ${RUNS})`);
  const g = (k: keyof JobGaps) => median(gaps.map((x) => x[k])).toFixed(0);
  console.log(`queue run wall ${g('wall')} ms: first batch taken after ${g('firstPickup')} ms, batches busy ${g('busy')} ms (summed over jobs, ÷ concurrency), ` +
    `idle between batches ${g('idle')} ms, merge taken after ${g('mergePickup')} ms, merge ${g('merge')} ms, seen done after ${g('seen')} ms`);
  console.log(`queue stage wall times per tile pair, ms: ${[...queueStages].map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ')}`);
  const w = (k: string) => (workerCpu.get(k) ?? 0).toFixed(1);
  console.log(`worker process CPU per tile pair, ms: model thread ${w('busiest')}, main thread ${w('main')}, libuv pool and V8 helpers ${w('rest')}, libvips workers ${w('libvips')}`);
} finally {
  await env.close();
}
// Something of the queue clients keeps the event loop alive after close; the numbers are out, so leave.
process.exit(0);

/** Where a queue run's wall time went, in ms, from the jobs' own timestamps (set by the worker and the producer). */
interface JobGaps {
  wall: number;
  firstPickup: number;
  busy: number;
  idle: number;
  mergePickup: number;
  merge: number;
  seen: number;
}

async function jobGaps(e: typeof env, runId: number, wall: number): Promise<JobGaps> {
  const queue = e.queues.byName[QueueName.Detect];
  // The run row says done inside the merge's handler, a moment before BullMQ records the job as finished.
  let merge = await queue.getJob(`detect-run-${runId}`);
  while (!merge?.finishedOn) {
    await new Promise((res) => setTimeout(res, 10));
    merge = await queue.getJob(`detect-run-${runId}`);
  }
  const batches = (await queue.getJobs(['completed'])).filter((j) => j.name === JobName.DetectBatch && j.data.runId === runId);
  const start = Math.min(...batches.map((j) => j.processedOn!));
  const end = Math.max(...batches.map((j) => j.finishedOn!));
  const busy = batches.reduce((s, j) => s + j.finishedOn! - j.processedOn!, 0) / concurrency;
  return {
    wall,
    firstPickup: start - merge.timestamp,
    busy,
    idle: end - start - busy,
    mergePickup: merge.processedOn! - end,
    merge: merge.finishedOn! - merge.processedOn!,
    seen: wall - (merge.finishedOn! - merge.timestamp),
  };
}
