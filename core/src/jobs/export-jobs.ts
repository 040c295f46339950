// The monthly export jobs: their dedup ids and the monthly schedule.
import type { JobsOptions } from 'bullmq';
import { JOB_OPTIONS } from './job-options.js';
import { JobName } from './queues.js';

/** One job per export row: a second enqueue of the same export is a no-op. */
export function monthlyExportJobOptions(exportId: number): JobsOptions {
  return {
    jobId: `${JobName.MonthlyIndexExport}-${exportId}`,
    ...JOB_OPTIONS.export,
  };
}

/** 02:00 on the 1st of every month, Shanghai time: last month's export. */
export const MONTHLY_EXPORT_SCHEDULE = {
  id: 'monthly-index-export-schedule',
  pattern: '0 2 1 * *',
  tz: 'Asia/Shanghai',
} as const;
