// The header in Debian's Chromium: the office searches a case number and a coordinate pasted from a phone map
// (GCJ-02) and the map goes there; a confirmation and a field check say which squad they went to and by when,
// and the header's counts follow; a squad on a phone sees its own counts and finds only its own street's cases.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wgs84ToGcj02 } from '@tuban/core/geo/gcj02';
import { addDays, todayInShanghai } from '@tuban/core/triage/rules';
import { seedDemoCandidates } from '@tuban/data/candidates';
import { seedGeodata } from '@tuban/data/seed';
import { oneRow, rows, SCREENSHOT_DIR, startBrowserApp, type BrowserApp } from './support/browser-app.js';

const STREET = '310107005';
const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

let h: BrowserApp;

const q = <T = Record<string, unknown>>(sql: string, params?: unknown[]) => rows<T>(h.db, sql, params);
const one = <T>(sql: string, params?: unknown[]) => oneRow<T>(h.db, sql, params);
// Placeholder imagery of the generated candidates has no tiles: Chromium logs those loads.
const openAs = (username: string, path: string, viewport = DESKTOP) =>
  h.openAs(username, path, { viewport, expectedError: (url) => /\/tiles\/imagery\/|\/chips\//.test(url) });

const mapReady = (page: Page) => page.waitForFunction(() => document.body.dataset.mapReady === '1', undefined, { timeout: 90_000 });
const mapView = (page: Page) =>
  page.evaluate(() => {
    const map = window.__tubanMap!;
    return { lon: map.getCenter().lng, lat: map.getCenter().lat, zoom: map.getZoom(), moving: map.isMoving() };
  });
/** Waits until the map has come to rest at zoom `zoom` or deeper, and says where. */
async function settledView(page: Page, zoom: number) {
  await expect.poll(async () => {
    const v = await mapView(page);
    return !v.moving && v.zoom >= zoom - 0.01;
  }, { timeout: 30_000 }).toBe(true);
  return mapView(page);
}
const fieldChecks = async (street: string | null) =>
  (await one<{ n: number }>("SELECT count(*)::int AS n FROM candidates WHERE status = 'field_check' AND ($1::text IS NULL OR street_code = $1)", [street])).n;

beforeAll(async () => {
  h = await startBrowserApp('header_browser', async (t) => {
    const office = await t.addUser('office', 'office', null, '拆违专办');
    await seedGeodata(t.db, { actorId: office.id });
    await seedDemoCandidates(t.db, { actorId: office.id, seed: 4, count: 40 });
    await t.addUser('squad-005', 'squad', STREET, '曹杨新村中队');
  });
}, 180_000);

afterAll(async () => h?.close());

describe('the header', () => {
  it('finds a case number and a pasted GCJ-02 coordinate, and the map goes there', async () => {
    const item = await one<{ caseNo: string; lon: number; lat: number }>(
      `SELECT case_no AS "caseNo", (ST_XMin(geom) + ST_XMax(geom)) / 2 AS lon, (ST_YMin(geom) + ST_YMax(geom)) / 2 AS lat
       FROM registry_items WHERE street_code = $1 ORDER BY id LIMIT 1`,
      [STREET],
    );
    const page = await openAs('office', '/');
    await mapReady(page);
    await page.getByRole('button', { name: '搜索' }).click();
    const box = page.getByRole('searchbox', { name: '搜索' });
    await box.fill(item.caseNo);
    const results = page.getByRole('region', { name: '搜索结果' });
    const hit = results.getByRole('button', { name: new RegExp(`案件 ${item.caseNo}`) });
    await hit.waitFor({ timeout: 20_000 });
    expect(await hit.textContent()).toContain('曹杨新村街道');
    await box.press('Enter');
    const marker = page.locator('.search-marker');
    await marker.getByText(`案件 ${item.caseNo}`).waitFor({ timeout: 20_000 });
    const atCase = await settledView(page, 17);
    expect(atCase.lon).toBeCloseTo(item.lon, 4);
    expect(atCase.lat).toBeCloseTo(item.lat, 4);
    // the marked place is on screen, inside the map
    const mapBox = (await page.locator('.map-view').boundingBox())!;
    const markerBox = (await marker.boundingBox())!;
    expect(markerBox.x).toBeGreaterThan(mapBox.x);
    expect(markerBox.x + markerBox.width).toBeLessThan(mapBox.x + mapBox.width);
    await page.screenshot({ path: `${SCREENSHOT_DIR}header-search-case.png` });

    // From another page: a coordinate as a Chinese phone map shares it (GCJ-02, latitude first).
    const spot = await one<{ lon: number; lat: number }>(
      'SELECT ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat FROM streets WHERE code = $1',
      [STREET],
    );
    const [gLon, gLat] = wgs84ToGcj02([spot.lon, spot.lat]).map((v) => v.toFixed(6));
    await page.locator('header nav a[href="/triage"]').click();
    await page.locator('.queue-item').first().waitFor({ timeout: 60_000 });
    // "/" opens the search, as on many map sites
    await page.keyboard.press('/');
    await box.fill(`${gLat},${gLon}`);
    const first = results.getByRole('button').first();
    await first.getByText(`坐标 ${Number(gLat)}, ${Number(gLon)}`).waitFor({ timeout: 20_000 });
    expect(await first.textContent()).toContain('按 GCJ-02（高德、腾讯等手机地图） 读取 · 曹杨新村街道');
    expect(await results.getByRole('button').nth(1).textContent()).toContain('按 WGS84（GPS、天地图） 读取');
    expect(await results.getByRole('radio', { name: 'GCJ-02（高德、腾讯等手机地图）' }).isChecked()).toBe(true);
    await page.screenshot({ path: `${SCREENSHOT_DIR}header-search-coordinate-results.png` });
    await first.click();
    await page.waitForURL((url) => url.pathname === '/', { timeout: 10_000 });
    await mapReady(page);
    await marker.getByText(`坐标 ${Number(gLat)}, ${Number(gLon)}`).waitFor({ timeout: 20_000 });
    const atSpot = await settledView(page, 18);
    // the map stands on the WGS84 place, not ~500 m off where the GCJ-02 numbers would put it
    expect(atSpot.lon).toBeCloseTo(spot.lon, 5);
    expect(atSpot.lat).toBeCloseTo(spot.lat, 5);
    await page.screenshot({ path: `${SCREENSHOT_DIR}header-search-gcj02.png` });

    await page.getByRole('button', { name: '搜索' }).click();
    await box.fill('没有这个地方');
    await results.getByText('没有找到“没有这个地方”').waitFor({ timeout: 20_000 });
    await page.close();
    expect(h.consoleErrors).toEqual([]);
  }, 180_000);

  it('says which squad a confirmation and a field check went to and by when, and counts again', async () => {
    const [a, b] = await q<{ id: number }>(
      "SELECT id FROM candidates WHERE status = 'new' AND street_code = $1 ORDER BY id LIMIT 2",
      [STREET],
    );
    const before = await fieldChecks(null);
    const page = await openAs('office', `/triage?status=all&sel=${a!.id}`);
    await page.locator(`section.triage-detail[aria-label*="${a!.id}"]`).waitFor({ timeout: 60_000 });
    await page.getByTestId('count-field-checks').getByText(`待核查 ${before}`).waitFor({ timeout: 20_000 });
    const today = todayInShanghai();

    await page.keyboard.press('c');
    const toast = page.getByRole('status').filter({ hasText: /PT-\d{4}-\d{6}/ });
    await toast.waitFor({ timeout: 20_000 });
    expect(await toast.textContent()).toContain(`交 曹杨新村街道 中队处置，期限 ${addDays(today, 30)}`);

    await page.goto(`${h.baseUrl}/triage?status=all&sel=${b!.id}`);
    await page.locator(`section.triage-detail[aria-label*="${b!.id}"]`).waitFor({ timeout: 60_000 });
    await page.keyboard.press('f');
    await page.getByRole('status').filter({ hasText: `交 曹杨新村街道 中队现场核查，期限 ${addDays(today, 7)}` }).waitFor({ timeout: 20_000 });
    await page.getByTestId('count-field-checks').getByText(`待核查 ${before + 1}`).waitFor({ timeout: 20_000 });
    await page.screenshot({ path: `${SCREENSHOT_DIR}header-confirm-squad-deadline.png` });
    await page.close();
    expect(h.consoleErrors).toEqual([]);
  }, 180_000);

  it('gives a squad on a phone its own counts in the one-line header and finds only its own street’s cases', async () => {
    await q("UPDATE registry_items SET deadline = $2 WHERE id = (SELECT min(id) FROM registry_items WHERE street_code = $1 AND status = 'open')", [
      STREET, addDays(todayInShanghai(), -2),
    ]);
    const overdue = (await one<{ n: number }>(
      `SELECT (SELECT count(*) FROM registry_items WHERE street_code = $1 AND status = 'open' AND deadline < $2::date)
         + (SELECT count(*) FROM candidates WHERE street_code = $1 AND status = 'field_check' AND field_check_due < $2::date) AS n`,
      [STREET, todayInShanghai()],
    )).n;
    const own = await fieldChecks(STREET);
    const other = await one<{ caseNo: string }>('SELECT case_no AS "caseNo" FROM registry_items WHERE street_code <> $1 ORDER BY id LIMIT 1', [STREET]);
    const mine = await one<{ caseNo: string }>("SELECT case_no AS \"caseNo\" FROM registry_items WHERE street_code = $1 ORDER BY id DESC LIMIT 1", [STREET]);

    const page = await openAs('squad-005', '/', PHONE);
    await page.waitForURL((url) => url.pathname === '/squad', { timeout: 30_000 });
    await page.getByTestId('count-field-checks').getByText(`待核查 ${own}`).waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('count-overdue').textContent()).toBe(`逾期 ${Number(overdue)}`);
    const header = (await page.locator('.app-header').boundingBox())!;
    expect(header.height).toBeLessThanOrEqual(64);
    expect(await page.locator('.work-counts').isVisible()).toBe(true);
    await page.screenshot({ path: `${SCREENSHOT_DIR}header-squad-phone-counts.png` });

    await page.getByRole('button', { name: '菜单' }).click();
    await page.getByRole('button', { name: '搜索' }).click();
    const box = page.getByRole('searchbox', { name: '搜索' });
    await box.fill(other.caseNo);
    await page.getByText(`没有找到“${other.caseNo}”`).waitFor({ timeout: 20_000 });
    await box.fill(mine.caseNo);
    await page.getByRole('region', { name: '搜索结果' }).getByRole('button', { name: new RegExp(mine.caseNo) }).click();
    await page.waitForURL((url) => url.pathname === '/', { timeout: 10_000 });
    await page.locator('.search-marker').getByText(`案件 ${mine.caseNo}`).waitFor({ timeout: 30_000 });
    await page.screenshot({ path: `${SCREENSHOT_DIR}header-squad-phone-search.png` });
    await page.close();
    expect(h.consoleErrors).toEqual([]);
  }, 180_000);
});
