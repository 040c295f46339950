// Learning from decisions in Debian's Chromium: the office corrects a candidate's outline by dragging a vertex and
// draws a building the model missed; an admin promotes a trained candidate version on the Models page, the next
// detection run records it, and a rollback brings the shipped version back for the run after.
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_PATH, readModelCard } from '@tuban/core/change/model-card';
import { lonLatToTile, tileBounds } from '@tuban/core/geo/tiles';
import { insertTestImagery } from '@tuban/core/testing/fixtures';
import { addTestModelVersion } from '@tuban/core/testing/model-versions';
import { findUserById } from '@tuban/core/db/users';
import { decide } from '@tuban/core/triage/decide';
import { seedDemoCandidates } from '@tuban/data/candidates';
import { seedGeodata } from '@tuban/data/seed';
import { rows, SCREENSHOT_DIR, startBrowserApp, type BrowserApp } from './support/browser-app.js';

declare global {
  interface Window {
    __tubanTriageMap?: import('maplibre-gl').Map;
  }
}

const TRAINED = '0.9.0-district';
let h: BrowserApp;
let shipped: string;
let afterImageryId = 0;

const q = <T = Record<string, unknown>>(sql: string, params?: unknown[]) => rows<T>(h.db, sql, params);
// Placeholder imagery has no tiles: those loads fail on purpose and Chromium logs them.
const openAs = (username: string, path: string) =>
  h.openAs(username, path, { viewport: { width: 1440, height: 900 }, expectedError: (url) => /\/tiles\/imagery\/|\/chips\//.test(url) });

/** Where a lon/lat lies on the page, in the triage map. */
const screenOf = (page: Page, lonLat: [number, number]) =>
  page.evaluate(([lon, lat]) => {
    const map = window.__tubanTriageMap!;
    const p = map.project([lon, lat]);
    const r = map.getContainer().getBoundingClientRect();
    return { x: r.left + p.x, y: r.top + p.y };
  }, lonLat);
const lonLatAt = (page: Page, at: { x: number; y: number }) =>
  page.evaluate(({ x, y }) => {
    const map = window.__tubanTriageMap!;
    const r = map.getContainer().getBoundingClientRect();
    const ll = map.unproject([x - r.left, y - r.top]);
    return [ll.lng, ll.lat] as [number, number];
  }, at);
const mapSettled = (page: Page) =>
  page.waitForFunction(() => document.body.dataset.triageMapReady === '1' && window.__tubanTriageMap?.isMoving() === false, undefined, { timeout: 90_000 });

/** The colour on screen at a point, as [r, g, b]. */
async function pixelAt(page: Page, at: { x: number; y: number }): Promise<number[]> {
  const png = await page.screenshot({ clip: { x: Math.round(at.x), y: Math.round(at.y), width: 1, height: 1 } });
  return [...(await sharp(png).removeAlpha().raw().toBuffer())];
}

beforeAll(async () => {
  shipped = (await readModelCard(DEFAULT_MODEL_PATH)).version;
  h = await startBrowserApp('learning_browser', async (t) => {
    h = t;
    const office = await t.addUser('office', 'office');
    await t.addUser('admin', 'admin');
    await seedGeodata(t.db, { actorId: office.id });
    await seedDemoCandidates(t.db, { actorId: office.id, seed: 7, count: 8 });
    // two ready orthophotos a year apart over a few z18 tiles, for the detection runs
    const tile = lonLatToTile(121.385, 31.255, 18);
    const [w, , , n] = tileBounds({ z: 18, x: tile.x, y: tile.y });
    const [, s, e] = tileBounds({ z: 18, x: tile.x + 1, y: tile.y + 1 });
    const footprint = [w, s, e, n] as const;
    await insertTestImagery(t.db, { status: 'ready', fileName: 'putuo-2025.tif', capturedAt: '2025-06-01T10:00:00+08:00', footprint, uploadedBy: office.id });
    afterImageryId = await insertTestImagery(t.db, { status: 'ready', fileName: 'putuo-2026.tif', capturedAt: '2026-06-01T10:00:00+08:00', footprint, uploadedBy: office.id });
    // a version the trainer made: a copy of the shipped model under DATA_DIR, better on the synthetic set, with more false alarms
    await addTestModelVersion(t.db, t.dataDir, {
      version: TRAINED,
      metrics: {
        'district-validation': { f1: 0.74, objectPrecision: 0.81, objectRecall: 0.7, falseAlarmsPerKm2: 3.2 },
        synthetic: { f1: 0.95, objectPrecision: 0.9, objectRecall: 0.93, falseAlarmsPerKm2: 35 },
      },
    });
  }, { detection: true });
}, 120_000);

afterAll(async () => h?.close());

describe('labels and model versions in Chromium', () => {
  it('lets the office correct an outline by dragging a vertex', async () => {
    const [cand] = await q<{ id: number; ring: [number, number][] }>(
      `SELECT id, (ST_AsGeoJSON(geom)::json->'coordinates'->0->0) AS ring FROM candidates ORDER BY id LIMIT 1`,
    );
    const page = await openAs('office', `/triage?sel=${cand!.id}`);
    await page.locator(`section.triage-detail[aria-label*="${cand!.id}"]`).waitFor({ timeout: 60_000 });
    await mapSettled(page);
    await page.getByRole('button', { name: '修正轮廓' }).click();
    await page.waitForFunction(() => Boolean(window.__tubanTriageMap?.getLayer('edit-vertices')), undefined, { timeout: 10_000 });
    await mapSettled(page);

    const from = await screenOf(page, cand!.ring[2]!);
    const to = { x: from.x + 40, y: from.y + 25 };
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(to.x, to.y, { steps: 6 });
    await page.mouse.up();
    // the dragged vertex is drawn where it was dropped (a white dot), and the map did not pan
    await expect.poll(async () => Math.min(...(await pixelAt(page, to))), { timeout: 5_000 }).toBeGreaterThan(230);
    expect(Math.abs((await screenOf(page, cand!.ring[0]!)).x - (await screenOf(page, cand!.ring[0]!)).x)).toBe(0);
    await page.screenshot({ path: `${SCREENSHOT_DIR}triage-outline-edit.png` });
    const dropped = await lonLatAt(page, to);
    await page.getByRole('button', { name: '保存轮廓' }).click();
    await page.getByRole('status').filter({ hasText: `已修正图斑 #${cand!.id} 的轮廓` }).waitFor({ timeout: 10_000 });

    const [row] = await q<{ ring: [number, number][]; kind: string; username: string; previous: [number, number][] }>(
      `SELECT ST_AsGeoJSON(c.geom)::json->'coordinates'->0->0 AS ring, e.kind, u.username,
         ST_AsGeoJSON(e.previous_geom)::json->'coordinates'->0->0 AS previous
       FROM candidates c JOIN candidate_events e ON e.candidate_id = c.id JOIN users u ON u.id = e.actor_id WHERE c.id = $1`,
      [cand!.id],
    );
    expect(row).toMatchObject({ kind: 'outline', username: 'office' });
    expect(row!.previous).toEqual(cand!.ring);
    expect(row!.ring[2]![0]).toBeCloseTo(dropped[0], 5);
    expect(row!.ring[2]![1]).toBeCloseTo(dropped[1], 5);
    expect(row!.ring[0]).toEqual(cand!.ring[0]);
    await page.close();
  }, 150_000);

  it('lets the office draw a building the model missed and confirm it', async () => {
    const [spot] = await q<{ lon: number; lat: number; code: string }>(
      `SELECT ST_X(p) AS lon, ST_Y(p) AS lat, code FROM (SELECT code, ST_PointOnSurface(geom) AS p FROM streets ORDER BY code LIMIT 1) s`,
    );
    const page = await openAs('office', `/triage#18/${spot!.lat}/${spot!.lon}`);
    await mapSettled(page);
    await page.getByRole('button', { name: '补画漏检建筑' }).click();
    await mapSettled(page);
    const centre = await screenOf(page, [spot!.lon, spot!.lat]);
    for (const [dx, dy] of [[-30, -20], [30, -20], [30, 20], [-30, 20]] as const) await page.mouse.click(centre.x + dx, centre.y + dy);
    await page.getByRole('status').filter({ hasText: '已点 4 个' }).waitFor({ timeout: 5_000 });
    // the drawn shape is filled on the map where the building is
    await expect.poll(async () => (await pixelAt(page, centre))[2]! - (await pixelAt(page, centre))[0]!, { timeout: 5_000 }).toBeGreaterThan(20);
    await page.screenshot({ path: `${SCREENSHOT_DIR}triage-draw-missed.png` });
    await page.getByRole('button', { name: '保存为已确认违建' }).click();
    await page.getByRole('status').filter({ hasText: /漏检建筑已记为图斑 #\d+：已确认违建 · .*PT-\d{4}-\d{6}/ }).waitFor({ timeout: 10_000 });

    const rows = await q<{ id: number; status: string; street_code: string; run_id: number | null; model_version: string | null; case_no: string; kinds: string[] }>(
      `SELECT c.id, c.status, c.street_code, c.run_id, c.model_version, r.case_no,
         (SELECT array_agg(e.kind ORDER BY e.id) FROM candidate_events e WHERE e.candidate_id = c.id) AS kinds
       FROM candidates c JOIN registry_items r ON r.id = c.registry_item_id WHERE c.source = 'manual'`,
    );
    expect(rows).toEqual([expect.objectContaining({ status: 'confirmed', street_code: spot!.code, run_id: null, model_version: null, kinds: ['drawn', 'decision'] })]);
    // the new candidate is selected, its detail open
    await page.locator(`section.triage-detail[aria-label*="${rows[0]!.id}"]`).waitFor({ timeout: 10_000 });
    await page.close();
  }, 150_000);

  it('lets an admin promote a trained version that the next run records, and roll back to the shipped one', async () => {
    const admin = await openAs('admin', '/models');
    const trained = admin.locator(`li[data-version="${TRAINED}"]`);
    await trained.waitFor({ timeout: 60_000 });
    await admin.locator(`li[data-version="${shipped}"]`).getByText('启用中').waitFor();
    // beside the active version's scores: better F1 in green, more false alarms in red
    const f1 = trained.locator('tr[data-set="synthetic"] td[data-score="f1"]');
    const fa = trained.locator('tr[data-set="synthetic"] td[data-score="falseAlarmsPerKm2"]');
    expect(await f1.getAttribute('class')).toBe('better');
    expect(await fa.getAttribute('class')).toBe('worse');
    expect(await f1.evaluate((el) => getComputedStyle(el).color)).toBe('rgb(26, 127, 55)');
    expect(await fa.evaluate((el) => getComputedStyle(el).color)).toBe('rgb(207, 34, 46)');
    expect(await trained.locator('tr[data-set="district-validation"] td[data-score="f1"]').textContent()).toMatch(/^0\.740/);
    await admin.screenshot({ path: `${SCREENSHOT_DIR}models-page.png` });
    await trained.getByRole('button', { name: '启用' }).click();
    await admin.getByRole('status').filter({ hasText: `已启用版本 ${TRAINED}` }).waitFor({ timeout: 10_000 });
    await trained.getByText('启用中').waitFor({ timeout: 10_000 });

    const office = await openAs('office', '/models');
    await office.locator(`li[data-version="${TRAINED}"]`).waitFor({ timeout: 30_000 });
    expect(await office.getByRole('button', { name: '启用' }).count()).toBe(0);
    expect(await office.getByRole('button', { name: '回退到上一版本' }).count()).toBe(0);

    const startRun = async () => {
      await office.goto(`${h.baseUrl}/runs`);
      await office.locator('select[name="afterImageryId"]').selectOption(String(afterImageryId), { timeout: 30_000 });
      await office.getByRole('button', { name: '开始检测' }).click();
      await office.getByRole('status').filter({ hasText: /检测任务 #\d+ 已发起/ }).waitFor({ timeout: 10_000 });
      const [run] = await q<{ model_version: string }>('SELECT model_version FROM detection_runs WHERE after_imagery_id = $1 ORDER BY id DESC LIMIT 1', [afterImageryId]);
      return run!.model_version;
    };
    expect(await startRun()).toBe(TRAINED);
    await office.getByText(`模型 tuban-change ${TRAINED}`).first().waitFor({ timeout: 10_000 });

    await admin.getByRole('button', { name: '回退到上一版本' }).click();
    await admin.getByRole('status').filter({ hasText: '已回退到上一版本' }).waitFor({ timeout: 10_000 });
    await admin.locator(`li[data-version="${shipped}"]`).getByText('启用中').waitFor({ timeout: 10_000 });
    expect(await startRun()).toBe(shipped);
    const events = await q<{ action: string; version: string; username: string | null }>(
      `SELECT e.action, e.version, u.username FROM model_version_events e LEFT JOIN users u ON u.id = e.actor_id ORDER BY e.id`,
    );
    expect(events).toEqual([
      { action: 'registered', version: shipped, username: null },
      { action: 'promoted', version: TRAINED, username: 'admin' },
      { action: 'rolled_back', version: shipped, username: 'admin' },
    ]);
    expect(h.consoleErrors).toEqual([]);
    await admin.close();
    await office.close();
  }, 180_000);

  it('drills a trainee on decided candidates, scores the answers and changes no real case', async () => {
    const office = (await findUserById(h.db, (await q<{ id: number }>(`SELECT id FROM users WHERE username = 'office'`))[0]!.id))!;
    const open = await q<{ id: number }>(`SELECT id FROM candidates WHERE status = 'new' AND before_imagery_id IS NOT NULL ORDER BY id DESC LIMIT 2`);
    const settings = { today: '2026-11-02', deadlineDays: 30, fieldCheckDays: 7 };
    await decide(h.db, office, open[0]!.id, { status: 'confirmed' }, settings);
    await decide(h.db, office, open[1]!.id, { status: 'dismissed', reason: 'false_positive' }, settings);
    const before = await q('SELECT id, status, updated_at FROM candidates ORDER BY id');

    const page = await openAs('office', '/drills');
    await page.getByRole('button', { name: '开始演练（10 题）' }).click();
    const total = 2;
    for (let n = 1; n <= total; n++) {
      const item = page.locator('section.drill-item');
      await item.getByRole('heading', { name: `第 ${n} / ${total} 题` }).waitFor({ timeout: 10_000 });
      const candidate = Number(await item.getAttribute('data-candidate'));
      const right = candidate === open[0]!.id ? '有新建筑' : '无变化';
      // the first answer is right, the second wrong
      const wrong = right === '有新建筑' ? '无变化' : '有新建筑';
      await item.getByRole('button', { name: n === 1 ? right : wrong }).click();
      await item.getByRole('status').filter({ hasText: n === 1 ? '回答正确' : '回答有误' }).waitFor({ timeout: 10_000 });
      if (n < total) await item.getByRole('button', { name: '下一题' }).click();
    }
    await page.getByRole('status').filter({ hasText: '演练完成：答对 1 / 2 题' }).waitFor({ timeout: 10_000 });
    const row = page.locator('tr[data-trainee="office"]');
    // the summary reloads after each answer: the row exists from the first answer, so wait for the second to show
    await expect.poll(() => row.locator('td').allTextContents(), { timeout: 10_000 })
      .toEqual(['1', '2', '50%', expect.stringMatching(/^[01]$/), expect.stringMatching(/^[01]$/)]);
    await page.screenshot({ path: `${SCREENSHOT_DIR}drills-page.png` });
    expect(await q('SELECT id, status, updated_at FROM candidates ORDER BY id')).toEqual(before);
    await page.close();
  }, 150_000);
});
