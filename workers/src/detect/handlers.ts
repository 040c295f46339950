// The detection jobs: plan a run for ready imagery, run its batches, merge them into candidates.
import { UnrecoverableError, type Job } from 'bullmq';
import { mergeRunCandidates } from '@tuban/core/db/detection-merge';
import { failRun, findRun } from '@tuban/core/db/detection-runs';
import { withTransaction, type Queryable } from '@tuban/core/db/pool';
import { planDetectionRun } from '@tuban/core/detection/plan';
import { DomainError } from '@tuban/core/errors';
import { isLastAttempt } from '@tuban/core/jobs/job-options';
import type { JobName, JobPayloads, JobResults } from '@tuban/core/jobs/queues';
import { detectBatch, type DetectDeps } from './batch.js';

export type DetectionDeps = DetectDeps;

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
    return { runId: run.id, created, batchesTotal: run.batchesTotal };
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
    if (isLastAttempt(job)) await failRun(d.db, runId, `batch ${batchNo}: ${(err as Error).message}`);
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
