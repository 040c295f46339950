// Server errors as a person sees them in Debian's Chromium: the server sends a stable code with its values,
// the web words it from its message table, in Chinese by default and in English when switched.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertTestStreet } from '@tuban/core/testing/fixtures';
import { SCREENSHOT_DIR, startBrowserApp, type BrowserApp } from './support/browser-app.js';

let h: BrowserApp;

/** Latin words of three or more letters: English text leaking into the Chinese UI. */
const ENGLISH_WORDS = /\b[A-Za-z]{3,}\b/;

beforeAll(async () => {
  h = await startBrowserApp(
    'server_errors_browser',
    async (t) => {
      await insertTestStreet(t.db, { code: '310107005', name: '曹杨新村街道', geom: [121.38, 31.25, 121.39, 31.26] });
      await t.addUser('office', 'office', null, '拆违专办');
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
