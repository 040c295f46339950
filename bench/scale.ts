// Detection throughput against worker processes: the same multi-district detection (several scenes, each a
// before/after pair some kilometres apart, all their runs queued at once) with one worker process and with two,
// each pinned to a core of its own (`taskset -c`), and the ratio. The workers are workers/src/main.ts as deployed,
// on a database and queue prefix of the benchmark's own; every other setting, the storage (STORAGE_URL) included,
// is this process's environment, passed through. Also measured: Redis commands (INFO commandstats) and PostgreSQL
// transactions, rows and backend CPU per 1,000 tile pairs, for docs/scaling.md.
// Usage: npx tsx bench/scale.ts [--districts 4] [--size 2048] [--rounds 3]; needs DATABASE_URL / REDIS_URL and taskset.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { loadConfig } from '@tuban/core/config';
import type { RunRow } from '@tuban/core/db/detection-runs';
import { planDetectionRun } from '@tuban/core/detection/plan';
import { enqueueDetectionRun } from '@tuban/core/jobs/detection-jobs';
import { createQueues, JobName, QueueName, type Queues } from '@tuban/core/jobs/queues';
import type { ModelInfo } from '@tuban/core/change/change-model';
import { createRedis } from '@tuban/core/redis';
import { insertTestImagery, insertTestUser } from '@tuban/core/testing/fixtures';
import { DEMO_CENTRE, renderDemoScene } from '@tuban/data/demo-imagery';
import { benchDatabase, benchModelVersion, benchQueuePrefix, deleteRun, obliterateQueues, startWorkerProcess, type BenchDatabase, type WorkerProcess } from './worker-processes.js';
import { median } from './stats.js';
import { processCpu, threadCpu } from './thread-cpu.js';

const { values } = parseArgs({
  options: { districts: { type: 'string', default: '4' }, size: { type: 'string', default: '2048' }, rounds: { type: 'string', default: '3' } },
});
const districts = Number(values.districts);
const size = Number(values.size);
const rounds = Number(values.rounds);
if (cpus().length < 2) throw new Error('bench/scale needs at least 2 CPUs to pin two worker processes apart');
// Scenes ~3 km apart along a row, so no scene's baseline is another's imagery.
const centreOf = (d: number): [number, number] => [DEMO_CENTRE[0] + 0.03 * (d - (districts - 1) / 2), DEMO_CENTRE[1]];

/** Queries this process makes to follow the runs: taken off the database's load, which is the workers'. */
let ownQueries = 0;
const work = await mkdtemp(join(tmpdir(), 'tuban-bench-scale-'));
const db = await benchDatabase('scale');
const redis = createRedis(loadConfig().REDIS_URL);
const groups: { n: number; prefix: string; queues: Queues; workers: WorkerProcess[]; model: ModelInfo }[] = [];
try {
  const userId = await insertTestUser(db.pool, { username: 'office', role: 'office' });
  const afterIds = await ingestDistricts(userId);

  // Two groups of workers on queue prefixes of their own: one process on core 0; two on cores 0 and 1. A group
  // waits idle (blocked on Redis) while the other works, so rounds can alternate between them under the same load.
  for (const n of [1, 2]) {
    const prefix = benchQueuePrefix(`scale-${n}`);
    const workers: WorkerProcess[] = [];
    for (let cpu = 0; cpu < n; cpu++) workers.push(await startWorkerProcess(workerEnv(prefix), cpu));
    groups.push({ n, prefix, queues: createQueues(redis, prefix), workers, model: await benchModelVersion(db.pool, `scale-${n}w`) });
  }

  const rates: Record<number, number[]> = { 1: [], 2: [] };
  let load: Load | null = null;
  // Round 0 warms each group up (its first run loads the model and compiles the hot paths); it is not counted.
  for (let round = 0; round <= rounds; round++) {
    for (const group of groups) {
      const before = await loadCounters();
      const cpuBefore = cpuByProcess(group.workers);
      const { pairs, seconds } = await detectAll(group.queues, group.model, afterIds, userId);
      const cpuAfter = cpuByProcess(group.workers);
      const after = await loadCounters();
      if (round === 0) continue;
      rates[group.n]!.push(pairs / seconds);
      if (group.n === 1 && round === 1) load = perThousand(before, after, pairs);
      const perPair = Object.entries(cpuAfter).map(([name, ms]) => `${name} ${((ms - cpuBefore[name]!) / pairs).toFixed(1)}`).join(', ');
      console.log(`round ${round}, ${group.n} worker process(es): ${pairs} tile pairs in ${seconds.toFixed(1)} s = ${(pairs / seconds).toFixed(1)} pairs/s; ` +
        `CPU ms per pair: ${perPair}`);
    }
  }
  const one = median(rates[1]!);
  const two = median(rates[2]!);
  console.log(`\n${districts} districts of ${size}² px (${afterIds.length} runs), storage ${process.env.STORAGE_URL ?? 'local folder (DATA_DIR)'}, ` +
    `DETECT_CONCURRENCY ${loadConfig().DETECT_CONCURRENCY}, DETECT_THREADS ${loadConfig().DETECT_THREADS}; medians of ${rounds} rounds, load average ${loadAverage()}`);
  console.log(`1 worker process (core 0):          ${one.toFixed(1)} pairs/s`);
  console.log(`2 worker processes (cores 0 and 1): ${two.toFixed(1)} pairs/s`);
  console.log(`ratio 2 / 1: ${(two / one).toFixed(2)}× (target ≥ 1.8×)`);
  if (load) {
    console.log(`per 1,000 tile pairs (one round, one worker): Redis ${load.redisCalls.toFixed(0)} commands (${load.topRedis}), ` +
      `${load.redisMiB.toFixed(2)} MiB more memory (finished jobs kept); PostgreSQL ` +
      `${load.xacts.toFixed(0)} transactions, ${load.rowsWritten.toFixed(0)} rows written, ${load.rowsRead.toFixed(0)} rows read, ${load.pgCpuMs.toFixed(0)} ms backend CPU`);
  }
} finally {
  for (const g of groups) {
    await Promise.all(g.workers.map((w) => w.stop()));
    await g.queues.close();
    await obliterateQueues(redis, g.prefix);
  }
  redis.disconnect();
  await db.drop();
  await rm(work, { recursive: true, force: true });
}
process.exit(0);

function workerEnv(prefix: string): Record<string, string> {
  return { DATABASE_URL: db.url, QUEUE_PREFIX: prefix, DATA_DIR: join(work, 'data') };
}

/**
 * Renders each district's before/after scene and ingests both through one (unpinned) worker process, as uploads
 * are; the detection the ingest chain then plans for the active model is waited for and not counted.
 */
async function ingestDistricts(userId: number): Promise<number[]> {
  const prefix = benchQueuePrefix('scale-ingest');
  const worker = await startWorkerProcess(workerEnv(prefix));
  const queue = new Queue(QueueName.Ingest, { connection: redis, prefix });
  const t0 = performance.now();
  try {
    const afterIds: number[] = [];
    for (let d = 0; d < districts; d++) {
      const scene = await renderDemoScene({ size, seed: 20 + d, centre: centreOf(d) });
      for (const [when, bytes] of [['before', scene.before], ['after', scene.after]] as const) {
        const path = join(work, `district-${d}-${when}.tif`);
        await writeFile(path, bytes);
        const id = await insertTestImagery(db.pool, { uploadedBy: userId, fileName: `district-${d}-${when}.tif`, sizeBytes: bytes.length });
        // The before image first: the after image's detection needs it ready.
        await queue.add(JobName.IngestImagery, { imageryId: id, sourcePath: path }, { jobId: `ingest-${id}` });
        await waitFor(async () => {
          const { rows } = await db.pool.query<{ status: string; error: string }>('SELECT status, error FROM imagery WHERE id = $1', [id]);
          if (rows[0]!.status === 'failed') throw new Error(`ingest of ${path} failed: ${rows[0]!.error}`);
          return rows[0]!.status === 'ready';
        });
        if (when === 'after') afterIds.push(id);
      }
    }
    await waitFor(async () => {
      const { rows } = await db.pool.query<{ open: number }>(
        `SELECT (SELECT count(*)::int FROM imagery i WHERE NOT EXISTS (SELECT 1 FROM detection_runs r WHERE r.after_imagery_id = i.id))
              + (SELECT count(*)::int FROM detection_runs WHERE status NOT IN ('done', 'failed')) AS open`,
      );
      return rows[0]!.open === 0;
    });
    console.log(`${districts} districts rendered, ingested and detected once (warm-up) in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    return afterIds;
  } finally {
    await worker.stop();
    await queue.close();
    await obliterateQueues(redis, prefix);
  }
}

/** Plans one run per after image for the model version, queues them all at once, and waits until all are done. */
async function detectAll(queues: Queues, model: ModelInfo, afterIds: number[], userId: number) {
  const runs: RunRow[] = [];
  for (const id of afterIds) runs.push((await planDetectionRun(db.pool, id, model, userId)).run);
  const pairs = runs.reduce((s, r) => s + r.tilesTotal, 0);
  const t0 = performance.now();
  await Promise.all(runs.map((r) => enqueueDetectionRun(queues, r)));
  // One query for all runs: this process shares the cores with the workers, so it asks as little as it can.
  await waitFor(async () => {
    ownQueries++;
    const { rows } = await db.pool.query<{ id: number; status: string; error: string | null }>(
      'SELECT id, status, error FROM detection_runs WHERE id = ANY($1)',
      [runs.map((r) => r.id)],
    );
    const failed = rows.find((s) => s.status === 'failed');
    if (failed) throw new Error(`run ${failed.id} failed: ${failed.error}`);
    return rows.every((s) => s.status === 'done');
  }, 50);
  const seconds = (performance.now() - t0) / 1000;
  // Deleted, so the next round plans the same runs again and the workers keep the model session they loaded.
  for (const r of runs) await deleteRun(db.pool, r.id);
  return { pairs, seconds };
}

async function waitFor(done: () => Promise<boolean>, everyMs = 200): Promise<void> {
  while (!(await done())) await new Promise((res) => setTimeout(res, everyMs));
}

interface Counters {
  redis: Map<string, number>;
  /** Redis's used_memory: finished jobs are kept (docs/jobs.md) */
  redisBytes: number;
  pg: { xacts: number; written: number; read: number };
  pgCpuMs: number;
}

/** Redis calls per command, the bench database's transaction and row counters, and its backends' CPU. */
async function loadCounters(): Promise<Counters> {
  const info = await (redis as Redis).info('commandstats');
  const calls = new Map<string, number>();
  for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) calls.set(m[1]!, Number(m[2]));
  const redisBytes = Number(/^used_memory:(\d+)/m.exec(await (redis as Redis).info('memory'))![1]);
  // The statistics collector publishes at most every half second or so; make it flush what this backend saw.
  await db.pool.query('SELECT pg_stat_clear_snapshot()');
  const { rows } = await db.pool.query<{ xacts: number; written: number; read: number }>(
    `SELECT (xact_commit + xact_rollback)::float8 AS xacts, (tup_inserted + tup_updated + tup_deleted)::float8 AS written,
       (tup_returned + tup_fetched)::float8 AS read FROM pg_stat_database WHERE datname = $1`,
    [db.name],
  );
  const pgCpuMs = await backendCpuMs(db);
  // This function's own three queries count too.
  ownQueries += 3;
  return { redis: calls, redisBytes, pg: { ...rows[0]!, xacts: rows[0]!.xacts - ownQueries }, pgCpuMs };
}

interface Load {
  redisCalls: number;
  topRedis: string;
  redisMiB: number;
  xacts: number;
  rowsWritten: number;
  rowsRead: number;
  pgCpuMs: number;
}

function perThousand(a: Counters, b: Counters, pairs: number): Load {
  const k = 1000 / pairs;
  const byCommand = [...b.redis].map(([cmd, n]) => [cmd, (n - (a.redis.get(cmd) ?? 0)) * k] as const).filter(([, n]) => n > 0);
  byCommand.sort((x, y) => y[1] - x[1]);
  return {
    redisCalls: byCommand.reduce((s, [, n]) => s + n, 0),
    topRedis: byCommand.slice(0, 5).map(([cmd, n]) => `${cmd} ${n.toFixed(0)}`).join(', '),
    redisMiB: ((b.redisBytes - a.redisBytes) * k) / 1048576,
    xacts: (b.pg.xacts - a.pg.xacts) * k,
    rowsWritten: (b.pg.written - a.pg.written) * k,
    rowsRead: (b.pg.read - a.pg.read) * k,
    pgCpuMs: (b.pgCpuMs - a.pgCpuMs) * k,
  };
}

/** CPU milliseconds so far of the server processes serving connections to the bench database (same machine). */
async function backendCpuMs(d: BenchDatabase): Promise<number> {
  const { rows } = await d.pool.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [d.name]);
  let ms = 0;
  for (const { pid } of rows) {
    try {
      const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
      ms += (Number(f[11]) + Number(f[12])) * 10;
    } catch {
      // the backend ended meanwhile
    }
  }
  return ms;
}

/**
 * CPU milliseconds so far of the workers, of the services they share (all of this machine's PostgreSQL, Redis and
 * SeaweedFS processes, less those that ended meanwhile, so a round can show a little below zero) and of this
 * benchmark, which polls the runs: what the second core spends besides a worker.
 */
function cpuByProcess(workers: WorkerProcess[]): Record<string, number> {
  const total = (pid: number | 'self') => [...threadCpu(pid).values()].reduce((s, t) => s + t.ms, 0);
  const machine = machineCpu();
  return {
    workers: workers.reduce((s, w) => s + total(w.pid), 0),
    postgres: processCpu(['postgres']),
    redis: processCpu(['redis-server']),
    seaweedfs: processCpu(['weed']),
    bench: total('self'),
    // Cores idle or taken by the hypervisor meanwhile: what the round left unused.
    idle: machine.idle,
    steal: machine.steal,
  };
}

/** CPU milliseconds so far of all cores together, idle and stolen (/proc/stat, ticks of 10 ms). */
function machineCpu(): { idle: number; steal: number } {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  return { idle: (f[3]! + f[4]!) * 10, steal: (f[7] ?? 0) * 10 };
}

function loadAverage(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}
