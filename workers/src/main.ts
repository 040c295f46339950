import { loadConfig } from '@tuban/core/config';
import { createPool } from '@tuban/core/db/pool';
import { imageryTileReader } from '@tuban/core/tiles/imagery-tile-reader';
import { QueueName } from '@tuban/core/jobs/queues';
import { createRedis } from '@tuban/core/redis';
import { imageryTileStore } from '@tuban/core/tiles/tile-store';
import { configureDetection } from './detect/handlers.js';
import { loadChangeModel } from './detect/load-model.js';
import { recordIngestFailure } from './ingest/handler.js';
import { startWorker } from './worker.js';
import { scheduleMonthlyExport } from './export-schedule.js';
import { TileCache } from './detect/windows.js';

// Queues this process serves; later stages (ingest, detect, export) join this list as they land.
const SERVED_QUEUES: QueueName[] = [QueueName.System, QueueName.Ingest, QueueName.Detect, QueueName.Export];

const config = loadConfig();
const connection = createRedis(config.REDIS_URL);
configureDetection(async () => {
  const db = createPool(config.DATABASE_URL, { max: 4 });
  return {
    db,
    tiles: new TileCache(imageryTileReader(db, imageryTileStore(config.DATA_DIR))),
    model: await loadChangeModel(config),
  };
});
const concurrency = (q: QueueName) => (q === QueueName.Detect ? config.DETECT_CONCURRENCY : 1);
const workers = SERVED_QUEUES.map((q) => startWorker(q, connection, { prefix: config.QUEUE_PREFIX, concurrency: concurrency(q) }));
if (SERVED_QUEUES.includes(QueueName.Export)) await scheduleMonthlyExport(connection, config.QUEUE_PREFIX);
for (const w of workers) {
  w.on('failed', (job, err) => console.error(`[worker] ${w.name} job ${job?.id} (${job?.name}) failed: ${err.message}`));
}
for (const w of workers) w.on('failed', (job, err) => void recordIngestFailure(job, err).catch((e) => console.error(e)));
console.log(`[worker] pid ${process.pid} serving queues: ${SERVED_QUEUES.join(', ')}`);

async function shutdown(signal: string): Promise<void> {
  console.log(`[worker] ${signal}: finishing current jobs`);
  await Promise.all(workers.map((w) => w.close()));
  connection.disconnect();
  process.exit(0);
}
process.once('SIGINT', () => void shutdown('SIGINT'));
process.once('SIGTERM', () => void shutdown('SIGTERM'));
