// A worker context for tests: their own schema, Redis connection, queue prefix, folder and change model.
import type { Redis } from 'ioredis';
import type { ChangeModel } from '@tuban/core/change/change-model';
import type { Config } from '@tuban/core/config';
import type { Pool } from '@tuban/core/db/pool';
import { createQueues } from '@tuban/core/jobs/queues';
import type { ObjectStore } from '@tuban/core/storage/object-store';
import { localStorage } from '@tuban/core/storage/storage';
import type { TileStore } from '@tuban/core/tiles/tile-store';
import type { WorkerContext } from '../context.js';

export interface TestContextParts {
  /** Left out by tests whose jobs never touch the database. */
  db?: Pool;
  redis: Redis;
  prefix: string;
  /** Exports are written under it, and tiles to `<dataDir>/tiles` unless tileStore is given. */
  dataDir?: string;
  tileStore?: TileStore;
  /** The object store (an S3 one in the S3 tests); a folder store on dataDir unless given. */
  objects?: ObjectStore;
  tileFormat?: Config['TILE_FORMAT'];
  model?: ChangeModel;
}

/** The caller closes `queues` when done (the connection and database stay the caller's). */
export function testWorkerContext(p: TestContextParts): WorkerContext {
  const dataDir = p.dataDir ?? '/nonexistent';
  return {
    config: { DATA_DIR: dataDir, RASTER_MAX_PIXELS: 1e8, TILE_FORMAT: p.tileFormat ?? 'webp' },
    db: p.db as Pool,
    redis: p.redis,
    queues: createQueues(p.redis, p.prefix),
    tileStore: p.tileStore ?? localStorage(dataDir).tiles,
    objects: p.objects ?? localStorage(dataDir).objects,
    changeModel: async () => {
      if (!p.model) throw new Error('this test gave the worker no change model');
      return p.model;
    },
  };
}
