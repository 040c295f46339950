// npm run gen:api — writes web/src/api-types.gen.ts from the server's OpenAPI document (needs PostGIS and Redis).
import { writeFile } from 'node:fs/promises';
import { loadConfig } from '@tuban/core/config';
import { createPool } from '@tuban/core/db/pool';
import { createRedis } from '@tuban/core/redis';
import { buildApp } from './app.js';
import { API_TYPES_FILE, apiTypesSource } from './api-types.js';

const config = loadConfig(process.env, { LOG_LEVEL: 'silent' });
const db = createPool(config.DATABASE_URL, { max: 1 });
const redis = createRedis(config.REDIS_URL);
const app = await buildApp({ config, db, redis });
try {
  await writeFile(API_TYPES_FILE, await apiTypesSource(app));
  console.log(`wrote ${API_TYPES_FILE}`);
} finally {
  await app.close();
  await db.end();
  redis.disconnect();
}
