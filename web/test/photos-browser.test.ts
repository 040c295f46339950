// The evidence-photo layer on the main map, in Debian's Chromium: a ready photo shows as a point, a click opens its popup.
import { beforeAll, describe, expect, it } from 'vitest';
import { markPhotoReady } from '@tuban/core/db/imagery-photos';
import { insertImagery, insertUser } from '@tuban/core/testing/fixtures';
import { PASSWORD, useWebApp } from './support/web-app.js';

const web = useWebApp('photos_browser');

beforeAll(async () => {
  const user = await insertUser(web.db, { username: 'office', displayName: '拆违专办', password: PASSWORD });
  const id = await insertImagery(web.db, { kind: 'photo', fileName: 'DJI_0042.JPG', uploadedBy: user.id });
  await markPhotoReady(web.db, id, {
    lon: 121.4, lat: 31.25, altitudeM: 50, altitudeRef: 'takeoff', capturedAt: new Date('2026-05-01T02:00:00Z'), camera: 'DJI FC6310',
    yawDeg: 0, pitchDeg: -90, widthPx: 16, heightPx: 12,
  });
});

describe('evidence photos on the map', () => {
  it('shows a ready photo as a point from zoom 14 and opens its popup on click', async () => {
    const page = await web.openAs('office', '/#16/31.25/121.4', { viewport: { width: 1024, height: 700 } });
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
