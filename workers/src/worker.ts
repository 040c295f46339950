import { UnrecoverableError, Worker } from 'bullmq';
import type { QueueName } from '@tuban/core/jobs/queues';
import type { WorkerContext } from './context.js';
import { createHandlers, handlersFor } from './handlers.js';
import { onDone } from './on-done.js';

export interface WorkerOptions {
  concurrency?: number;
  /** How long a job's lock lasts and how often stalled jobs are looked for (BullMQ's defaults: 30 s each). */
  lockDuration?: number;
  stalledInterval?: number;
}

/** A BullMQ worker for one queue (under the context's queue prefix) that dispatches each job to its handler by name. */
export function startWorker(queue: QueueName, ctx: WorkerContext, options: WorkerOptions = {}): Worker {
  const byName = handlersFor(queue, createHandlers(ctx));
  return new Worker(
    queue,
    async (job) => {
      const handler = byName.get(job.name);
      if (!handler) throw new UnrecoverableError(`queue ${queue} has no handler for job ${job.name}`);
      const result = await handler(job as never);
      await onDone(job, result, ctx.queues);
      return result;
    },
    {
      connection: ctx.redis,
      prefix: ctx.queues.prefix,
      concurrency: options.concurrency ?? 1,
      // Only what was given: an undefined value would replace BullMQ's default.
      ...(options.lockDuration ? { lockDuration: options.lockDuration } : {}),
      ...(options.stalledInterval ? { stalledInterval: options.stalledInterval } : {}),
    },
  );
}
