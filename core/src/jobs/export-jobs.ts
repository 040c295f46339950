// The monthly export jobs: the on-demand export (one job per export row) and the monthly schedule.
import type { Job } from 'bullmq';
import { JOB_OPTIONS } from './job-options.js';
import { JobName, QueueName, type Queues } from './queues.js';

/** Builds an export row's files in the background; a second enqueue of the same export is a no-op. */
export function enqueueMonthlyExport(queues: Queues, exportId: number): Promise<Job> {
  return queues.byName[QueueName.Export].add(
    JobName.MonthlyIndexExport,
    { exportId },
    { jobId: `${JobName.MonthlyIndexExport}-${exportId}`, ...JOB_OPTIONS.export },
  );
}

/** 02:00 on the 1st of every month, Shanghai time: last month's export. */
export const MONTHLY_EXPORT_SCHEDULE = {
  id: 'monthly-index-export-schedule',
  pattern: '0 2 1 * *',
  tz: 'Asia/Shanghai',
} as const;

/** Registers (or updates) the monthly export schedule; idempotent, so every worker start may call it. */
export async function scheduleMonthlyExport(queues: Queues): Promise<void> {
  await queues.byName[QueueName.Export].upsertJobScheduler(
    MONTHLY_EXPORT_SCHEDULE.id,
    { pattern: MONTHLY_EXPORT_SCHEDULE.pattern, tz: MONTHLY_EXPORT_SCHEDULE.tz },
    { name: JobName.MonthlyIndexScheduled, data: {}, opts: JOB_OPTIONS.scheduledExport },
  );
}
