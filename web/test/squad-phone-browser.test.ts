// A street squad on a phone (390×844) in Debian's Chromium: it lands on its tasks, the header is one short
// line with a menu, the task list is the first thing on screen with thumb-sized rows, the form offers the
// camera and a way to get there, keeps what was typed across a reload, and sends a disposition with a photo.
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertTestRegistryItem, insertTestStreet } from '@tuban/core/testing/fixtures';
import { SCREENSHOT_DIR, startBrowserApp, type BrowserApp } from './support/browser-app.js';

const STREET = '310107005';
const PHONE = { width: 390, height: 844 };
const ITEM_BOX = [121.4000, 31.2400, 121.4004, 31.2403] as const;

let h: BrowserApp;
let itemId = 0;

beforeAll(async () => {
  h = await startBrowserApp('squad_phone', async (t) => {
    const office = await t.addUser('office', 'office');
    await insertTestStreet(t.db, { code: STREET, name: '曹杨新村街道', geom: [121.39, 31.23, 121.41, 31.25] });
    await t.addUser('squad-005', 'squad', STREET, '曹杨新村中队');
    itemId = await insertTestRegistryItem(t.db, {
      streetCode: STREET, geom: ITEM_BOX, createdBy: office.id, caseNo: 'PT-2026-000042', origin: 'new', deadline: '2099-01-31', floorAreaM2: 80,
    });
  });
}, 120_000);

afterAll(async () => h?.close());

describe('the squad page on a phone', () => {
  it('lands on the tasks, under a one-line header, with the list first and thumb-sized rows', async () => {
    const page = await h.openAs('squad-005', '/', { viewport: PHONE });
    await page.waitForURL((url) => url.pathname === '/squad', { timeout: 30_000 });
    const items = page.getByTestId('squad-items');
    await items.getByRole('button', { name: /PT-2026-000042/ }).waitFor({ timeout: 30_000 });
    await page.screenshot({ path: `${SCREENSHOT_DIR}squad-phone-tasks.png` });

    const header = (await page.locator('.app-header').boundingBox())!;
    expect(header.height).toBeLessThanOrEqual(64);
    // The first thing under the header is the task list, on screen without scrolling.
    const first = await page.evaluate((below) => {
      const el = document.elementFromPoint(195, below + 12);
      return el?.closest('[data-testid], .triage-queue, main, section')?.className ?? el?.tagName;
    }, header.y + header.height);
    expect(first).toContain('triage-queue');
    const row = (await items.getByRole('button', { name: /PT-2026-000042/ }).boundingBox())!;
    expect(row.y + row.height).toBeLessThan(PHONE.height);
    expect(row.height).toBeGreaterThanOrEqual(44);
    // The map is behind a button, not on top of the list.
    expect(await page.locator('.triage-map').isVisible()).toBe(false);

    // The pages, the user and logout are in the menu.
    await page.getByRole('button', { name: '菜单' }).click();
    const nav = page.getByRole('navigation', { name: '页面' });
    await nav.getByRole('link', { name: '地图' }).waitFor();
    await page.screenshot({ path: `${SCREENSHOT_DIR}squad-phone-menu.png` });
    expect(await page.getByRole('button', { name: '退出登录' }).isVisible()).toBe(true);
    await page.getByRole('button', { name: '菜单' }).click();
    await page.close();
  }, 90_000);

  it('offers the camera and the way there, keeps the typed form across a reload and sends it with a photo', async () => {
    const page = await h.openAs('squad-005', '/squad', { viewport: PHONE });
    const items = page.getByTestId('squad-items');
    await items.getByRole('button', { name: /PT-2026-000042/ }).click();
    const form = page.getByRole('form', { name: /PT-2026-000042/ });
    await form.waitFor();
    const photo = form.locator('input[type="file"]');
    expect(await photo.getAttribute('accept')).toBe('image/*');
    expect(await photo.getAttribute('capture')).toBe('environment');
    const navigateLink = form.getByRole('link', { name: '导航前往' });
    expect(await navigateLink.getAttribute('href')).toMatch(/^geo:31\.24015\d,121\.4002\d*/);
    expect(await form.getByTestId('coords').textContent()).toBe('31.240150,121.400200');
    expect(await navigateLink.isVisible()).toBe(true);

    await form.locator('select[name="status"]').selectOption('demolished');
    await form.locator('input[name="areaRemovedM2"]').fill('60');
    await form.locator('textarea[name="note"]').fill('已拆除，现场清理完毕');
    await page.reload();
    await items.getByRole('button', { name: /PT-2026-000042/ }).click();
    await form.waitFor();
    expect(await form.locator('textarea[name="note"]').inputValue()).toBe('已拆除，现场清理完毕');
    expect(await form.locator('input[name="areaRemovedM2"]').inputValue()).toBe('60');
    await page.screenshot({ path: `${SCREENSHOT_DIR}squad-phone-form.png`, fullPage: true });

    const jpeg = await sharp({ create: { width: 32, height: 24, channels: 3, background: { r: 90, g: 120, b: 60 } } }).jpeg().toBuffer();
    await photo.setInputFiles({ name: 'gone.jpg', mimeType: 'image/jpeg', buffer: jpeg });
    await form.getByRole('button', { name: '提交' }).click();
    await page.getByRole('status').filter({ hasText: /^已保存/ }).waitFor({ timeout: 20_000 });
    const { rows } = await h.db.query<{ status: string; area_removed_m2: number; photos: number }>(
      'SELECT status, area_removed_m2, (SELECT count(*)::int FROM photos WHERE registry_item_id = r.id) AS photos FROM registry_items r WHERE id = $1',
      [itemId],
    );
    expect(rows).toEqual([{ status: 'demolished', area_removed_m2: 60, photos: 1 }]);
    expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('tuban.draft.')))).toEqual([]);

    await page.getByRole('button', { name: '显示地图' }).click();
    await page.locator('.triage-map').waitFor({ state: 'visible' });
    await page.close();
    expect(h.consoleErrors).toEqual([]);
  }, 90_000);
});
