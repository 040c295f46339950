import { loadConfig } from '@tuban/core/config';
import { QueueName } from '@tuban/core/queue';
import { createRedis } from '@tuban/core/redis';
import { startWorker } from './worker.js';
import { scheduleMonthlyExport } from './export-schedule.js';

// Queues this process serves; later stages (ingest, detect, export) join this list as they land.
const SERVED_QUEUES: QueueName[] = [QueueName.System, QueueName.Ingest, QueueName.Detect, QueueName.Export];

const config = loadConfig();
const connection = createRedis(config.REDIS_URL);
const workers = SERVED_QUEUES.map((q) => startWorker(q, connection));
if (SERVED_QUEUES.includes(QueueName.Export)) await scheduleMonthlyExport(connection);
for (const w of workers) {
  w.on('failed', (job, err) => console.error(`[worker] ${w.name} job ${job?.id} (${job?.name}) failed: ${err.message}`));
}
console.log(`[worker] pid ${process.pid} serving queues: ${SERVED_QUEUES.join(', ')}`);

async function shutdown(signal: string): Promise<void> {
  console.log(`[worker] ${signal}: finishing current jobs`);
  await Promise.all(workers.map((w) => w.close()));
  connection.disconnect();
  process.exit(0);
}
process.once('SIGINT', () => void shutdown('SIGINT'));
process.once('SIGTERM', () => void shutdown('SIGTERM'));
