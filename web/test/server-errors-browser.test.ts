// Server errors as a person sees them in Debian's Chromium: the server sends a stable code with its values,
// the web words it from its message table, in Chinese by default and in English when switched.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertTestDetectionRun, insertTestImagery, insertTestStreet } from '@tuban/core/testing/fixtures';
import { SCREENSHOT_DIR, startBrowserApp, type BrowserApp } from './support/browser-app.js';

let h: BrowserApp;
const ids = { damaged: 0, run: 0, runImagery: 0 };

/**
 * What the workers leave behind for a damaged TIFF and a detection run whose batch kept failing: the English
 * message and, beside it, the code and values (the worker tests check that the workers store exactly these).
 */
async function failedWork(t: BrowserApp, userId: number): Promise<void> {
  const upload = async (fileName: string, n: number, fields: Record<string, unknown>) => {
    const id = await insertTestImagery(t.db, { uploadedBy: userId, fileName, status: 'ready', sha256: String(n).repeat(64), footprint: [121.381, 31.251, 121.382, 31.252] });
    const sets = Object.keys(fields).map((k, i) => `${k} = $${i + 2}`).join(', ');
    if (sets) await t.db.query(`UPDATE imagery SET ${sets} WHERE id = $1`, [id, ...Object.values(fields)]);
    await t.db.query(
      `INSERT INTO uploads (id, user_id, file_name, size_bytes, sha256, imagery_id, duplicate, finished_at)
       VALUES ($1, $2, $3, 1000, $4, $5, false, now())`,
      [String(n).repeat(32), userId, fileName, String(n).repeat(64), id],
    );
    return id;
  };
  ids.damaged = await upload('damaged.tif', 1, {
    status: 'failed', error: 'the TIFF file is damaged: a block could not be decoded (invalid block length)',
    error_code: 'ingest_tiff_damaged', error_params: JSON.stringify({ detail: 'invalid block length' }),
  });
  ids.runImagery = await upload('putuo.tif', 2, {});
  ids.run = await insertTestDetectionRun(t.db, {
    createdBy: userId, afterImageryId: ids.runImagery, status: 'failed', error: 'batch 4: tile has 2 channels, expected RGB or RGBA',
    errorCode: 'detection_batch_failed', errorParams: { batch: 4, message: 'tile has 2 channels, expected RGB or RGBA' },
  });
}

/** English words, leaving out acronyms a Chinese text uses too (TIFF, GPS). */
const ENGLISH_PROSE = /\b(?=[A-Za-z]*[a-z])[A-Za-z]{3,}\b/;

/** The text without the technical detail a message may carry in （技术信息：…）, which stays as the software wrote it. */
const withoutDetail = (text: string | null) => (text ?? '').replace(/（技术信息：[^）]*）/g, '');

/** Latin words of three or more letters: English text leaking into the Chinese UI. */
const ENGLISH_WORDS = /\b[A-Za-z]{3,}\b/;

beforeAll(async () => {
  h = await startBrowserApp(
    'server_errors_browser',
    async (t) => {
      await insertTestStreet(t.db, { code: '310107005', name: '曹杨新村街道', geom: [121.38, 31.25, 121.39, 31.26] });
      const office = await t.addUser('office', 'office', null, '拆违专办');
      await failedWork(t, office.id);
    },
    // two failed logins lock the account, without waiting between tries
    { settings: { LOGIN_LOCK_AFTER: 2, LOGIN_DELAY_MS: 0, LOGIN_LOCK_MINUTES: 15 } },
  );
}, 60_000);

afterAll(async () => h?.close());

describe('server errors in the UI', () => {
  it('words the registry import notes of a dry run in Chinese and offers no confirm with nothing to import', async () => {
    const page = await h.openAs('office', '/reports/registry', { viewport: { width: 1440, height: 900 } });
    const ring = [[121.382, 31.252], [121.3822, 31.252], [121.3822, 31.2522], [121.382, 31.2522], [121.382, 31.252]];
    const fc = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { 案件号: 'ERR-1', 面积: 50 }, geometry: { type: 'LineString', coordinates: [[121.385, 31.255], [121.386, 31.256]] } },
        { type: 'Feature', properties: { 案件号: 'ERR-2', 面积: -3, 状态: 'demolished' }, geometry: { type: 'Polygon', coordinates: [ring] } },
      ],
    };
    await page.locator('input[type="file"]').waitFor({ timeout: 20_000 });
    await page.setInputFiles('input[type="file"]', { name: 'bad.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(JSON.stringify(fc)) });
    await page.getByRole('button', { name: '试导入（不写入）' }).click();
    const report = page.getByTestId('import-report');
    await report.getByText('试导入：共 2 行，可导入 0 行', { exact: false }).waitFor({ timeout: 20_000 });
    const messages = await report.locator('td.messages').allTextContents();
    expect(messages[0]).toBe('几何类型为 LineString；台账图斑必须是面');
    expect(messages[1]).toContain('建筑面积“-3”不是正数');
    expect(messages[1]).toContain('需要填写销项日期');
    // none of the server's English wording
    for (const m of messages) expect(m).not.toMatch(/is not|registry items|needs a|positive number/);
    expect(await page.getByRole('button', { name: '确认导入' }).isDisabled()).toBe(true);
    await page.screenshot({ path: `${SCREENSHOT_DIR}registry-import-errors.png` });
    await page.close();
  }, 60_000);

  it('words worker failures and a refused form field in Chinese: ingest, detection run, schema check', async () => {
    // Chromium logs the refused request itself; the page must log nothing else
    const page = await h.openAs('office', '/uploads', {
      viewport: { width: 1440, height: 900 },
      expectedError: (url, text) => url.endsWith('/api/flights') && text.includes('400'),
    });
    const list = page.getByTestId('recent-uploads');
    await list.waitFor({ timeout: 30_000 });
    const damaged = list.locator(`tr[data-imagery="${ids.damaged}"]`);
    await damaged.getByText('TIFF 文件已损坏，无法读取（技术信息：invalid block length）').waitFor({ timeout: 20_000 });
    const failedRun = list.locator(`tr[data-imagery="${ids.runImagery}"]`);
    await failedRun.getByText(`自动检测失败（检测任务 #${ids.run}）：检测任务的第 4 批多次重试后仍失败，任务已停止`, { exact: false }).waitFor();
    for (const row of [damaged, failedRun]) {
      for (const alert of await row.getByRole('alert').allTextContents()) expect(withoutDetail(alert)).not.toMatch(ENGLISH_PROSE);
    }
    await page.screenshot({ path: `${SCREENSHOT_DIR}errors-worker-failures.png`, fullPage: true });

    await page.locator('header nav a[href="/runs"]').click();
    const run = page.locator(`li[data-run-id="${ids.run}"]`).getByRole('alert');
    await run.waitFor({ timeout: 30_000 });
    expect(await run.textContent()).toBe('任务失败：检测任务的第 4 批多次重试后仍失败，任务已停止（技术信息：tile has 2 channels, expected RGB or RGBA）');

    // A drone model longer than the server takes: its schema refuses it, the form says which field and why.
    await page.locator('header nav a[href="/flights"]').click();
    const form = page.getByRole('form', { name: '登记新架次' });
    await form.locator('input[name="droneModel"]').fill('DJI Matrice 350 RTK '.repeat(6));
    await form.locator('input[name="flownAt"]').fill('2026-03-02T09:30');
    await form.getByRole('checkbox', { name: '曹杨新村街道' }).check();
    await form.getByRole('button', { name: '登记架次' }).click();
    const refused = page.getByRole('alert').filter({ hasText: '机型 最多 100 个字符' });
    await refused.waitFor({ timeout: 20_000 });
    expect(await refused.textContent()).not.toMatch(ENGLISH_WORDS);
    await page.screenshot({ path: `${SCREENSHOT_DIR}errors-schema-field.png` });
    await page.close();
    expect(h.consoleErrors).toEqual([]);
  }, 90_000);

  it('says why a locked login is refused, in Chinese by default and in English when switched', async () => {
    const page = await h.browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(`${h.baseUrl}/`);
    for (let i = 0; i < 2; i++) {
      await h.logIn(page, 'office', 'wrong-password');
      await page.getByText('用户名或密码错误').waitFor({ timeout: 10_000 });
    }
    await h.logIn(page, 'office');
    const alert = page.getByText('登录失败次数过多，请 15 分钟后再试');
    await alert.waitFor({ timeout: 10_000 });
    expect(await alert.textContent()).not.toMatch(ENGLISH_WORDS);
    await page.screenshot({ path: `${SCREENSHOT_DIR}login-locked.png` });

    await page.getByLabel('语言').selectOption('en');
    await h.logIn(page, 'office');
    await page.getByText('Too many failed sign-ins; try again in 15 minutes').waitFor({ timeout: 10_000 });
    await page.close();
  }, 60_000);
});
