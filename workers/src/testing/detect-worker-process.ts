// Detection worker child processes for the kill test and the kill bench: started, killed with SIGKILL at a
// chosen point of a run, restarted, and the run followed to its end.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@tuban/core/config';
import { findRun } from '@tuban/core/db/detection-runs';
import { planDetectionRun } from '@tuban/core/detection/plan';
import { enqueueDetectionRun } from '@tuban/core/jobs/detection-jobs';
import type { DetectEnv } from './detect-scene.js';

const ENTRY = new URL('./detect-worker.ts', import.meta.url).pathname;
const ROOT = new URL('../../..', import.meta.url).pathname;

/** baseline or onnx: one model for every version; versions: model_versions' files, as a deployed worker loads them */
export type Detector = 'baseline' | 'onnx' | 'versions';

export class DetectWorkers {
  private readonly children = new Set<ChildProcess>();
  constructor(
    private readonly env: DetectEnv,
    private readonly detector: Detector,
  ) {}

  /**
   * Starts one worker process and waits until it takes jobs. With the env's files in S3, each process gets a
   * working folder of its own (DATA_DIR) and shares nothing with the others but PostgreSQL, Redis and S3.
   */
  async start(): Promise<ChildProcess> {
    const config = loadConfig();
    const workDir = this.env.storageUrl ? await mkdtemp(join(tmpdir(), 'tuban-worker-')) : null;
    const files = workDir
      ? { STORAGE_URL: this.env.storageUrl!, DATA_DIR: workDir }
      : { TUBAN_TILE_DIR: join(this.env.dir, 'tiles') };
    const child = spawn(process.execPath, ['--import', 'tsx', ENTRY], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: {
        ...process.env, DATABASE_URL: config.DATABASE_URL, REDIS_URL: config.REDIS_URL, TUBAN_QUEUE_PREFIX: this.env.prefix,
        TUBAN_DB_SCHEMA: this.env.db.schema, TUBAN_DETECTOR: this.detector, ...files,
      },
    });
    this.children.add(child);
    child.once('exit', () => {
      this.children.delete(child);
      if (workDir) void rm(workDir, { recursive: true, force: true });
    });
    return new Promise((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve(child));
      child.once('exit', (code) => reject(new Error(`detection worker exited with ${code} before it was ready`)));
    });
  }

  async stop(child: ChildProcess, signal: 'SIGKILL' | 'SIGTERM'): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.children].map((c) => this.stop(c, 'SIGKILL')));
  }

  /**
   * Plans a run of the after imagery under `version` (one tile per batch) and follows it to its end with `count`
   * worker processes side by side; when `killOneAtTiles` is given, the first is SIGKILLed once that many tiles are
   * done and not replaced: the others must finish its work. Returns the run id and whether the kill landed before
   * the run was done.
   */
  async runSideBySide(afterId: number, version: string, count: number, killOneAtTiles?: number, timeoutMs = 300_000): Promise<{ runId: number; killed: boolean }> {
    const { run } = await planDetectionRun(this.env.db.pool, afterId, { ...this.env.model, version }, this.env.userId, { batchSize: 1 });
    const children = await Promise.all(Array.from({ length: count }, () => this.start()));
    await enqueueDetectionRun(this.env.queues, run);
    let killed = false;
    await this.follow(run.id, timeoutMs, async (tilesDone) => {
      if (killOneAtTiles !== undefined && !killed && tilesDone >= killOneAtTiles) {
        await this.stop(children[0]!, 'SIGKILL');
        killed = true;
      }
    });
    await Promise.all(children.map((c) => this.stop(c, 'SIGTERM')));
    return { runId: run.id, killed };
  }

  /**
   * Plans a run of the after imagery under `version` (one tile per batch: many small jobs) and follows it to its
   * end with one worker; when `killAtTiles` is given, the worker is SIGKILLed once that many tiles are done and a
   * new one started. Returns the run id and whether a kill landed (always before the run was done).
   */
  async run(afterId: number, version: string, killAtTiles?: number, timeoutMs = 300_000): Promise<{ runId: number; killed: boolean; tilesTotal: number }> {
    const { run } = await planDetectionRun(this.env.db.pool, afterId, { ...this.env.model, version }, this.env.userId, { batchSize: 1 });
    let child = await this.start();
    await enqueueDetectionRun(this.env.queues, run);
    let killed = false;
    await this.follow(run.id, timeoutMs, async (tilesDone) => {
      if (killAtTiles !== undefined && !killed && tilesDone >= killAtTiles) {
        await this.stop(child, 'SIGKILL');
        killed = true;
        child = await this.start();
      }
    });
    await this.stop(child, 'SIGTERM');
    return { runId: run.id, killed, tilesTotal: run.tilesTotal };
  }

  /** Polls a run until it is done, calling `onProgress` with its tiles done on each look; a failed or late run throws. */
  private async follow(runId: number, timeoutMs: number, onProgress: (tilesDone: number) => Promise<void>): Promise<void> {
    for (const deadline = Date.now() + timeoutMs; ; ) {
      const r = (await findRun(this.env.db.pool, runId))!;
      if (r.status === 'done') return;
      if (r.status === 'failed') throw new Error(`run ${runId} failed: ${r.error}`);
      if (Date.now() > deadline) throw new Error(`run ${runId} not done in time: ${r.tilesDone}/${r.tilesTotal}`);
      await onProgress(r.tilesDone);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
