// Coverage, freshness and re-fly suggestions on the real PostGIS. Streets are laid exactly on z15 tiles, so
// every number below follows from the fixtures by hand: street A is tiles (x, y) and (x+1, y), street B is
// tile (x, y+1).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streetFreshness } from '../src/coverage/freshness.js';
import { refreshedSuggestions } from '../src/coverage/refly.js';
import { cellFreshness, type CellFreshness } from '../src/db/coverage.js';
import { closeCoveredSuggestions, listReflySuggestions } from '../src/db/refly.js';
import { lonLatToTile, tileBounds } from '../src/geo/tiles.js';
import { INDEX_COLUMNS } from '../src/monthly-index/export-columns.js';
import { monthlyIndex } from '../src/monthly-index/index.js';
import { createTestDatabase, type TestDatabase } from '../src/testing/database.js';
import {
  insertTestCandidate, insertTestCandidateEvent, insertTestDetectionRun, insertTestImagery, insertTestRegistryItem,
  insertTestStreet, insertTestUser, insertTestVillaCompound, type Box,
} from '../src/testing/fixtures.js';

const AS_OF = new Date('2026-03-20T04:00:00Z');
const daysBefore = (d: number) => new Date(AS_OF.getTime() - d * 86_400_000).toISOString();
const { x, y } = lonLatToTile(121.385, 31.255, 15);
const tile = (dx: number, dy: number) => tileBounds({ z: 15, x: x + dx, y: y + dy }) as unknown as Box;
/** The inner `share` of a tile's width, from its west edge, full height. */
const westPart = ([w, s, e, n]: Box, share: number): Box => [w, s, w + (e - w) * share, n];
/** A small square around a tile's centre. */
const middle = ([w, s, e, n]: Box, half = 0.0004): Box => [(w + e) / 2 - half, (s + n) / 2 - half, (w + e) / 2 + half, (s + n) / 2 + half];

let t: TestDatabase;
let cells: CellFreshness[];
const ids: Record<string, number> = {};
const cellAt = (dx: number, dy: number) => cells.find((c) => c.x === x + dx && c.y === y + dy)!;

beforeAll(async () => {
  t = await createTestDatabase('coverage');
  const db = t.pool;
  const user = await insertTestUser(db, { username: 'office', role: 'office' });
  const [a0, a1, b0] = [tile(0, 0), tile(1, 0), tile(0, 1)];
  await insertTestStreet(db, { code: '310107005', name: '甲街道', geom: { type: 'Polygon', coordinates: [[[a0[0], a0[1]], [a1[2], a0[1]], [a1[2], a0[3]], [a0[0], a0[3]], [a0[0], a0[1]]]] } });
  await insertTestStreet(db, { code: '310107014', name: '乙街道', geom: b0 });
  const ready = { uploadedBy: user, status: 'ready' as const };
  ids.full = await insertTestImagery(db, { ...ready, footprint: a0, capturedAt: daysBefore(10) });
  ids.half = await insertTestImagery(db, { ...ready, footprint: westPart(a1, 0.5), capturedAt: daysBefore(5) });
  ids.old = await insertTestImagery(db, { ...ready, footprint: b0, capturedAt: daysBefore(100) });
  // neither a photo nor imagery still being ingested counts
  await insertTestImagery(db, { ...ready, kind: 'photo', footprint: a1, capturedAt: daysBefore(1) });
  await insertTestImagery(db, { uploadedBy: user, status: 'ingesting', footprint: a1, capturedAt: daysBefore(1) });

  ids.demolished = await insertTestRegistryItem(db, { streetCode: '310107005', geom: middle(a1), createdBy: user, caseNo: 'PT-2026-000001', status: 'demolished', closedOn: daysBefore(5).slice(0, 10) });
  await insertTestRegistryItem(db, { streetCode: '310107005', geom: middle(a0), createdBy: user, status: 'demolished', closedOn: daysBefore(200).slice(0, 10) });
  const run = await insertTestDetectionRun(db, { createdBy: user });
  ids.fieldCheck = await insertTestCandidate(db, { runId: run, geom: middle(a0), status: 'field_check', streetCode: '310107005' });
  await insertTestCandidateEvent(db, { candidateId: ids.fieldCheck, actorId: user, fromStatus: 'new', toStatus: 'field_check', at: daysBefore(3) });
  await insertTestVillaCompound(db, { name: '甲别墅区', streetCode: '310107005', geom: middle(a0, 0.001) });
  ids.villaB = await insertTestVillaCompound(db, { name: '乙别墅区', streetCode: '310107014', geom: middle(b0, 0.001) });
  cells = await cellFreshness(db, AS_OF);
});
afterAll(async () => t?.drop());

describe('freshness per z15 cell', () => {
  it('gives each cell piece its newest imagery covering 90 % of it, and days since', () => {
    expect(cells.map((c) => [c.streetCode, c.x - x, c.y - y])).toEqual([
      ['310107005', 0, 0], ['310107005', 1, 0], ['310107014', 0, 1],
    ]);
    expect(cellAt(0, 0)).toMatchObject({ imageryId: ids.full, daysSince: 10 });
    // half covered is not covered; the photo and the imagery being ingested do not count
    expect(cellAt(1, 0)).toMatchObject({ imageryId: null, imagedAt: null, daysSince: null });
    expect(cellAt(0, 1)).toMatchObject({ imageryId: ids.old, daysSince: 100 });
    expect(cellAt(0, 0).areaM2).toBeGreaterThan(1.0e6);
    expect(cellAt(0, 0).areaM2).toBeLessThan(1.2e6);
  });

  it('sums them per street', () => {
    expect(streetFreshness(cells, 60)).toEqual([
      expect.objectContaining({ streetCode: '310107005', cells: 2, neverFlown: 1, stale: 1, medianDaysSince: 10, maxDaysSince: 10, neverFlownCells: [`${x + 1}/${y}`] }),
      expect.objectContaining({ streetCode: '310107014', cells: 1, neverFlown: 0, stale: 1, medianDaysSince: 100, neverFlownCells: [] }),
    ]);
    expect(streetFreshness(cells, 120).map((s) => s.stale)).toEqual([1, 0]);
  });
});

describe('coverage in the monthly index (覆盖率)', () => {
  it('is the share of each street imaged in the month, overlaps counted once', async () => {
    const index = await monthlyIndex(t.pool, '2026-03');
    const share = (scope: string) => index.rows.find((r) => r.scope === scope)!.coverageShare!;
    expect(share('310107005')).toBeCloseTo(0.75, 3); // one tile of two, and half of the other
    expect(share('310107014')).toBe(0); // flown in December
    expect(share('district')).toBeCloseTo(0.5, 2); // 1.5 of 3 tiles (B's tile is a little larger)
    const column = INDEX_COLUMNS.find((c) => c.header === '影像覆盖率(%)')!;
    expect(index.rows.map((r) => column.value(r))).toEqual([50, 75, 0]); // CSV, XLSX: percent with one decimal
    const december = await monthlyIndex(t.pool, '2025-12');
    expect(december.rows.find((r) => r.scope === '310107014')!.coverageShare).toBeCloseTo(1, 3);
  });
});

describe('re-fly suggestions', () => {
  it('are ranked: rebuild watch, field check, villa not seen this month, stale cells (never flown first)', async () => {
    const list = await refreshedSuggestions(t.pool, AS_OF);
    expect(list.map((s) => [s.rank, s.kind, s.subject])).toEqual([
      [1, 'rebuild_watch', String(ids.demolished)],
      [2, 'field_check', String(ids.fieldCheck)],
      [3, 'villa_unseen', String(ids.villaB)],
      [4, 'stale_cell', `${x + 1}/${y}/310107005`],
      [5, 'stale_cell', `${x}/${y + 1}/310107014`],
    ]);
    expect(list[0]!.params).toEqual({ caseNo: 'PT-2026-000001', status: 'demolished', closedOn: daysBefore(5).slice(0, 10), days: 5 });
    expect(list[1]!.params).toMatchObject({ candidateId: ids.fieldCheck, days: 3 });
    expect(list[2]!.params).toEqual({ name: '乙别墅区', days: 100 });
    expect(list[3]!.params).toEqual({ cell: `15/${x + 1}/${y}`, days: null });
    expect(list[4]!.params).toEqual({ cell: `15/${x}/${y + 1}`, days: 100 });
    // refreshing again changes nothing
    expect((await refreshedSuggestions(t.pool, AS_OF)).map((s) => s.id)).toEqual(list.map((s) => s.id));
  });

  it('are marked done when ready imagery captured after they were needed covers them, and not raised again', async () => {
    const db = t.pool;
    const before = await listReflySuggestions(db, AS_OF);
    const rebuild = before.find((s) => s.kind === 'rebuild_watch')!;
    const staleA = before.find((s) => s.subject === `${x + 1}/${y}/310107005`)!;
    // a week old: fresh enough for the stale cell, but older than the demolition, so no look at the spot since
    const early = await insertTestImagery(db, { uploadedBy: 1, status: 'ready', footprint: tile(1, 0), capturedAt: daysBefore(7) });
    expect(await closeCoveredSuggestions(db, early)).toEqual([staleA.id]);
    const fresh = await insertTestImagery(db, { uploadedBy: 1, status: 'ready', footprint: tile(1, 0), capturedAt: daysBefore(1) });
    expect(await closeCoveredSuggestions(db, fresh)).toEqual([rebuild.id]);

    const after = await refreshedSuggestions(db, AS_OF);
    expect(after.filter((s) => s.status === 'open').map((s) => [s.rank, s.kind])).toEqual([
      [1, 'field_check'], [2, 'villa_unseen'], [3, 'stale_cell'],
    ]);
    expect(after.filter((s) => s.status === 'done').map((s) => [s.id, s.doneImageryId]).sort()).toEqual(
      [[rebuild.id, fresh], [staleA.id, early]].sort(),
    );
  });

  it('drops an open suggestion whose reason went away', async () => {
    await t.pool.query(`UPDATE candidates SET status = 'confirmed' WHERE id = $1`, [ids.fieldCheck]);
    const list = await refreshedSuggestions(t.pool, AS_OF);
    expect(list.filter((s) => s.status === 'open').map((s) => s.kind)).toEqual(['villa_unseen', 'stale_cell']);
  });
});
