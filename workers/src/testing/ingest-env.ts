// The ingest job on a real worker, real Redis and a schema of its own: what every ingest test sets up.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueueEvents, type Queue } from 'bullmq';
import { loadConfig } from '@tuban/core/config';
import { JobName, QueueName } from '@tuban/core/jobs/queues';
import { createRedis } from '@tuban/core/redis';
import { createTestDatabase, type TestDatabase } from '@tuban/core/testing/database';
import { insertTestImagery, insertTestUser, type TestImagery } from '@tuban/core/testing/fixtures';
import { LocalTileStore } from '@tuban/core/tiles/tile-store';
import { startWorker } from '../worker.js';
import { testWorkerContext } from './worker-context.js';

export interface IngestEnv {
  db: TestDatabase;
  /** A scratch folder; tiles go to `<dir>/tiles` unless the options say otherwise. */
  dir: string;
  store: LocalTileStore;
  queue: Queue;
  events: QueueEvents;
  pilotId: number;
  /** Writes the file into the scratch folder and records it as the pilot's upload, as the upload route leaves it. */
  upload(file: string, content: Buffer, fields?: Partial<TestImagery>): Promise<{ id: number; path: string }>;
  /** Runs the ingest job once (no retries) and waits for it, whatever its outcome. */
  ingest(imageryId: number, sourcePath: string): Promise<void>;
  close(): Promise<void>;
}

export interface IngestEnvOptions {
  /** Another Redis than the configured one (a test that restarts it). */
  redisUrl?: string;
  /** Where tiles go instead of `<dir>/tiles` (a test that fills the disk). */
  tileDir?: string;
}

export async function startIngestEnv(label: string, options: IngestEnvOptions = {}): Promise<IngestEnv> {
  const prefix = `tuban-test-${randomBytes(4).toString('hex')}`;
  const redisUrl = options.redisUrl ?? loadConfig().REDIS_URL;
  const connection = createRedis(redisUrl);
  const db = await createTestDatabase(label);
  const dir = await mkdtemp(join(tmpdir(), `tuban-${label}-`));
  const store = new LocalTileStore(options.tileDir ?? join(dir, 'tiles'));
  const pilotId = await insertTestUser(db.pool, { username: 'pilot', displayName: '飞手' });
  const ctx = testWorkerContext({ db: db.pool, redis: connection, prefix, dataDir: dir, tileStore: store });
  const worker = startWorker(QueueName.Ingest, ctx);
  const queue = ctx.queues.byName[QueueName.Ingest];
  const events = new QueueEvents(QueueName.Ingest, { connection: createRedis(redisUrl), prefix });
  await events.waitUntilReady();
  return {
    db,
    dir,
    store,
    queue,
    events,
    pilotId,
    async upload(file, content, fields = {}) {
      const path = join(dir, file);
      await writeFile(path, content);
      const id = await insertTestImagery(db.pool, { fileName: file, sizeBytes: content.length, uploadedBy: pilotId, ...fields });
      return { id, path };
    },
    async ingest(imageryId, sourcePath) {
      const job = await queue.add(JobName.IngestImagery, { imageryId, sourcePath }, { jobId: `ingest-${imageryId}`, attempts: 1 });
      await job.waitUntilFinished(events, 20_000).catch(() => undefined);
    },
    async close() {
      await worker.close();
      await queue.obliterate({ force: true });
      await ctx.queues.close();
      await events.close();
      connection.disconnect();
      await db.drop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
