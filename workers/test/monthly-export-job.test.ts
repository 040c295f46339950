import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueueEvents, type Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@tuban/core/config';
import { findExport, insertExport } from '@tuban/core/db/exports';
import { enqueueMonthlyExport, scheduleMonthlyExport } from '@tuban/core/jobs/export-jobs';
import { JobName, QueueName } from '@tuban/core/jobs/queues';
import { createRedis } from '@tuban/core/redis';
import { createTestDatabase, type TestDatabase } from '@tuban/core/testing/database';
import { insertIndexMonth } from '@tuban/core/testing/index-month';
import type { WorkerContext } from '../src/context.js';
import { startWorker } from '../src/worker.js';
import { testWorkerContext } from '@tuban/workers/testing/worker-context';

const prefix = `tuban-test-${randomBytes(4).toString('hex')}`;
const connection = createRedis(loadConfig().REDIS_URL);
const events = new QueueEvents(QueueName.Export, { connection: createRedis(loadConfig().REDIS_URL), prefix });
let t: TestDatabase;
let dataDir: string;
let ctx: WorkerContext;
let queue: Queue;
let worker: ReturnType<typeof startWorker>;

beforeAll(async () => {
  t = await createTestDatabase('export_job');
  await insertIndexMonth(t.pool);
  dataDir = mkdtempSync(join(tmpdir(), 'tuban-export-job-'));
  ctx = testWorkerContext({ db: t.pool, redis: connection, prefix, dataDir });
  queue = ctx.queues.byName[QueueName.Export];
  worker = startWorker(QueueName.Export, ctx);
  await events.waitUntilReady();
});

afterAll(async () => {
  await worker?.close();
  await queue?.obliterate({ force: true });
  await ctx?.queues.close();
  await events.close();
  connection.disconnect();
  rmSync(dataDir, { recursive: true, force: true });
  await t?.drop();
});

describe('monthly export job on real Redis and PostGIS', () => {
  it('builds the files of a requested export and marks it done', async () => {
    const record = await insertExport(t.pool, '2026-03', null);
    const job = await enqueueMonthlyExport(ctx.queues, record.id);
    expect(await job.waitUntilFinished(events, 20_000)).toEqual({ exportId: record.id, files: 5 });
    const done = await findExport(t.pool, record.id);
    expect(done?.status).toBe('done');
    expect(done?.files.map((f) => f.name)).toContain('monthly-index-2026-03.pdf');
    for (const f of done!.files) expect(existsSync(join(dataDir, 'exports', String(record.id), f.name))).toBe(true);
  });

  it('fails an export that does not exist without retrying', async () => {
    const job = await enqueueMonthlyExport(ctx.queues, 999_999);
    await expect(job.waitUntilFinished(events, 10_000)).rejects.toThrow(/export 999999 does not exist/);
    expect((await queue.getJob(job.id!))?.attemptsMade).toBe(1);
  });

  it('schedules last month’s export at 02:00 on the 1st, Shanghai time', async () => {
    await scheduleMonthlyExport(ctx.queues);
    await scheduleMonthlyExport(ctx.queues); // idempotent
    const schedulers = await queue.getJobSchedulers();
    expect(schedulers).toHaveLength(1);
    expect(schedulers[0]).toMatchObject({ pattern: '0 2 1 * *', tz: 'Asia/Shanghai', name: JobName.MonthlyIndexScheduled });
    const next = new Date(schedulers[0]!.next!);
    // 02:00 in Shanghai is 18:00 UTC on the last day of the previous month
    expect([next.getUTCHours(), next.getUTCMinutes()]).toEqual([18, 0]);
    expect(new Date(next.getTime() + 8 * 3600_000).getUTCDate()).toBe(1);
    await queue.removeJobScheduler(schedulers[0]!.key);
  });
});
