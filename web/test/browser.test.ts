// Logs in through the real web app in Debian's Chromium, waits for the map and checks the registry renders.
import { beforeAll, describe, expect, it } from 'vitest';
import { insertUser } from '@tuban/core/testing/fixtures';
import { seedGeodata } from '@tuban/data/seed';
import { PASSWORD, SCREENSHOT_DIR, loginAs, useWebApp } from './support/web-app.js';

const web = useWebApp('browser');

beforeAll(async () => {
  const admin = await insertUser(web.db, { username: 'office', displayName: '拆违专办', password: PASSWORD });
  await seedGeodata(web.db, { actorId: admin.id });
}, 120_000);

describe('web map in Chromium', () => {
  it('logs in, shows the map and renders registry features', async () => {
    const consoleErrors: string[] = [];
    const page = await web.openAs('office', '/', { errors: consoleErrors });
    await page.waitForFunction(() => document.body.dataset.mapReady === '1', undefined, { timeout: 90_000 });

    const rendered = await page.evaluate(() => {
      const map = window.__tubanMap!;
      const count = (layer: string) => map.queryRenderedFeatures({ layers: [layer] }).length;
      return { registry: count('registry-fill'), streets: count('streets-fill'), hotspots: count('hotspots-fill') };
    });
    await page.screenshot({ path: `${SCREENSHOT_DIR}browser-map.png` });

    expect(rendered.registry).toBeGreaterThan(50);
    expect(rendered.streets).toBeGreaterThanOrEqual(10);
    expect(rendered.hotspots).toBeGreaterThan(0);
    expect(consoleErrors).toEqual([]);
    await page.close();
  }, 120_000);

  it('shows the server error in words for a wrong password', async () => {
    const page = await web.browser.newPage();
    await loginAs(page, web.baseUrl, 'office', 'wrong');
    await expect(page.getByRole('alert').textContent({ timeout: 10_000 })).resolves.toMatch(/用户名或密码|username or password/);
    await page.close();
  }, 60_000);
});
