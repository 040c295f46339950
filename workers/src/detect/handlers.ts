// The detection jobs: plan a run for ready imagery, run its batches, merge them into candidates.
import { UnrecoverableError, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { mergeRunCandidates } from '@tuban/core/db/detection-merge';
import { failRun, findRun } from '@tuban/core/db/detection-runs';
import { withTransaction, type Queryable } from '@tuban/core/db/pool';
import { enqueueDetectionRun } from '@tuban/core/detection/enqueue';
import { planDetectionRun } from '@tuban/core/detection/plan';
import { DomainError } from '@tuban/core/errors';
import { QUEUE_PREFIX, type JobName, type JobPayloads, type JobResults } from '@tuban/core/queue';
import { detectBatch, type DetectDeps } from './batch.js';

export interface DetectionDeps extends DetectDeps {
  connection: Redis;
  prefix?: string;
}

type Factory = () => Promise<DetectionDeps>;
let factory: Factory | null = null;
let current: Promise<DetectionDeps> | null = null;

/** Sets how the detection jobs get their database, Redis, tile reader and model (once per process). */
export function configureDetection(make: Factory | null): void {
  factory = make;
  current = null;
}

function deps(): Promise<DetectionDeps> {
  if (!factory) throw new Error('detection is not configured in this worker process');
  current ??= factory();
  return current;
}

type JobOf<N extends JobName> = Job<JobPayloads[N], JobResults[N], N>;

export async function planDetectionJob(job: JobOf<'plan-detection'>): Promise<JobResults['plan-detection']> {
  const d = await deps();
  try {
    const requestedBy = job.data.requestedBy ?? (await imageryOwner(d.db, job.data.imageryId));
    const { run, created } = await planDetectionRun(d.db, job.data.imageryId, d.model, requestedBy);
    if (run.batchesTotal > 0) await enqueueDetectionRun(d.connection, run, d.prefix ?? QUEUE_PREFIX);
    return { runId: run.id, created };
  } catch (err) {
    if (err instanceof DomainError) throw new UnrecoverableError(err.message);
    throw err;
  }
}

export async function detectBatchJob(job: JobOf<'detect-batch'>): Promise<JobResults['detect-batch']> {
  const d = await deps();
  const { runId, batchNo } = job.data;
  try {
    const result = await detectBatch(d, runId, batchNo);
    return { runId, ...result };
  } catch (err) {
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    if (lastAttempt) await failRun(d.db, runId, `batch ${batchNo}: ${(err as Error).message}`);
    throw err;
  }
}

export async function detectRunJob(job: JobOf<'detect-run'>): Promise<JobResults['detect-run']> {
  const d = await deps();
  const run = await findRun(d.db, job.data.runId);
  if (!run) throw new UnrecoverableError(`no detection run ${job.data.runId}`);
  const t0 = performance.now();
  const candidates = await withTransaction(d.db, (client) => mergeRunCandidates(client, run.id));
  await d.db.query(`UPDATE detection_runs SET timings = timings || jsonb_build_object('merge', $2::float8) WHERE id = $1`, [
    run.id,
    (performance.now() - t0) / 1000,
  ]);
  return { runId: run.id, candidates };
}

async function imageryOwner(db: Queryable, imageryId: number): Promise<number> {
  const { rows } = await db.query<{ uploaded_by: number }>('SELECT uploaded_by FROM imagery WHERE id = $1', [imageryId]);
  if (!rows[0]) throw new UnrecoverableError(`no imagery ${imageryId}`);
  return rows[0].uploaded_by;
}
