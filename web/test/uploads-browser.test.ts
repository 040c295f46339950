// A pilot records a sortie and uploads a file through the real web app in Debian's Chromium; the connection
// drops once mid-upload, and a stand-in ingest worker reports progress that the page shows live.
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'bullmq';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { hashPassword } from '@tuban/core/auth/secrets';
import { loadConfig } from '@tuban/core/config';
import { upsertUser, type User } from '@tuban/core/db/users';
import { QueueName } from '@tuban/core/queue';
import { createRedis } from '@tuban/core/redis';
import { createTestDatabase, type TestDatabase } from '@tuban/core/testing';
import { buildApp } from '@tuban/server/app';
import { launchChromium } from './support/chromium.js';

const PASSWORD = 'upload-browser-pw';
const STREET = '310107005';
const SCREENSHOT_DIR = new URL('../../test-results/', import.meta.url).pathname;

let testDb: TestDatabase;
let app: FastifyInstance;
let browser: Browser;
let baseUrl: string;
let dataDir: string;
let pilot: User;
let worker: Worker | undefined;
const queuePrefix = `tuban-test-${randomBytes(4).toString('hex')}`;
const redis = createRedis(loadConfig().REDIS_URL);
const workerConnection = createRedis(loadConfig().REDIS_URL);

beforeAll(async () => {
  testDb = await createTestDatabase('uploads_browser');
  await testDb.pool.query(
    `INSERT INTO streets (code, name, kind, boundary_source, geom) VALUES ($1, '曹杨新村街道', 'subdistrict', 'demo-partition',
       'SRID=4326;MULTIPOLYGON(((121.38 31.25,121.39 31.25,121.39 31.26,121.38 31.26,121.38 31.25)))'::geometry)`,
    [STREET],
  );
  pilot = await upsertUser(testDb.pool, { username: 'pilot', displayName: '飞手甲', role: 'pilot', streetCode: null, passwordHash: await hashPassword(PASSWORD) });
  dataDir = await mkdtemp(join(tmpdir(), 'tuban-upload-browser-'));
  const config = loadConfig(process.env, { LOG_LEVEL: 'silent', DATA_DIR: dataDir });
  app = await buildApp({ config, db: testDb.pool, redis, queuePrefix });
  baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await worker?.close();
  await browser?.close();
  await app?.close();
  redis.disconnect();
  workerConnection.disconnect();
  await testDb?.drop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('sorties and uploads in Chromium', () => {
  it('records a sortie, uploads a file through a dropped connection and follows its ingest live', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 800 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));
    await page.goto(`${baseUrl}/flights`);
    await page.fill('input[name="username"]', 'pilot');
    await page.fill('input[name="password"]', PASSWORD);
    await page.click('button[type="submit"]');

    // Sortie form: model, time, street; then it is listed and counted.
    await page.getByRole('heading', { name: '无人机架次' }).waitFor({ timeout: 60_000 });
    await page.fill('input[name="droneModel"]', 'DJI Mavic 3E');
    await page.fill('input[name="flownAt"]', '2025-03-10T09:00');
    await page.getByLabel('曹杨新村街道').check();
    await page.getByRole('button', { name: '登记架次' }).click();
    await page.getByText(/架次 #\d+ 已登记/).waitFor({ timeout: 30_000 });
    const flight = await testDb.pool.query<{ id: number; flown_at: Date }>('SELECT id, flown_at FROM flights WHERE pilot_id = $1', [pilot.id]);
    expect(flight.rows[0]!.flown_at.toISOString()).toBe('2025-03-10T01:00:00.000Z');

    // The first PATCH is cut off, as by a dropped connection; tus-js-client retries and resumes.
    let patches = 0;
    await page.route('**/api/uploads/*', (route) => {
      if (route.request().method() === 'PATCH' && ++patches === 1) return route.abort('connectionreset');
      return route.continue();
    });
    await page.getByRole('link', { name: '影像上传' }).click();
    await page.selectOption('select[name="flight"]', String(flight.rows[0]!.id));
    await page.fill('input[name="capturedAt"]', '2025-03-10T09:30');
    await page.setInputFiles('input[name="files"]', { name: 'ortho.tif', mimeType: 'image/tiff', buffer: randomBytes(2 * 1024 * 1024) });
    const row = page.locator('tr[data-file="ortho.tif"]');
    await row.getByText('上传完成').waitFor({ timeout: 60_000 });
    expect(patches).toBeGreaterThanOrEqual(2);
    await expect(row.locator('.ingest-status').textContent()).resolves.toMatch(/影像 #\d+ · 已上传，等待入库/);

    const img = await testDb.pool.query('SELECT id, file_name, flight_id, captured_at, size_bytes FROM imagery');
    expect(img.rows[0]).toMatchObject({ file_name: 'ortho.tif', flight_id: flight.rows[0]!.id, size_bytes: 2 * 1024 * 1024 });
    expect(img.rows[0].captured_at.toISOString()).toBe('2025-03-10T01:30:00.000Z');

    // A stand-in ingest worker: the page shows its progress and the final status without a reload.
    let release = () => {};
    const gate = new Promise<void>((r) => (release = r));
    worker = new Worker(
      QueueName.Ingest,
      async (job) => {
        await testDb.pool.query(`UPDATE imagery SET status = 'ingesting' WHERE id = $1`, [job.data.imageryId]);
        await job.updateProgress({ done: 3, total: 8 });
        await gate;
        await testDb.pool.query(`UPDATE imagery SET status = 'ready' WHERE id = $1`, [job.data.imageryId]);
        return { imageryId: job.data.imageryId, tiles: 8 };
      },
      { connection: workerConnection, prefix: queuePrefix },
    );
    await row.getByText('3/8 瓦片').waitFor({ timeout: 60_000 });
    release();
    await row.getByText(/影像 #\d+ · 已入库/).waitFor({ timeout: 60_000 });
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: `${SCREENSHOT_DIR}browser-uploads.png` });
    await page.getByRole('link', { name: '架次' }).click();
    await page.getByRole('table', { name: '按街镇统计' }).waitFor();
    await page.fill('input[type="month"]', '2025-03');
    await page.getByRole('table', { name: '架次列表' }).waitFor();
    await page.screenshot({ path: `${SCREENSHOT_DIR}browser-flights.png` });
    expect(pageErrors).toEqual([]);
    await page.close();
  }, 180_000);
});
