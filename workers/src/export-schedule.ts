import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { MONTHLY_EXPORT_SCHEDULE } from '@tuban/core/monthly-index/export-jobs';
import { JobName, QueueName } from '@tuban/core/queue';

/** Registers (or updates) the monthly export schedule; idempotent, so every worker start may call it. */
export async function scheduleMonthlyExport(connection: Redis, prefix: string): Promise<void> {
  const queue = new Queue(QueueName.Export, { connection, prefix });
  try {
    await queue.upsertJobScheduler(
      MONTHLY_EXPORT_SCHEDULE.id,
      { pattern: MONTHLY_EXPORT_SCHEDULE.pattern, tz: MONTHLY_EXPORT_SCHEDULE.tz },
      { name: JobName.MonthlyIndexScheduled, data: {}, opts: { attempts: 3, backoff: { type: 'exponential', delay: 60_000 } } },
    );
  } finally {
    await queue.close();
  }
}
