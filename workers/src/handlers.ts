import type { Job } from 'bullmq';
import { JOB_QUEUE, JobName, type JobPayloads, type JobResults, type QueueName } from '@tuban/core/jobs/queues';
import { detectBatchJob, detectRunJob, planDetectionJob } from './detect/handlers.js';
import { monthlyIndexExport, monthlyIndexScheduled } from './export-handlers.js';
import { ingestImageryJob } from './ingest/handler.js';

export type Handler<N extends JobName> = (job: Job<JobPayloads[N], JobResults[N], N>) => Promise<JobResults[N]>;
export type HandlerMap = { [N in JobName]: Handler<N> };

/** Every job name has exactly one handler here; the type makes a missing one a compile error. */
export const handlers: HandlerMap = {
  [JobName.Health]: async () => ({ ok: true, pid: process.pid, receivedAt: new Date().toISOString() }),
  [JobName.PlanDetection]: planDetectionJob,
  [JobName.DetectRun]: detectRunJob,
  [JobName.DetectBatch]: detectBatchJob,
  [JobName.MonthlyIndexExport]: monthlyIndexExport,
  [JobName.MonthlyIndexScheduled]: monthlyIndexScheduled,
  [JobName.IngestImagery]: ingestImageryJob,
};

/** The handlers of one queue; throws at start-up if a job of that queue has none. */
export function handlersFor(queue: QueueName, map: Partial<HandlerMap> = handlers): Map<string, Handler<JobName>> {
  const out = new Map<string, Handler<JobName>>();
  for (const [name, q] of Object.entries(JOB_QUEUE) as [JobName, QueueName][]) {
    if (q !== queue) continue;
    const handler = map[name];
    if (!handler) throw new Error(`no handler for job ${name} of queue ${queue}`);
    out.set(name, handler as Handler<JobName>);
  }
  return out;
}
