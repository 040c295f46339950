import { randomBytes } from 'node:crypto';
import { QueueEvents } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@tuban/core/config';
import { JobName, QueueName } from '@tuban/core/jobs/queues';
import { createRedis } from '@tuban/core/redis';
import { startWorker } from '../src/worker.js';
import { testWorkerContext } from '@tuban/workers/testing/worker-context';

const prefix = `tuban-test-${randomBytes(4).toString('hex')}`;
const connection = createRedis(loadConfig().REDIS_URL);
const ctx = testWorkerContext({ redis: connection, prefix });
const worker = startWorker(QueueName.System, ctx);
const queue = ctx.queues.byName[QueueName.System];
const events = new QueueEvents(QueueName.System, { connection: createRedis(loadConfig().REDIS_URL), prefix });

afterAll(async () => {
  await worker.close();
  await queue.obliterate({ force: true });
  await ctx.queues.close();
  await events.close();
  connection.disconnect();
});

describe('worker process on real Redis', () => {
  it('runs a health job and returns its answer', async () => {
    await events.waitUntilReady();
    const job = await queue.add(JobName.Health, { requestedAt: new Date().toISOString() });
    const result = await job.waitUntilFinished(events, 10_000);
    expect(result).toMatchObject({ ok: true, pid: process.pid });
  });

  it('fails a job with an unknown name without retrying it', async () => {
    const job = await queue.add('no-such-job', {}, { attempts: 3 });
    await expect(job.waitUntilFinished(events, 10_000)).rejects.toThrow(/no handler for job no-such-job/);
    const after = await queue.getJob(job.id!);
    expect(after?.attemptsMade).toBe(1);
  });
});
