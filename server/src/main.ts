import { loadConfig } from '@tuban/core/config';
import { createPool } from '@tuban/core/db/pool';
import { configuredModelInfo } from '@tuban/core/detection/model-info';
import type { ModelInfo } from '@tuban/core/detection/plan';
import { createRedis } from '@tuban/core/redis';
import { buildApp } from './app.js';

const config = loadConfig();
const db = createPool(config.DATABASE_URL);
const redis = createRedis(config.REDIS_URL);
const app = await buildApp({ config, db, redis, changeModel: await changeModelInfo() });

/** The change model's card, so runs can be planned here; without it detection runs are refused with 503. */
async function changeModelInfo(): Promise<ModelInfo | undefined> {
  try {
    return await configuredModelInfo(config);
  } catch (err) {
    console.warn(`[server] detection runs disabled: ${(err as Error).message}`);
    return undefined;
  }
}

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
