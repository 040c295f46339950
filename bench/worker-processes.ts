// Real worker processes (workers/src/main.ts, as deployed) for benchmarks, on a database of their own and a queue
// prefix of their own. Everything else comes from this process's environment unchanged (STORAGE_URL, TILE_FORMAT,
// DETECT_*), so a benchmark measures whatever storage and settings are configured.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { join, resolve } from 'node:path';
import type { Redis } from 'ioredis';
import { loadConfig } from '@tuban/core/config';
import { migrate } from '@tuban/core/db/migrate';
import { insertModelVersion } from '@tuban/core/db/model-versions';
import { createPool, type Pool } from '@tuban/core/db/pool';
import { createQueues } from '@tuban/core/jobs/queues';
import type { ModelInfo } from '@tuban/core/change/change-model';
import { modelVersionInfo, registerShippedModel } from '@tuban/core/learning/model-versions';

const ROOT = resolve(import.meta.dirname, '..');

export interface BenchDatabase {
  name: string;
  url: string;
  pool: Pool;
  drop(): Promise<void>;
}

/** A freshly migrated database on the configured server (workers take a whole DATABASE_URL, not a schema). */
export async function benchDatabase(label: string): Promise<BenchDatabase> {
  const serverUrl = new URL(loadConfig().DATABASE_URL);
  const name = `tuban_bench_${label}_${randomBytes(3).toString('hex')}`;
  const admin = createPool(serverUrl.href, { max: 1 });
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl.href);
  url.pathname = `/${name}`;
  const pool = createPool(url.href, { max: 4 });
  await migrate(pool);
  return {
    name,
    url: url.href,
    pool,
    async drop() {
      await pool.end();
      await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

export interface WorkerProcess {
  child: ChildProcess;
  pid: number;
  /** the process's resident memory now and its peak so far (VmRSS, VmHWM), in MiB */
  memory(): { rssMiB: number; peakMiB: number };
  stop(): Promise<void>;
}

/**
 * Starts `workers/src/main.ts` with the given variables over this process's environment, pinned to one CPU with
 * `taskset -c` when `cpu` is given; resolves once it serves its queues.
 */
export async function startWorkerProcess(env: Record<string, string>, cpu?: number): Promise<WorkerProcess> {
  const node = [process.execPath, '--import', 'tsx', join(ROOT, 'workers/src/main.ts')];
  const pinned = cpu === undefined ? node : ['taskset', '-c', String(cpu), ...node];
  // A bench that loaded a model with DETECT_NICE runs lowered, and a child inherits that: the worker would start
  // with every thread, its model's too, at that niceness. Start it where a deployed worker starts (needs root;
  // otherwise nice says so and runs it lowered).
  const lowered = getPriority();
  const [cmd, ...args] = lowered > 0 ? ['nice', '-n', String(-lowered), ...pinned] : pinned;
  const child = spawn(cmd!, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  await new Promise<void>((res, rej) => {
    let out: string | null = '';
    // Read on after start-up too, so the pipe never fills.
    child.stdout!.on('data', (d: Buffer) => {
      if (out === null) return;
      out += d.toString();
      if (out.includes('serving queues')) {
        out = null;
        res();
      }
    });
    child.once('exit', (code) => rej(new Error(`worker process exited with ${code} before serving its queues`)));
  });
  // nice and taskset replace themselves with node, so the child's pid is the worker's.
  const pid = child.pid!;
  return {
    child,
    pid,
    memory() {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)![1]);
      return { rssMiB: kb('VmRSS') / 1024, peakMiB: kb('VmHWM') / 1024 };
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((res) => child.once('exit', res));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A queue prefix of one benchmark run (the workers' QUEUE_PREFIX). */
export const benchQueuePrefix = (label: string): string => `tuban-bench-${label}-${randomBytes(3).toString('hex')}`;

/** Removes every queue under a benchmark's prefix (the workers' schedules included), once its workers are stopped. */
export async function obliterateQueues(redis: Redis, prefix: string): Promise<void> {
  const queues = createQueues(redis, prefix);
  for (const q of Object.values(queues.byName)) await q.obliterate({ force: true });
  await queues.close();
}

/** DATABASE_URL for a worker process that should work in one schema of the configured database (a test schema). */
export function schemaDatabaseUrl(schema: string): string {
  const url = new URL(loadConfig().DATABASE_URL);
  url.searchParams.set('options', `-c search_path=${schema},public`);
  return url.href;
}

/**
 * The shipped model recorded once more under a version of its own (`<shipped>+<label>`), which the workers run with
 * the shipped model's file. Once a run of that version is deleted (deleteRun), the same imagery can be planned again.
 */
export async function benchModelVersion(pool: Pool, label: string): Promise<ModelInfo> {
  const shipped = await registerShippedModel(pool);
  const version = `${shipped.version}+${label}`;
  await insertModelVersion(pool, { ...shipped, version, parentVersion: null, createdBy: null });
  return modelVersionInfo({ ...shipped, version });
}

/**
 * Deletes a finished run with its tiles, parts and candidates, so the same imagery and version can be planned again
 * (a worker process then keeps using the model session it loaded, as it does across runs in production).
 */
export async function deleteRun(pool: Pool, runId: number): Promise<void> {
  await pool.query('DELETE FROM candidates WHERE run_id = $1', [runId]);
  await pool.query('DELETE FROM detection_runs WHERE id = $1', [runId]);
}
