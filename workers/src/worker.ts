import { UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { QUEUE_PREFIX, type QueueName } from '@tuban/core/queue';
import { handlersFor } from './handlers.js';
import { onDone } from './on-done.js';

export interface WorkerOptions {
  concurrency?: number;
  /** Redis key prefix; tests use one of their own. */
  prefix?: string;
}

/** A BullMQ worker for one queue that dispatches each job to its handler by name. */
export function startWorker(queue: QueueName, connection: Redis, options: WorkerOptions = {}): Worker {
  const byName = handlersFor(queue);
  const prefix = options.prefix ?? QUEUE_PREFIX;
  return new Worker(
    queue,
    async (job) => {
      const handler = byName.get(job.name);
      if (!handler) throw new UnrecoverableError(`queue ${queue} has no handler for job ${job.name}`);
      const result = await handler(job as never);
      await onDone(job, connection, prefix);
      return result;
    },
    { connection, prefix, concurrency: options.concurrency ?? 1 },
  );
}
