// What a pilot is told about earlier uploads, in Debian's Chromium: the list survives a reload, a failed
// ingest and a refused or failed automatic detection are said in Chinese, imagery from outside the district
// carries a warning naming how far away it lies, and an admin accepts it for detection from the same list.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '@tuban/core/db/users';
import { insertTestDetectionRun, insertTestImagery, insertTestStreet } from '@tuban/core/testing/fixtures';
import { SCREENSHOT_DIR, startBrowserApp, type BrowserApp } from './support/browser-app.js';

let h: BrowserApp;
let pilot: User;
const ids = { broken: 0, far: 0, failedRun: 0 };

/** An upload the pilot finished, and the imagery it became. */
async function uploaded(db: BrowserApp['db'], fileName: string, fields: Record<string, unknown>, n: number): Promise<number> {
  const id = await insertTestImagery(db, { uploadedBy: pilot.id, fileName, status: 'ready', sha256: String(n).repeat(64), footprint: [121.381, 31.251, 121.382, 31.252] });
  const sets = Object.keys(fields).map((k, i) => `${k} = $${i + 2}`).join(', ');
  if (sets) await db.query(`UPDATE imagery SET ${sets} WHERE id = $1`, [id, ...Object.values(fields)]);
  await db.query(
    `INSERT INTO uploads (id, user_id, file_name, size_bytes, sha256, imagery_id, duplicate, finished_at)
     VALUES ($1, $2, $3, 1000, $4, $5, false, now() - make_interval(mins => $6))`,
    [String(n).repeat(32), pilot.id, fileName, String(n).repeat(64), id, 10 - n],
  );
  return id;
}

beforeAll(async () => {
  h = await startBrowserApp('pilot_uploads_browser', async (t) => {
    await insertTestStreet(t.db, { code: '310107005', name: '曹杨新村街道', geom: [121.38, 31.25, 121.39, 31.26] });
    pilot = await t.addUser('pilot', 'pilot', null, '飞手甲');
    await t.addUser('admin', 'admin', null, '管理员');
    ids.broken = await uploaded(t.db, 'renamed.tif', {
      status: 'failed', error: 'the file is not a TIFF image (wrong file type; was it renamed to .tif?)', error_code: 'ingest_not_tiff', error_params: '{}',
    }, 1);
    ids.far = await uploaded(t.db, 'munich.tif', {
      outside_district_m: 8_700_000, detection_error: 'imagery lies 8700 km outside the district', detection_error_code: 'imagery_outside_district',
      detection_error_params: JSON.stringify({ imageryId: 0, distanceKm: 8700 }),
    }, 2);
    ids.failedRun = await uploaded(t.db, 'putuo.tif', {}, 3);
    await insertTestDetectionRun(t.db, { createdBy: pilot.id, afterImageryId: ids.failedRun, status: 'failed', error: 'batch 2: out of memory',
      errorCode: 'detection_batch_failed', errorParams: { batch: 2, message: 'out of memory' },
    });
  });
}, 120_000);

afterAll(async () => h?.close());

describe('a pilot’s earlier uploads', () => {
  it('are listed after a reload, with what went wrong said in Chinese', async () => {
    const page = await h.openAs('pilot', '/uploads', { viewport: { width: 1440, height: 900 } });
    const list = page.getByTestId('recent-uploads');
    await list.waitFor({ timeout: 30_000 });
    await page.reload();
    await list.waitFor({ timeout: 30_000 });
    const row = (id: number) => list.locator(`tr[data-imagery="${id}"]`);
    expect(await row(ids.broken).textContent()).toContain('该文件不是 TIFF 影像（文件类型不对，是否被改名为 .tif？）');
    expect(await row(ids.broken).textContent()).toContain('修正后重新上传同一文件即可重试');
    expect(await row(ids.far).textContent()).toContain('该影像位于本区以外约 8,700 公里，管理员确认后才会检测。');
    expect(await row(ids.far).textContent()).toContain('自动检测未进行：影像 #');
    expect(await row(ids.failedRun).textContent()).toContain('自动检测失败（检测任务 #');
    expect(await row(ids.failedRun).textContent()).toContain('检测任务的第 2 批多次重试后仍失败，任务已停止（技术信息：out of memory）');
    expect(await row(ids.broken).textContent()).not.toMatch(/not a TIFF/);
    // the pilot cannot accept it
    expect(await row(ids.far).getByRole('button').count()).toBe(0);
    await page.screenshot({ path: `${SCREENSHOT_DIR}pilot-recent-uploads.png`, fullPage: true });
    await page.close();
  }, 60_000);

  it('lets an admin accept imagery from outside the district for detection', async () => {
    const page = await h.openAs('admin', '/uploads', { viewport: { width: 1440, height: 900 } });
    const row = page.getByTestId('recent-uploads').locator(`tr[data-imagery="${ids.far}"]`);
    await row.getByRole('button', { name: '确认并检测' }).click();
    await row.getByText('管理员已确认。', { exact: false }).waitFor({ timeout: 20_000 });
    const { rows } = await h.db.query('SELECT accepted_at IS NOT NULL AS accepted FROM imagery WHERE id = $1', [ids.far]);
    expect(rows).toEqual([{ accepted: true }]);
    await page.close();
    expect(h.consoleErrors).toEqual([]);
  }, 60_000);
});
