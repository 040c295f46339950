import { loadConfig } from '@tuban/core/config';
import { createPool } from '@tuban/core/db/pool';
import { configuredModelInfo } from '@tuban/core/detection/model-info';
import type { ModelInfo } from '@tuban/core/detection/plan';
import { activeModelInfo, registerShippedModel } from '@tuban/core/learning/model-versions';
import { createRedis } from '@tuban/core/redis';
import { buildApp } from './app.js';

const config = loadConfig();
const db = createPool(config.DATABASE_URL);
const redis = createRedis(config.REDIS_URL);
const app = await buildApp({ config, db, redis, changeModel: await changeModelInfo() });

/**
 * What runs are planned for: the active model version's card, or the baseline's. The shipped model is registered
 * (and made active when no version is) at start, or else at first use; without a model, planning answers 503.
 */
async function changeModelInfo(): Promise<() => Promise<ModelInfo>> {
  if (config.CHANGE_DETECTOR === 'baseline') {
    const baseline = await configuredModelInfo(config);
    return async () => baseline;
  }
  await registerShippedModel(db, config.CHANGE_MODEL_PATH).catch((err: Error) =>
    console.warn(`[server] the shipped change model is not registered yet: ${err.message}`));
  return activeModelInfo(db, config.CHANGE_MODEL_PATH);
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
