// Logs in through the real web app in Debian's Chromium, waits for the map and checks the registry renders.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedGeodata } from '@tuban/data/seed';
import { SCREENSHOT_DIR, drawnShare, startBrowserApp, type BrowserApp } from './support/browser-app.js';

declare global {
  interface Window {
    __tubanMap?: import('maplibre-gl').Map;
  }
}

let h: BrowserApp;

beforeAll(async () => {
  h = await startBrowserApp('browser', async (t) => {
    const office = await t.addUser('office', 'office', null, '拆违专办');
    await seedGeodata(t.db, { actorId: office.id });
  });
}, 120_000);

afterAll(async () => h?.close());

describe('web map in Chromium', () => {
  it('logs in, shows the map and renders registry features', async () => {
    const page = await h.openAs('office', '/', { viewport: { width: 1440, height: 900 } });
    await page.waitForFunction(() => document.body.dataset.mapReady === '1', undefined, { timeout: 90_000 });

    const rendered = await page.evaluate(() => {
      const map = window.__tubanMap!;
      const count = (layer: string) => map.queryRenderedFeatures({ layers: [layer] }).length;
      return { registry: count('registry-fill'), streets: count('streets-fill'), hotspots: count('hotspots-fill') };
    });
    await page.screenshot({ path: `${SCREENSHOT_DIR}browser-map.png` });
    // What a person sees: the map's canvas really holds the streets and registry items, not a plain background.
    const drawn = await drawnShare(await page.locator('.maplibregl-canvas').screenshot());

    expect(rendered.registry).toBeGreaterThan(50);
    expect(rendered.streets).toBeGreaterThanOrEqual(10);
    expect(rendered.hotspots).toBeGreaterThan(0);
    expect(drawn).toBeGreaterThan(0.01);
    expect(h.consoleErrors).toEqual([]);
    await page.close();
  }, 120_000);

  it('shows the server error in words for a wrong password', async () => {
    const page = await h.browser.newPage();
    await page.goto(h.baseUrl);
    await h.logIn(page, 'office', 'wrong');
    await expect(page.getByRole('alert').textContent({ timeout: 10_000 })).resolves.toMatch(/用户名或密码|username or password/);
    await page.close();
  }, 60_000);
});
