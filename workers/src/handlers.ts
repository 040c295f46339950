import type { Job } from 'bullmq';
import { JOB_QUEUE, JobName, type JobPayloads, type JobResults, type QueueName } from '@tuban/core/jobs/queues';
import type { WorkerContext } from './context.js';
import { detectionHandlers } from './detect/handlers.js';
import { exportHandlers } from './export-handlers.js';
import { ingestImageryHandler } from './ingest/handler.js';
import { trainingSetHandler } from './training-set-handler.js';

export type JobOf<N extends JobName> = Job<JobPayloads[N], JobResults[N], N>;
export type Handler<N extends JobName> = (job: JobOf<N>) => Promise<JobResults[N]>;
export type HandlerMap = { [N in JobName]: Handler<N> };

/** Every job name has exactly one handler here; the type makes a missing one a compile error. */
export function createHandlers(ctx: WorkerContext): HandlerMap {
  return {
    [JobName.Health]: async () => ({ ok: true, pid: process.pid, receivedAt: new Date().toISOString() }),
    ...detectionHandlers(ctx),
    ...exportHandlers(ctx),
    [JobName.IngestImagery]: ingestImageryHandler(ctx),
    [JobName.TrainingSetExport]: trainingSetHandler(ctx),
  };
}

/** The handlers of one queue; throws at start-up if a job of that queue has none. */
export function handlersFor(queue: QueueName, map: Partial<HandlerMap>): Map<string, Handler<JobName>> {
  const out = new Map<string, Handler<JobName>>();
  for (const [name, q] of Object.entries(JOB_QUEUE) as [JobName, QueueName][]) {
    if (q !== queue) continue;
    const handler = map[name];
    if (!handler) throw new Error(`no handler for job ${name} of queue ${queue}`);
    out.set(name, handler as Handler<JobName>);
  }
  return out;
}
