// The report pages (monthly index with drill-down, exports, dashboard) in Debian's Chromium against the real server.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertIndexMonth } from '@tuban/core/testing/index-month';
import { SCREENSHOT_DIR, startBrowserApp, type BrowserApp } from './support/browser-app.js';

let h: BrowserApp;
let page: Page;

beforeAll(async () => {
  h = await startBrowserApp('reports_browser', async (t) => {
    await insertIndexMonth(t.db);
    await t.addUser('office', 'office', null, '拆违专办');
  });
  page = await h.openAs('office', '/reports/index?month=2026-03', { viewport: { width: 1366, height: 900 } });
}, 60_000);

afterAll(async () => h?.close());

describe('report pages in Chromium', () => {
  it('shows the monthly index and drills down from a number to its items', async () => {
    const table = page.getByTestId('index-table');
    await table.waitFor({ timeout: 20_000 });
    const district = table.locator('tbody tr').first();
    expect(await district.locator('th').textContent()).toBe('全区');
    // district row: new violations 4, handled on time 3
    await district.locator('td').nth(0).getByRole('button').click();
    const drill = page.getByTestId('drill');
    await drill.locator('tbody tr').nth(3).waitFor();
    expect(await drill.locator('tbody tr').count()).toBe(4);
    expect(await drill.textContent()).toContain('IDX-B1');
  });

  it('queues an export from the exports page', async () => {
    await page.getByRole('link', { name: '导出' }).click();
    await page.fill('input[type="month"]', '2026-03');
    await page.getByRole('button', { name: '生成月度导出' }).click();
    const rows = page.getByTestId('exports-table').locator('tbody tr');
    await rows.first().waitFor();
    expect(await rows.first().textContent()).toContain('2026-03');
  });

  it('imports registry items after a dry run and sets an annual target', async () => {
    await page.getByRole('link', { name: '台账与目标' }).click();
    const ring = [[121.382, 31.252], [121.3822, 31.252], [121.3822, 31.2522], [121.382, 31.2522], [121.382, 31.252]];
    const fc = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { 案件号: 'WEB-1', 面积: 50 }, geometry: { type: 'Polygon', coordinates: [ring] } }] };
    await page.setInputFiles('input[type="file"]', { name: 'web.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(JSON.stringify(fc)) });
    await page.getByRole('button', { name: '试导入（不写入）' }).click();
    const report = page.getByTestId('import-report');
    await report.getByText('试导入：共 1 行，可导入 1 行').waitFor();
    await page.getByRole('button', { name: '确认导入' }).click();
    await report.getByText('已导入 1 行').waitFor();
    const { rows } = await h.db.query(`SELECT street_code FROM registry_items WHERE case_no = 'WEB-1'`);
    expect(rows).toEqual([{ street_code: '310107005' }]);

    await page.fill('input[type="number"]', '2026');
    const input = page.getByLabel('长风新村街道 年度目标(m²)');
    await input.fill('900');
    await page.getByTestId('targets-table').locator('tr', { has: input }).getByRole('button', { name: '保存' }).click();
    await page.getByTestId('targets-table').getByText('16.7%').waitFor(); // 150 m² closed of 900
  });

  it('draws the dashboard in Chinese', async () => {
    await page.goto(`${h.baseUrl}/reports/dashboard?month=2026-03`);
    const dash = page.getByTestId('dashboard');
    await dash.locator('.kpi').first().waitFor({ timeout: 20_000 });
    const text = await dash.textContent();
    for (const s of ['领导驾驶舱', '全区得分', '71.6', '年度销项进度']) expect(text).toContain(s);
    expect(await dash.locator('svg.chart').count()).toBe(5);
    await page.screenshot({ path: `${SCREENSHOT_DIR}dashboard.png`, fullPage: true });
  });
});
