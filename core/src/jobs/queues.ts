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
  PlanDetection: 'plan-detection',
  DetectRun: 'detect-run',
  DetectBatch: 'detect-batch',
  MonthlyIndexExport: 'monthly-index-export',
  MonthlyIndexScheduled: 'monthly-index-scheduled',
  IngestImagery: 'ingest-imagery',
} as const;
export type JobName = (typeof JobName)[keyof typeof JobName];

export interface JobPayloads {
  [JobName.Health]: { requestedAt: string };
  /** requestedBy: who the run is attributed to; the uploader of the imagery when absent */
  [JobName.PlanDetection]: { imageryId: number; requestedBy?: number };
  [JobName.DetectRun]: { runId: number };
  [JobName.DetectBatch]: { runId: number; batchNo: number };
  [JobName.MonthlyIndexExport]: { exportId: number };
  /** repeatable: builds last month's export (Asia/Shanghai) */
  [JobName.MonthlyIndexScheduled]: Record<string, never>;
  [JobName.IngestImagery]: { imageryId: number; sourcePath: string };
}

export interface JobResults {
  [JobName.Health]: { ok: true; pid: number; receivedAt: string };
  [JobName.PlanDetection]: { runId: number; created: boolean; batchesTotal: number };
  [JobName.DetectRun]: { runId: number; candidates: number };
  [JobName.DetectBatch]: { runId: number; tiles: number; parts: number };
  [JobName.MonthlyIndexExport]: { exportId: number; files: number };
  [JobName.MonthlyIndexScheduled]: { exportId: number; month: string };
  [JobName.IngestImagery]: { imageryId: number; tiles: number };
}

/** Which queue each job runs on; a worker process refuses to start if a job of its queues has no handler. */
export const JOB_QUEUE: Record<JobName, QueueName> = {
  [JobName.Health]: QueueName.System,
  [JobName.PlanDetection]: QueueName.Detect,
  [JobName.DetectRun]: QueueName.Detect,
  [JobName.DetectBatch]: QueueName.Detect,
  [JobName.MonthlyIndexExport]: QueueName.Export,
  [JobName.MonthlyIndexScheduled]: QueueName.Export,
  [JobName.IngestImagery]: QueueName.Ingest,
};

/** Prefix for every BullMQ key, so Tuban can share a Redis with other apps. */
export const QUEUE_PREFIX = 'tuban';
