import { JOB_OPTIONS } from './job-options.js';
import { JobName, QueueName, type Queues } from './queues.js';

/** One ingest job per imagery item: adding it twice is a no-op while the first is kept. */
export function ingestJobId(imageryId: number): string {
  return `ingest-imagery-${imageryId}`;
}

/** Where an uploaded file lies: a local file, or an object of the S3 store. */
export type IngestSourceRef = { sourcePath: string } | { sourceKey: string };

/** Turns an uploaded file into the imagery item's tiles in the background. */
export async function enqueueIngest(queues: Queues, imageryId: number, source: IngestSourceRef): Promise<void> {
  await queues.byName[QueueName.Ingest].add(
    JobName.IngestImagery,
    { imageryId, ...source },
    { jobId: ingestJobId(imageryId), ...JOB_OPTIONS.ingest },
  );
}

/**
 * Clears the ingest job of an item whose ingest failed for good, so that a new one (for a file uploaded again)
 * can be added under the same id. False while the job is still waiting, running or due for a retry.
 */
export async function clearFailedIngest(queues: Queues, imageryId: number): Promise<boolean> {
  const job = await queues.byName[QueueName.Ingest].getJob(ingestJobId(imageryId));
  if (!job) return true;
  const state = await job.getState();
  if (state !== 'failed' && state !== 'completed') return false;
  await job.remove();
  return true;
}
