import { UnrecoverableError } from 'bullmq';
import {
  failExport,
  findExport,
  findScheduledExport,
  finishExport,
  insertExport,
  startExport,
} from '@tuban/core/db/exports';
import { isLastAttempt } from '@tuban/core/jobs/job-options';
import { JobName } from '@tuban/core/jobs/queues';
import { buildMonthlyExport } from '@tuban/core/monthly-index/build-export';
import { previousMonth } from '@tuban/core/monthly-index/month';
import type { WorkerContext } from './context.js';
import type { HandlerMap } from './handlers.js';

type ExportJob = typeof JobName.MonthlyIndexExport | typeof JobName.MonthlyIndexScheduled;

export function exportHandlers({ db, objects }: WorkerContext): Pick<HandlerMap, ExportJob> {
  async function build(exportId: number, lastAttempt: boolean): Promise<number> {
    const record = await findExport(db, exportId);
    if (!record) throw new UnrecoverableError(`export ${exportId} does not exist`);
    if (record.status === 'done') return record.files.length;
    await startExport(db, exportId);
    try {
      const files = await buildMonthlyExport(db, { objects, id: exportId, month: record.month, generatedAt: new Date() });
      await finishExport(db, exportId, files);
      return files.length;
    } catch (err) {
      // the row says 'failed' only when no retry is left; until then it stays 'running'
      if (lastAttempt) await failExport(db, exportId, (err as Error).message);
      throw err;
    }
  }

  return {
    [JobName.MonthlyIndexExport]: async (job) => {
      const { exportId } = job.data;
      if (!Number.isInteger(exportId) || exportId <= 0) throw new UnrecoverableError(`bad exportId ${String(exportId)}`);
      return { exportId, files: await build(exportId, isLastAttempt(job)) };
    },

    /** The 02:00-on-the-1st job: last month's export, one per month however often the job runs. */
    [JobName.MonthlyIndexScheduled]: async (job) => {
      const month = previousMonth(new Date(job.processedOn ?? Date.now()));
      const record = (await findScheduledExport(db, month)) ?? (await insertExport(db, month, null));
      await build(record.id, isLastAttempt(job));
      return { exportId: record.id, month };
    },
  };
}
