// A pilot records a sortie and uploads a file through the real web app in Debian's Chromium; the connection
// drops once mid-upload, and a stand-in ingest worker reports progress that the page shows live.
import { randomBytes } from 'node:crypto';
import { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@tuban/core/config';
import type { User } from '@tuban/core/db/users';
import { QueueName } from '@tuban/core/jobs/queues';
import { createRedis } from '@tuban/core/redis';
import { SCREENSHOT_DIR, startBrowserApp, type BrowserApp } from './support/browser-app.js';
import { insertTestStreet } from '@tuban/core/testing/fixtures';

const STREET = '310107005';

let h: BrowserApp;
let pilot: User;
let worker: Worker | undefined;
const workerConnection = createRedis(loadConfig().REDIS_URL);

beforeAll(async () => {
  h = await startBrowserApp('uploads_browser', async (t) => {
    await insertTestStreet(t.db, { code: STREET, name: '曹杨新村街道', geom: [121.38, 31.25, 121.39, 31.26] });
    pilot = await t.addUser('pilot', 'pilot', null, '飞手甲');
  });
}, 120_000);

afterAll(async () => {
  await worker?.close();
  workerConnection.disconnect();
  await h?.close();
});

describe('sorties and uploads in Chromium', () => {
  it('records a sortie, uploads a file through a dropped connection and follows its ingest live', async () => {
    // The dropped connection below is logged by Chromium as a failed load; only page errors count here.
    const page = await h.openAs('pilot', '/flights', { viewport: { width: 1366, height: 800 }, expectedError: () => true });

    // Sortie form: model, time, street; then it is listed and counted.
    await page.getByRole('heading', { name: '无人机架次' }).waitFor({ timeout: 60_000 });
    await page.fill('input[name="droneModel"]', 'DJI Mavic 3E');
    await page.fill('input[name="flownAt"]', '2025-03-10T09:00');
    await page.getByLabel('曹杨新村街道').check();
    await page.getByRole('button', { name: '登记架次' }).click();
    await page.getByText(/架次 #\d+ 已登记/).waitFor({ timeout: 30_000 });
    const flight = await h.db.query<{ id: number; flown_at: Date }>('SELECT id, flown_at FROM flights WHERE pilot_id = $1', [pilot.id]);
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

    const img = await h.db.query('SELECT id, file_name, flight_id, captured_at, size_bytes FROM imagery');
    expect(img.rows[0]).toMatchObject({ file_name: 'ortho.tif', flight_id: flight.rows[0]!.id, size_bytes: 2 * 1024 * 1024 });
    expect(img.rows[0].captured_at.toISOString()).toBe('2025-03-10T01:30:00.000Z');

    // A stand-in ingest worker: the page shows its progress and the final status without a reload.
    let release = () => {};
    const gate = new Promise<void>((r) => (release = r));
    worker = new Worker(
      QueueName.Ingest,
      async (job) => {
        await h.db.query(`UPDATE imagery SET status = 'ingesting' WHERE id = $1`, [job.data.imageryId]);
        await job.updateProgress({ done: 3, total: 8 });
        await gate;
        await h.db.query(`UPDATE imagery SET status = 'ready' WHERE id = $1`, [job.data.imageryId]);
        return { imageryId: job.data.imageryId, tiles: 8 };
      },
      { connection: workerConnection, prefix: h.queuePrefix },
    );
    await row.getByText('3/8 瓦片').waitFor({ timeout: 60_000 });
    release();
    await row.getByText(/影像 #\d+ · 已入库/).waitFor({ timeout: 60_000 });
    await page.screenshot({ path: `${SCREENSHOT_DIR}browser-uploads.png` });
    await page.getByRole('link', { name: '架次' }).click();
    await page.getByRole('table', { name: '按街镇统计' }).waitFor();
    await page.fill('input[type="month"]', '2025-03');
    await page.getByRole('table', { name: '架次列表' }).waitFor();
    await page.screenshot({ path: `${SCREENSHOT_DIR}browser-flights.png` });
    expect(h.consoleErrors).toEqual([]);
    await page.close();
  }, 180_000);
});
