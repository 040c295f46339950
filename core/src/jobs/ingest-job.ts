import { JOB_OPTIONS } from './job-options.js';
import { JobName, QueueName, type Queues } from './queues.js';

/** One ingest job per imagery item: adding it twice is a no-op while the first is kept. */
export function ingestJobId(imageryId: number): string {
  return `ingest-imagery-${imageryId}`;
}

/** Turns an uploaded file into the imagery item's tiles in the background. */
export async function enqueueIngest(queues: Queues, imageryId: number, sourcePath: string): Promise<void> {
  await queues.byName[QueueName.Ingest].add(
    JobName.IngestImagery,
    { imageryId, sourcePath },
    { jobId: ingestJobId(imageryId), ...JOB_OPTIONS.ingest },
  );
}
