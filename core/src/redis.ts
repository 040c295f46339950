import { Redis } from 'ioredis';

/**
 * A Redis connection suitable for BullMQ workers and queues: BullMQ needs maxRetriesPerRequest null
 * so blocking commands wait through a Redis restart instead of failing.
 */
export function createRedis(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false });
}
