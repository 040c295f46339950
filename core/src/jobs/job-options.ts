// Retries and retention of every kind of job, in one place; job ids (which make enqueueing idempotent) are
// set where each job is made.
import type { Job, JobsOptions } from 'bullmq';

export const JOB_OPTIONS = {
  /** Ingest: a file may be large and a worker may be restarted; keep finished jobs a week so the upload page can still show how one ended. */
  ingest: { attempts: 3, backoff: { type: 'exponential', delay: 30_000 }, removeOnComplete: { age: 7 * 86400 }, removeOnFail: { age: 30 * 86400 } },
  /** Planning, detection batches and the merge: short steps, retried soon, over ~30 s (a database restart). */
  detect: { attempts: 5, backoff: { type: 'exponential', delay: 2000 } },
  /** A monthly export built on demand. */
  export: { attempts: 3, backoff: { type: 'exponential', delay: 10_000 }, removeOnComplete: 1000, removeOnFail: 1000 },
  /** The monthly schedule's own job (02:00 on the 1st): retried over minutes, the database may be in maintenance. */
  scheduledExport: { attempts: 3, backoff: { type: 'exponential', delay: 60_000 } },
  /** A training-set export: minutes of reading tiles; a retry starts the set afresh. */
  trainingSet: { attempts: 3, backoff: { type: 'exponential', delay: 10_000 }, removeOnComplete: { age: 30 * 86400 }, removeOnFail: { age: 30 * 86400 } },
  /** Fine-tuning (the Python trainer): a killed trainer's job is taken again (stalled), a failed one retried once. */
  train: { attempts: 2, backoff: { type: 'exponential', delay: 60_000 }, removeOnComplete: { age: 90 * 86400 }, removeOnFail: { age: 90 * 86400 } },
} as const satisfies Record<string, JobsOptions>;

/** Whether this run of the job is its last try: then a handler records the failure for people to see. */
export function isLastAttempt(job: Pick<Job, 'attemptsMade' | 'opts'>): boolean {
  return job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}

/**
 * In a worker's `failed` event, where attemptsMade already counts the attempt that failed: whether the job
 * failed for good (attempts used up, or stalled too often) rather than waiting for a retry.
 */
export function failedForGood(job: Pick<Job, 'attemptsMade' | 'opts'>, err: Error): boolean {
  return job.attemptsMade >= (job.opts.attempts ?? 1) || /stalled/.test(err.message);
}
