import { loadConfig } from '@tuban/core/config';
import { scheduleMonthlyExport } from '@tuban/core/jobs/export-jobs';
import { QueueName } from '@tuban/core/jobs/queues';
import { closeWorkerContext, createWorkerContext } from './context.js';
import { recordIngestFailure } from './ingest/handler.js';
import { startWorker } from './worker.js';

// Queues this process serves.
const SERVED_QUEUES: QueueName[] = [QueueName.System, QueueName.Ingest, QueueName.Detect, QueueName.Export];

const config = loadConfig();
const ctx = await createWorkerContext(config);
const concurrency = (q: QueueName) => (q === QueueName.Detect ? config.DETECT_CONCURRENCY : 1);
const workers = SERVED_QUEUES.map((q) => startWorker(q, ctx, { concurrency: concurrency(q) }));
if (SERVED_QUEUES.includes(QueueName.Export)) await scheduleMonthlyExport(ctx.queues);
for (const w of workers) {
  w.on('failed', (job, err) => console.error(`[worker] ${w.name} job ${job?.id} (${job?.name}) failed: ${err.message}`));
  w.on('failed', (job, err) => void recordIngestFailure(ctx, job, err).catch((e) => console.error(e)));
}
console.log(`[worker] pid ${process.pid} serving queues: ${SERVED_QUEUES.join(', ')}`);

async function shutdown(signal: string): Promise<void> {
  console.log(`[worker] ${signal}: finishing current jobs`);
  await Promise.all(workers.map((w) => w.close()));
  await closeWorkerContext(ctx);
  process.exit(0);
}
process.once('SIGINT', () => void shutdown('SIGINT'));
process.once('SIGTERM', () => void shutdown('SIGTERM'));
