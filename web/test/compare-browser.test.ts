// The triage compare views in Debian's Chromium over a real tile pyramid that ends at z18: swipe,
// side by side and blink open deeper than that (on a building), and both sides must still show imagery,
// enlarged from the deepest tiles, as the main map does. The triage map view draws the imagery too.
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lonLatToTile } from '@tuban/core/geo/tiles';
import { imageryItem, imageryTileStore } from '@tuban/core/tiles/tile-store';
import { insertTestCandidate, insertTestDetectionRun, insertTestImagery } from '@tuban/core/testing/fixtures';
import { seedGeodata } from '@tuban/data/seed';
import { SCREENSHOT_DIR, drawnShare, startBrowserApp, type BrowserApp } from './support/browser-app.js';

declare global {
  interface Window {
    __tubanTriageMap?: import('maplibre-gl').Map;
  }
}

// A ~20 m building inside 曹杨新村, and imagery around it.
const BUILDING = [121.4000, 31.2400, 121.4002, 31.2402] as const;
const FOOTPRINT = [121.398, 31.238, 121.402, 31.242] as const;
const PYRAMID_MAX_ZOOM = 18;

let h: BrowserApp;
let candidateId = 0;
let afterId = 0;
/** a candidate over imagery without tiles (never ingested) */
let bareId = 0;

/** A tile of coarse random blocks in one tint: clearly "imagery", nothing like a plain background. */
async function texturedTile(seed: number, tint: [number, number, number]): Promise<Buffer> {
  const cells = 16;
  const raw = Buffer.alloc(cells * cells * 3);
  let state = seed;
  for (let i = 0; i < cells * cells; i++) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const shade = 0.4 + 0.6 * ((state >> 8) % 256) / 255;
    for (let c = 0; c < 3; c++) raw[i * 3 + c] = Math.round(tint[c]! * shade);
  }
  return sharp(raw, { raw: { width: cells, height: cells, channels: 3 } }).resize(256, 256, { kernel: 'nearest' }).webp().toBuffer();
}

/** Tiles from z16 to the pyramid's deepest zoom over the footprint, as ingest would leave them. */
async function writePyramid(imageryId: number, tint: [number, number, number]): Promise<void> {
  const writer = await imageryTileStore(h.dataDir).begin(imageryItem(imageryId), 'webp');
  for (let z = 16; z <= PYRAMID_MAX_ZOOM; z++) {
    const nw = lonLatToTile(FOOTPRINT[0], FOOTPRINT[3], z);
    const se = lonLatToTile(FOOTPRINT[2], FOOTPRINT[1], z);
    for (let x = nw.x; x <= se.x; x++) for (let y = nw.y; y <= se.y; y++) await writer.put({ z, x, y }, await texturedTile(x * 7 + y + z, tint));
  }
  await writer.publish();
}

beforeAll(async () => {
  h = await startBrowserApp('compare_browser', async (t) => {
    h = t;
    const office = await t.addUser('office', 'office');
    await seedGeodata(t.db, { actorId: office.id });
    const imagery = (fileName: string, capturedAt: string) =>
      insertTestImagery(t.db, {
        uploadedBy: office.id, status: 'ready', fileName, capturedAt, tileFormat: 'webp', minZoom: 16, maxZoom: PYRAMID_MAX_ZOOM, footprint: FOOTPRINT,
      });
    const beforeId = await imagery('before.tif', '2026-03-01T10:00:00+08:00');
    afterId = await imagery('after.tif', '2026-09-01T10:00:00+08:00');
    await writePyramid(beforeId, [60, 140, 60]);
    await writePyramid(afterId, [170, 110, 60]);
    const runId = await insertTestDetectionRun(t.db, { createdBy: office.id, afterImageryId: afterId, status: 'done' });
    candidateId = await insertTestCandidate(t.db, { runId, geom: BUILDING, beforeImageryId: beforeId, afterImageryId: afterId, streetCode: '310107005' });
    const placeholder = await insertTestImagery(t.db, { uploadedBy: office.id, fileName: 'never-ingested.tif' });
    bareId = await insertTestCandidate(t.db, {
      runId, geom: [121.401, 31.241, 121.4012, 31.2412], beforeImageryId: placeholder, afterImageryId: placeholder, streetCode: '310107005', scoreMax: 0.6,
    });
  });
}, 120_000);

afterAll(async () => h?.close());

describe('triage compare over a pyramid that ends at z18', () => {
  for (const mode of ['swipe', 'side', 'blink'] as const) {
    it(`shows imagery on both sides in ${mode} at its opening zoom`, async () => {
      const tileZooms: number[] = [];
      const tileStatuses = new Set<number>();
      const page = await h.openAs('office', `/triage?status=all&sel=${candidateId}&view=${mode}`, {
        viewport: { width: 1440, height: 900 },
        prepare: async (p) =>
          p.on('response', (r) => {
            const m = /\/tiles\/imagery\/\d+\/(\d+)\//.exec(r.url());
            if (!m) return;
            tileZooms.push(Number(m[1]));
            tileStatuses.add(r.status());
          }),
      });
      await page.getByTestId('compare-view').waitFor({ timeout: 30_000 });
      await page.waitForFunction(() => document.body.dataset.compareReady === '1', undefined, { timeout: 30_000 });
      await expect.poll(() => tileZooms.length, { timeout: 30_000 }).toBeGreaterThan(0);
      await page.waitForLoadState('networkidle');
      // Swipe clips the after side and blink hides one side at a time: each side is looked at alone, on top.
      const showOnly = (side: 'before' | 'after') =>
        page.evaluate((css) => {
          document.getElementById('only-one-side')?.remove();
          const style = Object.assign(document.createElement('style'), { id: 'only-one-side', textContent: css });
          document.head.append(style);
        }, side === 'before'
          ? '.compare-after { visibility: hidden !important; }'
          : '.compare-after { visibility: visible !important; clip-path: none !important; }');
      for (const side of ['before', 'after'] as const) {
        await showOnly(side);
        const shot = await page.locator(`.compare-${side}`).screenshot({ path: `${SCREENSHOT_DIR}compare-${mode}-${side}.png` });
        expect(await drawnShare(shot), `${mode}, ${side}`).toBeGreaterThan(0.5);
      }
      // It opened deeper than the pyramid, which is only ever asked for tiles it has.
      expect(await page.evaluate(() => Number(document.body.dataset.compareZoom))).toBeGreaterThan(PYRAMID_MAX_ZOOM);
      expect(Math.max(...tileZooms)).toBe(PYRAMID_MAX_ZOOM);
      expect([...tileStatuses]).toEqual([200]);
      expect(await page.getByText(/部分影像瓦片不可用|尚未切片/).count()).toBe(0);
      await page.close();
    }, 90_000);
  }

  it('draws the selected candidate’s imagery under the triage map', async () => {
    const page = await h.openAs('office', `/triage?status=all&sel=${candidateId}`, { viewport: { width: 1440, height: 900 } });
    await page.waitForFunction(() => document.body.dataset.triageMapReady === '1', undefined, { timeout: 90_000 });
    await expect
      .poll(() => page.evaluate(() => window.__tubanTriageMap!.getStyle().layers.map((l) => l.id).filter((id) => id.startsWith('imagery-'))), {
        timeout: 20_000,
      })
      .toEqual([`imagery-${afterId}`]);
    await page.waitForFunction(() => window.__tubanTriageMap!.areTilesLoaded(), undefined, { timeout: 30_000 });
    const shot = await page.locator('.triage-map').screenshot({ path: `${SCREENSHOT_DIR}triage-map-imagery.png` });
    expect(await drawnShare(shot)).toBeGreaterThan(0.3);
    await page.close();
    expect(h.consoleErrors).toEqual([]);
  }, 120_000);

  it('shows before/after badges and chips only where the imagery has tiles', async () => {
    const chipRequests: string[] = [];
    const page = await h.openAs('office', `/triage?status=all&sel=${candidateId}`, {
      viewport: { width: 1440, height: 900 },
      prepare: async (p) => p.on('request', (r) => void (r.url().includes('/chips/') && chipRequests.push(r.url()))),
    });
    const withImagery = page.locator(`.queue-item[data-id="${candidateId}"] .chips`);
    const bare = page.locator(`.queue-item[data-id="${bareId}"] .chips`);
    await withImagery.waitFor({ timeout: 30_000 });
    expect(await withImagery.locator('.chip-imagery').allTextContents()).toEqual(['前', '后']);
    expect(await bare.locator('.chip-imagery').count()).toBe(0);
    // both chips of the selected candidate are cut from its tiles and shown
    await page.waitForFunction(() => {
      const imgs = [...document.querySelectorAll<HTMLImageElement>('.candidate-chips img')];
      return imgs.length === 2 && imgs.every((img) => img.complete && img.naturalWidth > 0);
    }, undefined, { timeout: 30_000 });
    await page.screenshot({ path: `${SCREENSHOT_DIR}triage-chips.png` });

    await page.locator(`.queue-item[data-id="${bareId}"] button`).first().click();
    await page.waitForFunction((id) => document.querySelector('section.triage-detail')?.getAttribute('aria-label')?.includes(String(id)), bareId);
    expect(await page.locator('.candidate-chips').count()).toBe(0);
    expect(chipRequests.filter((u) => u.includes(`/candidates/${bareId}/`))).toEqual([]);
    await page.close();
    expect(h.consoleErrors).toEqual([]);
  }, 90_000);
});
