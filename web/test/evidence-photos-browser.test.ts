// The evidence-photo layer on the main map, in Debian's Chromium: a ready photo shows as a point, a click opens its popup.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markEvidencePhotoReady } from '@tuban/core/db/evidence-photos';
import { startBrowserApp, type BrowserApp } from './support/browser-app.js';
import { insertTestImagery } from '@tuban/core/testing/fixtures';

let h: BrowserApp;

beforeAll(async () => {
  h = await startBrowserApp('photos_browser', async (t) => {
    const user = await t.addUser('office', 'office', null, '拆违专办');
    const photo = await insertTestImagery(t.db, { kind: 'photo', fileName: 'DJI_0042.JPG', uploadedBy: user.id });
    await markEvidencePhotoReady(t.db, photo, {
      lon: 121.4, lat: 31.25, altitudeM: 50, altitudeRef: 'takeoff', capturedAt: new Date('2026-05-01T02:00:00Z'), camera: 'DJI FC6310',
      yawDeg: 0, pitchDeg: -90, widthPx: 16, heightPx: 12,
    });
  });
}, 120_000);

afterAll(async () => h?.close());

describe('evidence photos on the map', () => {
  it('shows a ready photo as a point from zoom 14 and opens its popup on click', async () => {
    const page = await h.openAs('office', '/#16/31.25/121.4', { viewport: { width: 1024, height: 700 } });
    await page.waitForFunction(() => document.body.dataset.mapReady === '1', undefined, { timeout: 90_000 });
    await page.evaluate(() => window.__tubanMap!.jumpTo({ center: [121.4, 31.25], zoom: 16 }));
    await page.waitForFunction(() => window.__tubanMap!.queryRenderedFeatures({ layers: ['evidence-photos'] }).length > 0, undefined, { timeout: 30_000 });
    const at = await page.evaluate(() => {
      const map = window.__tubanMap!;
      const p = map.project([121.4, 31.25]);
      const r = map.getCanvas().getBoundingClientRect();
      return { x: r.left + p.x, y: r.top + p.y };
    });
    await page.mouse.click(at.x, at.y);
    const link = page.locator('.photo-popup a');
    await expect(link.getAttribute('href', { timeout: 10_000 })).resolves.toMatch(/^\/api\/imagery\/\d+\/photo\.jpg$/);
    await expect(page.locator('.photo-popup').textContent()).resolves.toContain('DJI_0042.JPG');
    await page.close();
  }, 120_000);
});
