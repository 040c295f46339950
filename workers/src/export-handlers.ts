import { isLastAttempt } from '@tuban/core/jobs/job-options';
import { UnrecoverableError, type Job } from 'bullmq';
import {
  failExport,
  findExport,
  findScheduledExport,
  finishExport,
  insertExport,
  startExport,
} from '@tuban/core/db/exports';
import { buildMonthlyExport } from '@tuban/core/monthly-index/build-export';
import { previousMonth } from '@tuban/core/monthly-index/month';
import type { JobName, JobPayloads, JobResults } from '@tuban/core/jobs/queues';
import { exportContext } from './export-context.js';

type J<N extends JobName> = Job<JobPayloads[N], JobResults[N], N>;

async function build(exportId: number, attemptsLeft: boolean): Promise<number> {
  const { db, dataDir } = exportContext();
  const record = await findExport(db, exportId);
  if (!record) throw new UnrecoverableError(`export ${exportId} does not exist`);
  if (record.status === 'done') return record.files.length;
  await startExport(db, exportId);
  try {
    const files = await buildMonthlyExport(db, { dataDir, id: exportId, month: record.month, generatedAt: new Date() });
    await finishExport(db, exportId, files);
    return files.length;
  } catch (err) {
    // the row says 'failed' only when no retry is left; until then it stays 'running'
    if (!attemptsLeft) await failExport(db, exportId, (err as Error).message);
    throw err;
  }
}

export async function monthlyIndexExport(job: J<'monthly-index-export'>): Promise<JobResults['monthly-index-export']> {
  const { exportId } = job.data;
  if (!Number.isInteger(exportId) || exportId <= 0) throw new UnrecoverableError(`bad exportId ${String(exportId)}`);
  const attemptsLeft = !isLastAttempt(job);
  return { exportId, files: await build(exportId, attemptsLeft) };
}

/** The 02:00-on-the-1st job: last month's export, one per month however often the job runs. */
export async function monthlyIndexScheduled(
  job: J<'monthly-index-scheduled'>,
): Promise<JobResults['monthly-index-scheduled']> {
  const { db } = exportContext();
  const month = previousMonth(new Date(job.processedOn ?? Date.now()));
  const record = (await findScheduledExport(db, month)) ?? (await insertExport(db, month, null));
  await build(record.id, !isLastAttempt(job));
  return { exportId: record.id, month };
}
