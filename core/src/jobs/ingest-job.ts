import type { JobsOptions } from 'bullmq';
import { JOB_OPTIONS } from './job-options.js';
import { JobName, type JobPayloads } from './queues.js';

/** One ingest job per imagery item: adding it twice is a no-op while the first is kept. */
export function ingestJobId(imageryId: number): string {
  return `ingest-imagery-${imageryId}`;
}

/** Name, payload and options of the ingest job, set in this one place for every producer. */
export function ingestJob(imageryId: number, sourcePath: string): {
  name: typeof JobName.IngestImagery;
  data: JobPayloads[typeof JobName.IngestImagery];
  opts: JobsOptions;
} {
  return {
    name: JobName.IngestImagery,
    data: { imageryId, sourcePath },
    opts: {
      jobId: ingestJobId(imageryId),
      ...JOB_OPTIONS.ingest,
    },
  };
}
