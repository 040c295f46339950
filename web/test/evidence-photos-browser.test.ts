// The evidence-photo layer on the main map, in Debian's Chromium: a ready photo shows as a point, a click opens its popup.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '@tuban/core/auth/secrets';
import { loadConfig } from '@tuban/core/config';
import { markEvidencePhotoReady } from '@tuban/core/db/evidence-photos';
import { upsertUser } from '@tuban/core/db/users';
import { createRedis } from '@tuban/core/redis';
import { createTestDatabase, type TestDatabase } from '@tuban/core/testing';
import { buildApp } from '@tuban/server/app';
import { launchChromium } from './support/chromium.js';

const PASSWORD = 'photos-test-pw';

let testDb: TestDatabase;
let app: FastifyInstance;
let browser: Browser;
let baseUrl: string;
let dataDir: string;
const redis = createRedis(loadConfig().REDIS_URL);

beforeAll(async () => {
  testDb = await createTestDatabase('photos_browser');
  dataDir = await mkdtemp(join(tmpdir(), 'tuban-photos-browser-'));
  const user = await upsertUser(testDb.pool, { username: 'office', displayName: '拆违专办', role: 'office', streetCode: null, passwordHash: await hashPassword(PASSWORD) });
  const { rows } = await testDb.pool.query<{ id: number }>(
    `INSERT INTO imagery (kind, file_name, sha256, size_bytes, uploaded_by) VALUES ('photo', 'DJI_0042.JPG', md5('a') || md5('a'), 1, $1) RETURNING id`,
    [user.id],
  );
  await markEvidencePhotoReady(testDb.pool, rows[0]!.id, {
    lon: 121.4, lat: 31.25, altitudeM: 50, altitudeRef: 'takeoff', capturedAt: new Date('2026-05-01T02:00:00Z'), camera: 'DJI FC6310',
    yawDeg: 0, pitchDeg: -90, widthPx: 16, heightPx: 12,
  });
  const config = loadConfig(process.env, { LOG_LEVEL: 'silent', DATA_DIR: dataDir });
  app = await buildApp({ config, db: testDb.pool, redis });
  baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  redis.disconnect();
  await testDb?.drop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('evidence photos on the map', () => {
  it('shows a ready photo as a point from zoom 14 and opens its popup on click', async () => {
    const page = await browser.newPage({ viewport: { width: 1024, height: 700 } });
    await page.goto(`${baseUrl}/#16/31.25/121.4`);
    await page.fill('input[name="username"]', 'office');
    await page.fill('input[name="password"]', PASSWORD);
    await page.click('button[type="submit"]');
    await page.waitForFunction(() => document.body.dataset.mapReady === '1', undefined, { timeout: 90_000 });
    await page.evaluate(() => window.__tubanMap!.jumpTo({ center: [121.4, 31.25], zoom: 16 }));
    await page.waitForFunction(() => window.__tubanMap!.queryRenderedFeatures({ layers: ['evidence-photos'] }).length > 0, undefined, { timeout: 30_000 });
    const at = await page.evaluate(() => {
      const map = window.__tubanMap!;
      const p = map.project([121.4, 31.25]);
      const r = map.getCanvas().getBoundingClientRect();
      return { x: r.left + p.x, y: r.top + p.y };
    });
    await page.mouse.click(at.x, at.y);
    const link = page.locator('.photo-popup a');
    await expect(link.getAttribute('href', { timeout: 10_000 })).resolves.toMatch(/^\/api\/imagery\/\d+\/photo\.jpg$/);
    await expect(page.locator('.photo-popup').textContent()).resolves.toContain('DJI_0042.JPG');
    await page.close();
  }, 120_000);
});
