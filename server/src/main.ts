import { loadConfig } from '@tuban/core/config';
import { createPool } from '@tuban/core/db/pool';
import { createRedis } from '@tuban/core/redis';
import { buildApp } from './app.js';

const config = loadConfig();
const db = createPool(config.DATABASE_URL);
const redis = createRedis(config.REDIS_URL);
const app = await buildApp({ config, db, redis });

async function shutdown(signal: string): Promise<void> {
  app.log.info(`${signal}: shutting down`);
  await app.close();
  await db.end();
  redis.disconnect();
  process.exit(0);
}
process.once('SIGINT', () => void shutdown('SIGINT'));
process.once('SIGTERM', () => void shutdown('SIGTERM'));

await app.listen({ host: config.HOST, port: config.PORT });
