// Logs in through the real web app in Debian's Chromium, waits for the map and checks the registry renders.
import { mkdirSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '@tuban/core/auth/secrets';
import { loadConfig } from '@tuban/core/config';
import { upsertUser } from '@tuban/core/db/users';
import { createRedis } from '@tuban/core/redis';
import { createTestDatabase, type TestDatabase } from '@tuban/core/testing';
import { seedGeodata } from '@tuban/data/seed';
import { buildApp } from '@tuban/server/app';
import { launchChromium } from './support/chromium.js';

const PASSWORD = 'browser-test-pw';
const SCREENSHOT_DIR = new URL('../../test-results/', import.meta.url).pathname;

declare global {
  interface Window {
    __tubanMap?: import('maplibre-gl').Map;
  }
}

let testDb: TestDatabase;
let app: FastifyInstance;
let browser: Browser;
let baseUrl: string;
const redis = createRedis(loadConfig().REDIS_URL);

beforeAll(async () => {
  testDb = await createTestDatabase('browser');
  const admin = await upsertUser(testDb.pool, {
    username: 'office',
    displayName: '拆违专办',
    role: 'office',
    streetCode: null,
    passwordHash: await hashPassword(PASSWORD),
  });
  await seedGeodata(testDb.pool, { actorId: admin.id });
  const config = loadConfig(process.env, { LOG_LEVEL: 'silent' });
  app = await buildApp({ config, db: testDb.pool, redis });
  baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  redis.disconnect();
  await testDb?.drop();
});

describe('web map in Chromium', () => {
  it('logs in, shows the map and renders registry features', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    const consoleErrors: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push(msg.text());
    });
    page.on('pageerror', (err) => consoleErrors.push(err.message));

    await page.goto(baseUrl);
    await page.fill('input[name="username"]', 'office');
    await page.fill('input[name="password"]', PASSWORD);
    await page.click('button[type="submit"]');
    await page.waitForFunction(() => document.body.dataset.mapReady === '1', undefined, { timeout: 90_000 });

    const rendered = await page.evaluate(() => {
      const map = window.__tubanMap!;
      const count = (layer: string) => map.queryRenderedFeatures({ layers: [layer] }).length;
      return { registry: count('registry-fill'), streets: count('streets-fill'), hotspots: count('hotspots-fill') };
    });
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: `${SCREENSHOT_DIR}browser-map.png` });

    expect(rendered.registry).toBeGreaterThan(50);
    expect(rendered.streets).toBeGreaterThanOrEqual(10);
    expect(rendered.hotspots).toBeGreaterThan(0);
    expect(consoleErrors).toEqual([]);
    await page.close();
  }, 120_000);

  it('shows the server error in words for a wrong password', async () => {
    const page = await browser.newPage();
    await page.goto(baseUrl);
    await page.fill('input[name="username"]', 'office');
    await page.fill('input[name="password"]', 'wrong');
    await page.click('button[type="submit"]');
    await expect(page.getByRole('alert').textContent({ timeout: 10_000 })).resolves.toMatch(/用户名或密码|username or password/);
    await page.close();
  }, 60_000);
});
