import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeRunCandidates } from '../src/db/detection-merge.js';
import { batchTiles, findRun, insertRun, planRunTiles, replaceBatchParts, type Part } from '../src/db/detection-runs.js';
import { withTransaction } from '../src/db/pool.js';
import { planDetectionRun } from '../src/detection/plan.js';
import { globalPixelToLonLat } from '../src/geo/web-mercator-pixels.js';
import { lonLatToTile, tileBounds } from '../src/geo/tiles.js';
import { createTestDatabase, type TestDatabase } from '../src/testing/database.js';
import type { RegistryStatus } from '../src/domain.js';
import { insertTestImagery, insertTestRegistryItem, insertTestStreet, insertTestUser } from '../src/testing/fixtures.js';

const Z = 18;
const origin = lonLatToTile(121.39, 31.255, Z);
let t: TestDatabase;
let userId: number;
let beforeId: number;
let afterId: number;

async function imagery(capturedAt: string, bbox: number[], sha: string): Promise<number> {
  const [w, s, e, n] = bbox as [number, number, number, number];
  return insertTestImagery(t.pool, { status: 'ready', fileName: 'f.tif', sha256: sha.repeat(64).slice(0, 64), capturedAt, footprint: [w, s, e, n], uploadedBy: userId });
}

/** A rectangle in global pixel coordinates at Z, as lon/lat rings. */
function pixelRect(x0: number, y0: number, x1: number, y1: number): [number, number][][] {
  const c = (x: number, y: number) => globalPixelToLonLat(x, y, Z);
  return [[c(x0, y0), c(x1, y0), c(x1, y1), c(x0, y1), c(x0, y0)]];
}

const part = (rings: [number, number][][], before: number): Part => ({ rings, pixels: 400, scoreSum: 320, scoreMax: 0.95, beforeImageryId: before });

beforeAll(async () => {
  t = await createTestDatabase('detection');
  userId = await insertTestUser(t.pool, { username: 'office', role: 'office' });
  const [w, , , n] = tileBounds({ z: Z, x: origin.x, y: origin.y });
  const [, s, e] = tileBounds({ z: Z, x: origin.x + 2, y: origin.y + 1 });
  // The before imagery covers only the first two tile columns of the 3×2 after area.
  const [, , e2] = tileBounds({ z: Z, x: origin.x + 1, y: origin.y });
  beforeId = await imagery('2025-01-01T00:00:00Z', [w! - 1e-4, s! - 1e-4, e2! + 1e-5, n! + 1e-4], 'a');
  afterId = await imagery('2026-01-01T00:00:00Z', [w!, s!, e!, n!], 'b');
});
afterAll(async () => t?.drop());

async function newRun() {
  return insertRun(t.pool, {
    afterImageryId: afterId, modelName: 'test', modelVersion: '0.0.1', threshold: 0.5, minAreaM2: 10,
    villaMinAreaM2: 4, zoom: Z, batchSize: 2, marginPx: 32, coregister: true, createdBy: userId,
  });
}

const tilesOfArea = () => [0, 1].flatMap((dy) => [0, 1, 2].map((dx) => ({ x: origin.x + dx, y: origin.y + dy })));

describe('detection run planning and merging in PostGIS', () => {
  it('pairs each tile with the newest earlier imagery that covers it, and counts tiles without one', async () => {
    const run = await newRun();
    await planRunTiles(t.pool, run.id, tilesOfArea());
    await planRunTiles(t.pool, run.id, tilesOfArea());
    const after = (await findRun(t.pool, run.id))!;
    expect(after).toMatchObject({ tilesTotal: 4, tilesWithoutBaseline: 2, batchesTotal: 2 });
    const batch0 = await batchTiles(t.pool, run.id, 0);
    expect(batch0).toEqual([
      { x: origin.x, y: origin.y, beforeImageryId: beforeId },
      { x: origin.x + 1, y: origin.y, beforeImageryId: beforeId },
    ]);
  });

  it('unions a building cut by a tile border into one candidate, and a retried batch adds nothing', async () => {
    const run = await newRun();
    await planRunTiles(t.pool, run.id, tilesOfArea());
    const border = (origin.x + 1) * 256;
    const top = origin.y * 256 + 100;
    // 20 px either side of the border, 20 px tall: about 20 m × 10 m at z18.
    const left = part(pixelRect(border - 20, top, border, top + 20), beforeId);
    const right = part(pixelRect(border, top, border + 20, top + 20), beforeId);
    const speck = part(pixelRect(origin.x * 256 + 10, top, origin.x * 256 + 12, top + 2), beforeId);
    for (let attempt = 0; attempt < 2; attempt++) {
      await withTransaction(t.pool, (c) => replaceBatchParts(c, run.id, 0, [left, right, speck]));
    }
    const found = await withTransaction(t.pool, (c) => mergeRunCandidates(c, run.id));
    expect(found).toBe(1);
    expect(await withTransaction(t.pool, (c) => mergeRunCandidates(c, run.id))).toBe(1);
    const { rows } = await t.pool.query(
      `SELECT status, ST_NumGeometries(geom) AS parts, ST_NPoints(geom) AS points, area_m2, before_imagery_id, after_imagery_id,
         score_max FROM candidates WHERE run_id = $1`,
      [run.id],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].points).toBeLessThanOrEqual(6);
    expect(rows[0]).toMatchObject({ status: 'new', parts: 1, before_imagery_id: beforeId, after_imagery_id: afterId, score_max: 0.95 });
    expect(rows[0].area_m2).toBeGreaterThan(180);
    expect(rows[0].area_m2).toBeLessThan(240);
    expect((await findRun(t.pool, run.id))!.status).toBe('done');
  });

  it('stores valid parts as they are and repairs an invalid one into valid polygons', async () => {
    const run = await newRun();
    await planRunTiles(t.pool, run.id, tilesOfArea());
    const x = origin.x * 256 + 40, y = origin.y * 256 + 40;
    const c = (px: number, py: number) => globalPixelToLonLat(px, py, Z);
    // A bow tie: two squares touching in a self-intersecting ring.
    const bowTie = part([[c(x, y), c(x + 20, y + 20), c(x + 20, y), c(x, y + 20), c(x, y)]], beforeId);
    const square = part(pixelRect(x + 60, y, x + 80, y + 20), beforeId);
    await withTransaction(t.pool, (client) => replaceBatchParts(client, run.id, 0, [square, bowTie, square]));
    const { rows } = await t.pool.query<{ valid: boolean; pixels: number }>(
      'SELECT ST_IsValid(geom) AS valid, pixels FROM candidate_parts WHERE run_id = $1',
      [run.id],
    );
    // Two squares as they were, and the bow tie as its two triangles.
    expect(rows).toHaveLength(4);
    expect(rows.every((r) => r.valid)).toBe(true);
  });

  it('links registry items, flags rebuilt demolished spots and keeps legal spots from coming back', async () => {
    const base = origin.y * 256 + 150;
    const x0 = origin.x * 256 + 30;
    const spots = [x0, x0 + 60, x0 + 120].map((x) => pixelRect(x, base, x + 20, base + 20));
    const streetCode = await insertTestStreet(t.pool, { code: '310107005', name: '曹杨新村街道', geom: [121.34, 31.205, 121.44, 31.305] });
    const item = (status: RegistryStatus, rings: [number, number][][], closedOn?: string) =>
      insertTestRegistryItem(t.pool, {
        caseNo: `C-${status}`, streetCode, geom: { type: 'Polygon', coordinates: rings }, status, foundOn: '2024-01-01', closedOn, createdBy: userId,
      });
    const openId = await item('open', spots[0]!);
    const demolishedId = await item('demolished', spots[1]!, '2025-06-01');

    // An earlier run whose candidate at the third spot was dismissed as legal.
    const earlier = await newRun();
    await planRunTiles(t.pool, earlier.id, tilesOfArea());
    await withTransaction(t.pool, (c) => replaceBatchParts(c, earlier.id, 0, [part(spots[2]!, beforeId)]));
    await withTransaction(t.pool, (c) => mergeRunCandidates(c, earlier.id));
    await t.pool.query(`UPDATE candidates SET status = 'dismissed', dismiss_reason = 'legal_permit' WHERE run_id = $1`, [earlier.id]);
    const legalId = (await t.pool.query('SELECT id FROM candidates WHERE run_id = $1', [earlier.id])).rows[0].id;

    const run = await newRun();
    await planRunTiles(t.pool, run.id, tilesOfArea());
    await withTransaction(t.pool, (c) => replaceBatchParts(c, run.id, 0, spots.map((s) => part(s, beforeId))));
    expect(await withTransaction(t.pool, (c) => mergeRunCandidates(c, run.id))).toBe(3);
    const { rows } = await t.pool.query(
      `SELECT c.status, c.dismiss_reason, c.registry_item_id, c.rebuilt, c.previous_candidate_id, c.street_code,
         (SELECT count(*)::int FROM candidate_events e WHERE e.candidate_id = c.id) AS events
       FROM candidates c WHERE run_id = $1 ORDER BY ST_XMin(geom)`,
      [run.id],
    );
    expect(rows[0]).toMatchObject({ status: 'new', registry_item_id: openId, rebuilt: false, street_code: '310107005' });
    expect(rows[1]).toMatchObject({ status: 'new', registry_item_id: demolishedId, rebuilt: true });
    expect(rows[2]).toMatchObject({ status: 'dismissed', dismiss_reason: 'legal_permit', previous_candidate_id: legalId, events: 1 });
  });
});

describe('planning imagery with no earlier imagery', () => {
  it('finishes the run at once, reporting every tile as without baseline', async () => {
    const { run } = await planDetectionRun(t.pool, beforeId, { name: 'test', version: 'first', threshold: 0.5, metresPerPixel: 0.5, gsdRange: [0.4, 0.8] }, userId);
    expect(run).toMatchObject({ status: 'done', batchesTotal: 0, tilesTotal: 0, candidatesFound: 0 });
    expect(run.tilesWithoutBaseline).toBeGreaterThan(0);
  });
});

describe('planning imagery coarser than the model takes', () => {
  it('refuses it with a message naming both resolutions', async () => {
    await t.pool.query('UPDATE imagery SET gsd_m = 2 WHERE id = $1', [beforeId]);
    const model = { name: 'test', version: 'coarse', threshold: 0.5, metresPerPixel: 0.5, gsdRange: [0.4, 0.8] as [number, number] };
    await expect(planDetectionRun(t.pool, beforeId, model, userId)).rejects.toThrow(
      /imagery \d+ has 2\.00 m\/px; the change model test coarse detects at 0\.4–0\.8 m\/px and enlarges imagery at most 2×, so it takes imagery up to 1\.02 m\/px here/,
    );
  });
});
