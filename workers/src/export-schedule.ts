import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { MONTHLY_EXPORT_SCHEDULE } from '@tuban/core/jobs/export-jobs';
import { JOB_OPTIONS } from '@tuban/core/jobs/job-options';
import { JobName, QueueName } from '@tuban/core/jobs/queues';

/** Registers (or updates) the monthly export schedule; idempotent, so every worker start may call it. */
export async function scheduleMonthlyExport(connection: Redis, prefix: string): Promise<void> {
  const queue = new Queue(QueueName.Export, { connection, prefix });
  try {
    await queue.upsertJobScheduler(
      MONTHLY_EXPORT_SCHEDULE.id,
      { pattern: MONTHLY_EXPORT_SCHEDULE.pattern, tz: MONTHLY_EXPORT_SCHEDULE.tz },
      { name: JobName.MonthlyIndexScheduled, data: {}, opts: JOB_OPTIONS.scheduledExport },
    );
  } finally {
    await queue.close();
  }
}
