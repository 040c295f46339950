// A detection worker process for the kill test and the benchmark: the real detect handlers on a queue prefix,
// database schema and tile folder of the test's own, with short lock times so a killed worker's batch is
// picked up again within seconds (the BullMQ default is 30 s).
//   env: DATABASE_URL, REDIS_URL, TUBAN_QUEUE_PREFIX, TUBAN_DB_SCHEMA, TUBAN_DETECTOR, and either TUBAN_TILE_DIR
//   (tiles in a folder) or STORAGE_URL with DATA_DIR (files in S3, DATA_DIR only this worker's own). TUBAN_DETECTOR:
//   baseline or onnx (the committed model, whatever version a run names), or versions (the versions of
//   model_versions as a deployed worker loads them: a trained one from the store, needs STORAGE_URL)
import { loadConfig } from '@tuban/core/config';
import { createPool } from '@tuban/core/db/pool';
import { QueueName } from '@tuban/core/jobs/queues';
import { createRedis } from '@tuban/core/redis';
import { openStorage } from '@tuban/core/storage/storage';
import { LocalTileStore } from '@tuban/core/tiles/tile-store';
import { changeModelSource } from '../detect/load-model.js';
import { startWorker } from '../worker.js';
import { detectorModel, onnxModel } from './change-models.js';
import { testWorkerContext } from './worker-context.js';

const need = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};
const connection = createRedis(need('REDIS_URL'));
const db = createPool(need('DATABASE_URL'), { schema: need('TUBAN_DB_SCHEMA'), max: 3 });
const storageUrl = process.env.STORAGE_URL;
const storage = storageUrl ? await openStorage({ STORAGE_URL: storageUrl, DATA_DIR: need('DATA_DIR') }, db) : null;
const tileStore = storage?.tiles ?? new LocalTileStore(need('TUBAN_TILE_DIR'));
const detector = process.env.TUBAN_DETECTOR;
const ctx = testWorkerContext({ db, redis: connection, prefix: need('TUBAN_QUEUE_PREFIX'), tileStore });
if (detector === 'versions') {
  if (!storage) throw new Error('TUBAN_DETECTOR=versions needs STORAGE_URL and DATA_DIR');
  const config = loadConfig(process.env, { CHANGE_DETECTOR: 'onnx', DATA_DIR: need('DATA_DIR'), DETECT_THREADS: 1 });
  ctx.changeModel = changeModelSource(config, db, storage.objects);
} else {
  const model = detector === 'onnx' ? await onnxModel(1, loadConfig().DETECT_NICE) : detectorModel();
  ctx.changeModel = async () => model;
}

const worker = startWorker(QueueName.Detect, ctx, {
  concurrency: loadConfig().DETECT_CONCURRENCY,
  lockDuration: 4000,
  stalledInterval: 1000,
});
worker.on('ready', () => process.stdout.write('ready\n'));
process.once('SIGTERM', () => {
  void worker.close().then(async () => {
    await ctx.queues.close();
    await db.end();
    connection.disconnect();
    process.exit(0);
  });
});
