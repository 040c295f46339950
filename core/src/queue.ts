// Queue names, job names and job payloads: the contract between the server (producer) and the workers.

export const QueueName = {
  System: 'system',
  Ingest: 'ingest',
  Detect: 'detect',
  Export: 'export',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

export const JobName = {
  Health: 'health',
  IngestImagery: 'ingest-imagery',
} as const;
export type JobName = (typeof JobName)[keyof typeof JobName];

export interface JobPayloads {
  [JobName.Health]: { requestedAt: string };
  [JobName.IngestImagery]: { imageryId: number; sourcePath: string };
}

export interface JobResults {
  [JobName.Health]: { ok: true; pid: number; receivedAt: string };
  [JobName.IngestImagery]: { imageryId: number; tiles: number };
}

/** Which queue each job runs on; a worker process refuses to start if a job of its queues has no handler. */
export const JOB_QUEUE: Record<JobName, QueueName> = {
  [JobName.Health]: QueueName.System,
  [JobName.IngestImagery]: QueueName.Ingest,
};

/** Prefix for every BullMQ key, so Tuban can share a Redis with other apps. */
export const QUEUE_PREFIX = 'tuban';
