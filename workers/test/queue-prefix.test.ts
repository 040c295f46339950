// A worker process started with a QUEUE_PREFIX other than the default serves its queues and registers the
// monthly export schedule under that prefix, and under no other.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Queue, QueueEvents } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@tuban/core/config';
import { JobName, QueueName } from '@tuban/core/jobs/queues';
import { createRedis } from '@tuban/core/redis';
import { MONTHLY_EXPORT_SCHEDULE } from '@tuban/core/jobs/export-jobs';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const prefix = `custom-${randomBytes(4).toString('hex')}`;
const redis = createRedis(loadConfig().REDIS_URL);
let worker: ChildProcess;

beforeAll(async () => {
  worker = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: { ...process.env, QUEUE_PREFIX: prefix, CHANGE_DETECTOR: 'baseline', DETECT_NICE: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    worker.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('serving queues') && resolve());
    worker.once('exit', (code) => reject(new Error(`worker exited with ${code}`)));
  });
}, 60_000);

afterAll(async () => {
  worker?.kill('SIGTERM');
  await new Promise((r) => worker?.once('exit', r));
  for (const key of await redis.keys(`${prefix}:*`)) await redis.del(key);
  redis.disconnect();
});

describe('a custom queue prefix', () => {
  it('is where the worker takes jobs and registers the monthly schedule', async () => {
    const system = new Queue(QueueName.System, { connection: redis, prefix });
    const events = new QueueEvents(QueueName.System, { connection: createRedis(loadConfig().REDIS_URL), prefix });
    try {
      await events.waitUntilReady();
      const job = await system.add(JobName.Health, { requestedAt: new Date().toISOString() });
      const result = (await job.waitUntilFinished(events, 20_000)) as { ok: boolean; pid: number };
      expect(result).toMatchObject({ ok: true, pid: worker.pid });

      const exportQueue = new Queue(QueueName.Export, { connection: redis, prefix });
      const schedulers = await exportQueue.getJobSchedulers();
      await exportQueue.close();
      expect(schedulers.map((s) => [s.key, s.pattern, s.tz])).toEqual([
        [MONTHLY_EXPORT_SCHEDULE.id, MONTHLY_EXPORT_SCHEDULE.pattern, MONTHLY_EXPORT_SCHEDULE.tz],
      ]);
    } finally {
      await system.close();
      await events.close();
    }
  }, 40_000);
});
