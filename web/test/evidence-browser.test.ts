// Downloading evidence packages in Debian's Chromium: the office from a candidate in triage, the street's squad
// from its field check and from a registry case on its task list. Each download is a ZIP whose manifest matches.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import JSZip from 'jszip';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lonLatToTile } from '@tuban/core/geo/tiles';
import {
  insertTestCandidate,
  insertTestDetectionRun,
  insertTestImagery,
  insertTestRegistryItem,
  insertTestStreet,
} from '@tuban/core/testing/fixtures';
import { imageryItem, imageryTileStore } from '@tuban/core/tiles/tile-store';
import { SCREENSHOT_DIR, startBrowserApp, type BrowserApp } from './support/browser-app.js';

const STREET = '310107005';
const Z = 18;
const BOX = [121.385, 31.255, 121.3852, 31.2552] as const;
let h: BrowserApp;
let candidateId = 0;
let itemId = 0;

async function imageryWithTiles(t: BrowserApp, uploadedBy: number, colour: string, capturedAt: string): Promise<number> {
  const id = await insertTestImagery(t.db, { status: 'ready', capturedAt, uploadedBy, tileFormat: 'png', minZoom: Z, maxZoom: Z });
  const centre = lonLatToTile((BOX[0] + BOX[2]) / 2, (BOX[1] + BOX[3]) / 2, Z);
  const writer = await imageryTileStore(t.dataDir).begin(imageryItem(id), 'png');
  const tile = await sharp({ create: { width: 256, height: 256, channels: 3, background: colour } }).png().toBuffer();
  for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) await writer.put({ z: Z, x: centre.x + dx, y: centre.y + dy }, tile);
  await writer.publish();
  return id;
}

beforeAll(async () => {
  h = await startBrowserApp('evidence_browser', async (t) => {
    const office = await t.addUser('office', 'office');
    await insertTestStreet(t.db, { code: STREET, name: '曹杨新村街道', geom: [121.38, 31.25, 121.39, 31.26] });
    await t.addUser('squad-005', 'squad', STREET, '曹杨新村中队');
    const before = await imageryWithTiles(t, office.id, '#b33', '2025-05-01T02:00:00Z');
    const after = await imageryWithTiles(t, office.id, '#33b', '2026-03-01T02:00:00Z');
    const runId = await insertTestDetectionRun(t.db, { afterImageryId: after, zoom: Z, status: 'done', createdBy: office.id });
    candidateId = await insertTestCandidate(t.db, {
      runId, geom: BOX, streetCode: STREET, status: 'field_check', beforeImageryId: before, afterImageryId: after,
    });
    await t.db.query("UPDATE candidates SET field_check_due = '2099-01-01' WHERE id = $1", [candidateId]);
    itemId = await insertTestRegistryItem(t.db, {
      streetCode: STREET, geom: BOX, createdBy: office.id, caseNo: 'PT-2026-000077', origin: 'new', deadline: '2099-02-01',
    });
  });
}, 120_000);

afterAll(async () => h?.close());

// Tiles outside the 3×3 written ones answer 404, which Chromium logs.
const openAs = (user: string, path: string, viewport?: { width: number; height: number }) =>
  h.openAs(user, path, { viewport, expectedError: (url) => /\/tiles\/imagery\//.test(url) });

/** Clicks the evidence link and checks the file that arrives: its name and a manifest matching every entry. */
async function downloadFrom(page: Page, scope: ReturnType<Page['locator']>, expectedName: string): Promise<JSZip> {
  const link = scope.getByRole('link', { name: '下载证据包' });
  await link.waitFor({ timeout: 30_000 });
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), link.click()]);
  expect(download.suggestedFilename()).toBe(expectedName);
  const zip = await JSZip.loadAsync(await readFile((await download.path())!));
  const manifest = JSON.parse(await zip.file('manifest.json')!.async('string')) as { files: { path: string; sha256: string }[] };
  for (const f of manifest.files) {
    expect(createHash('sha256').update(await zip.file(f.path)!.async('nodebuffer')).digest('hex'), f.path).toBe(f.sha256);
  }
  expect(manifest.files.map((f) => f.path)).toContain('summary.pdf');
  return zip;
}

describe('evidence package downloads', () => {
  it('the office downloads a candidate\'s package from triage', async () => {
    const page = await openAs('office', `/triage?status=all&sel=${candidateId}`);
    const detail = page.locator('section.triage-detail[data-status]');
    await detail.waitFor({ timeout: 60_000 });
    await page.screenshot({ path: `${SCREENSHOT_DIR}evidence-triage.png` });
    const zip = await downloadFrom(page, detail, `evidence-candidate-${candidateId}.zip`);
    const record = JSON.parse(await zip.file('case.json')!.async('string'));
    expect(record.subject).toMatchObject({ kind: 'candidate', id: candidateId, status: 'field_check' });
    expect(Object.keys(zip.files).filter((n) => n.startsWith('imagery/'))).toHaveLength(2);
    await page.close();
  }, 120_000);

  it('the street squad downloads its field check\'s and its case\'s packages on a phone', async () => {
    const page = await openAs('squad-005', '/squad', { width: 390, height: 844 });
    await page.getByTestId('squad-checks').getByRole('button', { name: new RegExp(`#${candidateId}`) }).click();
    const detail = page.locator('section.triage-detail');
    await downloadFrom(page, detail, `evidence-candidate-${candidateId}.zip`);
    await page.getByTestId('squad-items').getByRole('button', { name: /PT-2026-000077/ }).click();
    await page.getByRole('form', { name: /PT-2026-000077/ }).waitFor();
    await page.screenshot({ path: `${SCREENSHOT_DIR}evidence-squad-case.png` });
    const zip = await downloadFrom(page, detail, `evidence-case-${itemId}-PT-2026-000077.zip`);
    expect(JSON.parse(await zip.file('case.json')!.async('string')).subject).toMatchObject({ kind: 'registry', caseNo: 'PT-2026-000077' });
    await page.close();
    expect(h.consoleErrors).toEqual([]);
  }, 120_000);
});
