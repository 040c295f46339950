import { FlowProducer, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { JOB_OPTIONS } from './job-options.js';
import { JobName, QueueName } from './queues.js';

/**
 * One parent job per run (the merge) with a child per batch. Job ids are derived from the run, so
 * enqueueing the same run twice adds nothing.
 */
export async function enqueueDetectionRun(
  connection: Redis,
  run: { id: number; batchesTotal: number },
  prefix: string,
): Promise<void> {
  const flow = new FlowProducer({ connection, prefix });
  try {
    await flow.add({
      name: JobName.DetectRun,
      queueName: QueueName.Detect,
      data: { runId: run.id },
      opts: { jobId: `detect-run-${run.id}`, ...JOB_OPTIONS.detect },
      children: Array.from({ length: run.batchesTotal }, (_, batchNo) => ({
        name: JobName.DetectBatch,
        queueName: QueueName.Detect,
        data: { runId: run.id, batchNo },
        opts: { jobId: `detect-run-${run.id}-batch-${batchNo}`, failParentOnFailure: true, ...JOB_OPTIONS.detect },
      })),
    });
  } finally {
    await flow.close();
  }
}

/** Asks for a detection run over imagery that has just become ready. */
export async function enqueuePlanDetection(
  connection: Redis,
  imageryId: number,
  requestedBy: number | undefined,
  prefix: string,
): Promise<void> {
  const queue = new Queue(QueueName.Detect, { connection, prefix });
  try {
    await queue.add(JobName.PlanDetection, { imageryId, requestedBy }, { jobId: `plan-detection-${imageryId}`, ...JOB_OPTIONS.detect });
  } finally {
    await queue.close();
  }
}
