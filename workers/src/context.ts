// What the job handlers of a worker process share, made once at start-up and handed to each handler
// factory (tests make one of their own, on their schema, folder and queue prefix).
import type { Redis } from 'ioredis';
import type { ChangeModel } from '@tuban/core/change/change-model';
import type { Config } from '@tuban/core/config';
import { createPool, type Pool } from '@tuban/core/db/pool';
import { createQueues, type Queues } from '@tuban/core/jobs/queues';
import { createRedis } from '@tuban/core/redis';
import type { ObjectStore } from '@tuban/core/storage/object-store';
import { openStorage } from '@tuban/core/storage/storage';
import type { TileStore } from '@tuban/core/tiles/tile-store';
import { changeModelSource } from './detect/load-model.js';

export interface WorkerContext {
  config: Pick<Config, 'DATA_DIR' | 'RASTER_MAX_PIXELS' | 'TILE_FORMAT'>;
  db: Pool;
  redis: Redis;
  queues: Queues;
  /** Where imagery tiles are kept. */
  tileStore: TileStore;
  /** Every other file (uploads, exports, chips): the store STORAGE_URL names. DATA_DIR is then only this machine's working folder. */
  objects: ObjectStore;
  /**
   * A change model by version, or the version active now; each is loaded on first use (a process that never
   * detects never loads one) and kept.
   */
  changeModel(version?: string): Promise<ChangeModel>;
}

export async function createWorkerContext(config: Config): Promise<WorkerContext> {
  const redis = createRedis(config.REDIS_URL);
  const db = createPool(config.DATABASE_URL);
  const storage = await openStorage(config, db);
  return {
    config,
    db,
    redis,
    queues: createQueues(redis, config.QUEUE_PREFIX),
    tileStore: storage.tiles,
    objects: storage.objects,
    changeModel: changeModelSource(config, db, storage.objects),
  };
}

export async function closeWorkerContext(ctx: WorkerContext): Promise<void> {
  await ctx.queues.close();
  await ctx.db.end();
  ctx.redis.disconnect();
}
