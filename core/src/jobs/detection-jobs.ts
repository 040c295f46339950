import { JOB_OPTIONS } from './job-options.js';
import { JobName, QueueName, type Queues } from './queues.js';

/**
 * One parent job per run (the merge) with a child per batch. Job ids are derived from the run, so
 * enqueueing the same run twice adds nothing.
 */
export async function enqueueDetectionRun(queues: Queues, run: { id: number; batchesTotal: number }): Promise<void> {
  await queues.flows.add({
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
}

/** Asks for a detection run over imagery that has just become ready. */
export async function enqueuePlanDetection(queues: Queues, imageryId: number, requestedBy?: number): Promise<void> {
  await queues.byName[QueueName.Detect].add(
    JobName.PlanDetection,
    { imageryId, requestedBy },
    { jobId: `plan-detection-${imageryId}`, ...JOB_OPTIONS.detect },
  );
}

/**
 * Plans detection again after what stopped it was dealt with (an admin accepted imagery from outside the
 * district): a finished or failed planning job of the item is cleared first, since its id would make a new
 * one a no-op. A planning job still waiting or running is left to do the work.
 */
export async function replanDetection(queues: Queues, imageryId: number, requestedBy?: number): Promise<void> {
  const old = await queues.byName[QueueName.Detect].getJob(`plan-detection-${imageryId}`);
  const state = await old?.getState();
  if (old && (state === 'failed' || state === 'completed')) await old.remove();
  await enqueuePlanDetection(queues, imageryId, requestedBy);
}
