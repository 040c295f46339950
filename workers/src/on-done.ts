import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { enqueuePlanDetection } from '@tuban/core/detection/enqueue';
import { JobName } from '@tuban/core/queue';

/**
 * Follow-up jobs, chained in one place. Runs before the finished job is marked complete, so a crash in
 * between retries the job (every handler is idempotent) instead of losing the follow-up; the follow-ups
 * have deterministic ids, so a retry does not add them twice.
 */
export async function onDone(job: Job, connection: Redis, prefix: string): Promise<void> {
  switch (job.name) {
    case JobName.IngestImagery:
      await enqueuePlanDetection(connection, (job.data as { imageryId: number }).imageryId, undefined, prefix);
      break;
    default:
      break;
  }
}
