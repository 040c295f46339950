import type { Job } from 'bullmq';
import { enqueueDetectionRun, enqueuePlanDetection } from '@tuban/core/jobs/detection-jobs';
import { JobName, type JobResults, type Queues } from '@tuban/core/jobs/queues';

/**
 * Follow-up jobs, chained in this one place: ready imagery is planned for detection, a planned run's batches
 * are queued. Runs before the finished job is marked complete, so a crash in between retries the job (every
 * handler is idempotent) instead of losing the follow-up; the follow-ups have deterministic ids, so a retry
 * does not add them twice.
 */
export async function onDone(job: Job, result: unknown, queues: Queues): Promise<void> {
  switch (job.name) {
    case JobName.IngestImagery:
      await enqueuePlanDetection(queues, (job.data as { imageryId: number }).imageryId);
      break;
    case JobName.PlanDetection: {
      const { runId, batchesTotal } = result as JobResults[typeof JobName.PlanDetection];
      if (batchesTotal > 0) await enqueueDetectionRun(queues, { id: runId, batchesTotal });
      break;
    }
    default:
      break;
  }
}
