// Every page as each role, in Debian's Chromium at 1440×900: each one the role's navigation offers loads with
// no console error and no failed request, its own navigation item marked active, and a screenshot of it is
// written under test-results/ for a person to look through.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '@tuban/core/domain';
import { insertIndexMonth } from '@tuban/core/testing/index-month';
import { seedDemoCandidates } from '@tuban/data/candidates';
import { seedGeodata } from '@tuban/data/seed';
import { SCREENSHOT_DIR, startBrowserApp, type BrowserApp } from './support/browser-app.js';

const MONTH = '2026-03';
const VIEWPORT = { width: 1440, height: 900 };

let h: BrowserApp;

beforeAll(async () => {
  h = await startBrowserApp('page_walk', async (t) => {
    const admin = await t.addUser('admin', 'admin', null, '系统管理员');
    await seedGeodata(t.db, { actorId: admin.id });
    await seedDemoCandidates(t.db, { actorId: admin.id, seed: 9, count: 20 });
    await insertIndexMonth(t.db);
    await t.addUser('office', 'office', null, '拆违专办');
    await t.addUser('pilot', 'pilot', null, '飞手');
    await t.addUser('viewer', 'viewer', null, '区领导');
    await t.addUser('squad-005', 'squad', '310107005', '曹杨新村中队');
  });
}, 180_000);

afterAll(async () => h?.close());

/** Waits until the page shows its content: the map drawn, or the page's main part filled in. */
async function settled(page: Page, path: string): Promise<void> {
  if (path === '/') await page.waitForFunction(() => document.body.dataset.mapReady === '1', undefined, { timeout: 90_000 });
  else if (path === '/triage') await page.locator('.queue-item').first().waitFor({ timeout: 60_000 });
  else if (path === '/squad') await page.getByTestId('squad-items').waitFor({ state: 'attached', timeout: 60_000 });
  // pages that poll (runs, exports) never go quiet: a moment for the rest to arrive instead
  await page.waitForTimeout(1500);
}

/**
 * On the map: the header counts work for the office and squads only, the imagery timeline is there, and the
 * search finds a street (every role may search), with a screenshot of its results.
 */
async function headerAndTimeline(page: Page, role: Role): Promise<void> {
  const counted = ['admin', 'office', 'squad'].includes(role);
  if (counted) await page.getByTestId('count-field-checks').waitFor({ timeout: 20_000 });
  expect(await page.locator('.work-counts').count(), role).toBe(counted ? 1 : 0);
  await page.locator('.imagery-timeline').getByText('影像时间轴').waitFor();
  await page.getByRole('button', { name: '搜索' }).click();
  await page.getByRole('searchbox', { name: '搜索' }).fill('曹杨');
  await page.getByRole('region', { name: '搜索结果' }).getByRole('button', { name: /曹杨新村街道/ }).first().waitFor({ timeout: 20_000 });
  expect(await page.locator('.search-result').first().getAttribute('data-kind')).toBe('street');
  await page.screenshot({ path: `${SCREENSHOT_DIR}walk-${role}-search.png` });
  await page.keyboard.press('Escape');
}

/** The pages a role's navigation offers, by following its links (the map first). */
async function navigationOf(page: Page): Promise<string[]> {
  const hrefs = await page.locator('header nav a').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
  return [...new Set(hrefs)].filter((href) => href.startsWith('/'));
}

/** At 1440 px the Chinese header is one line: no page link scrolled out of sight, logout fully on screen. */
async function headerFits(page: Page, role: Role): Promise<void> {
  const header = await page.locator('header').boundingBox();
  expect(header!.height, role).toBeLessThanOrEqual(64);
  const hidden = await page.locator('header nav').evaluateAll((navs) => navs.filter((n) => n.scrollWidth > n.clientWidth + 1).length);
  expect(hidden, `${role}: a navigation row scrolls`).toBe(0);
  const logout = await page.getByRole('button', { name: '退出登录' }).boundingBox();
  expect(logout!.x + logout!.width, role).toBeLessThanOrEqual(VIEWPORT.width);
}

describe('a walk through every page', () => {
  for (const role of ['admin', 'office', 'pilot', 'viewer', 'squad'] as Role[]) {
    it(`as ${role}: no console errors, no failed requests, the active page marked`, async () => {
      const username = role === 'squad' ? 'squad-005' : role;
      const failed: string[] = [];
      const page = await h.openAs(username, '/', {
        viewport: VIEWPORT,
        prepare: async (p) => {
          p.on('response', (r) => void (r.status() >= 400 && failed.push(`${r.status()} ${r.url()}`)));
          // a load the page itself gives up when leaving (ERR_ABORTED: map tiles still on their way) is no failure
          p.on('requestfailed', (r) => {
            const reason = r.failure()?.errorText ?? 'failed';
            if (reason !== 'net::ERR_ABORTED') failed.push(`${reason} ${r.url()}`);
          });
        },
      });
      await page.locator('header nav a').first().waitFor({ timeout: 60_000 });
      const paths = await navigationOf(page);
      expect(paths.length).toBeGreaterThan(1);
      if (role === 'admin') paths.push('/admin/queues');
      for (const path of paths) {
        // through the navigation, as a person would; the report pages with a month in the address
        if (path.startsWith('/reports/')) await page.goto(`${h.baseUrl}${path}?month=${MONTH}`);
        else if (path === '/admin/queues') await page.goto(`${h.baseUrl}${path}`);
        else await page.locator(`header nav a[href="${path}"]`).click();
        await settled(page, path);
        const name = `walk-${role}${path === '/' ? '-map' : path.replaceAll('/', '-')}.png`;
        await page.screenshot({ path: `${SCREENSHOT_DIR}${name}` });
        if (path === '/admin/queues') {
          await page.getByText('ingest').first().waitFor({ timeout: 30_000 });
          continue;
        }
        // the page's own item in the navigation is the one marked current
        const current = await page.locator('header nav a[aria-current="page"]').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
        expect(current, `${role} on ${path}`).toEqual([path]);
        if (path === '/reports/exports' && ['admin', 'office'].includes(role)) {
          expect(await page.locator('input[type="month"]').inputValue()).toBe(MONTH);
        }
        if (path === '/') {
          await headerAndTimeline(page, role);
          await headerFits(page, role);
        }
      }
      await page.close();
      expect(failed, role).toEqual([]);
      expect(h.consoleErrors, role).toEqual([]);
    }, 600_000);
  }
});
