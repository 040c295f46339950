// The 12345 complaints page in Debian's Chromium against the real server: the office previews and imports a
// hotline CSV, places the unplaceable complaint by clicking the map, dispatches and closes it as 不属实; a squad
// sees only its street's complaint and closes it as 属实, opening a registry case.
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertTestRegistryItem, insertTestStreet } from '@tuban/core/testing/fixtures';
import { todayInShanghai } from '@tuban/core/triage/rules';
import { SCREENSHOT_DIR, startBrowserApp, type BrowserApp } from './support/browser-app.js';

declare global {
  interface Window {
    __tubanComplaintMap?: import('maplibre-gl').Map;
  }
}

const MONTH = todayInShanghai().slice(0, 7);
// the month's last day: whatever today is, closing today is on time
const DUE = new Date(Date.UTC(Number(MONTH.slice(0, 4)), Number(MONTH.slice(5, 7)), 0)).toISOString().slice(0, 10);
const CSV = [
  '工单号,来电时间,事发地址,经度,纬度,问题描述,处理时限',
  `H-001,${MONTH}-01 09:15,曹杨新村某弄,121.3835,31.2535,楼顶搭建彩钢棚,${DUE}`,
  `H-003,${MONTH}-01 11:30,上海市普陀区兰溪路88弄5号门口,,,门口搭了一个铁皮棚,${DUE}`,
  `H-004,${MONTH}-01 12:00,长风新村某小区内,,,小区里有人违章搭建,${DUE}`,
  'H-005,昨天下午,兰溪路1号,,,内容,',
].join('\r\n');
// where the office clicks to place H-004: inside 长风新村街道 (the eastern square)
const SPOT: [number, number] = [121.3951, 31.2551];

let h: BrowserApp;

beforeAll(async () => {
  h = await startBrowserApp('complaints_browser', async (t) => {
    await insertTestStreet(t.db, { code: '310107005', name: '曹杨新村街道', geom: [121.38, 31.25, 121.39, 31.26] });
    await insertTestStreet(t.db, { code: '310107014', name: '长风新村街道', geom: [121.39, 31.25, 121.4, 31.26] });
    const office = await t.addUser('office', 'office', null, '拆违专办');
    await t.addUser('squad-005', 'squad', '310107005', '曹杨新村中队');
    await t.addUser('squad-014', 'squad', '310107014', '长风新村中队');
    await insertTestRegistryItem(t.db, { caseNo: 'T-A-1', streetCode: '310107005', geom: [121.385, 31.255, 121.3852, 31.2552], status: 'open', createdBy: office.id });
    await t.db.query(`UPDATE registry_items SET address = '曹杨新村街道兰溪路88弄5号' WHERE case_no = 'T-A-1'`);
  });
}, 120_000);

afterAll(async () => h?.close());

const list = (page: Page) => page.getByTestId('complaint-list');
const detail = (page: Page) => page.getByRole('region', { name: '工单详情' });

describe('the complaints page', () => {
  let page: Page;

  it('previews a hotline CSV in Chinese, then imports it', async () => {
    page = await h.openAs('office', '/complaints', { viewport: { width: 1366, height: 900 } });
    await page.getByText('导入热线工单（CSV / XLSX）').click();
    await page.setInputFiles('input[type="file"]', { name: '12345.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
    await page.getByRole('button', { name: '预览（不写入）' }).click();
    const report = page.getByTestId('complaint-import-report');
    await report.getByText('预览：共 4 行，可导入 3 行（已定位 2，待人工定位 1），已存在 0 行，有问题 1 行。').waitFor();
    const rows = report.locator('li');
    expect(await rows.nth(0).textContent()).toContain('坐标');
    expect(await rows.nth(1).textContent()).toContain('台账地址匹配');
    expect(await rows.nth(2).textContent()).toContain('第 4 行：无坐标，地址也未匹配到台账：导入后请在地图上定位');
    expect(await rows.nth(3).textContent()).toContain('第 5 行：受理时间“昨天下午”不是有效的日期时间');
    await expect(list(page).locator('li').count()).resolves.toBe(0);

    await page.getByRole('button', { name: '确认导入' }).click();
    await report.getByText('已导入 3 行').waitFor();
    await list(page).locator('li').nth(2).waitFor();
    expect(await list(page).textContent()).toContain('H-004 · 长风新村街道');
  }, 120_000);

  it('places the unplaceable complaint by clicking the map', async () => {
    await page.getByRole('button', { name: '待定位', exact: true }).click();
    await expect.poll(() => list(page).locator('li').count(), { timeout: 20_000 }).toBe(1);
    await list(page).getByRole('button', { name: /H-004/ }).click();
    await detail(page).getByText('未定位').waitFor();
    await page.waitForFunction(() => document.body.dataset.complaintMapReady === '1', undefined, { timeout: 90_000 });
    await detail(page).getByRole('button', { name: '在地图上定位' }).click();
    await page.getByText('在地图上点击投诉所指的位置').waitFor();
    await page.evaluate((spot) => window.__tubanComplaintMap!.jumpTo({ center: spot, zoom: 17 }), SPOT);
    const at = await page.evaluate((spot) => {
      const map = window.__tubanComplaintMap!;
      const p = map.project(spot);
      const r = map.getCanvas().getBoundingClientRect();
      return { x: r.left + p.x, y: r.top + p.y };
    }, SPOT);
    await page.mouse.click(at.x, at.y);
    await detail(page).getByRole('button', { name: '保存位置' }).click();
    await detail(page).getByText('位置已保存').waitFor();
    await detail(page).getByText('人工地图定位').waitFor();
    expect(await detail(page).locator('h2').textContent()).toContain('已定位');
    const { rows } = await h.db.query(`SELECT status, street_code, ST_Distance(position::geography, ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography) AS off
      FROM complaints WHERE number = 'H-004'`, SPOT);
    expect(rows[0]).toMatchObject({ status: 'placed', street_code: '310107014' });
    expect(rows[0].off).toBeLessThan(3);

    // the red point is drawn where the complaint now is
    await page.waitForFunction(() => window.__tubanComplaintMap!.areTilesLoaded() && window.__tubanComplaintMap!.loaded(), undefined, { timeout: 30_000 });
    const shot = await page.screenshot({ path: `${SCREENSHOT_DIR}complaints-placed.png` });
    const { data, info } = await sharp(shot).raw().toBuffer({ resolveWithObject: true });
    const i = (Math.round(at.y) * info.width + Math.round(at.x)) * info.channels;
    const [r, g, b] = [data[i]!, data[i + 1]!, data[i + 2]!];
    expect(r).toBeGreaterThan(180);
    expect(g).toBeLessThan(100);
    expect(b).toBeLessThan(100);
  }, 120_000);

  it('dispatches it to its street and closes it as 不属实 with a reply', async () => {
    await detail(page).getByText('派单至 长风新村街道 中队').waitFor();
    expect(await detail(page).locator('input[type="date"]').inputValue()).toBe(DUE);
    await detail(page).getByRole('button', { name: '派单', exact: true }).click();
    await detail(page).getByText('已派单至 长风新村街道 中队').waitFor();
    await detail(page).getByLabel('不属实').check();
    await detail(page).getByLabel('不属实原因').selectOption({ label: '此前已处置' });
    await detail(page).getByLabel('答复内容').fill('经核查，该处违建已于此前拆除。');
    await detail(page).getByRole('button', { name: '办结', exact: true }).click();
    await detail(page).getByText('工单已办结').waitFor();
    const text = await detail(page).textContent();
    for (const s of ['不属实', '此前已处置', '经核查，该处违建已于此前拆除。', '拆违专办 · 派单 → 已派单', '拆违专办 · 办结 → 不属实']) expect(text).toContain(s);

    // H-001 goes to 曹杨新村 for the squad to check
    await page.getByRole('button', { name: '办理中', exact: true }).click();
    await list(page).getByRole('button', { name: /H-001/ }).click();
    await detail(page).getByRole('button', { name: '派单', exact: true }).click();
    await detail(page).getByText('已派单至 曹杨新村街道 中队').waitFor();
    await page.screenshot({ path: `${SCREENSHOT_DIR}complaints-office.png` });
    await page.close();
  }, 120_000);

  it("shows a squad its own street's complaint, which it closes as 属实 with a new case", async () => {
    const squad = await h.openAs('squad-005', '/complaints', { viewport: { width: 1366, height: 900 } });
    await list(squad).locator('li').first().waitFor({ timeout: 30_000 });
    expect(await list(squad).locator('li').count()).toBe(1);
    expect(await list(squad).textContent()).toContain('H-001');
    expect(await squad.getByText('导入热线工单').count()).toBe(0);
    await list(squad).getByRole('button', { name: /H-001/ }).click();
    await detail(squad).getByText('楼顶搭建彩钢棚').waitFor();
    await detail(squad).getByLabel('违建类别').selectOption({ label: '新增违建（立案）' });
    await detail(squad).getByLabel('建筑面积(m²)').fill('40');
    await detail(squad).getByLabel('建筑类型').selectOption('rooftop_addition');
    await detail(squad).getByLabel('答复内容').fill('经核查属实，已立案处置。');
    await detail(squad).getByRole('button', { name: '办结', exact: true }).click();
    await detail(squad).getByText(/工单已办结，已立案 PT-\d{4}-\d{6}/).waitFor();
    await detail(squad).getByText('台账案件').first().waitFor();
    await squad.screenshot({ path: `${SCREENSHOT_DIR}complaints-squad.png` });
    const { rows } = await h.db.query(`SELECT r.source, r.street_code FROM complaints c JOIN registry_items r ON r.id = c.registry_item_id WHERE c.number = 'H-001'`);
    expect(rows).toEqual([{ source: 'complaint_12345', street_code: '310107005' }]);
    await squad.close();
  }, 120_000);

  it("shows the month's complaint counts on the monthly index page", async () => {
    const index = await h.openAs('office', `/reports/index?month=${MONTH}`, { viewport: { width: 1600, height: 900 } });
    const table = index.getByTestId('index-table');
    await table.waitFor({ timeout: 30_000 });
    const headers = await table.locator('thead th').allTextContents();
    const district = await table.locator('tbody tr').first().locator('th, td').allTextContents();
    const at = (name: string) => district[headers.indexOf(name)];
    // received 3; H-001 true, H-004 untrue; both due on the month's last day and closed before it, H-003 still open
    expect([at('12345受理'), at('12345属实'), at('12345不属实'), at('12345按期办结率')]).toEqual(['3', '1', '1', '66.7%']);
    await index.close();
    expect(h.consoleErrors).toEqual([]);
  }, 120_000);
});
