// Queue names, job names and job payloads: the contract between the server (producer) and the workers;
// and the queues of one process.
import { FlowProducer, Queue } from 'bullmq';
import type { Redis } from 'ioredis';

export const QueueName = {
  System: 'system',
  Ingest: 'ingest',
  Detect: 'detect',
  Export: 'export',
  /** taken by the Python trainer (models/trainer), not by the Node workers */
  Train: 'train',
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
  TrainingSetExport: 'training-set-export',
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
  /** The uploaded file: a local path, or an upload's key among the store's uploads (sourceKey; see uploadObjects). */
  [JobName.IngestImagery]: { imageryId: number; sourcePath: string; sourceKey?: undefined } | { imageryId: number; sourceKey: string; sourcePath?: undefined };
  /** out: the set's folder relative to DATA_DIR; the filter as parseLabelFilter returns it */
  [JobName.TrainingSetExport]: { out: string; since?: string; streets?: string[]; backgroundPerLabel?: number };
}

export interface JobResults {
  [JobName.Health]: { ok: true; pid: number; receivedAt: string };
  [JobName.PlanDetection]: { runId: number; created: boolean; batchesTotal: number };
  [JobName.DetectRun]: { runId: number; candidates: number };
  [JobName.DetectBatch]: { runId: number; tiles: number; parts: number };
  [JobName.MonthlyIndexExport]: { exportId: number; files: number };
  [JobName.MonthlyIndexScheduled]: { exportId: number; month: string };
  [JobName.IngestImagery]: { imageryId: number; tiles: number };
  [JobName.TrainingSetExport]: { out: string; chips: number; counts: Record<'train' | 'val', Record<string, number>> };
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
  [JobName.TrainingSetExport]: QueueName.Export,
};

export interface Queues {
  /** The BullMQ key prefix (QUEUE_PREFIX) of every queue here. */
  readonly prefix: string;
  readonly byName: Readonly<Record<QueueName, Queue>>;
  /** Adds parent jobs together with their children. */
  readonly flows: FlowProducer;
  close(): Promise<void>;
}

/** The queues of one process (server or worker), made once from its Redis connection and QUEUE_PREFIX. */
export function createQueues(connection: Redis, prefix: string): Queues {
  const byName = Object.fromEntries(
    Object.values(QueueName).map((name) => [name, new Queue(name, { connection, prefix })]),
  ) as Record<QueueName, Queue>;
  const flows = new FlowProducer({ connection, prefix });
  return {
    prefix,
    byName,
    flows,
    async close() {
      await Promise.all([...Object.values(byName).map((q) => q.close()), flows.close()]);
    },
  };
}
