// Job options for monthly exports, kept in one place (dedup ids, retries, the monthly schedule).
import type { JobsOptions } from 'bullmq';
import { JobName } from '../queue.js';

/** One job per export row: a second enqueue of the same export is a no-op. */
export function monthlyExportJobOptions(exportId: number): JobsOptions {
  return {
    jobId: `${JobName.MonthlyIndexExport}-${exportId}`,
    attempts: 3,
    backoff: { type: 'exponential', delay: 10_000 },
    removeOnComplete: 1000,
    removeOnFail: 1000,
  };
}

/** 02:00 on the 1st of every month, Shanghai time: last month's export. */
export const MONTHLY_EXPORT_SCHEDULE = {
  id: 'monthly-index-export-schedule',
  pattern: '0 2 1 * *',
  tz: 'Asia/Shanghai',
} as const;
