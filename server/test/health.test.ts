import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@tuban/core/config';
import { createRedis } from '@tuban/core/redis';
import { createTestDatabase } from '@tuban/core/testing/database';
import { buildApp } from '../src/app.js';

describe('health when a service is down', () => {
  const closers: (() => Promise<unknown> | void)[] = [];
  afterAll(async () => {
    for (const close of closers.reverse()) await close();
  });

  it('answers 503 and names Redis when Redis does not answer', async () => {
    const testDb = await createTestDatabase('health');
    closers.push(() => testDb.drop());
    // Port 9 (discard) on loopback: nothing listens there.
    const config = loadConfig(process.env, { LOG_LEVEL: 'silent', REDIS_URL: 'redis://127.0.0.1:9' });
    const redis = createRedis(config.REDIS_URL);
    redis.on('error', () => undefined);
    closers.push(() => redis.disconnect());
    const app = await buildApp({ config, db: testDb.pool, redis });
    closers.push(() => app.close());

    const res = await app.inject({ url: '/api/health' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ status: 'degraded', db: 'ok', redis: 'down', failing: ['redis'] });
  });
});
