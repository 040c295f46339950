// A pilot's re-fly suggestions in Debian's Chromium: the demolished spot comes first with its reason, its DJI
// wayline KMZ holds template.kml and waylines.wpml as WPML lays them out (read back with the browser's own XML
// parser), and once imagery uploaded over the spot is ingested by the real ingest worker, the suggestion is done.
import { readFile } from 'node:fs/promises';
import JSZip from 'jszip';
import type { Worker } from 'bullmq';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@tuban/core/config';
import { QueueName } from '@tuban/core/jobs/queues';
import { createRedis } from '@tuban/core/redis';
import { insertTestRegistryItem, insertTestStreet } from '@tuban/core/testing/fixtures';
import { writeGeoTiff } from '@tuban/data/raster/geotiff-writer';
import { testWorkerContext } from '@tuban/workers/testing/worker-context';
import { startWorker } from '@tuban/workers/worker';
import sharp from 'sharp';
import { SCREENSHOT_DIR, startBrowserApp, type BrowserApp } from './support/browser-app.js';

const WPML = 'http://www.dji.com/wpmz/1.0.2';
const DAY = 86_400_000;
const shanghaiDay = (at: number) => new Date(at + 8 * 3_600_000).toISOString().slice(0, 10);

let h: BrowserApp;
let worker: Worker | undefined;
let closeQueues: (() => Promise<void>) | undefined;
const connection = createRedis(loadConfig().REDIS_URL);

beforeAll(async () => {
  h = await startBrowserApp('refly_browser', async (t) => {
    await insertTestStreet(t.db, { code: '310107005', name: '曹杨新村街道', geom: [121.38, 31.25, 121.39, 31.26] });
    const pilot = await t.addUser('pilot', 'pilot', null, '飞手甲');
    await insertTestRegistryItem(t.db, {
      streetCode: '310107005', geom: [121.3848, 31.2548, 121.3852, 31.2552], createdBy: pilot.id, caseNo: 'PT-2026-000123',
      status: 'demolished', closedOn: shanghaiDay(Date.now() - 3 * DAY),
    });
  });
  const ctx = testWorkerContext({ db: h.db, redis: connection, prefix: h.queuePrefix, dataDir: h.dataDir });
  worker = startWorker(QueueName.Ingest, ctx);
  closeQueues = () => ctx.queues.close();
}, 120_000);

afterAll(async () => {
  await worker?.close();
  await closeQueues?.();
  connection.disconnect();
  await h?.close();
});

/** The file a click on `button` downloads. */
async function download(page: Page, button: string): Promise<Buffer> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
  return readFile((await file.path())!);
}

/** The share of pixels in the never-flown red (#a50026 at 45 % over the light map background). */
async function neverFlownShare(png: Buffer): Promise<number> {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let red = 0;
  for (let i = 0; i < data.length; i += 3) if (Math.abs(data[i]! - 205) < 20 && Math.abs(data[i + 1]! - 132) < 20 && Math.abs(data[i + 2]! - 146) < 20) red++;
  return red / (info.width * info.height);
}

/** 300 × 300 px at about 1 m over the demolished spot, WGS84. */
function orthophoto(): Promise<Buffer> {
  const w = 300;
  const data = new Uint8Array(w * w * 3).map((_, i) => (i % 3 === 1 ? 150 : 80 + ((i >> 5) % 40)));
  return writeGeoTiff({ width: w, height: w, samples: 3, bits: 8, data, epsg: 4326, origin: [121.3835, 31.2565], pixelSize: [0.00001, 0.00001], compression: 'deflate', tile: 64 });
}

describe('re-fly suggestions on the pilots’ page', () => {
  it('ranks the demolished spot first, exports a WPML wayline KMZ, and marks it done once imagery covers it', async () => {
    const page = await h.openAs('pilot', '/flights', { viewport: { width: 1440, height: 1000 } });
    const table = page.getByRole('table', { name: '重飞建议列表' });
    await table.waitFor({ timeout: 60_000 });
    const first = table.locator('tbody tr').first();
    const rebuild = await first.textContent();
    expect(rebuild).toContain('拆除回访');
    expect(rebuild).toContain(`案件 PT-2026-000123 于 ${shanghaiDay(Date.now() - 3 * DAY)} 已拆除，已 3 天，回访防止复建`);
    expect(rebuild).toContain('待飞');
    // the rest are the street's never-flown cells
    expect(await table.locator('tbody tr').nth(1).textContent()).toMatch(/影像陈旧网格 15\/\d+\/\d+ 从未飞过/);
    await page.getByRole('table', { name: '各街镇影像新鲜度' }).getByText('从未拍摄').waitFor();

    const suggestionId = Number(await first.getAttribute('data-suggestion'));
    await first.getByRole('checkbox').check();
    await page.fill('input[name="altitude"]', '120');
    await page.fill('input[name="sideOverlap"]', '75');
    await page.screenshot({ path: `${SCREENSHOT_DIR}refly-suggestions.png`, fullPage: true });

    const geojson = JSON.parse((await download(page, '导出 GeoJSON')).toString('utf8'));
    expect(geojson.features.map((f: { properties: { id: number; reason_caseNo: string } }) => [f.properties.id, f.properties.reason_caseNo])).toEqual([[suggestionId, 'PT-2026-000123']]);

    const zip = await JSZip.loadAsync(await download(page, '导出大疆航线 KMZ'));
    expect(Object.keys(zip.files).sort()).toEqual(['wpmz/template.kml', 'wpmz/waylines.wpml']);
    const [template, waylines] = await Promise.all(['wpmz/template.kml', 'wpmz/waylines.wpml'].map((f) => zip.file(f)!.async('string')));
    const parsed = await page.evaluate(
      ([tpl, wl, ns]) => {
        const parse = (xml: string) => new DOMParser().parseFromString(xml, 'application/xml');
        const [a, b] = [parse(tpl!), parse(wl!)];
        const text = (doc: Document | Element, name: string) => [...doc.getElementsByTagNameNS(ns!, name)].map((e) => e.textContent);
        const folder = (doc: Document) => [...doc.getElementsByTagName('Folder')];
        return {
          errors: [a, b].map((d) => d.getElementsByTagName('parsererror').length),
          roots: [a, b].map((d) => `${d.documentElement.namespaceURI} ${d.documentElement.localName} > ${d.documentElement.firstElementChild?.localName}`),
          missionConfigs: [a, b].map((d) => d.getElementsByTagNameNS(ns!, 'missionConfig').length),
          template: folder(a).map((f) => ({
            type: text(f, 'templateType'), id: text(f, 'templateId'), height: text(f, 'height'),
            overlapH: text(f, 'orthoCameraOverlapH'), overlapW: text(f, 'orthoCameraOverlapW'),
            ring: f.querySelector('Placemark > Polygon > outerBoundaryIs > LinearRing > coordinates')?.textContent?.trim().split(/\s+/).length ?? 0,
          })),
          waylines: folder(b).map((f) => ({
            templateId: text(f, 'templateId'), waylineId: text(f, 'waylineId'),
            indexes: [...f.children].filter((c) => c.localName === 'Placemark').map((p) => [...p.getElementsByTagNameNS(ns!, 'index')][0]?.textContent),
            points: f.querySelectorAll('Placemark > Point > coordinates').length,
            heights: [...new Set(text(f, 'executeHeight'))],
            actions: text(f, 'actionActuatorFunc'),
          })),
        };
      },
      [template, waylines, WPML],
    );
    expect(parsed.errors).toEqual([0, 0]);
    expect(parsed.roots).toEqual(['http://www.opengis.net/kml/2.2 kml > Document', 'http://www.opengis.net/kml/2.2 kml > Document']);
    expect(parsed.missionConfigs).toEqual([1, 1]);
    expect(parsed.template).toEqual([{ type: ['mapping2d'], id: ['0'], height: ['120'], overlapH: ['80'], overlapW: ['75'], ring: 5 }]);
    expect(parsed.waylines).toHaveLength(1);
    const wl = parsed.waylines[0]!;
    expect([wl.templateId, wl.waylineId, wl.heights, wl.actions]).toEqual([['0'], ['0'], ['120'], ['gimbalRotate', 'takePhoto']]);
    expect(wl.points).toBeGreaterThanOrEqual(2);
    expect(wl.indexes).toEqual(Array.from({ length: wl.points }, (_, i) => String(i)));

    // A pilot flies it and uploads the orthophoto; the real ingest worker makes it ready.
    await page.getByRole('link', { name: '影像上传' }).click();
    await page.fill('input[name="capturedAt"]', new Date(Date.now() + 8 * 3_600_000 - 3_600_000).toISOString().slice(0, 16));
    await page.setInputFiles('input[name="files"]', { name: 'refly.tif', mimeType: 'image/tiff', buffer: await orthophoto() });
    await page.locator('tr[data-file="refly.tif"]').getByText(/影像 #\d+ · 已入库/).waitFor({ timeout: 90_000 });
    const { rows: imagery } = await h.db.query<{ id: number }>(`SELECT id::int FROM imagery WHERE file_name = 'refly.tif'`);
    // the ingest closed it, before anyone worked the suggestions out again
    const { rows } = await h.db.query('SELECT status, done_imagery_id::int AS "doneImageryId" FROM refly_suggestions WHERE id = $1', [suggestionId]);
    expect(rows).toEqual([{ status: 'done', doneImageryId: imagery[0]!.id }]);

    await page.getByRole('link', { name: '架次' }).click();
    const done = page.locator(`tr[data-suggestion="${suggestionId}"]`);
    await done.getByText(`已完成（影像 #${imagery[0]!.id}`, { exact: false }).waitFor({ timeout: 30_000 });
    expect(await table.locator('tbody tr').first().textContent()).not.toContain('拆除回访');
    await page.screenshot({ path: `${SCREENSHOT_DIR}refly-done.png`, fullPage: true });
    await page.close();
    expect(h.consoleErrors).toEqual([]);
  }, 240_000);

  it('draws the freshness layer on the map when switched on', async () => {
    const page = await h.openAs('pilot', '/#13/31.255/121.385', { viewport: { width: 1200, height: 800 } });
    await page.waitForFunction(() => document.body.dataset.mapReady === '1', undefined, { timeout: 60_000 });
    const canvas = page.locator('canvas.maplibregl-canvas');
    const before = await neverFlownShare(await canvas.screenshot());
    expect(before).toBeLessThan(0.001);
    await Promise.all([
      page.waitForResponse((r) => r.url().includes('/api/coverage/cells') && r.ok(), { timeout: 60_000 }),
      page.getByLabel('影像新鲜度').check(),
    ]);
    await page.waitForFunction(() => window.__tubanMap?.getLayer('coverage-freshness') !== undefined && window.__tubanMap.loaded(), undefined, { timeout: 30_000 });
    const shot = await canvas.screenshot({ path: `${SCREENSHOT_DIR}refly-freshness-layer.png` });
    // the street's cells were never flown (the upload covered only a corner of one): drawn in red
    expect(await neverFlownShare(shot)).toBeGreaterThan(0.015);
    await page.close();
    expect(h.consoleErrors).toEqual([]);
  }, 120_000);
});
